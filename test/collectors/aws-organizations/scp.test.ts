import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { cliExport, FULL_AWS_ACCESS, ROOT_ID, startFakeOrganizations, type FakeOrganizationData, type FakeOrganizations, type FakeOrganizationsOptions } from '../../support/fake-organizations.js';
import { tempTree } from '../../support/temp.js';
import { fakeData, runZt } from '../aws-iam/support.js';
import { estateEnv, membersOf } from './support.js';

// The organisation's OU tree and service control policies, live (the real SDK against the
// fake Organizations, every list paged) and offline (the same answers as the AWS CLI
// exports them): the same resources either way; a read that fails leaves its kind
// missing or partial, never empty.

const MANAGEMENT = '111122223333';
const PROD = '222233334444';
const DEV = '333344445555';

const denyIamWrites = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoIamWrites', Effect: 'Deny', Action: ['iam:Create*', 'iam:Put*', 'iam:Attach*'], Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/break-glass' } } }],
});
const onlyS3 = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } });

const data: FakeOrganizationData = {
  id: 'o-scp1234567',
  managementAccount: MANAGEMENT,
  accounts: [
    { Id: MANAGEMENT, Name: 'management' },
    { Id: PROD, Name: 'prod', parent: 'ou-ab12-workloads' },
    { Id: DEV, Name: 'dev', parent: 'ou-ab12-dev' },
  ],
  ous: [
    { Id: 'ou-ab12-workloads', Name: 'Workloads', parent: ROOT_ID },
    { Id: 'ou-ab12-dev', Name: 'Dev', parent: 'ou-ab12-workloads' },
  ],
  policies: [
    { ...FULL_AWS_ACCESS, targets: [ROOT_ID, 'ou-ab12-workloads', 'ou-ab12-dev', MANAGEMENT, PROD] },
    { Id: 'p-denyiamw', Name: 'deny-iam-writes', Description: 'No IAM changes outside break-glass', Content: denyIamWrites, targets: ['ou-ab12-workloads'] },
    { Id: 'p-onlys3xx', Name: 'only-s3', Content: onlyS3, targets: [DEV] },
  ],
};

interface Snapshot {
  resources: { kind: string; id: string; name: string; attributes: Record<string, unknown>; provenance: { source: string } }[];
  coverage: Record<string, { state: string; reason?: string; unknownFields?: string[] }>;
  coverageBySource: Record<string, Record<string, { state: string; reason?: string; unknownFields?: string[] }>>;
  issues: { code: string; message: string; source?: string }[];
}

let iam: FakeIam | undefined;
let org: FakeOrganizations | undefined;
afterEach(async () => {
  await iam?.close();
  await org?.close();
  iam = undefined;
  org = undefined;
});

async function collectLive(orgOptions: FakeOrganizationsOptions = {}): Promise<{ code: number; snapshot: Snapshot; stderr: string }> {
  iam = await startFakeIam(fakeData(), { members: membersOf([PROD, DEV]) });
  org = await startFakeOrganizations(data, { pageSize: 1, ...orgOptions });
  const out = join(tempTree({}), 'snap.json');
  const { code, stderr } = await runZt(['collect', '--org', '--out', out, '--allow-incomplete'], estateEnv(iam.url, org.url));
  return { code, stderr, snapshot: JSON.parse(readFileSync(out, 'utf8')) as Snapshot };
}

const orgResources = (snapshot: Snapshot) =>
  snapshot.resources
    .filter((r) => r.kind === 'aws.organization.account' || r.kind === 'aws.scp')
    .map(({ kind, id, name, attributes }) => ({ kind, id, name, attributes }));

