import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { tempTree, validRule } from '../../support/temp.js';

// An invalid case's `message: "/regex/"` that does not compile is the cases file's error
// (ZT_CASES_INVALID, exit 2, with the file), never an internal error of zt.
const user = (login: string, factors: string) =>
  `    resource:\n      name: ${login}\n      attributes:\n        provider: okta\n        tenant: acme.okta.com\n        login: ${login}\n        email: ${login}\n        status: active\n` +
  `        userType: member\n        accountClass: human\n        adminRoles: []\n        privileged: false\n        factors: ${factors}\n        lastSignInAt: 2026-10-01T00:00:00Z\n        createdAt: 2024-01-01T00:00:00Z\n`;

const cases = (message: string) =>
  'rule: ACME-IDN-1\n' +
  `valid:\n  - name: has a factor\n${user('ana@example.com', '[{ type: push, strength: mfa, status: active }]')}` +
  `invalid:\n  - name: no factor\n${user('cy@example.com', '[]')}    message: ${JSON.stringify(message)}\n`;

async function rulesTest(message: string) {
  const root = tempTree({ 'mfa.yaml': validRule('ACME-IDN-1'), 'mfa.cases.yaml': cases(message) });
  const io = memoryIo();
  const code = await run(['rules', 'test', root], io);
  return { code, out: io.out() + io.err() };
}

describe('zt rules test: message patterns', () => {
  it('a pattern that does not compile is ZT_CASES_INVALID naming the file, exit 2', async () => {
    const { code, out } = await rulesTest('/([/');
    expect(out).toMatch(/ZT_CASES_INVALID/);
    expect(out).toMatch(/mfa\.cases\.yaml/);
    expect(out).toMatch(/invalid\[0\]\.message: is written as \/regex\/ but is not a valid regular expression/);
    expect(out).not.toMatch(/ZT_INTERNAL|This is a bug/);
    expect(code).toBe(2);
  });

  it('a valid pattern still matches the message, and a wrong one still fails the case', async () => {
    expect((await rulesTest('/^cy@example\\.com has/')).code).toBe(0);
    expect((await rulesTest('/^nobody/')).code).toBe(1);
  });
});
