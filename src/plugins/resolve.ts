import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZtError } from '../errors/zt-error.js';

/** A plugin as configured: a package name or a path, and where it was named (for messages). */
export interface PluginSpec {
  readonly spec: string;
  readonly from: string;
}

/** A plugin found on disk: its package folder, manifest fields and the module to import. */
export interface ResolvedPlugin {
  readonly spec: PluginSpec;
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly entry: string;
}

const isPath = (spec: string): boolean => spec.startsWith('.') || isAbsolute(spec) || (!spec.startsWith('@') && spec.includes('/')) || spec.includes('\\');

/**
 * Where a package name is looked for, in order: node_modules of the working folder and its
 * parents (the project's own install, as Node resolves), then the global roots: the one npm
 * is configured with (NPM_CONFIG_PREFIX), and the node_modules folder holding zt itself
 * (`npm i -g zt-audit zt-source-github` puts them side by side).
 */
export function searchRoots(cwd: string, env: Readonly<Record<string, string | undefined>>): string[] {
  const roots: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    roots.push(join(dir, 'node_modules'));
    if (dirname(dir) === dir) break;
  }
  const prefix = env.NPM_CONFIG_PREFIX ?? env.npm_config_prefix;
  if (prefix) roots.push(join(prefix, 'lib', 'node_modules'), join(prefix, 'node_modules'));
  // dist/plugins/resolve.js → the package folder → the node_modules folder holding it, if any.
  const ztPackage = fileURLToPath(new URL('../..', import.meta.url));
  const holder = dirname(ztPackage.endsWith(sep) ? ztPackage.slice(0, -1) : ztPackage);
  if (holder.endsWith(`${sep}node_modules`)) roots.push(holder);
  return [...new Set(roots)];
}

function readManifest(dir: string, spec: PluginSpec): { name: string; version: string; entry: string } {
  const file = join(dir, 'package.json');
  let manifest: { name?: unknown; version?: unknown; main?: unknown; exports?: unknown };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as typeof manifest;
  } catch (error) {
    throw new ZtError('ZT_PLUGIN_INVALID', `plugin ${spec.spec} (${spec.from}): ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  const name = typeof manifest.name === 'string' ? manifest.name : spec.spec;
  const version = typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  const entry = entryOf(manifest);
  if (entry === undefined) {
    throw new ZtError('ZT_PLUGIN_INVALID', `plugin ${name} (${spec.from}) is not a zt plugin: its package.json names no module (exports "./zt-plugin", "main")`);
  }
  return { name, version, entry: resolve(dir, entry) };
}

/** The module to import: the "./zt-plugin" export (string or its import/default condition), else `main`, else index.js. */
function entryOf(manifest: { main?: unknown; exports?: unknown }): string | undefined {
  const exports = manifest.exports;
  if (typeof exports === 'object' && exports !== null) {
    const target = (exports as Record<string, unknown>)['./zt-plugin'] ?? (exports as Record<string, unknown>)['.'];
    if (typeof target === 'string') return target;
    if (typeof target === 'object' && target !== null) {
      const conditional = target as Record<string, unknown>;
      const chosen = conditional.import ?? conditional.default ?? conditional.node;
      if (typeof chosen === 'string') return chosen;
    }
  } else if (typeof exports === 'string') return exports;
  if (typeof manifest.main === 'string') return manifest.main;
  return 'index.js';
}

/** Finds a configured plugin on disk; not installed / not a plugin: exit 2, naming it and where it was configured. */
export function resolvePlugin(spec: PluginSpec, cwd: string, env: Readonly<Record<string, string | undefined>>): ResolvedPlugin {
  if (isPath(spec.spec)) {
    const path = resolve(cwd, spec.spec);
    if (!existsSync(path)) throw new ZtError('ZT_PLUGIN_NOT_FOUND', `plugin ${spec.spec} (${spec.from}): ${path} does not exist`);
    if (statSync(path).isFile()) return { spec, name: spec.spec, version: '0.0.0', dir: dirname(path), entry: path };
    if (!existsSync(join(path, 'package.json'))) throw new ZtError('ZT_PLUGIN_INVALID', `plugin ${spec.spec} (${spec.from}) is not a zt plugin: ${path} has no package.json`);
    return { spec, dir: path, ...readManifest(path, spec) };
  }
  const roots = searchRoots(cwd, env);
  for (const root of roots) {
    const dir = join(root, ...spec.spec.split('/'));
    if (existsSync(join(dir, 'package.json'))) return { spec, dir, ...readManifest(dir, spec) };
  }
  throw new ZtError('ZT_PLUGIN_NOT_FOUND', `plugin ${spec.spec} (${spec.from}) is not installed: looked in ${roots.join(', ')}`, {
    hint: `Install it: \`npm i -D ${spec.spec}\` in the project, or \`npm i -g ${spec.spec}\`.`,
  });
}
