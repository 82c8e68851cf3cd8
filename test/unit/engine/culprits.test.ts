import { describe, expect, it } from 'vitest';
import { celAst } from '../../../src/engine/cel-ast.js';
import { celEnvironment } from '../../../src/engine/cel-env.js';
import { culpritPath, elementsText, findCulprits } from '../../../src/engine/culprits.js';
import { resourceFieldsRead } from '../../../src/engine/expression-reads.js';
import { programFor, type ParsedExpression } from '../../../src/engine/program.js';
import { fieldPlan } from '../../../src/engine/resource-view.js';
import type { Resource } from '../../../src/inventory/snapshot.js';

const parse = (expression: string): ParsedExpression => {
  const parsed = celEnvironment().parse(expression);
  return { run: parsed, ast: celAst(parsed) };
};

const path = (assert: string, when?: string) => culpritPath(when === undefined ? undefined : parse(when).ast, parse(assert).ast);

function culprits(assert: string, attributes: Record<string, unknown>, derived: Record<string, unknown>[] = [], elementLines?: Record<string, number>) {
  const a = parse(assert);
  const p = culpritPath(undefined, a.ast);
  if (!p) return 'not traced';
  const reads = resourceFieldsRead(a.ast);
  const resource = {
    kind: 'k8s.workload',
    id: 'w',
    name: 'w',
    attributes,
    provenance: { collector: 'test', source: 'test', ...(elementLines ? { elementLines } : {}) },
  } as unknown as Resource;
  const plan = fieldPlan(reads, new Set(derived.flatMap((d) => Object.keys(d))));
  return findCulprits({ program: programFor(undefined, a, reads, 'default'), path: p, now: new Date(0), plan }, resource, derived);
}

const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, env: [], ...extra });

describe('culpritPath: which rules judge a list element by element', () => {
  it.each([
    ['all over one list', 'resource.cs.all(c, c.ok)', { field: 'cs' }],
    ['all over one list, nested all over a named sub-list', 'resource.cs.all(c, c.env.all(e, e.ok))', { field: 'cs', sub: 'env' }],
    ['the list twice, each time through all', 'resource.cs.all(c, c.a) && resource.cs.all(x, x.b)', { field: 'cs' }],
    ['beside other fields', 'resource.x == 1 && resource.cs.all(c, c.ok)', { field: 'cs' }],
    ['two sub-lists (not named one level down)', 'resource.cs.all(c, c.env.all(e, e.ok) && c.envFrom.all(f, f.ok))', { field: 'cs' }],
  ])('%s: %s', (_name, assert, expected) => {
    expect(path(assert)).toEqual(expected);
  });

  it.each([
    ['exists (a pass needs one element, not each)', 'resource.cs.exists(c, c.ok)'],
    ['the list read another way too', 'resource.cs.all(c, c.ok) && size(resource.cs) > 1'],
    ['the list read by the when', 'resource.cs.all(c, c.ok)', 'size(resource.cs) > 0'],
    ['two lists', 'resource.cs.all(c, c.ok) && resource.ds.all(d, d.ok)'],
    ['no list', 'resource.x == 1'],
  ])('not traced: %s', (_name, assert, when?: string) => {
    expect(path(assert, when)).toBeUndefined();
  });
});

describe('findCulprits: the elements a failing rule fails on, by running the rule on each alone', () => {
  it('names each failing element, in the list order, with its manifest line', () => {
    const found = culprits('resource.cs.all(c, c.ok)', { cs: [c('a', { ok: false }), c('b', { ok: true }), c('d', { ok: false })] }, [], { a: 3, d: 9 });
    expect(found).toEqual([
      { field: 'cs', name: 'a', line: 3 },
      { field: 'cs', name: 'd', line: 9 },
    ]);
  });

  it('names the failing sub-elements of a failing element', () => {
    const cs = [c('a', { env: [{ name: 'X', ok: true }, { name: 'P', ok: false }] }), c('b', { env: [{ name: 'Y', ok: true }] })];
    expect(culprits('resource.cs.all(c, c.env.all(e, e.ok))', { cs }, [], { a: 2, 'a/P': 5 })).toEqual([{ field: 'cs', name: 'a', line: 2, elements: [{ field: 'env', name: 'P', line: 5 }] }]);
  });

  it('reads the list from a derived fact before the attribute, as the rule does', () => {
    const found = culprits('resource.cs.all(c, c.ok)', { cs: [c('attr', { ok: false })] }, [{ cs: [c('derived', { ok: false })] }]);
    expect(found).toEqual([{ field: 'cs', name: 'derived' }]);
  });

  it('names nothing when the rule fails with the list empty (the failure is not the elements’)', () => {
    expect(culprits('resource.x == 1 && resource.cs.all(c, c.ok)', { x: 2, cs: [c('a', { ok: false })] })).toBeUndefined();
  });

  it('names nothing when an element has no name', () => {
    expect(culprits('resource.cs.all(c, c.ok)', { cs: [{ ok: false }] })).toBeUndefined();
  });

  it('names nothing when only elements together fail (no single element does)', () => {
    // Not an `all`-only rule, so it is not traced at all.
    expect(culprits('size(resource.cs.filter(c, c.ok)) > 1', { cs: [c('a', { ok: true }), c('b', { ok: false })] })).toBe('not traced');
  });
});

describe('elementsText: what the message gains', () => {
  it.each([
    [[{ field: 'allContainers', name: 'web' }], ' (container "web")'],
    [[{ field: 'allContainers', name: 'web' }, { field: 'allContainers', name: 'init' }], ' (containers "web", "init")'],
    [
      [
        { field: 'allContainers', name: 'web', elements: [{ field: 'env', name: 'A' }, { field: 'env', name: 'B' }] },
        { field: 'allContainers', name: 'side', elements: [{ field: 'env', name: 'C' }] },
      ],
      ' (container "web": env vars A, B; container "side": env var C)',
    ],
  ])('%j', (elements, text) => {
    expect(elementsText(elements)).toBe(text);
  });
});
