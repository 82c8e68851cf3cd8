import type { Resource } from '../inventory/snapshot.js';
import { toCelValue } from './values.js';

/** Derived facts of one resource, one object per analyser (DerivedFacts.partsOf). */
export type DerivedParts = readonly Readonly<Record<string, unknown>>[];

/**
 * Which fields a view holds: each name the rules read, and whether to look for it among
 * the derived parts before the attributes — only names analysis declares for the kind
 * (analysers emit only the fields they declare, which a test checks; a workload has
 * nine parts to look through). Made once per kind and evaluation.
 */
export interface FieldPlan {
  readonly names: readonly string[];
  readonly derivable: readonly boolean[];
}

/** The plan for these reads (null: the rules need every field, so no plan). */
export function fieldPlan(reads: ReadonlySet<string> | null, derivedNames: ReadonlySet<string>): FieldPlan | null {
  if (!reads) return null;
  const names = [...reads];
  return { names, derivable: names.map((name) => derivedNames.has(name)) };
}

/** The fields the rules read (all without a plan), derived facts winning over attributes, unconverted. */
function fieldsOf(resource: Resource, derived: DerivedParts, plan: FieldPlan | null): Record<string, unknown> {
  // Object.assign over a spread is typed `any`; the merge of two records is a record.
  if (!plan) return derived.length > 0 ? (Object.assign({}, resource.attributes, ...derived) as Record<string, unknown>) : resource.attributes;
  const { names, derivable } = plan;
  const { attributes } = resource;
  const view: Record<string, unknown> = {};
  for (let n = 0; n < names.length; n++) {
    const name = names[n] as string;
    if (derivable[n]) {
      let i = derived.length - 1;
      while (i >= 0 && !Object.hasOwn(derived[i] as object, name)) i--;
      if (i >= 0) {
        view[name] = (derived[i] as Readonly<Record<string, unknown>>)[name];
        continue;
      }
    }
    if (Object.hasOwn(attributes, name)) view[name] = attributes[name];
  }
  return view;
}

const metaOf = (resource: Resource): Record<string, unknown> => ({ kind: resource.kind, id: resource.id, name: resource.name, source: resource.provenance.source });

/** The fast path's bindings: `resource` (the read fields, unconverted), `now`, and `meta`, made only when read. */
class FastBindings {
  readonly resource: Record<string, unknown>;
  readonly now: Date;
  readonly #of: Resource;
  #meta: Record<string, unknown> | undefined;

  constructor(fields: Record<string, unknown>, of: Resource, now: Date) {
    this.resource = fields;
    this.now = now;
    this.#of = of;
  }

  get meta(): Record<string, unknown> {
    return (this.#meta ??= metaOf(this.#of));
  }
}

/**
 * One resource as the rules of its kind see it: its fields as they are for the fast path
 * (fast-path.ts), and as CEL values for cel-js, converted only if some expression needs
 * cel-js (conversion copies every object holding a number).
 */
export class ResourceView {
  /** Bindings of the fast path: `resource` holds the read fields unconverted. */
  readonly raw: FastBindings;
  private cel: Record<string, unknown> | undefined;

  constructor(resource: Resource, derived: DerivedParts, now: Date, plan: FieldPlan | null) {
    this.raw = new FastBindings(fieldsOf(resource, derived, plan), resource, now);
  }

  /**
   * The CEL bindings: the read fields as CEL values (derived facts winning over attributes;
   * a field the resource lacks stays absent, so `has()` answers as on the full view),
   * `meta` and `now`, converted from the same fields on first use.
   */
  bindings(): Record<string, unknown> {
    return (this.cel ??= { resource: toCelValue(this.raw.resource), meta: this.raw.meta, now: this.raw.now });
  }
}
