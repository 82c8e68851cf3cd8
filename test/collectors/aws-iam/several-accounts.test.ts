import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { tempTree } from '../../support/temp.js';
import { fakeData, fakeEnv, fixture, runZt } from './support.js';

let server: FakeIam | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const zt = runZt;

interface JsonReport {
  inventory: { sources: { source: string }[]; issues: { code: string; severity: string; message: string }[]; resourceCount: number };
}

describe('several AWS accounts without Organizations: repeatable --role-arn and --profile', () => {
  it('each --role-arn is assumed and collected; two roles reaching one account audit it once, and say so', async () => {
    server = await startFakeIam(fakeData());
    const roles = ['arn:aws:iam::111122223333:role/zt-audit', 'arn:aws:iam::111122223333:role/zt-audit-2'];
    const { code, stdout } = await zt(['audit', '--role-arn', roles[0] as string, '--role-arn', roles[1] as string, '-f', 'json', '--fail-on', 'none'], fakeEnv(server.url));
    expect(code).toBe(0);
    const assumed = server.requests.filter((r) => r.action === 'AssumeRole').map((r) => r.params.get('RoleArn'));
    expect([...new Set(assumed)].sort()).toEqual(roles);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.sources.map((s) => s.source)).toEqual(['aws:111122223333']);
    const duplicate = report.inventory.issues.filter((i) => i.code === 'ZT_COLLECT_DUPLICATE_TARGET');
    expect(duplicate).toHaveLength(1);
    expect(duplicate[0]?.severity).toBe('info');
    expect(duplicate[0]?.message).toMatch(/role arn:aws:iam::111122223333:role\/zt-audit-2\) reached aws:111122223333, which AWS IAM \(role arn:aws:iam::111122223333:role\/zt-audit\) already collected/);
    // Audited once: the resources of one account, not two copies.
    const single = await zt(['audit', '--role-arn', roles[0] as string, '-f', 'json', '--fail-on', 'none'], fakeEnv(server.url));
    expect(report.inventory.resourceCount).toBe((JSON.parse(single.stdout) as JsonReport).inventory.resourceCount);
  });

  it('several --profile with --role-arn is refused: the roles need one set of credentials to be assumed from', async () => {
    const { code, stderr } = await zt(['audit', '--profile', 'a', '--profile', 'b', '--role-arn', 'arn:aws:iam::111122223333:role/x'], fakeEnv('http://127.0.0.1:9'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--role-arn is assumed from one set of credentials, and 2 profiles were given/);
  });

  it('each --profile is its own collector: a missing one is its own error, the others still run', async () => {
    const { code, stderr } = await zt(['audit', '--profile', 'nope-a', '--profile', 'nope-b', '-f', 'json'], { ...fakeEnv('http://127.0.0.1:9'), AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' });
    expect(code).toBe(3);
    expect(stderr).toMatch(/profile nope-a/);
    expect(stderr).toMatch(/profile nope-b/);
  });

  it('--parallel takes a whole number from 1 to 256', async () => {
    for (const bad of ['0', 'many', '1000', '2.5']) {
      const { code, stderr } = await zt(['audit', '--aws', '--parallel', bad], fakeEnv('http://127.0.0.1:9'));
      expect(code, bad).toBe(2);
      expect(stderr).toMatch(/--parallel .*: expected a whole number from 1 to 256/);
    }
  });
});

describe('several AWS accounts offline: repeatable exports matched by account', () => {
  const other = (name: string): string => readFileSync(fixture(name), 'utf8').split('111122223333').join('444455556666');

  it('two accounts audited together, each its own target with its own credential report, matched by content whatever the order', async () => {
    const dir = tempTree({ 'b-gaad.json': other('gaad-cli.json'), 'b-report.json': otherReport(), 'b-mfa.json': other('virtual-mfa.json') });
    const { code, stdout, stderr } = await zt([
      'audit',
      '--aws-credential-report', join(dir, 'b-report.json'),
      '--aws-authorization-details', fixture('gaad-cli.json'),
      '--aws-authorization-details', join(dir, 'b-gaad.json'),
      '--aws-credential-report', fixture('credential-report.csv'),
      '--aws-virtual-mfa', join(dir, 'b-mfa.json'),
      '-f', 'json', '--fail-on', 'none',
    ]);
    expect(stderr).not.toMatch(/ZT_USAGE|ZT_AWS_EXPORT_INVALID/);
    expect(code).toBe(3); // the account summaries and password policies were not given
    const report = JSON.parse(stdout) as JsonReport & { targets: { source: string; resourceCount: number }[] };
    expect(report.inventory.sources.map((s) => s.source).sort()).toEqual(['aws:111122223333', 'aws:444455556666']);
    expect(report.targets.map((t) => t.source)).toEqual(['aws:111122223333', 'aws:444455556666']);
    const [a, b] = report.targets;
    expect(a?.resourceCount).toBe(b?.resourceCount);
  });

  it('refuses what cannot be matched: two exports of one account, a report of an account with no export, a file naming no account', async () => {
    const dir = tempTree({ 'b-gaad.json': other('gaad-cli.json'), 'b-report.json': otherReport() });
    const cases: [string[], RegExp][] = [
      [['--aws-authorization-details', fixture('gaad-cli.json'), '--aws-authorization-details', join(dir, 'b-gaad.json'), '--aws-account-summary', fixture('account-summary.json')], /account-summary\.json names no account, so it cannot be matched/],
      [['--aws-authorization-details', fixture('gaad-cli.json'), '--aws-authorization-details', fixture('gaad-sdk.json')], /are both exports of account 111122223333/],
      [['--aws-authorization-details', fixture('gaad-cli.json'), '--aws-authorization-details', join(dir, 'b-gaad.json'), '--aws-credential-report', fixture('credential-report.csv'), '--aws-credential-report', fixture('credential-report.json')], /are both the credential report of account 111122223333/],
      [['--aws-authorization-details', fixture('gaad-cli.json'), '--aws-credential-report', join(dir, 'b-report.json')], /is of AWS account 444455556666, but .*gaad-cli\.json is of account 111122223333/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await zt(['audit', ...args, '-f', 'json']);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(message);
    }
  });
});

/** The JSON credential report of the second account: the CSV, account replaced, base64 as `aws iam get-credential-report` gives it. */
function otherReport(): string {
  const json = JSON.parse(readFileSync(fixture('credential-report.json'), 'utf8')) as { Content: string };
  const csv = Buffer.from(json.Content, 'base64').toString('utf8').split('111122223333').join('444455556666');
  return JSON.stringify({ ...json, Content: Buffer.from(csv).toString('base64') });
}
