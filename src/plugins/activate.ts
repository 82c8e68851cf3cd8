import { z } from 'zod';
import { defineSource, type Source } from '../collectors/source.js';
import type { CommandOptions } from '../collectors/source-options.js';
import { setPluginSources, type RegisteredSource } from '../collectors/sources.js';
import type { Collector, CollectorOutput } from '../collectors/types.js';
import { networkFlags } from '../collectors/network.js';
import { ZtError, isZtError } from '../errors/zt-error.js';
import { kindJsonSchema } from '../inventory/kind-schema-json.js';
import { builtInNamespaces, isBuiltInKind, setPluginKinds, type Kind, type PluginKindEntry } from '../inventory/kinds/index.js';
import { findRow } from '../model/ztmm-rows.js';
import { setPluginDemoSnapshots } from '../inventory/plugin-demo.js';
import { setPluginRuleFolders } from '../ruleset/plugin-rules.js';
import type { PluginAnalyserDefinition, PluginCollectorContext, PluginSourceDefinition } from './api.js';
import type { Analyser } from '../analysis/analyser.js';
import { setPluginAnalysers } from '../analysis/index.js';
import { isKind } from '../inventory/kinds/index.js';
import type { LoadedPlugin } from './load.js';

const invalid = (plugin: LoadedPlugin, what: string): ZtError => new ZtError('ZT_PLUGIN_INVALID', `plugin ${plugin.name} ${plugin.version}: ${what}`);

function kindEntries(plugin: LoadedPlugin): PluginKindEntry[] {
  const { namespace, kinds, sources } = plugin.definition;
  if (builtInNamespaces.includes(namespace)) throw invalid(plugin, `namespace "${namespace}" is zt's own (built-in kinds use ${builtInNamespaces.join(', ')})`);
  const sourceIds = sources.map((s) => s.id);
  return Object.entries(kinds).map(([kind, definition]) => {
    if (!kind.startsWith(`${namespace}.`) || !/^[a-z][a-z0-9-]*(\.[a-zA-Z][a-zA-Z0-9]*)+$/.test(kind)) {
      throw invalid(plugin, `kind "${kind}" must be named <namespace>.<name> in its namespace, e.g. "${namespace}.repository"`);
    }
    if (isBuiltInKind(kind)) throw invalid(plugin, `kind "${kind}" is a built-in kind`);
    if (!(definition?.schema instanceof z.ZodObject)) {
      throw invalid(plugin, `kind ${kind}: schema must be a zod object built with the z that setup(api) receives (api.z.object({ … }))`);
    }
    const rows = definition.ztmmRows;
    if (!Array.isArray(rows) || rows.length === 0) throw invalid(plugin, `kind ${kind}: ztmmRows must name the CISA ZTMM v2.0 rows it can evidence (see \`zt rules list\`)`);
    for (const row of rows) if (typeof row !== 'string' || !findRow(row)) throw invalid(plugin, `kind ${kind}: ztmmRows "${String(row)}" is not a CISA ZTMM v2.0 row`);
    const producers = definition.sources ?? sourceIds;
    for (const id of producers) if (!sourceIds.includes(id)) throw invalid(plugin, `kind ${kind} names source "${id}", which the plugin does not declare`);
    return { kind, schema: definition.schema, plane: plugin.definition.plane ?? namespace, collectors: producers, ztmmRows: rows, plugin: { name: plugin.name, version: plugin.version } };
  });
}

/** A plugin's collector, its output marked with the plugin and its unexpected throws made a collection failure of its source (exit 3), never a crash. */
function guarded(plugin: LoadedPlugin, sourceId: string, collector: Collector): Collector {
  const mark = { name: plugin.name, version: plugin.version };
  return {
    ...collector,
    id: collector.id,
    async collect(context): Promise<CollectorOutput> {
      // zt's transport: the run's proxy (HTTPS_PROXY, NO_PROXY) and --ca-file apply to the plugin's requests too.
      const { FetchTransport } = await import('../collectors/shared/fetch-transport.js');
      const transport = new FetchTransport(context.network);
      const pluginContext: PluginCollectorContext = { ...context, fetch: transport.fetch };
      try {
        const output = await collector.collect(pluginContext);
        return { ...output, source: { ...output.source, plugin: mark } };
      } catch (error) {
        if (isZtError(error) || context.signal.aborted) throw error;
        if (context.debug && error instanceof Error && error.stack) context.debug(`${context.redactor.redact(`${plugin.name} crashed: ${error.stack}`)}\n`);
        throw new ZtError('ZT_PLUGIN_COLLECT_FAILED', `plugin ${plugin.name} ${plugin.version}, source ${sourceId} (${collector.description}), failed: ${(error as Error).message ?? String(error)}`);
      } finally {
        await transport.close();
      }
    },
  };
}

