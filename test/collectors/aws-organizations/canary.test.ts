import { afterEach, describe, expect, it } from 'vitest';
import { everyOutput, expectNoCanary, expectRedactedIssue } from '../../support/canary.js';
import { ECHOED_FOREIGN_SECRET, memberCredentials, startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { FULL_AWS_ACCESS, startFakeOrganizations, type FakeOrganizations } from '../../support/fake-organizations.js';
import { fakeData } from '../aws-iam/support.js';
import { estateEnv, membersOf } from './support.js';

// `--org` with every server quoting the request's credentials in its error answers:
// Organizations (a denied SCP read), STS (a refused AssumeRole, quoting the external id
// too), a member account's IAM (a denied call signed with the member session AssumeRole
// gave). No starting key, member session, or external id reaches any output.

const KEY_ID = 'AKIAZTCANARYORGS0001';
const SESSION_TOKEN = 'zt-canary-org-session-token-71ac';
const SECRET_KEY = 'zt-canary-org-secret-key-40be/never-sent';
/** Not credential-shaped: only its registration can catch it. */
const EXTERNAL_ID = 'zt-canary-external-id-5f02';
const PROD = '222233334444';
const STAGING = '333344445555';
const DENIED = '444455556666';

let iam: FakeIam | undefined;
let org: FakeOrganizations | undefined;
afterEach(async () => {
  await iam?.close();
  await org?.close();
});

describe('aws-organizations: credentials servers echo reach no output', () => {
  it('Organizations, STS and a member\'s IAM quoting the credentials: every output is clean', async () => {
    iam = await startFakeIam(fakeData(), {
      echoCredentials: true,
      requiredExternalId: EXTERNAL_ID,
      members: membersOf([PROD, STAGING, DENIED], { [STAGING]: { options: { deny: ['GetAccountSummary'], echoCredentials: true } }, [DENIED]: { denyAssume: true } }),
    });
    org = await startFakeOrganizations(
      { id: 'o-canary0001', managementAccount: '111122223333', accounts: [{ Id: '111122223333', Name: 'management' }, { Id: PROD, Name: 'prod' }, { Id: STAGING, Name: 'staging' }, { Id: DENIED, Name: 'denied' }], policies: [FULL_AWS_ACCESS] },
      { echoCredentials: true, deny: ['ListPolicies'] },
    );
    const env = estateEnv(iam.url, org.url, { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN });
    const outputs = await everyOutput(['--org', '--external-id', EXTERNAL_ID], env);
    // The canaries really went out: the starting key signed, the external id was sent, members were signed with their sessions.
    expect(iam.requests.some((r) => r.authorization.includes(KEY_ID))).toBe(true);
    expect(iam.requests.some((r) => r.params.get('ExternalId') === EXTERNAL_ID)).toBe(true);
    expect(iam.requests.some((r) => r.authorization.includes(memberCredentials(STAGING).accessKeyId))).toBe(true);
    const members = [PROD, STAGING, DENIED].flatMap((a) => [memberCredentials(a).secretAccessKey, memberCredentials(a).sessionToken]);
    expectNoCanary(outputs, [KEY_ID, SESSION_TOKEN, SECRET_KEY, EXTERNAL_ID, ECHOED_FOREIGN_SECRET, ...members]);
    expectRedactedIssue(outputs, 'ZT_COLLECT_AUTH');
    expect(outputs.snapshot.issues.map((i) => i.code).sort()).toEqual(['ZT_COLLECT_ACCESS_DENIED', 'ZT_COLLECT_ACCESS_DENIED', 'ZT_COLLECT_AUTH']);
    expect(outputs.codes['audit -f json']).toBe(3);
  });
});
