import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/analysis/index.js';
import { demoSnapshotFiles } from '../../../src/app/inputs.js';
import { loadRules } from '../../../src/app/rules.js';
import { celAst } from '../../../src/engine/cel-ast.js';
import { celEnvironment } from '../../../src/engine/cel-env.js';
import { compileFast, NOT_HANDLED } from '../../../src/engine/fast-path.js';
import { runnableByCel } from '../../../src/engine/matches-re2.js';
import { fieldPlan, ResourceView } from '../../../src/engine/resource-view.js';
import { toCelValue } from '../../../src/engine/values.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { readSnapshotFile } from '../../../src/inventory/snapshot-file.js';

type Program = (context: Record<string, unknown>) => unknown;
const outcome = (program: Program, context: Record<string, unknown>): { value: unknown } | { error: true } => {
  try {
    return { value: program(context) };
  } catch {
    return { error: true };
  }
};

const fields = {
  s: 'web',
  empty: '',
  n: null,
  i: 3,
  d: 1.5,
  t: true,
  f: false,
  list: ['a', 'b'],
  ints: [1, 2, 3],
  mixed: ['a', 1, null],
  objs: [{ name: 'a', on: true }, { name: 'b', on: false }],
  m: { k: 'v', x: 'y' },
  nested: { inner: { deep: 'z' } },
  emoji: 'ok😀',
  created: '2026-01-01T00:00:00Z',
  times: ['2026-05-31T23:00:00Z', '2026-05-31T23:00:00.5+00:00', '1700-01-01T00:00:00Z', '2026-05-31', '2026-05-31T23:00:00.123456789Z', 'not a timestamp at all!', '0000-01-01T00:00:00Z'],
  big: 2 ** 60,
  // A valid label key that cel-js cannot take in a plain object (values.ts makes it a Map).
  c: { constructor: 'x', k: 'v' },
  lc: [{ constructor: 1 }],
  // Only derived facts could hold undefined: absent for both paths.
  u: { a: undefined, b: 'y' },
};
const meta = { kind: 'k', id: 'i', name: 'n', source: 's' };
// cel-js sees CEL values (whole numbers as BigInt ints); the fast path the fields as they are.
const now = new Date('2026-06-01T00:00:00Z');
const context = { resource: toCelValue(fields), meta, now };
const raw = { resource: fields, meta, now };

const answered = new Set<string>();

