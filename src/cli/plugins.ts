import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from './io.js';
import { toolVersion } from './version.js';

/** `--plugin x`, `--plugin=x` (repeatable), and `--config f` as given on the command line. */
function scan(argv: readonly string[], name: string): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === name && i + 1 < argv.length) values.push(argv[i + 1] as string);
    else if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
  });
  return values;
}

/** A plugin as named, and where. */
export interface PluginSpecs {
  readonly specs: readonly { readonly spec: string; readonly from: string }[];
}

/**
 * The plugins a run names: `plugins:` of the project config (--config, else ZT_CONFIG, else
 * .zt/config.yaml when it exists), then every --plugin. Without either, nothing is read or
 * imported beyond one existsSync: start-up is unchanged.
 */
export async function pluginSpecs(argv: readonly string[], io: Io): Promise<PluginSpecs['specs']> {
  const fromFlags = scan(argv, '--plugin').map((spec) => ({ spec, from: '--plugin' }));
  const configFile = scan(argv, '--config').at(-1) ?? (io.env.ZT_CONFIG || undefined) ?? (existsSync(resolve(io.cwd, '.zt', 'config.yaml')) ? '.zt/config.yaml' : undefined);
  if (configFile === undefined) return fromFlags;
  const { readConfig } = await import('../config/config.js');
  const config = await readConfig(resolve(io.cwd, configFile), configFile);
  const fromConfig = config.plugins.map((spec) => ({ spec, from: `plugins: in ${configFile}` }));
  // One plugin named twice (config and flag) loads once.
  const seen = new Set<string>();
  return [...fromConfig, ...fromFlags].filter((s) => !seen.has(s.spec) && seen.add(s.spec));
}

let activated = false;

/** What `zt plugins list` shows of each loaded plugin. */
export interface PluginSummary {
  readonly name: string;
  readonly version: string;
  readonly apiVersion: number;
  readonly path: string;
  readonly sources: readonly string[];
  readonly kinds: readonly string[];
  /** The plugin's rules folder, if it has one. */
  readonly rules?: string;
}

let summaries: readonly PluginSummary[] = [];

/** The plugins loaded for this run (for `zt plugins list`). */
export function loadedPlugins(): readonly PluginSummary[] {
  return summaries;
}

/**
 * Loads the command's plugins and makes them the run's (their kinds, sources and rules).
 * Each run in a process starts from zt's own; with no plugin named and none active
 * before, nothing is imported.
 */
export async function preparePlugins(argv: readonly string[], io: Io): Promise<void> {
  const specs = await pluginSpecs(argv, io);
  if (specs.length === 0 && !activated) return;
  const [{ resolvePlugin }, { loadPlugin }, { activatePlugins }] = await Promise.all([
    import('../plugins/resolve.js'),
    import('../plugins/load.js'),
    import('../plugins/activate.js'),
  ]);
  activatePlugins([]);
  activated = false;
  summaries = [];
  const loaded = [];
  for (const spec of specs) loaded.push(await loadPlugin(resolvePlugin(spec, io.cwd, io.env), toolVersion()));
  activatePlugins(loaded);
  activated = loaded.length > 0;
  summaries = loaded.map((plugin) => ({
    name: plugin.name,
    version: plugin.version,
    apiVersion: plugin.apiVersion,
    path: plugin.dir,
    sources: plugin.definition.sources.map((s) => s.id),
    kinds: Object.keys(plugin.definition.kinds).sort(),
    ...(plugin.definition.rules ? { rules: plugin.definition.rules } : {}),
  }));
}
