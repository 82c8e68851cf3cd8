import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../src/app/rules.js';
import { celAst, childrenOf, type CelNode } from '../../../src/engine/cel-ast.js';
import { celEnvironment } from '../../../src/engine/cel-env.js';

const ast = (expression: string): CelNode => celAst(celEnvironment().parse(expression));

/** Every node of a tree, depth first. */
const nodes = (node: CelNode): CelNode[] => [node, ...childrenOf(node).flatMap(nodes)];

/** A compact picture of a tree, to compare shapes. */
function shape(node: CelNode): unknown {
  switch (node.type) {
    case 'literal':
      return typeof node.value === 'bigint' ? `${node.value}n` : node.value;
    case 'ident':
      return node.name;
    case 'select':
      return ['.', shape(node.target), node.field];
    case 'index':
      return ['[]', shape(node.target), shape(node.index)];
    case 'unary':
      return [node.operator, shape(node.operand)];
    case 'binary':
      return [node.operator, shape(node.left), shape(node.right)];
    case 'conditional':
      return ['?:', shape(node.condition), shape(node.then), shape(node.otherwise)];
    case 'list':
      return ['list', ...node.items.map(shape)];
    case 'map':
      return ['map', ...node.entries.map(([k, v]) => [shape(k), shape(v)])];
    case 'call':
      return ['call', node.name, node.receiver ? shape(node.receiver) : null, ...node.args.map(shape)];
    case 'other':
      return ['other', node.op, ...node.children.map(shape)];
  }
}

describe('cel-ast: the typed view of cel-js ASTs', () => {
  it('reads every construct rules use', () => {
    expect(shape(ast('!resource.a && -resource.b < 0 || resource.c[0] in ["x", 1] ? {"k": resource.d}.k == null : false'))).toEqual([
      '?:',
      ['||', ['&&', ['!', ['.', 'resource', 'a']], ['<', ['-', ['.', 'resource', 'b']], '0n']], ['in', ['[]', ['.', 'resource', 'c'], '0n'], ['list', 'x', '1n']]],
      ['==', ['.', ['map', ['k', ['.', 'resource', 'd']]], 'k'], null],
      false,
    ]);
    expect(shape(ast('has(resource.a.b) && resource.l.all(x, x.size() > 1) && cel.bind(y, 2 * 3 % 4, y / 1 != y - 1 + 1)'))).toEqual([
      '&&',
      ['&&', ['call', 'has', null, ['.', ['.', 'resource', 'a'], 'b']], ['call', 'all', ['.', 'resource', 'l'], 'x', ['>', ['call', 'size', 'x'], '1n']]],
      ['call', 'bind', 'cel', 'y', ['%', ['*', '2n', '3n'], '4n'], ['!=', ['/', 'y', '1n'], ['+', ['-', 'y', '1n'], '1n']]],
    ]);
  });

  it('keeps where each node is, for error carets', () => {
    const node = ast('true && resource.abc.de == "x"');
    const select = nodes(node).find((n) => n.type === 'select' && n.field === 'de');
    expect(select && [select.start, select.end]).toEqual([8, 23]);
  });

  it('has a typed node for everything in the bundled rules (nothing left as "other")', async () => {
    const { definitions } = await loadRules({ extraPaths: [] });
    const expressions = definitions.flatMap((d) => (d.when ? [d.when, d.assert] : [d.assert]));
    expect(expressions.length).toBeGreaterThan(100);
    const other = expressions.filter((e) => nodes(ast(e)).some((n) => n.type === 'other'));
    expect(other).toEqual([]);
  });

  it('keeps the sub-expressions of a node it does not know', () => {
    const node = celAst({ ast: { op: 'someday', args: [{ op: 'id', args: 'resource', start: 0, end: 8 }, [{ op: 'value', args: 1n }]] } });
    expect(shape(node)).toEqual(['other', 'someday', 'resource', '1n']);
    expect(() => celAst({ ast: undefined })).toThrow(/without an AST/);
  });
});
