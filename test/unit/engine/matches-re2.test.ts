import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../src/app/rules.js';
import { celAst } from '../../../src/engine/cel-ast.js';
import { celEnvironment, RE2_MATCHES } from '../../../src/engine/cel-env.js';
import { celOutcome } from '../../../src/engine/cel-run.js';
import { compileFast, NOT_HANDLED } from '../../../src/engine/fast-path.js';
import { matchesCalls, runnableByCel } from '../../../src/engine/matches-re2.js';
import { re2SyntaxProblem } from '../../../src/engine/re2.js';
import { ZtAggregateError } from '../../../src/errors/zt-error.js';
import { tempTree, validRule } from '../../support/temp.js';

const meta = { kind: 'idp.user', id: 'i', name: 'n', source: 's' };
const now = new Date('2026-01-01T00:00:00Z');

/** An expression both ways: the fast path (when it answers) and cel-js as the engine runs it. */
function bothWays(expression: string, resource: Record<string, unknown>): { fast: unknown; cel: unknown } {
  const parsed = celEnvironment().parse(expression);
  const fast = compileFast(celAst(parsed));
  const bindings = { resource, meta, now };
  const outcome = celOutcome(undefined, runnableByCel(expression, parsed), bindings, true);
  return { fast: fast ? fast(bindings) : NOT_HANDLED, cel: outcome.status === 'error' ? outcome.error : outcome.status === 'pass' };
}

// A backtracking engine (JavaScript's RegExp, which cel-js uses for matches) takes minutes
// or more on each of these; RE2 is linear in the text. Nothing here is timed: a test that
// hung would hit vitest's time-out.
describe('matches() runs by RE2, in linear time, the same on the fast path and in cel-js', () => {
  const catastrophic: [string, string, boolean][] = [
    ['^(a+)+$', `${'a'.repeat(37)}!`, false],
    ['^(a+)+$', 'a'.repeat(100_000), true],
    ['(x+x+)+y', 'x'.repeat(5000), false],
    ['(x+x+)+y', `${'x'.repeat(5000)}y`, true],
    ['^(a|a)*$', `${'a'.repeat(5000)}b`, false],
    ['(.*a){20}', 'a'.repeat(30), true],
    ['(.*a){20}', `${'a'.repeat(19)}${'b'.repeat(5000)}`, false],
  ];

  it.each(catastrophic)('literal %s on a long text', (pattern, text, expected) => {
    const { fast, cel } = bothWays(`resource.s.matches(${JSON.stringify(pattern)})`, { s: text });
    expect(fast).toBe(expected);
    expect(cel).toBe(expected);
  });

  it.each(catastrophic)('pattern %s read from resource data', (pattern, text, expected) => {
    const { fast, cel } = bothWays('resource.s.matches(resource.p)', { s: text, p: pattern });
    expect(fast).toBe(expected);
    expect(cel).toBe(expected);
  });

  it('a pattern from data that is not RE2 is an evaluation error, never a pass, a hang or a crash', () => {
    for (const pattern of ['([', '(a)\\1', '(?=a)', '(?<=a)b', 'a++', `${'('.repeat(2000)}`]) {
      const { fast, cel } = bothWays('!resource.s.matches(resource.p)', { s: 'aaa', p: pattern });
      expect(fast, pattern).toBe(NOT_HANDLED);
      expect(cel, pattern).toMatchObject({ code: 'invalid_regular_expression', message: expect.stringMatching(/^matches: invalid RE2 pattern: /) });
      expect((cel as { message: string }).message.length).toBeLessThanOrEqual(300);
    }
  });

  it('has RE2 semantics: a partial match, code points, Perl classes, flags and named groups', () => {
    const cases: [string, string, boolean][] = [
      ['b', 'abc', true], // anywhere in the text, as RE2's PartialMatch
      ['^b', 'abc', false],
      ['^ok.$', 'ok😀', true], // `.` is one code point (a JavaScript RegExp without u sees two units)
      ['^.$', '\r', true], // `.` excludes only \n
      ['a$', 'a\n', false], // `$` is the end of the text only
      ['(?i)^WEB$', 'web', true],
      ['(?s)^a.b$', 'a\nb', true],
      ['^\\pL+$', 'Zürich', true],
      ['^(?P<name>[a-z]+)@(?<host>[a-z.]+)$', 'ana@example.com', true],
      ['^[[:alpha:]]+\\z', 'abc', true],
      ['^\\Qa.b\\E$', 'a.b', true],
      ['^\\Qa.b\\E$', 'axb', false],
    ];
    for (const [pattern, text, expected] of cases) {
      const { fast, cel } = bothWays(`resource.s.matches(${JSON.stringify(pattern)})`, { s: text });
      expect(cel, `${pattern} on ${JSON.stringify(text)}`).toBe(expected);
      expect(fast, pattern).toBe(expected);
    }
  });

  it('refuses what RE2 does not have, at load', () => {
    for (const pattern of ['(a)\\1', '(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', 'a++', 'a{2,1}', 'a{1001}', '\\Z', '\\u0041', '[']) {
      expect(re2SyntaxProblem(pattern), pattern).toBeDefined();
    }
    for (const pattern of ['^a+$', '(?i)x', '\\pL', '(?P<n>a)', '\\x{41}', '[[:digit:]]', '']) expect(re2SyntaxProblem(pattern), pattern).toBeUndefined();
  });
});

