import { ZtError } from '../errors/zt-error.js';
import { entraSource } from './entra/source.js';
import { kubernetesSource } from './kubernetes/source.js';
import { awsIamSource } from './aws-iam/source.js';
import { awsOrganizationsSource } from './aws-organizations/source.js';
import { oktaSource } from './okta/source.js';
import type { Source } from './source.js';

/** A source with who registered it: `zt` for the built-in ones, else the plugin's package name. */
export interface RegisteredSource {
  readonly owner: string;
  readonly source: Source;
}

/** A flag's long name (`--github-org <org>` → `--github-org`), what two sources may not share. */
const longName = (flags: string): string => /--[a-z0-9-]+/i.exec(flags)?.[0] ?? flags;

/**
 * The one registration path of sources, built-in and plugin alike: ids and flags are
 * unique, else the clash names both owners (exit 2). `networkFlags` (--ca-file) are zt's
 * own and reserved too.
 */
export function registerSources(entries: readonly RegisteredSource[], reserved: readonly string[] = []): readonly RegisteredSource[] {
  const ids = new Map<string, string>();
  const flags = new Map<string, string>(reserved.map((flag) => [longName(flag), 'zt']));
  for (const { owner, source } of entries) {
    const idOwner = ids.get(source.id);
    if (idOwner !== undefined) throw new ZtError('ZT_PLUGIN_CONFLICT', `${owner} and ${idOwner} both declare a source "${source.id}"`);
    ids.set(source.id, owner);
    for (const flag of source.flags) {
      const name = longName(flag.flags);
      const flagOwner = flags.get(name);
      if (flagOwner !== undefined) throw new ZtError('ZT_PLUGIN_CONFLICT', `${owner} declares ${name}, which ${flagOwner === 'zt' ? 'zt itself' : flagOwner} already declares`);
      flags.set(name, owner);
    }
  }
  return entries;
}

/**
 * zt's own sources. Each entry lives in its collector's folder
 * (src/collectors/<id>/source.ts) and imports nothing heavy.
 */
export const builtInSources: readonly Source[] = [awsIamSource, awsOrganizationsSource, entraSource, kubernetesSource, oktaSource];

let registered: readonly RegisteredSource[] = registerSources(builtInSources.map((source) => ({ owner: 'zt', source })));

/** Every source of this run: the built-in ones, then the configured plugins' (plugins/activate.ts). */
export function activeSources(): readonly Source[] {
  return registered.map((entry) => entry.source);
}

/** Replaces the plugin sources of this run (each run in a process starts from the built-in ones). */
export function setPluginSources(plugins: readonly RegisteredSource[], reservedFlags: readonly string[]): void {
  registered = registerSources([...builtInSources.map((source) => ({ owner: 'zt', source })), ...plugins], reservedFlags);
}
