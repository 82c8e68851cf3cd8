import { derivedFieldNames } from '../analysis/derived-fields.js';
import type { DerivedFacts } from '../analysis/index.js';
import type { InventoryIndex } from '../inventory/index.js';
import { collectorsOf, type Kind } from '../inventory/kinds/index.js';
import type { Resource } from '../inventory/snapshot.js';
import type { Finding, FindingResource, FindingStatus } from '../model/finding.js';
import type { Waiver } from '../model/waiver.js';
import { compareStrings } from '../text/order.js';
import { WaiverSet } from '../waivers/apply.js';
import { waiverRef } from '../waivers/waiver.js';
import { CelOutcomes, scalarKey } from './cel-outcomes.js';
import type { CompiledRule } from './compile.js';
import { NOT_HANDLED } from './fast-path.js';
import { fingerprintFor, resourceFingerprintKey } from './fingerprint.js';
import { renderMessage } from './message.js';
import type { EvaluationResult } from './results.js';
import { toCelValue } from './values.js';
import { ruleResult, type Counts } from './verdict.js';

interface CelFailure {
  readonly code?: string;
  readonly message?: string;
}

function describeError(error: unknown): { code: string; message: string } {
  const failure = error as CelFailure;
  return { code: failure.code ?? 'evaluation_error', message: (failure.message ?? String(error)).split('\n')[0] ?? '' };
}

function findingResource(resource: Resource): FindingResource {
  const { file, line, source } = resource.provenance;
  // Built key by key (not with spreads): this runs once per resource with findings.
  const out: { -readonly [K in keyof FindingResource]: FindingResource[K] } = { kind: resource.kind, id: resource.id, name: resource.name, source };
  if (file !== undefined) out.file = file;
  if (line !== undefined) out.line = line;
  return out;
}

