import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ZtError, isZtError } from '../errors/zt-error.js';
import { PLUGIN_API_VERSION, type PluginApi, type PluginDefinition, type PluginErrors, type ZtPlugin } from './api.js';
import type { ResolvedPlugin } from './resolve.js';

/** A plugin imported, version-checked and set up: what activation registers. */
export interface LoadedPlugin {
  readonly name: string;
  readonly version: string;
  readonly apiVersion: number;
  readonly dir: string;
  readonly definition: PluginDefinition;
}

const errors: PluginErrors = {
  usage: (message, hint) => new ZtError('ZT_USAGE', message, hint ? { hint } : {}),
  auth: (message, hint) => new ZtError('ZT_COLLECT_AUTH', message, hint ? { hint } : {}),
  unreachable: (message, hint) => new ZtError('ZT_COLLECT_UNREACHABLE', message, hint ? { hint } : {}),
  accessDenied: (message, hint) => new ZtError('ZT_COLLECT_ACCESS_DENIED', message, hint ? { hint } : {}),
};

const invalid = (plugin: ResolvedPlugin, what: string): ZtError =>
  new ZtError('ZT_PLUGIN_INVALID', `plugin ${plugin.name} ${plugin.version} (${plugin.spec.from}) ${what}`);

/**
 * Imports a plugin's module from disk. The single executable (scripts/build-exe.js) has no
 * ES module loader behind `import()`; there, a require made for the plugin's own path loads
 * it (Node 22 requires ES modules without top-level await).
 */
async function importModule(entry: string): Promise<Record<string, unknown>> {
  const sea = await import('node:sea').then((m) => m.isSea(), () => false);
  if (sea) return createRequire(entry)(entry) as Record<string, unknown>;
  return (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
}

/** The module's plugin object: `ztPlugin`, else its default export. */
function pluginObject(module: Record<string, unknown>): unknown {
  return module.ztPlugin ?? module.default;
}

/**
 * Imports one plugin and runs its `setup`. A plugin for another API major is refused with
 * one line (exit 2); a module that is not a plugin, or whose setup throws, names the plugin
 * (exit 2). The definition's shape is checked here; its kinds and sources at activation.
 */
export async function loadPlugin(plugin: ResolvedPlugin, ztVersion: string): Promise<LoadedPlugin> {
  let module: Record<string, unknown>;
  try {
    module = await importModule(plugin.entry);
  } catch (error) {
    throw invalid(plugin, `cannot be imported from ${plugin.entry}: ${(error as Error).message ?? String(error)}`);
  }
  const candidate = pluginObject(module) as Partial<ZtPlugin> | undefined;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.setup !== 'function' || typeof candidate.apiVersion !== 'number') {
    throw invalid(plugin, `is not a zt plugin: ${plugin.entry} exports no \`ztPlugin\` { apiVersion, setup } (docs/plugins.md)`);
  }
  if (Math.trunc(candidate.apiVersion) !== PLUGIN_API_VERSION) {
    throw new ZtError(
      'ZT_PLUGIN_API_VERSION',
      `plugin ${plugin.name} ${plugin.version} is built for zt plugin API ${candidate.apiVersion}; this zt ${ztVersion} provides plugin API ${PLUGIN_API_VERSION}`,
    );
  }
  const api: PluginApi = { apiVersion: PLUGIN_API_VERSION, ztVersion, z, errors };
  let definition: unknown;
  try {
    definition = await candidate.setup(api);
  } catch (error) {
    if (isZtError(error)) throw error;
    throw invalid(plugin, `failed to set up: ${(error as Error).message ?? String(error)}`);
  }
  return { name: plugin.name, version: plugin.version, apiVersion: candidate.apiVersion, dir: plugin.dir, definition: checkDefinition(plugin, definition) };
}

const namespacePattern = /^[a-z][a-z0-9-]*$/;

function checkDefinition(plugin: ResolvedPlugin, value: unknown): PluginDefinition {
  if (typeof value !== 'object' || value === null) throw invalid(plugin, 'setup() returned no definition { namespace, kinds, sources }');
  const definition = value as Partial<PluginDefinition>;
  if (typeof definition.namespace !== 'string' || !namespacePattern.test(definition.namespace)) {
    throw invalid(plugin, `namespace ${JSON.stringify(definition.namespace)} must be lower-case letters, digits and dashes, e.g. "github"`);
  }
  if (typeof definition.kinds !== 'object' || definition.kinds === null) throw invalid(plugin, 'declares no kinds (an object { "<namespace>.<name>": { schema, ztmmRows } })');
  if (!Array.isArray(definition.sources)) throw invalid(plugin, 'declares no sources (a list)');
  for (const source of definition.sources as unknown[]) {
    const s = source as Record<string, unknown> | null;
    if (typeof s !== 'object' || s === null || typeof s.id !== 'string' || !Array.isArray(s.flags) || typeof s.settings !== 'function' || typeof s.chosen !== 'function' || typeof s.collectors !== 'function') {
      throw invalid(plugin, 'has a source that is not { id, flags, settings, chosen, collectors }');
    }
    for (const flag of s.flags as unknown[]) {
      const f = flag as Record<string, unknown> | null;
      if (typeof f !== 'object' || f === null || typeof f.flags !== 'string' || !/^--[a-z0-9-]+( <[^>]+>)?$/.test(f.flags) || typeof f.description !== 'string') {
        throw invalid(plugin, `source ${s.id} has a flag that is not { flags: "--name [<value>]", description }: ${JSON.stringify(flag)}`);
      }
    }
  }
  if (definition.rules !== undefined) {
    if (typeof definition.rules !== 'string' || !isAbsolute(definition.rules) || !existsSync(definition.rules) || !statSync(definition.rules).isDirectory()) {
      throw invalid(plugin, `rules must be the absolute path of a folder: ${JSON.stringify(definition.rules)}`);
    }
  }
  if (definition.demo !== undefined) {
    if (typeof definition.demo !== 'string' || !isAbsolute(definition.demo) || !existsSync(definition.demo) || !statSync(definition.demo).isFile()) {
      throw invalid(plugin, `demo must be the absolute path of a snapshot file: ${JSON.stringify(definition.demo)}`);
    }
  }
  return definition as PluginDefinition;
}
