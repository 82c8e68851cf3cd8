import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { tempTree } from '../../support/temp.js';

// An invalid case's `elements:` asserts the containers (and env vars) its finding names,
// as the audit finds them (engine/culprits.ts): a wrong or missing name fails the case.
const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const privileged = { rule: read('rules/applications/k8s-workload-no-privileged-containers.yaml'), cases: read('fixtures/rules/applications/k8s-workload-no-privileged-containers.cases.yaml') };
const literal = { rule: read('rules/data/k8s-workload-no-literal-credential-env.yaml'), cases: read('fixtures/rules/data/k8s-workload-no-literal-credential-env.cases.yaml') };

async function rulesTest(rule: string, cases: string) {
  const root = tempTree({ 'rule.yaml': rule, 'rule.cases.yaml': cases });
  const io = memoryIo();
  const code = await run(['rules', 'test', `${root}/rule.yaml`], io);
  return { code, out: io.out() + io.err() };
}

describe('zt rules test: elements of a finding', () => {
  it('the bundled cases pass as written', async () => {
    expect((await rulesTest(privileged.rule, privileged.cases)).code).toBe(0);
    expect((await rulesTest(literal.rule, literal.cases)).code).toBe(0);
  });

  it('a container the finding does not name fails the case, saying what it named', async () => {
    const wrong = privileged.cases.replace('elements: [sysctl]', 'elements: [app]');
    expect(wrong).not.toBe(privileged.cases);
    const { code, out } = await rulesTest(privileged.rule, wrong);
    expect(code).toBe(1);
    expect(out).toMatch(/the finding names "sysctl", expected "app"/);
  });

  it('env vars within a container are asserted too, in order; [] asserts none', async () => {
    const line = /elements: \[\{ name: app, elements: \[DB_PASSWORD\] \}\]/;
    expect(literal.cases).toMatch(line);
    const other = await rulesTest(literal.rule, literal.cases.replace(line, 'elements: [{ name: app, elements: [DB_USER] }]'));
    expect(other.code).toBe(1);
    expect(other.out).toMatch(/the finding names "app" \(DB_PASSWORD\), expected "app" \(DB_USER\)/);
    const none = await rulesTest(literal.rule, literal.cases.replace(line, 'elements: []'));
    expect(none.out).toMatch(/expected no elements/);
  });

  it('an element written in a shape the file does not allow is the cases file\'s error (exit 2)', async () => {
    const { code, out } = await rulesTest(privileged.rule, privileged.cases.replace('elements: [sysctl]', 'elements: [{ container: sysctl }]'));
    expect(code).toBe(2);
    expect(out).toMatch(/ZT_CASES_INVALID/);
  });
});
