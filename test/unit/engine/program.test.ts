import { describe, expect, it } from 'vitest';
import { celAst } from '../../../src/engine/cel-ast.js';
import { celEnvironment } from '../../../src/engine/cel-env.js';
import { CelOutcomes } from '../../../src/engine/cel-outcomes.js';
import { resourceFieldsRead } from '../../../src/engine/expression-reads.js';
import { programFor, type EngineMode, type ParsedExpression } from '../../../src/engine/program.js';
import { fieldPlan, ResourceView } from '../../../src/engine/resource-view.js';
import type { Resource } from '../../../src/inventory/snapshot.js';

const parse = (expression: string): ParsedExpression => {
  const parsed = celEnvironment().parse(expression);
  return { run: parsed, ast: celAst(parsed) };
};

function program(assert: string, when?: string, mode: EngineMode = 'default') {
  const a = parse(assert);
  const w = when === undefined ? undefined : parse(when);
  const fromAssert = resourceFieldsRead(a.ast);
  const fromWhen = w ? resourceFieldsRead(w.ast) : new Set<string>();
  const reads = fromAssert && fromWhen ? new Set([...fromWhen, ...fromAssert]) : null;
  return { program: programFor(w, a, reads, mode), reads };
}

const resource = (attributes: Record<string, unknown>): Resource =>
  ({ kind: 'idp.user', id: 'u', name: 'u', attributes, provenance: { collector: 'test', source: 'test' } }) as unknown as Resource;
const view = (attributes: Record<string, unknown>, reads: ReadonlySet<string> | null) =>
  new ResourceView(resource(attributes), [], new Date('2026-01-01T00:00:00Z'), fieldPlan(reads, new Set()));

describe('programFor chooses the strategy once, when the rule is compiled', () => {
  it.each([
    ['a fast expression reading fields only', 'resource.a == "x"', undefined, 'fast → remembered → cel'],
    ['a fast expression reading meta', 'meta.name == "x" || resource.a == "x"', undefined, 'fast → cel'],
    ['the whole resource (nothing to remember by)', 'resource["a"] == "x"', undefined, 'fast → cel'],
    ['an expression only cel-js runs', 'double(resource.n) > 1.5', undefined, 'remembered → cel'],
    ['a when only cel-js runs (the fast path could never answer)', 'resource.a == "x"', 'double(resource.n) > 1.5', 'remembered → cel'],
    ['a fast when before an assert only cel-js runs (a false when still skips)', 'double(resource.n) > 1.5', 'resource.a == "x"', 'fast → remembered → cel'],
    ['meta, and nothing the fast path runs', 'meta.name.endsWith(string(1.5))', undefined, 'cel'],
  ])('%s: %s', (_name, assert, when, strategy) => {
    expect(program(assert, when).program.strategy).toBe(strategy);
    expect(program(assert, when, 'cel').program.strategy).toBe('cel');
  });
});

describe('a program evaluates one resource', () => {
  it('gives the same outcomes with every strategy', () => {
    const cases: [string, string | undefined, Record<string, unknown>][] = [
      ['resource.a == "x"', undefined, { a: 'x' }],
      ['resource.a == "x"', undefined, { a: 'y' }],
      ['resource.a == "x"', undefined, {}],
      ['resource.a == "x"', 'resource.on', { a: 'x', on: false }],
      ['resource.a == "x"', 'resource.on', { a: 'x', on: 'yes' }],
      ['resource.a', undefined, { a: 'x' }],
      ['size(resource.l) > 0', undefined, { l: null }],
    ];
    for (const [assert, when, attributes] of cases) {
      const fast = program(assert, when);
      const cel = program(assert, when, 'cel');
      const remembered = new CelOutcomes();
      const expected = cel.program.evaluate(view(attributes, cel.reads));
      // Twice with remembered outcomes: the second may be recalled.
      expect(fast.program.evaluate(view(attributes, fast.reads), remembered), `${assert} on ${JSON.stringify(attributes)}`).toEqual(expected);
      expect(fast.program.evaluate(view(attributes, fast.reads), remembered)).toEqual(expected);
    }
  });

  it('reports what cannot be evaluated as an error outcome, never a throw', () => {
    const { program: p, reads } = program('resource.a', 'resource.on');
    expect(p.evaluate(view({ on: 'yes', a: true }, reads))).toEqual({ status: 'error', error: { code: 'not_bool', message: 'when returned string, not bool' } });
    expect(p.evaluate(view({ on: true, a: 1 }, reads))).toEqual({ status: 'error', error: { code: 'not_bool', message: 'assert returned bigint, not bool' } });
    expect(p.evaluate(view({ on: false }, reads))).toEqual({ status: 'skip' });
    const missing = program('resource.a == "x"').program.evaluate(view({}, new Set(['a'])));
    expect(missing.status).toBe('error');
    expect(missing.error?.message).toMatch(/No such key: a/);
  });

  it('leaves stack capture as it found it, also after cel-js errors', () => {
    const before = Error.stackTraceLimit;
    program('resource.a == "x"', undefined, 'cel').program.evaluate(view({}, new Set(['a'])));
    expect(Error.stackTraceLimit).toBe(before);
    expect(before).toBeGreaterThan(0);
  });
});
