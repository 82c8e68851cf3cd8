import type { z } from 'zod';

/**
 * Kinds a plugin adds at run time (docs/plugins.md). Built-in kinds are a closed union
 * (`Kind`) with validators the build precompiles; a plugin's kinds join this registry when
 * the plugin is loaded, before any rule, snapshot or collector output is read, and are
 * validated by ajv validators compiled from their zod schemas on first use. Each is
 * namespaced by its plugin (`github.repository`), so two plugins cannot collide silently.
 */
export interface PluginKindEntry {
  readonly kind: string;
  readonly schema: z.ZodObject;
  /** The plugin's plane (free text, e.g. `github`): what a check that could not run asks for. */
  readonly plane: string;
  /** The ids of the plugin's sources that produce it. */
  readonly collectors: readonly string[];
  /** The CISA ZTMM v2.0 rows this kind can evidence (checked against the model when registered). */
  readonly ztmmRows: readonly string[];
  /** The plugin that declared it: named in every message about the kind. */
  readonly plugin: { readonly name: string; readonly version: string };
}

const entries = new Map<string, PluginKindEntry>();

/** The plugin kinds of this run, replacing those of an earlier run in the same process (tests run many). */
export function setPluginKinds(kinds: readonly PluginKindEntry[]): void {
  entries.clear();
  for (const entry of kinds) entries.set(entry.kind, entry);
}

export function pluginKind(kind: string): PluginKindEntry | undefined {
  return entries.get(kind);
}

export function pluginKindNames(): readonly string[] {
  return [...entries.keys()];
}

/** Namespaces of the built-in kinds: a plugin may not declare kinds in them. */
export const builtInNamespaces: readonly string[] = ['aws', 'cilium', 'entra', 'idp', 'istio', 'k8s', 'linkerd', 'okta'];