/** A plugin's analyser as one of zt's (analysis/analyser.ts), its kinds and output checked now. */
function pluginAnalyser(plugin: LoadedPlugin, definition: PluginAnalyserDefinition): Analyser {
  const kinds = [definition.kind, ...(definition.inputs ?? []), ...Object.values(definition.fieldInputs ?? {}).flat()];
  for (const kind of kinds) if (typeof kind !== 'string' || !isKind(kind)) throw invalid(plugin, `an analyser names kind ${JSON.stringify(kind)}, which is neither zt's nor a loaded plugin's`);
  if (!(definition.output instanceof z.ZodObject)) throw invalid(plugin, `the analyser of ${definition.kind}: output must be an api.z object, one described field per derived fact`);
  for (const [name, schema] of Object.entries(definition.output.shape)) {
    if (!(schema as z.ZodType).description) throw invalid(plugin, `the analyser of ${definition.kind}: field ${name} has no .describe() (zt rules kinds shows it)`);
  }
  return {
    kind: definition.kind as Kind,
    output: definition.output,
    inputs: (definition.inputs ?? []) as readonly Kind[],
    ...(definition.fieldInputs ? { fieldInputs: definition.fieldInputs as Readonly<Record<string, readonly Kind[]>> } : {}),
    derive: (inventory) => definition.derive(inventory),
  };
}

/** A plugin's source through the built-in sources' contract (collectors/source.ts). */
function pluginSource(plugin: LoadedPlugin, definition: PluginSourceDefinition<unknown>): Source {
  return defineSource<{ settings: unknown; site: { cwd: string; env: Readonly<Record<string, string | undefined>> } } | { options: CommandOptions }>({
    id: definition.id,
    flags: definition.flags,
    settings: (options) => ({ options }),
    chosen: () => true,
    async load() {
      return async (held, site) => {
        const settings = definition.settings((held as { options: CommandOptions }).options, site);
        if (!definition.chosen(settings)) return [];
        const collectors = await definition.collectors(settings, site);
        return collectors.map((c) => guarded(plugin, definition.id, c));
      };
    },
    async loadDoctor() {
      return () => [];
    },
  });
}

/**
 * Makes the loaded plugins this run's: their kinds join the kind registry (validated at run
 * time), their sources the source registry (one registration path with the built-in ones:
 * ids and flags unique), their rule folders the rule loader's. An empty list restores
 * zt's own. Every conflict or invalid declaration names the plugin (exit 2).
 */
export function activatePlugins(plugins: readonly LoadedPlugin[]): void {
  try {
    const owners = new Map<string, string>();
    const kinds: PluginKindEntry[] = [];
    for (const plugin of plugins) {
      for (const entry of kindEntries(plugin)) {
        const owner = owners.get(entry.kind);
        if (owner !== undefined) throw new ZtError('ZT_PLUGIN_CONFLICT', `${plugin.name} and ${owner} both declare kind ${entry.kind}`);
        owners.set(entry.kind, plugin.name);
        kinds.push(entry);
      }
    }
    setPluginKinds(kinds);
    for (const entry of kinds) {
      try {
        // Its JSON Schema now (what cannot be JSON, a Date, a transform, fails here); ajv compiles it on first use, so `--help` does not pay for ajv.
        kindJsonSchema(entry.kind as Kind);
      } catch (error) {
        throw new ZtError('ZT_PLUGIN_INVALID', `plugin ${entry.plugin.name} ${entry.plugin.version}: kind ${entry.kind}: its schema cannot be used to validate data: ${(error as Error).message}`);
      }
    }
    const sources: RegisteredSource[] = plugins.flatMap((plugin) =>
      plugin.definition.sources.map((definition) => ({ owner: plugin.name, source: pluginSource(plugin, definition as PluginSourceDefinition<unknown>) })),
    );
    setPluginSources(sources, networkFlags.map((f) => f.flags));
    setPluginRuleFolders(plugins.flatMap((plugin) => (plugin.definition.rules ? [plugin.definition.rules] : [])));
    setPluginAnalysers(plugins.flatMap((plugin) => (plugin.definition.analysers ?? []).map((definition) => pluginAnalyser(plugin, definition))));
    setPluginDemoSnapshots(plugins.flatMap((plugin) => (plugin.definition.demo ? [plugin.definition.demo] : [])));
  } catch (error) {
    setPluginDemoSnapshots([]);
    setPluginAnalysers([]);
    setPluginKinds([]);
    setPluginSources([], []);
    setPluginRuleFolders([]);
    throw error;
  }
}
