import type { z } from 'zod';
import { awsKinds, awsOrganizationKinds } from './aws.js';
import type { CollectorId, Plane } from './define.js';
import { entraKinds } from './entra.js';
import { identityKinds } from './identity.js';
import { k8sKinds } from './kubernetes.js';
import { oktaKinds } from './okta.js';

export type { CollectorId, KindEntry, Plane } from './define.js';

/**
 * The shared vocabulary: every resource kind a collector can produce, each described once
 * in its plane's file (`defineKinds`): the schema its attributes satisfy, its plane and
 * the collectors that produce it. Everything else about kinds derives from these entries.
 * Collectors' mappers, snapshots on disk and rule test cases are all validated against
 * the schemas, so fixtures cannot drift from collector output.
 */
export const kindRegistry = { ...k8sKinds, ...awsKinds, ...awsOrganizationKinds, ...identityKinds, ...entraKinds, ...oktaKinds };
type Entries = typeof kindRegistry;

export type Kind = keyof Entries;

/** Every kind's attribute schema. */
export const kindSchemas = Object.fromEntries(Object.entries(kindRegistry).map(([kind, entry]) => [kind, entry.schema])) as {
  readonly [K in Kind]: Entries[K]['schema'];
};

export type KindAttributes<K extends Kind> = z.infer<(typeof kindSchemas)[K]>;

export const allKinds = Object.keys(kindRegistry).sort() as readonly Kind[];

export function isKind(value: string): value is Kind {
  return Object.hasOwn(kindRegistry, value);
}

function entryOf(kind: Kind): Entries[Kind] {
  if (!isKind(kind)) throw new Error(`unknown kind "${String(kind)}"`);
  return kindRegistry[kind];
}

/** The plane a kind belongs to. */
export function planeOf(kind: Kind): Plane {
  return entryOf(kind).plane;
}

/** Top-level attribute names of a kind (used to check rule field references). */
export function attributeNames(kind: Kind): readonly string[] {
  return Object.keys(entryOf(kind).schema.shape).sort();
}

/**
 * The collectors that produce a kind. A kind whose collectors were not part of an audit
 * is out of its scope (the user did not ask about that system), which is different
 * from a chosen source that could not read it.
 */
export function collectorsOf(kind: Kind): readonly CollectorId[] {
  return entryOf(kind).collectors;
}

/** The kinds a collector produces (those whose entry names it). */
export type KindProducedBy<C extends CollectorId> = { [K in Kind]: C extends Entries[K]['collectors'][number] ? K : never }[Kind];

/** The kinds a collector produces, sorted: what its coverage accounts for. */
export function kindsProducedBy<C extends CollectorId>(collector: C): readonly KindProducedBy<C>[] {
  return allKinds.filter((kind) => (kindRegistry[kind].collectors as readonly CollectorId[]).includes(collector)) as KindProducedBy<C>[];
}
