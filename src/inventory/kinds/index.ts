import type { z } from 'zod';
import { awsKinds, awsOrganizationKinds } from './aws.js';
import type { CollectorId, Plane } from './define.js';
import { entraKinds } from './entra.js';
import { identityKinds } from './identity.js';
import { k8sKinds } from './kubernetes.js';
import { oktaKinds } from './okta.js';
import { pluginKind, pluginKindNames } from './plugin-kinds.js';

export type { CollectorId, KindEntry, Plane } from './define.js';
export { pluginKind, setPluginKinds, builtInNamespaces, type PluginKindEntry } from './plugin-kinds.js';

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

/** The built-in kinds, sorted (what the build precompiles validators for). */
export const allKinds = Object.keys(kindRegistry).sort() as readonly Kind[];

/**
 * Every kind this run knows, sorted: the built-in ones and those of the loaded plugins
 * (inventory/kinds/plugin-kinds.ts). Plugin kinds travel under the `Kind` type at run
 * time; built-in code never names one, so its typed lookups (`ofKind('k8s.workload')`)
 * stay exact.
 */
export function knownKinds(): readonly Kind[] {
  const plugins = pluginKindNames();
  return plugins.length === 0 ? allKinds : ([...allKinds, ...plugins].sort() as Kind[]);
}

export function isBuiltInKind(value: string): value is Kind {
  return Object.hasOwn(kindRegistry, value);
}

/** A built-in kind or one of a loaded plugin's. */
export function isKind(value: string): value is Kind {
  return Object.hasOwn(kindRegistry, value) || pluginKind(value) !== undefined;
}

interface AnyEntry {
  readonly schema: z.ZodObject;
  readonly plane: string;
  readonly collectors: readonly string[];
}

function entryOf(kind: Kind): AnyEntry {
  if (isBuiltInKind(kind)) return kindRegistry[kind];
  const plugin = pluginKind(kind);
  if (!plugin) throw new Error(`unknown kind "${String(kind)}"`);
  return plugin;
}

/** A kind's attribute schema, built-in or a plugin's. */
export function schemaOf(kind: Kind): z.ZodObject {
  return entryOf(kind).schema;
}

/** The plane a kind belongs to: a built-in plane, or the plane its plugin names. */
export function planeOf(kind: Kind): Plane | (string & {}) {
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
  // A plugin kind's collectors are its plugin's source ids, carried under the type like its kind.
  return entryOf(kind).collectors as readonly CollectorId[];
}

/** The kinds a collector produces (those whose entry names it). */
export type KindProducedBy<C extends CollectorId> = { [K in Kind]: C extends Entries[K]['collectors'][number] ? K : never }[Kind];

/** The kinds a collector produces, sorted: what its coverage accounts for. */
export function kindsProducedBy<C extends CollectorId>(collector: C): readonly KindProducedBy<C>[] {
  return allKinds.filter((kind) => (kindRegistry[kind].collectors as readonly CollectorId[]).includes(collector)) as KindProducedBy<C>[];
}