describe('the organisation\'s accounts, OU paths and SCPs', () => {
  it('live: every page of the tree and the SCPs, each account with its path from the root, each SCP with its document and targets', async () => {
    const { code, snapshot } = await collectLive();
    expect(code).toBe(0);
    expect(snapshot.coverageBySource['aws-org:o-scp1234567']).toEqual({ 'aws.organization.account': { state: 'complete' }, 'aws.scp': { state: 'complete' } });
    const accounts = Object.fromEntries(orgResources(snapshot).filter((r) => r.kind === 'aws.organization.account').map((r) => [r.attributes.accountId, r.attributes]));
    expect(accounts[DEV]).toEqual({
      accountId: DEV,
      organizationId: 'o-scp1234567',
      state: 'ACTIVE',
      managementAccount: false,
      scpsEnabled: true,
      path: [
        { id: ROOT_ID, type: 'ROOT', name: 'Root' },
        { id: 'ou-ab12-workloads', type: 'ORGANIZATIONAL_UNIT', name: 'Workloads' },
        { id: 'ou-ab12-dev', type: 'ORGANIZATIONAL_UNIT', name: 'Dev' },
      ],
    });
    expect(accounts[MANAGEMENT]).toMatchObject({ managementAccount: true, path: [{ id: ROOT_ID, type: 'ROOT', name: 'Root' }] });
    const scps = orgResources(snapshot).filter((r) => r.kind === 'aws.scp');
    expect(scps.map((s) => s.name).sort()).toEqual(['FullAWSAccess', 'deny-iam-writes', 'only-s3']);
    const deny = scps.find((s) => s.name === 'deny-iam-writes');
    expect(deny?.attributes).toMatchObject({
      policyId: 'p-denyiamw',
      awsManaged: false,
      targets: [{ targetId: 'ou-ab12-workloads', type: 'ORGANIZATIONAL_UNIT', name: 'Workloads' }],
      document: { Statement: [{ Effect: 'Deny', Action: ['iam:Create*', 'iam:Put*', 'iam:Attach*'], Resource: ['*'], Condition: { StringNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/break-glass'] } } }] },
    });
    // One statement not in a list is normalised like IAM's.
    expect(scps.find((s) => s.name === 'only-s3')?.attributes.document).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] }] });
    expect(scps.find((s) => s.name === 'FullAWSAccess')?.id).toBe('arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess#o-scp1234567');
  });

  it('live: an SCP read denied leaves aws.scp missing (permission_denied), named in an issue; the accounts are still read', async () => {
    for (const action of ['ListPolicies', 'DescribePolicy', 'ListTargetsForPolicy']) {
      const { code, snapshot, stderr } = await collectLive({ deny: [action] });
      expect(code, action).toBe(0); // --allow-incomplete
      expect(stderr, action).toContain(`organizations:${action} was denied`);
      expect(snapshot.coverageBySource['aws-org:o-scp1234567']?.['aws.scp'], action).toMatchObject({ state: 'missing', reason: 'permission_denied' });
      expect(snapshot.coverageBySource['aws-org:o-scp1234567']?.['aws.organization.account'], action).toEqual({ state: 'complete' });
      expect(snapshot.resources.filter((r) => r.kind === 'aws.scp'), action).toEqual([]);
      expect(snapshot.issues.find((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED')?.message, action).toContain(`organizations:${action} was denied`);
      await iam?.close();
      await org?.close();
    }
  });

  it('live: the OU tree not readable leaves the paths unknown (partial, path among the unknown fields) and whether SCPs apply unknown', async () => {
    const { snapshot } = await collectLive({ deny: ['ListRoots'] });
    expect(snapshot.coverageBySource['aws-org:o-scp1234567']).toMatchObject({
      'aws.organization.account': { state: 'partial', reason: 'permission_denied', unknownFields: ['path'] },
      'aws.scp': { state: 'missing', reason: 'permission_denied' },
    });
    for (const r of snapshot.resources.filter((x) => x.kind === 'aws.organization.account')) expect(r.attributes).toMatchObject({ path: null, scpsEnabled: null });
  });

  it('offline: the CLI\'s exports give the same organisation as the live read', async () => {
    const live = orgResources((await collectLive()).snapshot);
    const dir = tempTree(cliExport(data));
    const out = join(tempTree({}), 'snap.json');
    const { code, stderr } = await runZt(['collect', '--aws-organization', dir, '--out', out, '--as-of', '2025-06-01T00:00:00Z'], {});
    expect(stderr).not.toMatch(/ZT_/);
    expect(code).toBe(0);
    const offline = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
    expect(orgResources(offline)).toEqual(live);
    expect(offline.coverageBySource['aws-org:o-scp1234567']).toEqual({ 'aws.organization.account': { state: 'complete' }, 'aws.scp': { state: 'complete' } });
  });

  it('offline: a missing file leaves its part unknown; a file that is not the CLI\'s output is exit 2 naming it', async () => {
    const dir = tempTree(cliExport(data));
    rmSync(join(dir, 'describe-policy-p-onlys3xx.json'));
    rmSync(join(dir, 'list-accounts-for-parent-ou-ab12-dev.json'));
    const out = join(tempTree({}), 'snap.json');
    const { code, stderr } = await runZt(['collect', '--aws-organization', dir, '--out', out, '--as-of', '2025-06-01T00:00:00Z'], {});
    expect(code).toBe(3);
    expect(stderr).toMatch(/ZT_AWS_EXPORT_PARTIAL/);
    const snapshot = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
    expect(snapshot.coverage).toMatchObject({ 'aws.scp': { state: 'missing', reason: 'input_missing' }, 'aws.organization.account': { state: 'partial', reason: 'input_missing', unknownFields: ['path'] } });
    expect(snapshot.issues.map((i) => i.message).join('\n')).toMatch(/describe-policy-p-onlys3xx\.json is not in/);

    writeFileSync(join(dir, 'list-targets-for-policy-p-denyiamw.json'), '{\n  "Targets": {"TargetId": "ou-ab12-workloads"}\n}\n');
    const bad = await runZt(['collect', '--aws-organization', dir, '--out', out], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/list-targets-for-policy-p-denyiamw\.json:2:\d+: Targets: .*expected array/);
    const none = await runZt(['collect', '--aws-organization', tempTree({ 'x.json': '{}' }), '--out', out], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/holds no describe-organization\.json/);
  });
});
