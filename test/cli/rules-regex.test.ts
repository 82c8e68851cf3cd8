import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree, validRule } from '../support/temp.js';

async function zt(argv: string[], env: Record<string, string> = {}, cwd?: string) {
  const io = memoryIo({ env, ...(cwd ? { cwd } : {}) });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const withAssert = (assert: string) => validRule().replace('assert: size(resource.factors) > 0', `assert: ${assert}`);

// #15 item 6: regular expressions could hang zt (a JavaScript RegExp backtracks).
describe('zt rules and matches()', () => {
  it('validate refuses a pattern that is not RE2, exit 2, naming file:line', async () => {
    const root = tempTree({ 'bad.yaml': withAssert('resource.login.matches("([")'), 'ok.yaml': validRule('ACME-IDN-2') });
    const { code, stderr } = await zt(['rules', 'validate', root], {}, root);
    expect(code).toBe(ExitCode.INVALID_INPUT);
    expect(stderr).toMatch(/bad\.yaml:9: assert: matches: "\(\[" is not an RE2 pattern: missing closing \]/);
    expect(stderr).toMatch(/\[ZT_RULE_REGEX\]/);
    expect(stderr).not.toMatch(/ok\.yaml/);
  });

  it('validate refuses backreferences and lookaround, which RE2 does not have', async () => {
    const root = tempTree({
      'backref.yaml': withAssert(`'resource.login.matches("(a)\\\\1")'`),
      'lookahead.yaml': validRule('ACME-IDN-2').replace('assert: size(resource.factors) > 0', 'assert: resource.login.matches("^(?!admin)")'),
    });
    const { code, stderr } = await zt(['rules', 'validate', root], {}, root);
    expect(code).toBe(ExitCode.INVALID_INPUT);
    expect(stderr).toMatch(/backref\.yaml:9: .*invalid escape sequence/);
    expect(stderr).toMatch(/lookahead\.yaml:9: .*invalid or unsupported Perl syntax: `\(\?!`/);
  });

  it('a catastrophic pattern, literal or read from the resource, runs to the right answer; an invalid one from data is an error case', async () => {
    const long = `${'a'.repeat(37)}!`;
    const rule = withAssert(`'!meta.name.matches("^(a+)+$") && !resource.login.matches(resource.tenant)'`);
    const user = `{ provider: okta, tenant: "^(x+x+)+y", login: ana, email: null, status: active, userType: member, accountClass: human, adminRoles: [], privileged: false, factors: [], lastSignInAt: null, createdAt: null }`;
    const cases = `rule: ACME-IDN-1
valid:
  - name: long names do not match
    resource: { name: "${long}", attributes: { <<: ${user}, login: "${'x'.repeat(5000)}" } }
invalid:
  - name: a name of a's matches
    resource: { name: "${'a'.repeat(2000)}", attributes: ${user} }
    message: "ana has no factor"
  - name: a login the tenant's pattern matches
    resource: { name: ana, attributes: { <<: ${user}, login: "${'x'.repeat(5000)}y" } }
    message: "/has no factor$/"
errors:
  - name: a pattern from data that is not RE2
    resource: { name: ana, attributes: { <<: ${user}, tenant: "(a)\\\\1" } }
    code: invalid_regular_expression
`;
    const root = tempTree({ 'a.yaml': rule, 'a.cases.yaml': cases });
    for (const env of [{}, { ZT_ENGINE: 'cel' }] as Record<string, string>[]) {
      const { code, stdout, stderr } = await zt(['rules', 'test', root], env);
      expect(stderr, JSON.stringify(env)).toBe('');
      expect(stdout).toMatch(/\n4 passed, 0 failed\n$/);
      expect(code).toBe(ExitCode.OK);
    }
  });
});
