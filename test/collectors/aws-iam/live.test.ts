import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { liveCollector } from '../../../src/collectors/aws-iam/collector.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { startFakeIam, type FakeIam, type FakeIamOptions } from '../../support/fake-iam.js';
import { context, fakeData, fakeEnv } from './support.js';

let server: FakeIam | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collectLive(options: FakeIamOptions = {}, data = fakeData(), collectorOptions = {}) {
  server = await startFakeIam(data, options);
  const collector = liveCollector({ reportPollMs: 5, maxAttempts: 4, ...collectorOptions });
  return collectSnapshot([collector], context(fakeEnv(server.url)));
}

const byId = (resources: readonly Resource[], id: string) => resources.find((r) => r.id === id);

describe('aws-iam live collection against a fake IAM endpoint (real SDK, query protocol)', () => {
  it('reads every page of the authorization details and maps every kind', async () => {
    const snapshot = await collectLive({ pageSize: 3 });
    expect(server!.count('GetAccountAuthorizationDetails')).toBeGreaterThanOrEqual(4);
    const markers = server!.requests.filter((r) => r.action === 'GetAccountAuthorizationDetails').map((r) => r.params.get('Marker'));
    expect(markers).toEqual([null, 'page-3', 'page-6', 'page-9', 'page-12'].slice(0, markers.length));
    expect(snapshot.issues).toEqual([]);
    // A live source is as of the collection's start (the context's clock).
    expect(snapshot.sources).toEqual([{ collector: 'aws-iam', source: 'aws:111122223333', mode: 'live', asOf: '2025-06-01T00:00:00.000Z' }]);
    const kinds = snapshot.resources.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.kind]: (acc[r.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ 'aws.account': 1, 'aws.iam.user': 4, 'aws.iam.group': 2, 'aws.iam.role': 4, 'aws.iam.policy': 4, 'aws.iam.identityProvider': 2 });
    for (const kind of Object.keys(kinds)) expect(snapshot.coverage[kind as keyof typeof snapshot.coverage]).toEqual({ state: 'complete' });

    const account = byId(snapshot.resources, 'arn:aws:iam::111122223333:root')!;
    expect(account.name).toBe('acme-prod');
    expect(account.attributes).toMatchObject({
      accountId: '111122223333',
      summary: expect.objectContaining({ AccountMFAEnabled: 0, AccountAccessKeysPresent: 1 }),
      passwordPolicy: { minimumPasswordLength: 8, passwordReusePrevention: 3, maxPasswordAge: null, requireSymbols: false },
      rootHasVirtualMfa: false,
      credentialReportGeneratedAt: '2025-05-22T06:00:00Z',
      rootCredentials: { passwordEnabled: true, mfaActive: false, accessKeys: [expect.objectContaining({ slot: 1, active: true, lastUsedService: 's3' })] },
    });

    const carol = byId(snapshot.resources, 'arn:aws:iam::111122223333:user/carol')!;
    expect(carol.attributes.mfaDevices).toEqual([{ serialNumber: 'arn:aws:iam::111122223333:u2f/user/carol/yubikey-5c-ABCDEF', type: 'u2f' }]);
    const oldAdmin = byId(snapshot.resources, 'arn:aws:iam::111122223333:user/old-admin')!;
    expect(oldAdmin.attributes.mfaDevices).toEqual([{ serialNumber: 'arn:aws:iam::111122223333:mfa/old-admin-phone', type: 'virtual' }]);
    // Users without MFA in the report are not asked about devices.
    expect(server!.requests.filter((r) => r.action === 'ListMFADevices').map((r) => r.params.get('UserName')).sort()).toEqual(['carol', 'old-admin']);
    const alice = byId(snapshot.resources, 'arn:aws:iam::111122223333:user/alice')!;
    expect(alice.attributes.mfaDevices).toEqual([]);
    expect(alice.attributes.inlinePolicies).toEqual([
      { policyName: 'break-glass', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] } },
    ]);

    const policy = byId(snapshot.resources, 'arn:aws:iam::111122223333:policy/reports-read')!;
    expect(policy.attributes).toMatchObject({ defaultVersionId: 'v2', awsManaged: false, accountId: '111122223333' });
    expect((policy.attributes.document as { Statement: { Action: string[] }[] }).Statement[0]!.Action).toEqual(['s3:GetObject', 's3:ListBucket']);

    const gha = byId(snapshot.resources, 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com')!;
    expect(gha.attributes).toEqual({ accountId: '111122223333', providerType: 'oidc', url: 'token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'], validUntil: null });
  });

  it('retries throttling transparently (adaptive retries) and waits for the credential report', async () => {
    const snapshot = await collectLive({
      faults: { GetAccountSummary: ['Throttling'], GetAccountAuthorizationDetails: ['Throttling'] },
      reportStates: ['STARTED', 'INPROGRESS', 'COMPLETE'],
    });
    expect(snapshot.issues).toEqual([]);
    expect(server!.count('GetAccountSummary')).toBe(2);
    expect(server!.requests.filter((r) => r.action === 'GetAccountSummary').map((r) => r.attempt)).toEqual([
      expect.stringMatching(/attempt=1/),
      expect.stringMatching(/attempt=2/),
    ]);
    expect(server!.count('GenerateCredentialReport')).toBe(3);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:root')!.attributes.rootCredentials).not.toBeNull();
  });

  it('a credential report that is not ready yet is fetched again until it is', async () => {
    const snapshot = await collectLive({ faults: { GetCredentialReport: ['ReportInProgress', 'ReportInProgress'] } });
    expect(server!.count('GetCredentialReport')).toBe(3);
    expect(snapshot.issues).toEqual([]);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:user/alice')!.attributes.credentials).toMatchObject({ passwordEnabled: true });
  });

  it('throttling that outlasts the retries becomes a partial kind and an issue, not a crash', async () => {
    const snapshot = await collectLive({ faults: { GetAccountSummary: ['Throttling', 'Throttling', 'Throttling', 'Throttling', 'Throttling'] } }, fakeData(), { maxAttempts: 2 });
    expect(snapshot.coverage['aws.account']).toMatchObject({ state: 'partial', reason: 'api_error' });
    expect(snapshot.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_THROTTLED', message: expect.stringMatching(/iam:GetAccountSummary/) })]);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:root')!.attributes.summary).toBeNull();
  });

  it('no custom password policy (NoSuchEntity) is a fact, passwordPolicy: null, with complete coverage', async () => {
    const snapshot = await collectLive({}, fakeData({ passwordPolicy: null }));
    expect(server!.count('GetAccountPasswordPolicy')).toBe(1);
    expect(snapshot.coverage['aws.account']).toEqual({ state: 'complete' });
    expect(snapshot.issues).toEqual([]);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:root')!.attributes.passwordPolicy).toBeNull();
  });

  it('AccessDenied on the authorization details: principal kinds missing (permission_denied), the action named, the rest still read', async () => {
    const snapshot = await collectLive({ deny: ['GetAccountAuthorizationDetails'] });
    for (const kind of ['aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy'] as const) {
      expect(snapshot.coverage[kind]).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    }
    expect(snapshot.issues).toEqual([
      expect.objectContaining({ code: 'ZT_COLLECT_ACCESS_DENIED', message: expect.stringMatching(/iam:GetAccountAuthorizationDetails was denied/) }),
    ]);
    expect(snapshot.resources.filter((r) => r.kind === 'aws.iam.user')).toEqual([]);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:root')!.attributes.rootCredentials).not.toBeNull();
  });

  it('AccessDenied on the credential report and MFA devices: users and account partial, credentials unknown (null)', async () => {
    const snapshot = await collectLive({ deny: ['GenerateCredentialReport', 'ListMFADevices'] });
    expect(snapshot.coverage['aws.iam.user']).toMatchObject({ state: 'partial', reason: 'permission_denied' });
    expect(snapshot.coverage['aws.account']).toMatchObject({ state: 'partial', reason: 'permission_denied' });
    expect(snapshot.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/iam:GenerateCredentialReport was denied/),
      expect.stringMatching(/iam:ListMFADevices was denied/),
    ]);
    const alice = byId(snapshot.resources, 'arn:aws:iam::111122223333:user/alice')!;
    expect(alice.attributes.credentials).toBeNull();
    expect(alice.attributes.mfaDevices).toBeNull();
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:root')!.attributes.rootCredentials).toBeNull();
  });

  it('expired credentials stop the collector with ZT_COLLECT_AUTH naming the profile and what to run', async () => {
    const snapshot = await collectLive({ everything: 'ExpiredToken' });
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.issues).toEqual([
      expect.objectContaining({ severity: 'error', code: 'ZT_COLLECT_AUTH', message: expect.stringMatching(/the environment credentials \(AWS_ACCESS_KEY_ID\): ExpiredToken \(expired\).*Refresh the temporary credentials/) }),
    ]);
  });

  it('--role-arn assumes the role (with --external-id) and signs every IAM call with its credentials', async () => {
    const snapshot = await collectLive({ requiredExternalId: 'ext-123' }, fakeData(), { roleArn: 'arn:aws:iam::111122223333:role/zt-audit', externalId: 'ext-123' });
    expect(snapshot.issues).toEqual([]);
    const assume = server!.requests.filter((r) => r.action === 'AssumeRole');
    expect(assume).toHaveLength(1);
    expect(assume[0]!.params.get('RoleArn')).toBe('arn:aws:iam::111122223333:role/zt-audit');
    expect(assume[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAFAKEFORTESTS0001\/\d{8}\/us-east-1\/sts\/aws4_request/);
    const iamCalls = server!.requests.filter((r) => r.action !== 'AssumeRole');
    expect(iamCalls.length).toBeGreaterThan(5);
    for (const call of iamCalls) expect(call.authorization).toMatch(/Credential=ASIAFAKEASSUMED00001\//);
  });

  it('a role that cannot be assumed (wrong external id) is a ZT_COLLECT_AUTH error naming the role', async () => {
    const snapshot = await collectLive({ requiredExternalId: 'ext-123' }, fakeData(), { roleArn: 'arn:aws:iam::111122223333:role/zt-audit', externalId: 'wrong' });
    expect(snapshot.issues).toEqual([
      expect.objectContaining({ code: 'ZT_COLLECT_AUTH', message: expect.stringMatching(/could not assume arn:aws:iam::111122223333:role\/zt-audit/) }),
    ]);
    expect(server!.count('GetAccountAuthorizationDetails')).toBe(0);
  });

  it('fetches managed policies that principals use but the authorization details omit (GetPolicy + GetPolicyVersion)', async () => {
    const data = fakeData();
    const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
    const users = data.gaad.UserDetailList as { UserName: string; PermissionsBoundary?: unknown }[];
    users.find((u) => u.UserName === 'carol')!.PermissionsBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary };
    const document = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }] }));
    const snapshot = await collectLive({}, { ...data, extraPolicies: [{ Arn: boundary, PolicyName: 'PowerUserAccess', DefaultVersionId: 'v5', Document: document }] });
    expect(snapshot.issues).toEqual([]);
    expect(server!.requests.filter((r) => r.action === 'GetPolicy').map((r) => r.params.get('PolicyArn'))).toEqual([boundary]);
    expect(byId(snapshot.resources, boundary)!.attributes).toMatchObject({
      awsManaged: true,
      accountId: null,
      defaultVersionId: 'v5',
      document: { Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: ['*'] }] },
    });
  });

  it('a customer-managed policy fetched that way brings its other versions (ListPolicyVersions + GetPolicyVersion)', async () => {
    const data = fakeData();
    const boundary = 'arn:aws:iam::111122223333:policy/dev-boundary';
    const users = data.gaad.UserDetailList as { UserName: string; PermissionsBoundary?: unknown }[];
    users.find((u) => u.UserName === 'carol')!.PermissionsBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary };
    const encode = (statement: Record<string, unknown>) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));
    const snapshot = await collectLive({}, {
      ...data,
      extraPolicies: [{ Arn: boundary, PolicyName: 'dev-boundary', DefaultVersionId: 'v2', Document: encode({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), otherVersions: [{ VersionId: 'v1', Document: encode({ Effect: 'Allow', Action: '*', Resource: '*' }) }] }],
    });
    expect(snapshot.issues).toEqual([]);
    expect(server!.requests.filter((r) => r.action === 'GetPolicyVersion').map((r) => r.params.get('VersionId'))).toEqual(['v2', 'v1']);
    expect(byId(snapshot.resources, boundary)!.attributes).toMatchObject({
      defaultVersionId: 'v2',
      nonDefaultVersions: [{ versionId: 'v1', document: { Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] } }],
    });
  });

  it('a denied GetPolicy leaves the policy kind partial and names the action', async () => {
    const data = fakeData();
    (data.gaad.UserDetailList as { UserName: string; AttachedManagedPolicies: unknown[] }[])
      .find((u) => u.UserName === 'carol')!
      .AttachedManagedPolicies.push({ PolicyName: 'PowerUserAccess', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    const snapshot = await collectLive({ deny: ['GetPolicy'] }, data);
    expect(snapshot.coverage['aws.iam.policy']).toMatchObject({ state: 'partial', reason: 'permission_denied' });
    expect(snapshot.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_ACCESS_DENIED', message: expect.stringMatching(/iam:GetPolicy was denied/) })]);
  });

  it('--aws-last-accessed reads Access Advisor per user and role (polling the job); without it the field is absent', async () => {
    const data = fakeData({
      lastAccessed: {
        'arn:aws:iam::111122223333:role/vendor-audit': [
          { ServiceName: 'Amazon S3', ServiceNamespace: 's3', LastAuthenticated: '2025-05-01T10:00:00Z' },
          { ServiceName: 'AWS Identity and Access Management', ServiceNamespace: 'iam' },
        ],
      },
    });
    const snapshot = await collectLive({}, data, { lastAccessed: true, jobPollMs: 5 });
    expect(snapshot.issues).toEqual([]);
    expect(server!.count('GenerateServiceLastAccessedDetails')).toBe(8);
    expect(server!.count('GetServiceLastAccessedDetails')).toBe(16);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:role/vendor-audit')!.attributes.servicesLastAccessed).toEqual([
      { service: 'iam', lastAuthenticated: null },
      { service: 's3', lastAuthenticated: '2025-05-01T10:00:00Z' },
    ]);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:user/alice')!.attributes.servicesLastAccessed).toEqual([]);
    await server!.close();
    const without = await collectLive({}, fakeData());
    expect(byId(without.resources, 'arn:aws:iam::111122223333:user/alice')!.attributes).not.toHaveProperty('servicesLastAccessed');
    expect(server!.count('GenerateServiceLastAccessedDetails')).toBe(0);
  });

  it('Access Advisor denied: an issue naming the action, the field null (unknown), the core kinds still complete', async () => {
    const snapshot = await collectLive({ deny: ['GenerateServiceLastAccessedDetails'] }, fakeData(), { lastAccessed: true, jobPollMs: 5 });
    expect(snapshot.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_ACCESS_DENIED', message: expect.stringMatching(/iam:GenerateServiceLastAccessedDetails was denied/) })]);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:user/alice')!.attributes.servicesLastAccessed).toBeNull();
    expect(snapshot.coverage['aws.iam.user']).toEqual({ state: 'complete' });
  });

  it('an expired or absent credential report is generated again; a denied GetCredentialReport is reported by name', async () => {
    const again = await collectLive({ faults: { GetCredentialReport: ['ReportNotPresent'] } });
    expect(server!.count('GenerateCredentialReport')).toBe(2);
    expect(again.issues).toEqual([]);
    await server!.close();
    const denied = await collectLive({ deny: ['GetCredentialReport'] });
    expect(denied.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_ACCESS_DENIED', message: expect.stringMatching(/iam:GetCredentialReport was denied/) })]);
    expect(denied.coverage['aws.iam.user']).toMatchObject({ state: 'partial', reason: 'permission_denied' });
    expect(byId(denied.resources, 'arn:aws:iam::111122223333:user/alice')!.attributes.credentials).toBeNull();
  });

  it('all identity-provider calls denied: the kind is missing, not complete-and-empty', async () => {
    const snapshot = await collectLive({ deny: ['ListOpenIDConnectProviders', 'ListSAMLProviders'] });
    expect(snapshot.coverage['aws.iam.identityProvider']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(snapshot.resources.filter((r) => r.kind === 'aws.iam.identityProvider')).toEqual([]);
  });
});