describe('fast path: same answers as cel-js, or none', () => {
  const env = celEnvironment();
  it.each([
    'resource.s == "web"',
    'resource.s != "api" && resource.t',
    'resource.f || resource.i > 2',
    '!resource.f',
    'resource.n == null',
    'resource.s != null',
    'resource.list != null',
    'resource.i == 3',
    'resource.i >= 3 && resource.i < 4',
    'resource.d > 1.0',
    'resource.i == 3.0',
    '"a" in resource.list',
    '"k" in resource.m',
    '"toString" in resource.m',
    '1 in resource.mixed',
    'size(resource.list) == 2',
    'resource.list.size() > 1',
    'size(resource.emoji) == 3',
    'size(resource.m) == 2',
    'has(resource.s)',
    'has(resource.absent)',
    'has(resource.nested.inner)',
    'resource.nested.inner.deep == "z"',
    'resource.absent == "x"',
    'resource.f && resource.absent == "x"',
    'resource.t || resource.absent == "x"',
    'resource.absent == "x" || resource.t',
    'resource.objs.all(o, o.name != "")',
    'resource.objs.exists(o, o.on)',
    'resource.objs.exists_one(o, o.on)',
    'resource.objs.filter(o, o.on).size() == 1',
    'resource.objs.map(o, o.name) == ["a", "b"]',
    'resource.ints.all(x, x > 0)',
    'resource.mixed.all(x, x != "z")',
    'resource.m.all(k, k != "q")',
    'resource.list[0] == "a"',
    'resource.list[5] == "a"',
    'resource.m["k"] == "v"',
    'resource.s.startsWith("we") && resource.s.endsWith("b") && resource.s.contains("e")',
    'resource.s + "-x" == "web-x"',
    'resource.i + 1 == 4',
    'resource.t ? resource.s == "web" : false',
    'timestamp(resource.created) < now',
    'now - timestamp(resource.created) > duration("720h")',
    'now - timestamp(resource.created) <= duration("3600h") && now - timestamp(resource.created) >= duration("60m")',
    'resource.times.all(t, now - timestamp(t) < duration("2h"))',
    'resource.times.exists(t, now - timestamp(t) < duration("2h"))',
    'resource.times.map(t, now - timestamp(t) < duration("90000s"))',
    '[resource.times[0], resource.times[1], resource.times[2]].map(t, timestamp(t) > timestamp("1969-12-31T23:59:59.999Z"))',
    'timestamp(resource.n) < now',
    'timestamp(resource.s) < now',
    'now - timestamp(resource.created) < duration("1.5h")',
    'now - timestamp(resource.created) < duration("-2h")',
    'now - now < duration("1ms") && now - now >= duration("0s")',
    'resource.n in ["a", "b"] && !(resource.n in resource.list) && resource.n in resource.mixed',
    '"a" in resource.mixed && !("z" in resource.mixed) && resource.t in [1, "t", true]',
    'resource.i in resource.objs',
    'resource.s.matches("^w")',
    'resource.s > "a"',
    'resource.s == resource.i',
    'resource.objs.exists(o, o.name == "b" && o.on)',
    'resource.s.matches("^w[a-z]+$")',
    'resource.s.matches("(")',
    'resource.s.matches(resource.list[0]) && !resource.s.matches(resource.list[1])',
    'resource.s.matches(resource.n)',
    'resource.s.matches("(?i)^WEB$") && resource.emoji.matches("^ok.$") && !resource.s.matches("^w\\\\z")',
    'resource.s.lowerAscii() == "web" && "ÄB".lowerAscii() == "äb"',
    'resource.s.substring(1) == "eb" && resource.s.substring(0, 2) == "we"',
    'resource.s.substring(2, 1) == ""',
    'resource.emoji.substring(1) == "k😀"',
    'resource.s.lastIndexOf("b") == 2 && resource.s.indexOf("z") == -1',
    'cel.bind(x, resource.i, x > 2 && x != null)',
    'cel.bind(x, resource.n, x != 0 && (x == null || x > 0))',
    'resource.list + resource.ints == ["a", "b", 1, 2, 3]',
    '(resource.objs + resource.objs).all(o, has(o.name))',
    'resource.i - 5 == -2',
    'resource.t == resource.n',
    'resource.big > 1',
    'resource.big + 1 > 1',
    'resource.d == 1.5',
    'resource.i > 2.5',
    'resource.ints.exists(x, x == 2)',
    '2 in resource.ints',
    'resource.c.k == "v" && "k" in resource.c && size(resource.c) == 2 && has(resource.c.k)',
    'resource.c.all(k, k != "") && resource.c != null && resource.c.constructor == "x"',
    'size(resource.lc) == 1',
    '"a" in resource.u',
    'size(resource.u) == 1 && !has(resource.u.a) && resource.u.all(k, k == "b")',
  ])('%s', (expression) => {
    const parsed = env.parse(expression);
    // cel-js as the engine runs it (matches by RE2: matches-re2.ts).
    const expected = outcome(runnableByCel(expression, parsed), context);
    const fast = compileFast(celAst(parsed));
    if (!fast) return; // only cel-js runs it
    const got = fast(raw);
    if (got === NOT_HANDLED) return;
    expect(expected).toEqual({ value: got });
    answered.add(expression);
  });

  it('compiles the common shapes and leaves the rest to cel-js', () => {
    const compiled = (e: string) => compileFast(celAst(env.parse(e))) !== null;
    expect(compiled('resource.objs.all(o, o.name != "" && "x" in resource.list)')).toBe(true);
    expect(compiled('timestamp(resource.created) < now')).toBe(true);
    expect(compiled('now - timestamp(resource.created) < duration("1h30m")')).toBe(false);
    expect(compiled('resource.s.matches("^w") && cel.bind(x, resource.i, x > 1)')).toBe(true);
    expect(compiled('{"a": 1}.size() == 1')).toBe(false);
    const fast = compileFast(celAst(env.parse('resource.absent == "x"')));
    expect(fast?.(raw)).toBe(NOT_HANDLED);
  });

  it('answers most of the table itself (the rest is left to cel-js)', () => {
    expect(answered.size).toBeGreaterThan(40);
    // Timestamps, durations and membership in mixed lists are answered here, not only deferred.
    for (const expression of [
      'now - timestamp(resource.created) > duration("720h")',
      'resource.times.exists(t, now - timestamp(t) < duration("2h"))',
      '[resource.times[0], resource.times[1], resource.times[2]].map(t, timestamp(t) > timestamp("1969-12-31T23:59:59.999Z"))',
      'now - now < duration("1ms") && now - now >= duration("0s")',
      'resource.n in ["a", "b"] && !(resource.n in resource.list) && resource.n in resource.mixed',
      '"a" in resource.mixed && !("z" in resource.mixed) && resource.t in [1, "t", true]',
    ]) {
      expect(answered, expression).toContain(expression);
    }
  });

  // Whole rules, fast path against cel-js only, are compared in differential.test.ts.
  it('gives the value of cel-js for every bundled rule expression it answers on the demo organisation, and answers most', async () => {
    const { compiled } = await loadRules({ extraPaths: [] });
    const snapshot = mergeSnapshots(await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f))));
    const inventory = new InventoryIndex(snapshot);
    const facts = analyse(inventory);
    const now = new Date(snapshot.collectedAt as string);
    let compared = 0;
    let answeredFast = 0;
    for (const rule of compiled) {
      const expressions = [rule.definition.when, rule.definition.assert]
        .filter((e) => e !== undefined)
        .map((e) => ({ e, parsed: env.parse(e) }))
        .map(({ e, parsed }) => ({ parsed: runnableByCel(e, parsed), fast: compileFast(celAst(parsed)) }));
      for (const r of inventory.ofKind(rule.definition.kind)) {
        const view = new ResourceView(r, facts.partsOf(r), now, fieldPlan(rule.reads, rule.derivedFields));
        for (const { parsed, fast } of expressions) {
          compared++;
          const value = fast ? fast(view.raw) : NOT_HANDLED;
          if (value === NOT_HANDLED) continue;
          answeredFast++;
          expect(outcome(parsed, view.bindings()), `${rule.definition.id} on ${r.id}`).toEqual({ value });
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // The point of the fast path: it answers most evaluations on real-shaped data.
    expect(answeredFast / compared).toBeGreaterThan(0.8);
  });
});
