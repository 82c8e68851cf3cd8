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
  findings: { ruleId: string; status: string; resource: { id: string } }[];
  inventory: { coverage: Record<string, { state: string }>; issues: { code: string }[] };
}

const offlineArgs = [
  '--aws-authorization-details', fixture('gaad-cli.json'),
  '--aws-credential-report', fixture('credential-report.csv'),
  '--aws-account-summary', fixture('account-summary.json'),
  '--aws-password-policy', fixture('password-policy.json'),
  '--aws-virtual-mfa', fixture('virtual-mfa.json'),
];

const failing = (report: JsonReport, ruleId: string) => report.findings.filter((f) => f.ruleId === ruleId && f.status === 'fail').map((f) => f.resource.id).sort();

describe('zt audit / zt collect with AWS IAM', () => {
  it('zt audit on offline exports runs the bundled AWS rules end to end', async () => {
    const { code, stdout, stderr } = await zt(['audit', ...offlineArgs, '-f', 'json']);
    const report = JSON.parse(stdout) as JsonReport;
    expect(stderr).toMatch(/failing finding/);
    expect(code).toBe(1);
    // Root has no MFA in the fixture; alice has a console password and no MFA.
    expect(failing(report, 'ZT-IDN-014')).toEqual(['arn:aws:iam::111122223333:root']);
    const mfaRule = report.findings.find((f) => f.resource.id === 'arn:aws:iam::111122223333:user/alice' && f.status === 'fail');
    expect(mfaRule).toBeDefined();
    // The password policy (8 characters) is weaker than the rule asks.
    expect(failing(report, 'ZT-IDN-019')).toEqual(['arn:aws:iam::111122223333:root']);
  });

  it('zt collect --aws --out writes a snapshot from the live API that zt audit --snapshot reads', async () => {
    server = await startFakeIam(fakeData());
    const dir = tempTree({});
    const out = join(dir, 'snap.json');
    const collected = await zt(['collect', '--aws', '--out', out], fakeEnv(server.url));
    expect(collected.stderr).toMatch(/✔ 17 resources from 1 source\(s\) written/);
    expect(collected.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(out, 'utf8')) as { sources: unknown[]; resources: { kind: string }[] };
    expect(snapshot.sources).toEqual([{ collector: 'aws-iam', source: 'aws:111122223333', mode: 'live', asOf: '2025-06-01T00:00:00.000Z' }]);
    const audited = await zt(['audit', '--snapshot', out, '-f', 'json', '--fail-on', 'none']);
    expect(audited.code).toBe(0);
    const report = JSON.parse(audited.stdout) as JsonReport;
    expect(failing(report, 'ZT-IDN-014')).toEqual(['arn:aws:iam::111122223333:root']);
  });

  it('zt audit --aws live: AccessDenied leaves the affected rules not evaluated, never passed', async () => {
    server = await startFakeIam(fakeData(), { deny: ['GetAccountAuthorizationDetails'] });
    const { stdout, stderr } = await zt(['audit', '--aws', '-f', 'json', '--fail-on', 'none'], fakeEnv(server.url));
    const report = JSON.parse(stdout) as JsonReport & { rules?: unknown };
    expect(report.inventory.coverage['aws.iam.user']).toMatchObject({ state: 'missing' });
    expect(report.inventory.issues.map((i) => i.code)).toContain('ZT_COLLECT_ACCESS_DENIED');
    expect(report.findings.filter((f) => f.resource.id.includes(':user/'))).toEqual([]);
    expect(stderr).not.toMatch(/fakeSecretKeyForTestsOnly/);
  });

  it('an endpoint override that is not a URL is exit 2 naming the variable (it was an API error per call, exit 3)', async () => {
    for (const name of ['AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL']) {
      const { code, stdout, stderr } = await zt(['audit', '--aws', '-f', 'json'], { ...fakeEnv('http://127.0.0.1:9'), [name]: 'not a url' });
      expect(stderr).toMatch(new RegExp(`ZT_USAGE[\\s\\S]*${name} is not an http\\(s\\) URL with a host`));
      expect(stdout).toBe('');
      expect(code).toBe(2);
    }
  });

  it('expired credentials: exit 3 with the profile and what to run', async () => {
    server = await startFakeIam(fakeData(), { everything: 'ExpiredToken' });
    const { code, stdout, stderr } = await zt(['audit', '--aws', '--fail-on', 'none', '-f', 'json'], fakeEnv(server.url));
    expect(stdout + stderr).toMatch(/AWS refused the credentials of the environment credentials \(AWS_ACCESS_KEY_ID\): ExpiredToken/);
    expect(stdout + stderr).toMatch(/Refresh the temporary credentials/);
    expect(code).toBe(3);
  });

  it('a profile that does not exist, and an SSO profile that is not signed in: clear errors naming the profile, exit 3', async () => {
    const dir = tempTree({
      config: '[profile prod-sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
      credentials: '',
    });
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:9' };
    const sso = await zt(['audit', '--profile', 'prod-sso', '--fail-on', 'none', '-f', 'json'], env);
    expect(sso.stdout + sso.stderr).toMatch(/SSO session of profile prod-sso has expired or is missing[\s\S]*aws sso login --profile prod-sso/);
    expect(sso.code).toBe(3);
    const missing = await zt(['audit', '--profile', 'nope', '--fail-on', 'none', '-f', 'json'], env);
    expect(missing.stdout + missing.stderr).toMatch(/profile nope is not in .*config or .*credentials[\s\S]*aws configure list-profiles/);
    expect(missing.code).toBe(3);
  });
});
