import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { tempTree } from '../../support/temp.js';
import { fakeData, fixture } from './support.js';

// Secrets seeded into every AWS input: the environment, a shared credentials file, and
// tag values in the IAM data itself. None may reach a snapshot, a report, stderr or an
// error message.
const CANARY_SECRET = 'CanarySecretKey/DoNotPrint0123456789abcd';
const CANARY_TOKEN = 'CanarySessionTokenDoNotPrint';
const CANARY_FILE_SECRET = 'CanaryFileSecret/DoNotPrint0123456789abcd';
const CANARY_KEY_ID = 'AKIACANARYKEYID00001';
// In the fixtures' tag values (gaad-*.json): a password under a password-like key, and an AWS-secret-like value.
const TAG_CANARIES = ['Canary-Tag-Password-7731', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY1'];
const ALL = [CANARY_SECRET, CANARY_TOKEN, CANARY_FILE_SECRET, CANARY_KEY_ID, ...TAG_CANARIES];

let server: FakeIam | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function zt(argv: string[], env: Record<string, string>) {
  const io = memoryIo({ env, now: () => new Date('2025-06-01T00:00:00Z') });
  const code = await run(argv, io);
  return { code, out: io.out() + io.err() };
}

function expectClean(text: string, where: string) {
  for (const canary of ALL) expect(text.includes(canary), `${canary} leaked into ${where}`).toBe(false);
}

describe('aws-iam: no secret reaches any output', () => {
  it('the canaries are really in the inputs (so this test can fail)', () => {
    const gaad = readFileSync(fixture('gaad-sdk.json'), 'utf8');
    for (const canary of TAG_CANARIES) expect(gaad).toContain(canary);
  });

  it('live with environment credentials: snapshot, every report format and stderr are clean', async () => {
    server = await startFakeIam(fakeData());
    const env = {
      AWS_ACCESS_KEY_ID: CANARY_KEY_ID,
      AWS_SECRET_ACCESS_KEY: CANARY_SECRET,
      AWS_SESSION_TOKEN: CANARY_TOKEN,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_IAM: server.url,
    };
    const dir = tempTree({});
    const snap = join(dir, 'snap.json');
    const collected = await zt(['collect', '--aws', '--out', snap], env);
    expect(collected.code).toBe(0);
    expectClean(collected.out, 'zt collect output');
    const snapshot = readFileSync(snap, 'utf8');
    expect(snapshot).toContain('[redacted]');
    expectClean(snapshot, 'the snapshot');
    // The request really carried the seeded credentials.
    expect(server.requests[0]!.authorization).toContain(CANARY_KEY_ID);
    for (const format of ['table', 'json', 'sarif', 'markdown', 'junit']) {
      const audited = await zt(['audit', '--aws', '-f', format, '--fail-on', 'none'], env);
      expect(audited.code).toBe(0);
      expectClean(audited.out, `zt audit -f ${format}`);
    }
  });

  it('live with a profile from a credentials file, and when the credentials are refused: errors are clean', async () => {
    server = await startFakeIam(fakeData(), { everything: 'InvalidClientTokenId' });
    const dir = tempTree({ credentials: `[audit]\naws_access_key_id = ${CANARY_KEY_ID}\naws_secret_access_key = ${CANARY_FILE_SECRET}\n`, config: '' });
    const env = { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_IAM: server.url };
    const refused = await zt(['audit', '--profile', 'audit', '-f', 'json', '--debug'], env);
    expect(refused.out).toMatch(/AWS refused the credentials of profile audit: InvalidClientTokenId/);
    expect(server.requests[0]!.authorization).toContain(CANARY_KEY_ID);
    expect(refused.code).toBe(3);
    expectClean(refused.out, 'the refused-credentials error');
  });

  it('offline: tag secrets are redacted in the snapshot and the reports', async () => {
    const dir = tempTree({});
    const snap = join(dir, 'snap.json');
    const args = ['--aws-authorization-details', fixture('gaad-cli.json'), '--aws-credential-report', fixture('credential-report.json')];
    const collected = await zt(['collect', ...args, '--out', snap, '--allow-incomplete'], {});
    expect(collected.code).toBe(0);
    const text = readFileSync(snap, 'utf8');
    expectClean(text, 'the offline snapshot');
    expect(JSON.parse(text).resources.find((r: { name: string }) => r.name === 'ci-uploader').attributes.tags).toEqual({ 'deploy-password': '[redacted]', note: '[redacted]' });
    for (const format of ['json', 'sarif', 'table']) expectClean((await zt(['audit', ...args, '-f', format, '--fail-on', 'none'], {})).out, format);
  });
});