describe('cel-js never runs its own matches', () => {
  it('renames every x.matches(p), however it is written, and nothing else', () => {
    const expression = `resource.list.exists(x, (x).matches("a") || x . // a comment naming matches(
      matches ( "b" ) ) && resource.s.matches(resource.s.matches("c") ? "matches" : "d") && resource.matchesField == "matches("`;
    const parsed = celEnvironment().parse(expression);
    expect(matchesCalls(celAst(parsed))).toHaveLength(4);
    const program = runnableByCel(expression, parsed);
    const runs = JSON.stringify(celAst(program));
    expect(runs.match(new RegExp(RE2_MATCHES, 'g'))).toHaveLength(4);
    expect(runs).not.toMatch(/"name":"matches"/);
    // Strings and field names that say "matches" are left as they were.
    expect(program({ resource: { list: ['xbx'], s: 'cmatches', matchesField: 'matches(' }, meta, now })).toBe(true);
  });

  it('says matches in its error messages, as the rule does', () => {
    const expression = 'resource.i.matches("a")';
    const outcome = celOutcome(undefined, runnableByCel(expression, celEnvironment().parse(expression)), { resource: { i: 1n }, meta, now }, true);
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'no_matching_overload', message: expect.stringContaining("'int.matches(string)'") } });
  });

  it('cannot be called by its run-time name from a rule', async () => {
    const root = tempTree({ 'a.yaml': validRule().replace('assert: size(resource.factors) > 0', `assert: resource.login.${RE2_MATCHES}("a")`) });
    const error = await loadRules({ extraPaths: [root], withoutBundled: true }, root).catch((e: unknown) => e);
    expect((error as ZtAggregateError).errors[0]).toMatchObject({ code: 'ZT_RULE_CEL_TYPE' });
  });
});

describe('literal patterns are checked when rules load', () => {
  async function ruleErrors(assert: string) {
    const root = tempTree({ 'a.yaml': validRule().replace('assert: size(resource.factors) > 0', `assert: '${assert}'`) });
    const error = await loadRules({ extraPaths: [root], withoutBundled: true }, root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZtAggregateError);
    return (error as ZtAggregateError).errors.map((e) => ({ code: e.code, file: e.location?.file, line: e.location?.line, message: e.message }));
  }

  it('an invalid pattern is ZT_RULE_REGEX naming file and line, with a caret under the pattern', async () => {
    const errors = await ruleErrors('resource.login.matches("([")');
    expect(errors).toEqual([
      {
        code: 'ZT_RULE_REGEX',
        file: 'a.yaml',
        line: 9,
        message: expect.stringMatching(/^assert: matches: "\(\[" is not an RE2 pattern: missing closing \]/) as string,
      },
    ]);
  });

  it('reports every invalid pattern of an expression, backreferences and lookaround included', async () => {
    const errors = await ruleErrors('resource.login.matches("(a)\\\\1") || resource.factors.exists(f, f.type.matches("(?=x)")) || resource.login.matches("ok")');
    expect(errors.map((e) => e.code)).toEqual(['ZT_RULE_REGEX', 'ZT_RULE_REGEX']);
    expect(errors[0]?.message).toMatch(/invalid escape sequence: `\\1`/);
    expect(errors[1]?.message).toMatch(/invalid or unsupported Perl syntax: `\(\?=`/);
  });

  it('a catastrophic pattern that is valid RE2 loads, and runs in linear time', async () => {
    const root = tempTree({ 'a.yaml': validRule().replace('assert: size(resource.factors) > 0', 'assert: \'!resource.login.matches("^(a+)+$")\'') });
    const { compiled } = await loadRules({ extraPaths: [root], withoutBundled: true }, root);
    expect(compiled).toHaveLength(1);
  });
});
