import { describe, expect, it } from 'vitest';
import { formatZtError } from '../../../src/cli/format-error.js';
import { ZtAggregateError, ZtError } from '../../../src/errors/zt-error.js';
import { WaiverSet } from '../../../src/waivers/apply.js';
import { parseWaivers } from '../../../src/waivers/load.js';
import { resourceMatcher } from '../../../src/waivers/waiver.js';

const file = `# accepted risks
waivers:
  - rule: ZT-NET-001
    resource: "k8s://prod/legacy/*"
    reason: Legacy billing is replaced in Q1; isolated at the load balancer.
    owner: platform@acme.example
    expires: 2026-12-31
    ticket: https://tickets.acme.example/SEC-1
  - rule: ZT-IDN-001
    resource: okta://acme/user/break-glass
    reason: Break-glass account, password in the safe.
    owner: security@acme.example
    expires: 2026-06-30
`;

function errorOf(text: string): ZtError {
  try {
    parseWaivers(text, '.zt/waivers.yaml');
  } catch (error) {
    if (error instanceof ZtError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('waivers file', () => {
  it('parses waivers with their lines', () => {
    const waivers = parseWaivers(file, 'w.yaml');
    expect(waivers.map((w) => [w.rule, w.line, w.expires, w.ticket])).toEqual([
      ['ZT-NET-001', 3, '2026-12-31', 'https://tickets.acme.example/SEC-1'],
      ['ZT-IDN-001', 9, '2026-06-30', undefined],
    ]);
  });

  it.each([
    ['no reason', file.replace('    reason: Break-glass account, password in the safe.\n', ''), 9, /waivers\[1\]\.reason/],
    ['no owner', file.replace('    owner: platform@acme.example\n', ''), 3, /waivers\[0\]\.owner: .*required/],
    ['no expiry', file.replace('    expires: 2026-06-30\n', ''), 9, /waivers\[1\]\.expires/],
    ['expiry not a date', file.replace('2026-06-30', 'next summer'), 13, /expires must be a date written YYYY-MM-DD/],
    ['expiry not a real day', file.replace('2026-06-30', '2026-02-30'), 13, /not a real calendar date/],
    ['a too-short reason', file.replace('Break-glass account, password in the safe.', 'ok'), 11, /reason is too short \(10 characters at least\)/],
    ['an unknown field', file.replace('    owner: security@acme.example', '    owner: security@acme.example\n    approver: me'), 13, /waivers\[1\]\.approver: not a field of a waiver/],
    ['a misspelt field', file.replace('    owner: security@acme.example', '    owner: security@acme.example\n    expiry: 2026-01-01'), 13, /expiry: not a field of a waiver; did you mean "expires"\?/],
  ])('%s is exit 2 naming the line', (_name, text, line, message) => {
    const error = errorOf(text);
    expect(error.code).toBe('ZT_WAIVERS_INVALID');
    expect(error.exitClass).toBe('usage');
    expect(error.location?.line).toBe(line);
    expect(error.message).toMatch(message);
  });

  it('every problem of the file is reported at once, each with its line', () => {
    const text = file
      .replace('    owner: platform@acme.example\n', '')
      .replace('2026-06-30', 'next summer')
      .replace('Break-glass account, password in the safe.', 'ok');
    const error = errorOf(text);
    expect(error).toBeInstanceOf(ZtAggregateError);
    const problems = (error as ZtAggregateError).errors.map((e) => [e.location?.line, e.message]);
    expect(problems).toEqual([
      [3, expect.stringMatching(/^waivers\[0\]\.owner: owner \(who answers for this waiver\) is required/)],
      [10, expect.stringMatching(/^waivers\[1\]\.reason: reason is too short/)],
      [12, expect.stringMatching(/^waivers\[1\]\.expires: expires must be a date written YYYY-MM-DD/)],
    ]);
    expect(formatZtError(error)).toMatch(/^✖ Waivers file is invalid \(ZT_WAIVERS_INVALID\)\n {2}\.zt\/waivers\.yaml:3: waivers\[0\]\.owner: .*\n {2}\.zt\/waivers\.yaml:10: .*\n {2}\.zt\/waivers\.yaml:12: .*\n {2}hint: /);
  });

  it('a waiver naming a rule that does not exist is an error, with the closest id', () => {
    const error = (() => {
      try {
        parseWaivers(file.replace('rule: ZT-NET-001', 'rule: ZT-NET-01'), 'w.yaml', ['ZT-NET-001', 'ZT-IDN-001']);
      } catch (e) {
        return e as ZtError;
      }
      throw new Error('expected an error');
    })();
    expect(error.code).toBe('ZT_WAIVERS_INVALID');
    expect(error.location?.line).toBe(3);
    expect(error.message).toBe('waivers[0].rule: no rule has the id ZT-NET-01; did you mean "ZT-NET-001"?');
    // Without the run's rules (a file read on its own), ids are not judged.
    expect(parseWaivers(file.replace('rule: ZT-NET-001', 'rule: ZT-NET-01'), 'w.yaml')).toHaveLength(2);
  });

  it('a file that is not a waivers list', () => {
    expect(errorOf('- a\n- b\n').message).toMatch(/must be a mapping with a "waivers:" list/);
    expect(errorOf('waivers: [\n').code).toBe('ZT_WAIVERS_INVALID');
  });
});

describe('applying waivers', () => {
  it('matches exact ids and globs', () => {
    expect(resourceMatcher('k8s://prod/legacy/*')('k8s://prod/legacy/Deployment/app')).toBe(true);
    expect(resourceMatcher('k8s://prod/legacy/*')('k8s://prod/legacy-2/Deployment/app')).toBe(false);
    expect(resourceMatcher('arn:aws:iam::1:user/a?')('arn:aws:iam::1:user/ab')).toBe(true);
    expect(resourceMatcher('arn:aws:iam::1:user/a.b')('arn:aws:iam::1:user/aXb')).toBe(false);
  });

  it('applies until the end of the expiry day at the snapshot time; expired and unused ones are reported', () => {
    const waivers = parseWaivers(file, 'w.yaml');
    const set = new WaiverSet(waivers, '2026-07-01T00:00:00Z', 'w.yaml');
    expect(set.match('ZT-NET-001', 'k8s://prod/legacy/Deployment/app')?.owner).toBe('platform@acme.example');
    expect(set.match('ZT-IDN-001', 'okta://acme/user/break-glass')).toBeUndefined(); // expired on 2026-06-30
    expect(set.match('ZT-IDN-002', 'k8s://prod/legacy/Deployment/app')).toBeUndefined(); // another rule
    const summary = set.summary();
    expect(summary.applied).toBe(1);
    expect(summary.expired.map((w) => [w.rule, w.matched])).toEqual([['ZT-IDN-001', 1]]);
    expect(summary.unused).toEqual([]);
    const onLastDay = new WaiverSet(waivers, '2026-06-30T23:59:59Z');
    expect(onLastDay.match('ZT-IDN-001', 'okta://acme/user/break-glass')).toBeDefined();
    expect(onLastDay.summary().unused.map((w) => w.rule)).toEqual(['ZT-NET-001']);
  });
});
