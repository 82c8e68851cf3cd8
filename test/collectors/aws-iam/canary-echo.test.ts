import { afterEach, describe, expect, it } from 'vitest';
import { ECHOED_FOREIGN_SECRET, startFakeIam, type FakeIam, type FakeIamOptions } from '../../support/fake-iam.js';
import { everyOutput, expectNoCanary, expectRedactedIssue } from '../../support/canary.js';
import { fakeData, fakeEnv } from './support.js';

// The IAM and STS endpoints (or a proxy in front of them) quoting the request's
// credentials — the SigV4 Authorization header and the X-Amz-Security-Token — in error
// messages and status texts, on every error path the AWS collector reports: a call
// failing with an IAM error, a 500 after the SDK's retries, a call denied, the credentials
// refused, AssumeRole refused. No key, token or secret may reach any output, with or
// without --debug. (canary.test.ts covers credentials and tag values in the data.)

const KEY_ID = 'AKIAZTCANARYECHO0001';
/** Not credential-shaped (lower case): only its registration can catch it. */
const SESSION_TOKEN = 'zt-canary-aws-session-token-93be';
const SECRET_KEY = 'zt-canary-aws-secret-key-5d21/never-sent';
const CANARIES = [KEY_ID, SESSION_TOKEN, SECRET_KEY, ECHOED_FOREIGN_SECRET];

let server: FakeIam | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scenario(options: FakeIamOptions, args: string[] = ['--aws']) {
  server = await startFakeIam(fakeData(), { echoCredentials: true, ...options });
  const outputs = await everyOutput(args, fakeEnv(server.url, { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN }));
  // The requests really carried the canaries.
  expect(server.requests[0]!.authorization).toContain(KEY_ID);
  return outputs;
}

describe('aws-iam: credentials a server echoes reach no output', () => {
  it('an IAM error, a 500 after retries and a denied call quoting the credentials: issues say what failed, never a credential', async () => {
    const outputs = await scenario({ fail: { GetAccountSummary: 'InvalidInput', ListSAMLProviders: 'ServiceFailure' }, deny: ['ListVirtualMFADevices'] });
    expectNoCanary(outputs, CANARIES);
    expectRedactedIssue(outputs, 'ZT_COLLECT_API_ERROR');
    expect(outputs.snapshot.issues.map((i) => i.message).join('\n')).toMatch(/iam:ListSAMLProviders failed: ServiceFailure/);
  });

  it('the credentials refused, and AssumeRole refused with the credentials quoted: the errors name the role, not a credential', async () => {
    const refused = await scenario({ everything: 'InvalidClientTokenId' });
    expectNoCanary(refused, CANARIES);
    expect(refused.snapshot.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_AUTH' })]);
    await server!.close();

    const role = ['--aws', '--role-arn', 'arn:aws:iam::111122223333:role/zt-audit', '--external-id', 'wrong-id'];
    const assume = await scenario({ requiredExternalId: 'right-id' }, role);
    expectNoCanary(assume, CANARIES);
    expectRedactedIssue(assume, 'ZT_COLLECT_AUTH');
    expect(assume.snapshot.issues[0]?.message).toMatch(/could not assume arn:aws:iam::111122223333:role\/zt-audit/);
  });
});
