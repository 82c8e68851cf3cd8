// zt's own lint rules. `zt/layers` enforces the dependency direction of docs/architecture.md:
// each folder of src/ may import only the folders listed for it below. The table is a DAG
// (checked when the rule loads), so folder-level import cycles cannot come back.
import { dirname, relative, resolve, sep } from 'node:path';

/** folder → folders it may import. Lower layers first; a folder may import itself freely. */
export const layers = {
  errors: [],
  files: [],
  model: ['errors'],
  text: ['errors'],
  output: ['text'],
  inventory: ['errors', 'model', 'text', 'files'],
  ruleset: ['errors', 'model', 'text', 'inventory'],
  config: ['errors', 'model', 'text'],
  waivers: ['errors', 'model', 'text'],
  baseline: ['errors', 'model', 'text', 'files'],
  diff: ['errors', 'model', 'text', 'output'],
  analysis: ['errors', 'model', 'text', 'inventory'],
  collectors: ['errors', 'model', 'text', 'inventory', 'config'],
  plugins: ['errors', 'model', 'text', 'inventory', 'ruleset', 'config', 'collectors', 'analysis'],
  engine: ['errors', 'model', 'text', 'inventory', 'ruleset'],
  scoring: ['errors', 'model', 'text', 'inventory', 'ruleset'],
  report: ['errors', 'model', 'text', 'inventory', 'ruleset', 'engine', 'scoring'],
  reporters: ['errors', 'model', 'text', 'output'],
  review: ['errors', 'model', 'text', 'inventory', 'analysis', 'output'],
  network: ['errors', 'model', 'text', 'analysis', 'output', 'reporters'],
  app: ['plugins', 'errors', 'files', 'model', 'text', 'inventory', 'ruleset', 'config', 'waivers', 'baseline', 'diff', 'analysis', 'collectors', 'engine', 'scoring', 'report', 'reporters', 'review', 'network', 'output'],
  cli: ['app', 'plugins', 'errors', 'files', 'model', 'text', 'inventory', 'ruleset', 'config', 'baseline', 'diff', 'analysis', 'collectors', 'scoring', 'report', 'reporters', 'review', 'network', 'output'],
};

function assertAcyclic(table) {
  const state = new Map();
  const visit = (folder, path) => {
    if (state.get(folder) === 'done') return;
    if (state.get(folder) === 'open') throw new Error(`zt/layers: the layer table has a cycle: ${[...path, folder].join(' → ')}`);
    state.set(folder, 'open');
    for (const next of table[folder] ?? []) visit(next, [...path, folder]);
    state.set(folder, 'done');
  };
  for (const folder of Object.keys(table)) visit(folder, []);
}
assertAcyclic(layers);

const srcRoot = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src');

/** The top folder of src/ a file is in ('' for files directly in src/, null outside it). */
function folderOf(file) {
  const rel = relative(srcRoot, file);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : '';
}

const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer table of scripts/eslint-plugin-zt.js (see docs/architecture.md).' },
    schema: [],
    messages: {
      upward: "src/{{from}}/ may not import src/{{to}}/ (allowed: {{allowed}}). Move the shared piece down a layer, or pass it in from the caller.",
      unknown: "src/{{from}}/ is not in the layer table of scripts/eslint-plugin-zt.js: add it with the folders it may import.",
    },
  },
  create(context) {
    const from = folderOf(context.filename);
    if (from === null || from === '') return {};
    if (!(from in layers)) {
      return { Program(node) { context.report({ node, messageId: 'unknown', data: { from } }); } };
    }
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = folderOf(resolve(dirname(context.filename), source));
      if (to === null || to === from) return;
      if (!layers[from].includes(to)) {
        context.report({ node, messageId: 'upward', data: { from, to: to || '(root)', allowed: layers[from].join(', ') || 'none' } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { meta: { name: 'eslint-plugin-zt' }, rules: { layers: layersRule } };
