import type { z } from 'zod';
import type { SourceFlag, SourceSite } from '../collectors/source.js';
import type { Collector, CollectorContext } from '../collectors/types.js';

/**
 * What a plugin's collector receives: zt's collector context, plus `fetch` through zt's
 * transport (the run's proxy and --ca-file). A plugin's collectors are typed `Collector`, whose
 * `collect(context)` gets a `CollectorContext`: the context is this one at run time.
 */
export interface PluginCollectorContext extends CollectorContext {
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
}

/**
 * The plugin API's major version. A plugin says which major it was built for
 * (`ztPlugin.apiVersion`); zt loads only plugins of its own major (docs/plugins.md).
 * Raised only when a change would break a plugin built for the previous major.
 */
export const PLUGIN_API_VERSION = 1;

/** What a plugin's source reads of the command line (the flags it declared, by camelCase name). */
export interface PluginOptions {
  /** `--flag <value>`; undefined when absent. */
  string(name: string): string | undefined;
  /** A repeatable flag's values; [] when absent. */
  strings(name: string): readonly string[];
  /** A switch; false when absent. */
  flag(name: string): boolean;
}

/**
 * A source a plugin adds: its flags (shown by `zt audit --help` only when the plugin is
 * configured), its settings read from them, whether they choose it, and its collectors.
 * The collectors' contract is zt's own (collectors/types.ts): resources of the plugin's
 * kinds, coverage per kind, issues; expected trouble is coverage and issues, never a throw.
 */
export interface PluginSourceDefinition<Settings = unknown> {
  readonly id: string;
  readonly flags: readonly SourceFlag[];
  settings(options: PluginOptions, site: SourceSite): Settings;
  chosen(settings: Settings): boolean;
  collectors(settings: Settings, site: SourceSite): Collector[] | Promise<Collector[]>;
}

/** A kind a plugin adds: its attributes' zod schema (built with `api.z`), and the ZTMM rows it can evidence. */
export interface PluginKindDefinition {
  readonly schema: z.ZodObject;
  readonly ztmmRows: readonly string[];
  readonly description?: string;
  /** The plugin's sources that produce it; default: all of them. */
  readonly sources?: readonly string[];
}

/** The inventory an analyser reads: every resource of a kind, or one by id (attributes as validated against its kind). */
export interface PluginInventory {
  ofKind(kind: string): readonly { readonly kind: string; readonly id: string; readonly name: string; readonly attributes: Readonly<Record<string, unknown>>; readonly provenance: { readonly source: string } }[];
}

/**
 * Facts a plugin derives over the whole inventory, added to resources of one kind (its own
 * or a built-in one: `aws.iam.role`), so rules can join planes. Like zt's analysers
 * (src/analysis/analyser.ts): `output` declares each field (an `api.z` object, each field
 * `.describe()`d); a field whose `inputs` (or `fieldInputs`) kind was not read completely is
 * unknown, and rules reading it are not evaluated.
 */
export interface PluginAnalyserDefinition {
  readonly kind: string;
  readonly output: z.ZodObject;
  readonly inputs: readonly string[];
  readonly fieldInputs?: Readonly<Record<string, readonly string[]>>;
  derive(inventory: PluginInventory): ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** What a plugin's `setup` returns. */
export interface PluginDefinition {
  /** Prefix of every kind (`github` → `github.repository`); not a built-in namespace. */
  readonly namespace: string;
  /** The plane its kinds belong to (free text, e.g. `github`); default: the namespace. */
  readonly plane?: string;
  readonly kinds: Readonly<Record<string, PluginKindDefinition>>;
  readonly sources: readonly PluginSourceDefinition<never>[];
  /** Absolute path of a folder of rules (`*.yaml`, cases beside them as `*.cases.yaml`). */
  readonly rules?: string;
  readonly analysers?: readonly PluginAnalyserDefinition[];
  /** Absolute path of a snapshot (`zt collect --out`) that `zt audit --demo` merges with zt's demo organisation. */
  readonly demo?: string;
}

/** Errors a plugin throws for expected failures: each maps to zt's exit codes (2: bad input; 3: could not read). */
export interface PluginErrors {
  /** Bad input the user gave (a flag's value, an export of the wrong shape): exit 2. */
  usage(message: string, hint?: string): Error;
  /** Credentials refused: exit 3. */
  auth(message: string, hint?: string): Error;
  /** The service could not be reached: exit 3. */
  unreachable(message: string, hint?: string): Error;
  /** Read permission missing for everything the source reads: exit 3. */
  accessDenied(message: string, hint?: string): Error;
}

/** What zt hands a plugin's `setup`: its zod (kind schemas must be built with it) and its error constructors. */
export interface PluginApi {
  readonly apiVersion: number;
  readonly ztVersion: string;
  readonly z: typeof z;
  readonly errors: PluginErrors;
}

/** The object a plugin module exports as `ztPlugin` (or as its default export). */
export interface ZtPlugin {
  readonly apiVersion: number;
  setup(api: PluginApi): PluginDefinition | Promise<PluginDefinition>;
}
