import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { ZtError } from '../../../src/errors/zt-error.js';
import { caseKeyLines, readRuleCases } from '../../../src/ruleset/cases.js';
import { tempTree, validRule } from '../../support/temp.js';

// `only:` (ESLint RuleTester's focus) is refused with the file and line, never silently
// ignored and never honoured: a focused case landing in CI would skip every other case.

const user = (login: string, factors: string) =>
  `    resource:\n      name: ${login}\n      attributes:\n        provider: okta\n        tenant: acme.okta.com\n        login: ${login}\n        email: ${login}\n        status: active\n` +
  `        userType: member\n        accountClass: human\n        adminRoles: []\n        privileged: false\n        factors: ${factors}\n        lastSignInAt: 2026-10-01T00:00:00Z\n        createdAt: 2024-01-01T00:00:00Z\n`;

const casesFile = (extra: { valid?: string; invalid?: string } = {}) =>
  'rule: ACME-IDN-1\n' +
  'valid:\n' +
  `  - name: has a factor\n${extra.valid ?? ''}${user('ana@example.com', '[{ type: push, strength: mfa, status: active }]')}` +
  '# a comment line between cases\n' +
  'invalid:\n' +
  `  - name: no factor\n${user('cy@example.com', '[]')}    message: cy@example.com has no factor\n` +
  `  -\n    name: no factor either\n${extra.invalid ?? ''}${user('dee@example.com', '[]')}    message: dee@example.com has no factor\n`;

async function readError(text: string): Promise<ZtError> {
  const file = join(tempTree({ 'a.cases.yaml': text }), 'a.cases.yaml');
  const error = await readRuleCases(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZtError);
  return error as ZtError;
}

describe('only: in a cases file', () => {
  it('is refused with the path and line of the key, true or false', async () => {
    const text = casesFile({ invalid: '    only: true\n' });
    const error = await readError(text);
    expect(error.code).toBe('ZT_CASES_INVALID');
    expect(error.message).toMatch(/^invalid\[1\]\.only: "only" is not supported/);
    expect(error.location?.line).toBe(text.split('\n').indexOf('    only: true') + 1);
    expect(error.hint).toMatch(/zt rules test <rule file>/);

    const first = casesFile({ valid: '    only: false\n' });
    const other = await readError(first);
    expect(other.message).toMatch(/^valid\[0\]\.only:/);
    expect(other.location?.line).toBe(first.split('\n').indexOf('    only: false') + 1);
  });

  it('falls back to the line of the group for flow-style cases', async () => {
    const error = await readError('rule: X-1\nvalid: [{ name: a, only: true, resource: { name: a, attributes: {} } }]\ninvalid: []\n');
    expect(error.message).toMatch(/^valid\[0\]\.only:/);
    expect(error.location?.line).toBe(2);
  });

  it('is not confused with a resource attribute called only', async () => {
    const text = casesFile().replace('        privileged: false\n', '        privileged: false\n        only: true\n');
    const file = join(tempTree({ 'a.cases.yaml': text }), 'a.cases.yaml');
    const cases = await readRuleCases(file);
    expect(cases.valid[0]?.resource.attributes.only).toBe(true);
  });

  it('makes zt rules test exit 2 naming file:line, where without it the cases pass', async () => {
    // Absolute folders: a rule's cases file is found beside its file as the process sees it.
    const ok = tempTree({ 'mfa.yaml': validRule('ACME-IDN-1'), 'mfa.cases.yaml': casesFile() });
    const passing = memoryIo();
    expect(await run(['rules', 'test', ok], passing), passing.out()).toBe(0);
    expect(passing.out()).toMatch(/\n3 passed, 0 failed\n/);

    const text = casesFile({ valid: '    only: true\n' });
    const dir = tempTree({ 'mfa.yaml': validRule('ACME-IDN-1'), 'mfa.cases.yaml': text });
    const io = memoryIo();
    expect(await run(['rules', 'test', dir], io)).toBe(2);
    expect(io.err()).toContain(`${join(dir, 'mfa.cases.yaml')}:4`);
    expect(io.err()).toMatch(/valid\[0\]\.only: "only" is not supported/);
  });
});

describe('caseKeyLines', () => {
  it('records each case and its own keys, not the keys nested in them', () => {
    const lines = caseKeyLines(casesFile());
    expect(lines['valid[0]']).toBe(3);
    expect(lines['valid[0].name']).toBe(3);
    expect(lines['valid[0].resource']).toBe(4);
    expect(lines['valid[0].attributes']).toBeUndefined();
    expect(lines['invalid[0].message']).toBeDefined();
    const text = casesFile();
    expect(lines['invalid[1]']).toBe(text.split('\n').indexOf('  -') + 1);
    expect(lines['invalid[1].name']).toBe(text.split('\n').indexOf('    name: no factor either') + 1);
    expect(lines['invalid[2]']).toBeUndefined();
  });
});