/** One rule's verdict on one resource (shared by cel-outcomes.ts). */
export type Outcome = { readonly status: FindingStatus; readonly error?: { code: string; message: string } };
// Shared: a rule runs on every resource of its kind, millions of times at 100k resources.
const PASS: Outcome = Object.freeze({ status: 'pass' });
const FAIL: Outcome = Object.freeze({ status: 'fail' });
const SKIP: Outcome = Object.freeze({ status: 'skip' });

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

  constructor(resource: Resource, derived: DerivedParts, now: Date, reads?: ReadonlySet<string> | null) {
    this.raw = new FastBindings(fieldsOf(resource, derived, reads), resource, now);
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

function notBool(field: 'when' | 'assert', value: unknown): Outcome {
  return { status: 'error', error: { code: 'not_bool', message: `${field} returned ${typeof value}, not bool` } };
}

/** The assert alone, by cel-js (the rule applies). */
function assertWithCel(rule: CompiledRule, bindings: Record<string, unknown>): Outcome {
  try {
    const value = rule.assert(bindings);
    if (typeof value !== 'boolean') return notBool('assert', value);
    return value ? PASS : FAIL;
  } catch (caught) {
    return { status: 'error', error: describeError(caught) };
  }
}

/** The rule by cel-js alone. */
function evaluateWithCel(rule: CompiledRule, bindings: Record<string, unknown>): Outcome {
  try {
    const applies = rule.when ? rule.when(bindings) : true;
    if (typeof applies !== 'boolean') return notBool('when', applies);
    if (!applies) return SKIP;
  } catch (caught) {
    return { status: 'error', error: describeError(caught) };
  }
  return assertWithCel(rule, bindings);
}

/**
 * One rule on one resource. Never throws: an expression that cannot be evaluated, or
 * that does not return a bool, is an `error` (a non-bool `when` must not become a
 * silent skip). The fast path answers where it can; what it does not answer (an
 * expression it does not compile, or values it leaves to cel-js) is evaluated by cel-js,
 * so the outcome is cel-js's either way.
 */
export function evaluateResource(rule: CompiledRule, view: ResourceView, celOutcomes?: CelOutcomes): Outcome {
  const { fast } = rule;
  let applies: unknown = true;
  if (rule.when) applies = fast.when ? fast.when(view.raw) : NOT_HANDLED;
  if (applies === false) return SKIP;
  if (applies === true) {
    const value = fast.assert ? fast.assert(view.raw) : NOT_HANDLED;
    if (value === true) return PASS;
    if (value === false) return FAIL;
  }
  const key = celOutcomes && rule.dependsOnReadsOnly ? scalarKey(rule.reads as ReadonlySet<string>, view.raw.resource) : undefined;
  const known = key === undefined ? undefined : celOutcomes?.get(rule, key);
  if (known) return known;
  const outcome = applies === true ? assertWithCel(rule, view.bindings()) : evaluateWithCel(rule, view.bindings());
  if (key !== undefined) celOutcomes?.remember(rule, key, outcome);
  return outcome;
}

/** Derived facts of one resource, one object per analyser (DerivedFacts.partsOf). */
export type DerivedParts = readonly Readonly<Record<string, unknown>>[];

const metaOf = (resource: Resource): Record<string, unknown> => ({ kind: resource.kind, id: resource.id, name: resource.name, source: resource.provenance.source });

/**
 * How to pick a kind's read fields: each name, and whether to look for it among the
 * derived parts before the attributes — only names an analyser of the kind declares
 * (analysers emit only the fields they declare, which a test checks; a workload has nine
 * parts to look through). Made once per reads set and kind.
 */
interface FieldPlan {
  readonly names: readonly string[];
  readonly derivable: readonly boolean[];
}
const plans = new WeakMap<ReadonlySet<string>, Map<Kind, FieldPlan>>();

function fieldPlan(reads: ReadonlySet<string>, kind: Kind): FieldPlan {
  let byKind = plans.get(reads);
  if (!byKind) plans.set(reads, (byKind = new Map<Kind, FieldPlan>()));
  let plan = byKind.get(kind);
  if (!plan) {
    const declared = new Set(derivedFieldNames(kind));
    const names = [...reads];
    byKind.set(kind, (plan = { names, derivable: names.map((name) => declared.has(name)) }));
  }
  return plan;
}

/** The fields the rules read (all with `reads` null), derived facts winning over attributes, unconverted. */
function fieldsOf(resource: Resource, derived: DerivedParts, reads: ReadonlySet<string> | null | undefined): Record<string, unknown> {
  if (!reads) return derived.length > 0 ? (Object.assign({}, resource.attributes, ...derived) as Record<string, unknown>) : resource.attributes;
  const { names, derivable } = fieldPlan(reads, resource.kind);
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

/** The values a message template can use: meta fields, then derived facts, then attributes. */
export function messageValues(resource: Resource, derived: DerivedParts): (name: string) => unknown {
  return (name) => {
    switch (name) {
      case 'name':
        return resource.name;
      case 'id':
        return resource.id;
      case 'kind':
        return resource.kind;
      case 'source':
        return resource.provenance.source;
      default:
        for (let i = derived.length - 1; i >= 0; i--) {
          const part = derived[i] as Readonly<Record<string, unknown>>;
          if (Object.hasOwn(part, name)) return part[name];
        }
        return resource.attributes[name];
    }
  };
}

/** A finding other than a plain fail (error, waived, or a listed pass), key by key in the report's order. */
function otherFinding(
  ruleId: string,
  status: FindingStatus,
  resource: FindingResource,
  outcome: Outcome,
  waiver: Waiver | undefined,
  fingerprint: string,
  message: () => string,
): Finding {
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = { ruleId, status, resource } as Finding;
  if (status === 'fail' || status === 'waived') finding.message = message();
  if (outcome.error) finding.error = outcome.error;
  if (waiver) finding.waiver = waiverRef(waiver);
  finding.fingerprint = fingerprint;
  return finding;
}

/** Resources in id order: as they are when already so (snapshots zt writes are), else a sorted copy. */
function inIdOrder(resources: readonly Resource[]): readonly Resource[] {
  for (let i = 1; i < resources.length; i++) {
    if ((resources[i - 1] as Resource).id > (resources[i] as Resource).id) return [...resources].sort((a, b) => compareStrings(a.id, b.id));
  }
  return resources;
}

/**
 * Runs every rule over the resources of its kind. Never throws for a rule or a
 * resource: an expression that cannot be evaluated is an `error` finding. "now" is the
 * snapshot's collectedAt, so results do not depend on when the audit runs.
 */
export interface EvaluateOptions {
  readonly waivers?: WaiverSet;
  /** Also record passing resources as findings (for JUnit per-resource test cases). */
  readonly includePasses?: boolean;
}

export function evaluate(
  inventory: InventoryIndex,
  facts: DerivedFacts,
  rules: readonly CompiledRule[],
  options: EvaluateOptions = {},
): EvaluationResult {
  const waivers = options.waivers ?? new WaiverSet([], inventory.snapshot.collectedAt);
  const now = new Date(inventory.snapshot.collectedAt);
  const sources = new Set(inventory.snapshot.sources.map((s) => s.collector));
  // Findings are kept per rule and joined in rule-id order at the end; with each kind's
  // resources visited in id order, that is the report's order and it needs no sort.
  const findingsOf = new Map<CompiledRule, Finding[]>(rules.map((rule) => [rule, []]));
  const counts = new Map<CompiledRule, Counts>(rules.map((rule) => [rule, { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 }]));

  // Rules are grouped by kind and each resource is visited once: its CEL view (attributes
  // + derived facts as CEL values) is built once, serves every rule of its kind, and is
  // dropped right after, so memory does not grow with a copy of the whole inventory.
  const byKind = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const list = byKind.get(rule.definition.kind) ?? [];
    list.push(rule);
    byKind.set(rule.definition.kind, list);
  }
  // The fields a kind's rules read, so each CEL view converts only those (null: all).
  const readsOfKind = new Map<string, ReadonlySet<string> | null>();
  for (const [kind, kindRules] of byKind) {
    readsOfKind.set(kind, kindRules.some((r) => r.reads === null) ? null : new Set(kindRules.flatMap((r) => [...(r.reads as ReadonlySet<string>)])));
  }
  // cel-js throws and catches errors internally (e.g. a missing key on one side of ||);
  // capturing a stack for each is most of their cost and no one reads those stacks.
  const celOutcomes = new CelOutcomes();
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const [kind, kindRules] of byKind) {
      const reads = readsOfKind.get(kind);
      // Looked up once per kind, not once per rule and resource.
      const kindCounts = kindRules.map((rule) => counts.get(rule) as Counts);
      const kindFindings = kindRules.map((rule) => findingsOf.get(rule) as Finding[]);
      for (const resource of inIdOrder(inventory.ofKind(kind as Resource['kind']))) {
        const derived = facts.partsOf(resource);
        const view = new ResourceView(resource, derived, now, reads);
        let shared: FindingResource | undefined;
        let fingerprintKey: string | undefined;
        for (let r = 0; r < kindRules.length; r++) {
          const rule = kindRules[r] as CompiledRule;
          const { definition } = rule;
          const outcome = evaluateResource(rule, view, celOutcomes);
          const waiver = outcome.status === 'fail' ? waivers.match(definition.id, resource.id) : undefined;
          const status: FindingStatus = waiver ? 'waived' : outcome.status;
          (kindCounts[r] as Counts)[status]++;
          if (status === 'pass' ? options.includePasses : status !== 'skip') {
            // One FindingResource per resource, shared by its findings (they are read-only).
            shared ??= findingResource(resource);
            const ruleId = definition.id;
            const fingerprint = fingerprintFor(ruleId, (fingerprintKey ??= resourceFingerprintKey(resource.kind, resource.id)));
            (kindFindings[r] as Finding[]).push(
              status === 'fail' && !outcome.error
                ? // The common case as one literal, keys in the report's order: one allocation, no added properties.
                  { ruleId, status, resource: shared, message: renderMessage(definition.message, messageValues(resource, derived)), fingerprint }
                : otherFinding(ruleId, status, shared, outcome, waiver, fingerprint, () => renderMessage(definition.message, messageValues(resource, derived))),
            );
          }
        }
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const ruleResults = rules.map((rule) => {
    const { kind } = rule.definition;
    const sourceChosen = sources.size === 0 || collectorsOf(kind).some((c) => sources.has(c));
    return ruleResult(rule.definition, counts.get(rule) as Counts, inventory.snapshot.coverage[kind], inventory.ofKind(kind).length > 0, sourceChosen);
  });
  const findings = [...rules]
    .sort((a, b) => compareStrings(a.definition.id, b.definition.id))
    .flatMap((rule) => findingsOf.get(rule) as Finding[]);
  return { findings, ruleResults, waivers: waivers.summary() };
}
