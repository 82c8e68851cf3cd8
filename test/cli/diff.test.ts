import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { idpUser, smallSnapshot } from '../support/snapshots.js';
import { tempTree, validRule } from '../support/temp.js';

const base = smallSnapshot().resources as unknown[];
const [ana, bo] = base;
const cyFixed = idpUser('cy@example.com', [{ type: 'push', strength: 'mfa' }]);
const dee = idpUser('dee@example.com', []);
const eve = idpUser('eve@example.com', []);
const waive = (who: string, expires: string) => `waivers:
  - rule: ACME-IDN-1
    resource: okta://acme.okta.com/user/${who}
    reason: Accepted for the migration window.
    owner: it@acme.example
    expires: ${expires}
`;

async function zt(argv: string[], cwd: string) {
  const io = memoryIo({ cwd });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('zt diff', () => {
  it('buckets findings, rules and stages between two reports', async () => {
    const dir = tempTree({
      'rules-old/mfa.yaml': validRule('ACME-IDN-1'),
      'rules-old/gone.yaml': validRule('ACME-IDN-9'),
      'rules-new/mfa.yaml': validRule('ACME-IDN-1'),
      'rules-new/added.yaml': validRule('ACME-IDN-2'),
      'old.json': JSON.stringify(smallSnapshot({ resources: [ana, bo, idpUser('cy@example.com', []), eve, idpUser('fay@example.com', [])] })),
      'new.json': JSON.stringify(smallSnapshot({ resources: [ana, bo, cyFixed, eve, dee, idpUser('fay@example.com', [])] })),
      'w-old.yaml': waive('fay@example.com', '2026-12-31'),
      'w-new.yaml': waive('eve@example.com', '2026-12-31'),
    });
    const audit = async (snapshot: string, rules: string, waivers: string, out: string) => {
      const r = await zt(['audit', '--snapshot', snapshot, '--rules', rules, '--only-rules', '--waivers', waivers, '-f', 'json', '--fail-on', 'none'], dir);
      expect(r.code).toBe(0);
      writeFileSync(join(dir, out), r.stdout);
    };
    await audit('old.json', 'rules-old', 'w-old.yaml', 'r1.json');
    await audit('new.json', 'rules-new', 'w-new.yaml', 'r2.json');

    const json = await zt(['diff', 'r1.json', 'r2.json', '-f', 'json'], dir);
    expect(json.code).toBe(0);
    const diff = JSON.parse(json.stdout);
    const names = (bucket: { resourceName: string }[]) => bucket.map((f) => f.resourceName);
    expect(names(diff.findings.newFailures)).toEqual(['dee@example.com']);
    expect(diff.findings.addedRuleFailures.map((f: { ruleId: string; resourceName: string }) => `${f.ruleId} ${f.resourceName}`)).toEqual([
      'ACME-IDN-2 dee@example.com',
      'ACME-IDN-2 eve@example.com',
      'ACME-IDN-2 fay@example.com',
    ]);
    expect(names(diff.findings.fixed)).toEqual(['cy@example.com']);
    expect(names(diff.findings.newlyWaived)).toEqual(['eve@example.com']);
    expect(names(diff.findings.waiverExpired)).toEqual(['fay@example.com']);
    expect(diff.rules).toEqual({ added: ['ACME-IDN-2'], removed: ['ACME-IDN-9'], notEvaluatedNow: [], evaluatedAgain: [] });

    const table = await zt(['diff', 'r1.json', 'r2.json'], dir);
    expect(table.stdout).toMatch(/New failures \(1\)\n┌─+┬─+┬─+┐\n│ rule +│ resource +│ message +│\n├[─┼]+┤\n│ ACME-IDN-1 +│ dee@example\.com +│/);
    // Fitted to the terminal: no line wider than its columns, at 60 and at 200.
    for (const columns of [60, 200]) {
      const io = memoryIo({ columns, cwd: dir });
      await run(['diff', 'r1.json', 'r2.json'], io);
      expect(Math.max(...io.out().split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(columns);
    }
    const markdown = await zt(['diff', 'r1.json', 'r2.json', '-f', 'markdown'], dir);
    expect(markdown.stdout).toMatch(/^## zt: changes since/);
    expect(markdown.stdout).toMatch(/### New failures \(1\)\n\n- `ACME-IDN-1` \*\*dee@example\.com\*\*/);
  });

  it('a check that can no longer run is neither fixed nor failing; stage changes are listed', async () => {
    const dir = tempTree({
      'rules/mfa.yaml': validRule('ACME-IDN-1'),
      'a.json': JSON.stringify(smallSnapshot()),
      'b.json': JSON.stringify(smallSnapshot({ coverage: {}, resources: [] })),
    });
    for (const [snap, out] of [['a.json', 'r1.json'], ['b.json', 'r2.json']]) {
      const r = await zt(['audit', '--snapshot', snap as string, '--rules', 'rules', '--only-rules', '-f', 'json', '--fail-on', 'none'], dir);
      writeFileSync(join(dir, out as string), r.stdout);
    }
    const diff = JSON.parse((await zt(['diff', 'r1.json', 'r2.json', '-f', 'json'], dir)).stdout);
    expect(diff.findings.fixed).toEqual([]);
    expect(diff.findings.unverified.map((f: { resourceName: string }) => f.resourceName)).toEqual(['cy@example.com']);
    expect(diff.rules.notEvaluatedNow).toEqual(['ACME-IDN-1']);
    expect(diff.stages.rows).toEqual([{ id: 'identity.authentication', from: 'traditional', to: 'not_assessed', direction: 'down' }]);
  });

  it('a failure gone while its kind was read only partly is unverified, not fixed', async () => {
    const partial = { 'idp.user': { state: 'partial', reason: 'api_error' } };
    const dir = tempTree({
      'rules/mfa.yaml': validRule('ACME-IDN-1'),
      'a.json': JSON.stringify(smallSnapshot()),
      // cy@example.com was not read this time (its page failed); ana and bo were.
      'b.json': JSON.stringify(smallSnapshot({ coverage: partial, resources: [ana, bo] })),
      'c.json': JSON.stringify(smallSnapshot({ resources: [ana, bo, cyFixed] })),
    });
    for (const [snap, out] of [['a.json', 'r1.json'], ['b.json', 'r2.json'], ['c.json', 'r3.json']]) {
      const r = await zt(['audit', '--snapshot', snap as string, '--rules', 'rules', '--only-rules', '-f', 'json', '--fail-on', 'none', '--allow-incomplete'], dir);
      writeFileSync(join(dir, out as string), r.stdout);
    }
    const gone = JSON.parse((await zt(['diff', 'r1.json', 'r2.json', '-f', 'json'], dir)).stdout);
    expect(gone.findings.fixed).toEqual([]);
    expect(gone.findings.unverified.map((f: { resourceName: string }) => f.resourceName)).toEqual(['cy@example.com']);
    // Read completely and passing: fixed.
    const fixed = JSON.parse((await zt(['diff', 'r1.json', 'r3.json', '-f', 'json'], dir)).stdout);
    expect(fixed.findings.fixed.map((f: { resourceName: string }) => f.resourceName)).toEqual(['cy@example.com']);
  });

  it('refuses files that are not zt reports (exit 2)', async () => {
    const dir = tempTree({ 'snap.json': JSON.stringify(smallSnapshot()), 'rules/mfa.yaml': validRule('ACME-IDN-1'), 'b.json': '[]', 'c.json': 'nope', 'd.json': '{"tool":{"name":"zt"},"schemaVersion":1,"findings":[]}' });
    const audited = await zt(['audit', '--snapshot', 'snap.json', '--rules', 'rules', '--only-rules', '-f', 'json', '--fail-on', 'none'], dir);
    writeFileSync(join(dir, 'a.json'), audited.stdout);
    expect((await zt(['diff', 'a.json', 'b.json'], dir)).stderr).toMatch(/b\.json is not a zt report/);
    const bare = await zt(['diff', 'a.json', 'd.json'], dir);
    expect(bare.stderr).toMatch(/d\.json:1:\d+: tool\.version: .*expected string.* \(and 4 more problems\)/);
    expect(bare.code).toBe(2);
    const bad = await zt(['diff', 'a.json', 'c.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/c\.json is not JSON/);
  });

  // #15: a finding with `status: "sideways"` was read and counted as fixed. Reports are checked
  // against the enumerations docs/report-format.md documents: exit 2 naming the file, line and path.
  it.each<[string, (report: any) => void, string, RegExp]>([
    ['a finding status outside the documented ones', (r) => void (r.findings[0].status = 'sideways'), 'findings[0].status', /"status": "sideways"/],
    ['a rule result status outside them', (r) => void (r.ruleResults[0].status = 'fine'), 'ruleResults[0].status', /"status": "fine"/],
    ['a stage outside them', (r) => void (r.score.pillars[0].rows[0].stage = 'expert'), 'score.pillars[0].rows[0].stage', /"stage": "expert"/],
    ['a fingerprint that is not one', (r) => void (r.findings[0].fingerprint = 42), 'findings[0].fingerprint', /"fingerprint": 42/],
    ['a collection time that is not a date-time', (r) => void (r.inventory.collectedAt = 'last tuesday'), 'inventory.collectedAt', /"collectedAt": "last tuesday"/],
  ])('%s is exit 2 ZT_REPORT_INVALID naming the file, line and path; nothing is compared', async (_name, edit, path, atLine) => {
    const dir = tempTree({ 'snap.json': JSON.stringify(smallSnapshot()), 'rules/mfa.yaml': validRule('ACME-IDN-1') });
    const audited = await zt(['audit', '--snapshot', 'snap.json', '--rules', 'rules', '--only-rules', '-f', 'json', '--fail-on', 'none'], dir);
    writeFileSync(join(dir, 'old.json'), audited.stdout);
    const report = JSON.parse(audited.stdout);
    edit(report);
    const text = `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(join(dir, 'new.json'), text);
    for (const args of [['diff', 'old.json', 'new.json'], ['baseline', 'create', '--from-report', 'new.json', '--out', 'b.json']]) {
      const { code, stdout, stderr } = await zt(args, dir);
      expect(stderr).toMatch(/✖ Not a zt JSON report \(ZT_REPORT_INVALID\)/);
      const line = text.split('\n').findIndex((l) => atLine.test(l)) + 1;
      expect(stderr).toContain(`${join(dir, 'new.json')}:${line}:`);
      expect(stderr).toContain(`: ${path}: `);
      expect(stdout).toBe('');
      expect(code).toBe(2);
    }
  });
});
