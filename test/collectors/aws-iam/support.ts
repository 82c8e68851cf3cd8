import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CollectorContext } from '../../../src/collectors/types.js';
import { defaultConfig } from '../../../src/config/config.js';
import type { FakeIamData } from '../../support/fake-iam.js';
import { Redactor } from '../../../src/text/redact.js';
import { networkOf } from '../../support/network.js';

export const fixtureDir = fileURLToPath(new URL('../../../fixtures/collectors/aws-iam/', import.meta.url));
export const fixture = (name: string): string => join(fixtureDir, name);
export const readFixture = (name: string): string => readFileSync(fixture(name), 'utf8');
export const jsonFixture = <T = Record<string, unknown>>(name: string): T => JSON.parse(readFixture(name)) as T;

/** The fake IAM server's data, from the same fixtures the offline tests read. */
export function fakeData(overrides: Partial<FakeIamData> = {}): FakeIamData {
  const providers = jsonFixture<{ oidc: FakeIamData['oidc']; saml: unknown[]; aliases: string[] }>('providers.json');
  return {
    gaad: jsonFixture<FakeIamData['gaad']>('gaad-sdk.json'),
    credentialReportCsv: readFixture('credential-report.csv'),
    summary: jsonFixture<{ SummaryMap: Record<string, number> }>('account-summary.json').SummaryMap,
    passwordPolicy: jsonFixture<{ PasswordPolicy: Record<string, unknown> }>('password-policy.json').PasswordPolicy,
    virtualMfa: jsonFixture<{ VirtualMFADevices: unknown[] }>('virtual-mfa.json').VirtualMFADevices,
    mfaDevices: jsonFixture<Record<string, string[]>>('mfa-devices.json'),
    oidc: providers.oidc,
    saml: providers.saml,
    aliases: providers.aliases,
    ...overrides,
  };
}

/** Static fake credentials and the fake's endpoint, as a user's environment would carry them. */
export function fakeEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFORTESTS0001',
    AWS_SECRET_ACCESS_KEY: 'fakeSecretKeyForTestsOnly/0000000000000000',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_IAM: url,
    AWS_ENDPOINT_URL_STS: url,
    ...extra,
  };
}

export function context(env: Record<string, string | undefined>, signal = new AbortController().signal): CollectorContext {
  return { signal, progress: () => {}, now: new Date('2025-06-01T00:00:00Z'), env, cwd: process.cwd(), config: defaultConfig, network: networkOf(env), redactor: new Redactor() };
}

/** Runs the CLI in process, on a fixed clock, with this environment. */
export async function runZt(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo({ env, now: () => new Date('2025-06-01T00:00:00Z') });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
