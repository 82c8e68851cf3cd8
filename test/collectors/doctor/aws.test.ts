import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalOf } from '../../../src/collectors/aws-iam/doctor.js';
import { awsReads } from '../../../src/collectors/aws-iam/reads.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { tempTree } from '../../support/temp.js';
import { fakeData, fakeEnv } from '../aws-iam/support.js';

// `zt doctor --aws` at the wire: the real AWS SDK clients (STS GetCallerIdentity, IAM
// SimulatePrincipalPolicy and the read calls) against the fake IAM/STS server.

let servers: FakeIam[] = [];
const start = async (options: Parameters<typeof startFakeIam>[1] = {}): Promise<FakeIam> => {
  const server = await startFakeIam(fakeData(), options);
  servers.push(server);
  return server;
};
let root: string;
beforeAll(() => {
  root = tempTree({ 'empty-config': '' });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function zt(argv: string[], env: Record<string, string>) {
  const io = memoryIo({ env: { HOME: '/nonexistent-home', AWS_EC2_METADATA_DISABLED: 'true', ...env }, columns: 120 });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

interface Report {
  ready: boolean;
  sources: { target: string; credential: { status: string; found: string; detail?: string; fix?: string }; api: { status: string; call: string; latencyMs?: number }; checks: { check: string; status: string; grant?: string; detail?: string }[] }[];
}
const report = (stdout: string) => (JSON.parse(stdout) as Report).sources[0]!;
const baseActions = awsReads.filter((r) => !('optIn' in r)).map((r) => `iam:${r.action}`);

describe('the principal a simulation is for', () => {
  it.each([
    ['arn:aws:sts::111122223333:assumed-role/ZtReader/botocore-session-1', 'arn:aws:iam::111122223333:role/ZtReader'],
    ['arn:aws-us-gov:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_abc/dana@acme.example', 'arn:aws-us-gov:iam::111122223333:role/AWSReservedSSO_ReadOnly_abc'],
    ['arn:aws:iam::111122223333:user/ops/auditor', 'arn:aws:iam::111122223333:user/ops/auditor'],
  ])('%s → %s', (caller, principal) => {
    expect(principalOf(caller)).toBe(principal);
  });
});

describe('zt doctor --aws', () => {
  it('everything granted: exit 0, the chain step, the caller, every action simulated for it', async () => {
    const iam = await start();
    const { code, stdout, stderr } = await zt(['doctor', '--aws', '-f', 'json'], fakeEnv(iam.url));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const aws = report(stdout);
    expect(aws.credential).toEqual({ status: 'ok', found: 'environment variables (AWS_ACCESS_KEY_ID): arn:aws:iam::111122223333:user/auditor' });
    expect(aws.api).toMatchObject({ status: 'ok', call: 'sts:GetCallerIdentity' });
    expect(aws.checks.map((c) => c.check)).toEqual(baseActions);
    expect(aws.checks.every((c) => c.status === 'ok')).toBe(true);
    expect(iam.simulated).toEqual(['arn:aws:iam::111122223333:user/auditor']);
    expect(stdout).not.toContain('fakeSecretKeyForTestsOnly');
  });

  it('--aws-last-accessed adds the Access Advisor actions', async () => {
    const iam = await start();
    const { code, stdout } = await zt(['doctor', '--aws', '--aws-last-accessed', '-f', 'json'], fakeEnv(iam.url));
    expect(code).toBe(0);
    expect(report(stdout).checks.map((c) => c.check)).toEqual(awsReads.map((r) => `iam:${r.action}`));
  });

  it('missing actions: exit 3, each gap named with the IAM statement to add', async () => {
    const iam = await start({ deny: ['GetAccountSummary', 'ListMFADevices'] });
    const { code, stdout } = await zt(['doctor', '--aws', '-f', 'json'], fakeEnv(iam.url));
    expect(code).toBe(3);
    const missing = report(stdout).checks.filter((c) => c.status !== 'ok');
    expect(missing.map((c) => [c.check, c.status, c.grant])).toEqual([
      ['iam:GetAccountSummary', 'missing', 'IAM policy statement {"Effect": "Allow", "Action": "iam:GetAccountSummary", "Resource": "*"}'],
      ['iam:ListMFADevices', 'missing', 'IAM policy statement {"Effect": "Allow", "Action": "iam:ListMFADevices", "Resource": "*"}'],
    ]);
    expect(missing[0]?.detail).toBe('simulated for arn:aws:iam::111122223333:user/auditor: implicitDeny');
    const table = await zt(['doctor', '--aws'], fakeEnv(iam.url));
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(/✖ iam:GetAccountSummary +missing\n.*implicitDeny\n +grant: IAM policy statement \{"Effect": "Allow", "Action": "iam:GetAccountSummary", "Resource": "\*"\}/);
  });

  it('no iam:SimulatePrincipalPolicy: each action is tried with its cheapest call (AccessDenied is a gap, NoSuchEntity is not)', async () => {
    const iam = await start({ deny: ['SimulatePrincipalPolicy', 'GetAccountSummary'] });
    const { code, stdout } = await zt(['doctor', '--aws', '-f', 'json'], fakeEnv(iam.url));
    expect(code).toBe(3);
    const checks = report(stdout).checks;
    expect(checks.filter((c) => c.status !== 'ok').map((c) => [c.check, c.status])).toEqual([['iam:GetAccountSummary', 'missing']]);
    expect(checks.find((c) => c.check === 'iam:GetPolicy')?.detail).toMatch(/^tried \(iam:SimulatePrincipalPolicy on arn:aws:iam::111122223333:user\/auditor not possible: AccessDenied/);
    expect(iam.count('GetOpenIDConnectProvider')).toBe(1);
  });

  it('--role-arn: the role assumed with the base credentials, simulated as the role', async () => {
    const iam = await start();
    const role = 'arn:aws:iam::111122223333:role/audit/ZtReader';
    const { code, stdout } = await zt(['doctor', '--role-arn', role, '-f', 'json'], fakeEnv(iam.url));
    expect(code).toBe(0);
    const aws = report(stdout);
    expect(aws.credential.found).toBe(`sts:AssumeRole ${role}, with environment variables (AWS_ACCESS_KEY_ID): arn:aws:sts::111122223333:assumed-role/ZtReader/zt-audit`);
    expect(iam.simulated).toEqual([role]);
  });

  it('a profile from the shared credentials file: the SDK names the chain step', async () => {
    const iam = await start();
    const credentials = join(root, 'credentials');
    writeFileSync(credentials, '[audit]\naws_access_key_id = AKIAFAKEPROFILE00001\naws_secret_access_key = fakeProfileSecret/000000000000000000000000\n');
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(root, 'empty-config'), AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_IAM: iam.url, AWS_ENDPOINT_URL_STS: iam.url };
    const { code, stdout } = await zt(['doctor', '--profile', 'audit', '-f', 'json'], env);
    expect(code).toBe(0);
    expect(report(stdout).credential.found).toBe('shared config/credentials profile (profile audit): arn:aws:iam::111122223333:user/auditor');
  });

  it('no credentials: exit 3 with the fix, nothing else checked', async () => {
    const iam = await start();
    const env = { AWS_CONFIG_FILE: join(root, 'empty-config'), AWS_SHARED_CREDENTIALS_FILE: join(root, 'empty-config'), AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_IAM: iam.url, AWS_ENDPOINT_URL_STS: iam.url };
    const named = await zt(['doctor', '--profile', 'nope'], env);
    expect(named.code).toBe(3);
    expect(named.stdout).toMatch(/✖ credential +profile nope: no usable credentials\n +AWS: profile nope is not in /);
    expect(named.stdout).toMatch(/fix: List the profiles with `aws configure list-profiles`/);
    const chain = await zt(['doctor', '--aws', '-f', 'json'], env);
    expect(chain.code).toBe(3);
    expect(report(chain.stdout).credential).toMatchObject({ status: 'missing', found: 'no credentials found' });
    expect(report(chain.stdout).credential.fix).toMatch(/Pass --profile <name>/);
    expect(iam.requests).toEqual([]);
  });

  it('an unreachable endpoint: exit 3, api unreachable', async () => {
    const iam = await start();
    const url = iam.url;
    await iam.close();
    servers = servers.filter((s) => s !== iam);
    const { code, stdout } = await zt(['doctor', '--aws', '-f', 'json'], fakeEnv(url));
    expect(code).toBe(3);
    const aws = report(stdout);
    expect(aws.api.status).toBe('unreachable');
    expect(aws.checks.every((c) => c.status === 'unknown')).toBe(true);
  });
});
