import type { z } from 'zod';
import type { Kind } from '../inventory/kinds/index.js';
import type { InventoryIndex } from '../inventory/index.js';
import type { UnknownFact } from '../model/unknown-fact.js';

/**
 * What an analyser adds to each resource of its kind: an object schema with one field
 * per derived fact, each `.describe()`d in one line (shown by `zt rules kinds`). A field
 * the analyser leaves out when its input was unreadable (so rules reading it report
 * "not evaluated" or an error, never a pass) is `.optional()`.
 */
export type OutputSchema = z.ZodObject<Readonly<Record<string, z.ZodType>>>;

/** Read-only all the way down: derived facts are shared between resources and never changed. */
export type Frozen<T> = T extends readonly (infer E)[]
  ? readonly Frozen<E>[]
  : T extends object
    ? { readonly [P in keyof T]: Frozen<T[P]> }
    : T;

/** One resource's derived facts, as the analyser's output schema types them. */
export type DerivedRecord<S extends OutputSchema> = Frozen<z.output<S>>;

/**
 * A pure derivation over the whole inventory that adds facts to resources of one kind,
 * e.g. whether a workload is isolated by a NetworkPolicy. Rules see derived fields
 * next to the collected attributes (`resource.ingressIsolated`). Declaring the fields
 * up front lets the rule compiler reject references to fields that do not exist.
 *
 * The output schema is the declaration, and the type of what `derive` returns; it is
 * not checked at run time (a test validates every analyser's output on the demo).
 */
export interface Analyser<K extends Kind = Kind, S extends OutputSchema = OutputSchema> {
  readonly kind: K;
  readonly output: S;
  /**
   * The kinds `derive` reads besides each resource's own record (its own kind too when it
   * reads the other resources of it, as a blast radius does). When one was not read
   * completely, every field is unknown (three-valued facts; see input-gaps.ts).
   */
  readonly inputs: readonly Kind[];
  /** Inputs of single fields, on top of `inputs`: a field is unknown only when one of its own inputs was not read completely. */
  readonly fieldInputs?: { readonly [F in keyof z.output<S>]?: readonly Kind[] };
  /**
   * Kinds read that do not make facts unknown by themselves: their coverage is judged by
   * `derive` resource by resource (it leaves a fact null or out where the unread part
   * matters, and says so), or they only name the clusters facts are given for.
   */
  readonly judges?: readonly Kind[];
  /** Resource id → its derived facts (resources without any are left out). */
  derive(inventory: InventoryIndex): ReadonlyMap<string, DerivedRecord<S>>;
  /**
   * Resource id → fields that are unknown for that resource alone, whatever the coverage
   * (offline input that does not show which CNI the cluster runs). Rules reading them are
   * not evaluated there, as for unknowns from coverage.
   */
  unknowns?(inventory: InventoryIndex): ReadonlyMap<string, Readonly<Partial<Record<keyof z.output<S>, UnknownFact>>>>;
}

/** Declares an analyser, inferring its kind and output schema (so `derive` is checked against the schema). */
export function analyser<K extends Kind, S extends OutputSchema>(declaration: Analyser<K, S>): Analyser<K, S> {
  return declaration;
}

/** Field name → description of an output schema, in declaration order ('' for a field without one). */
export function describedFields(output: OutputSchema): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(output.shape)) out[name] = schema.description ?? '';
  return out;
}
