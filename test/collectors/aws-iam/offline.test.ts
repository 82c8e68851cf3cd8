import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { offlineCollector } from '../../../src/collectors/aws-iam/collector.js';
import { normalisePolicyDocument, parseCredentialReport, PolicyParseError } from '../../../src/collectors/aws-iam/map.js';
import type { OfflinePaths } from '../../../src/collectors/aws-iam/offline.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import type { Resource, Snapshot } from '../../../src/inventory/snapshot.js';
import { tempTree } from '../../support/temp.js';
import { context, fixture, jsonFixture, readFixture } from './support.js';

async function collectOffline(paths: OfflinePaths): Promise<Snapshot> {
  return collectSnapshot([offlineCollector(paths, (p) => p)], context({}));
}

const all = (gaad: string): OfflinePaths => ({
  authorizationDetails: fixture(gaad),
  credentialReport: fixture('credential-report.csv'),
  accountSummary: fixture('account-summary.json'),
  passwordPolicy: fixture('password-policy.json'),
  virtualMfa: fixture('virtual-mfa.json'),
});

const withoutFiles = (resources: readonly Resource[]) => resources.map((r) => ({ ...r, provenance: { collector: r.provenance.collector, source: r.provenance.source } }));
const byId = (resources: readonly Resource[], id: string) => resources.find((r) => r.id === id);

async function zt(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('aws-iam offline: exports of the AWS CLI and the SDK', () => {
  it('the SDK-shaped (URL-encoded) and CLI-shaped (decoded) exports give the same resources', async () => {
    const sdk = await collectOffline(all('gaad-sdk.json'));
    const cli = await collectOffline(all('gaad-cli.json'));
    expect(sdk.issues).toEqual([]);
    expect(sdk.resources.length).toBe(15);
    expect(withoutFiles(cli.resources)).toEqual(withoutFiles(sdk.resources));
    const role = byId(sdk.resources, 'arn:aws:iam::111122223333:role/vendor-audit')!;
    expect(role.attributes).toMatchObject({
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::999988887777:root'] }, Action: ['sts:AssumeRole'] }] },
      lastUsedAt: '2025-05-01T10:00:00Z',
      createdAt: '2022-05-05T05:05:05Z',
      serviceLinked: false,
    });
    // Findings point at the entity in the export: the line of its own "Arn".
    const line = readFileSync(fixture('gaad-sdk.json'), 'utf8').split('\n').findIndex((l) => l.includes('"Arn": "arn:aws:iam::111122223333:role/vendor-audit"')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(role.provenance).toEqual({ collector: 'aws-iam', source: 'aws:111122223333', file: fixture('gaad-sdk.json'), line });
    expect(byId(sdk.resources, 'arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport')!.attributes.serviceLinked).toBe(true);
    // The CSV credential report does not say when it was generated (the JSON form does: test/unit/app/as-of-sources.test.ts).
    expect(sdk.sources).toEqual([{ collector: 'aws-iam', source: 'aws:111122223333', mode: 'offline', asOf: null }]);
  });

  it('normalises documents: a single Statement object, Principal "*", non-string condition values', async () => {
    const sdk = await collectOffline(all('gaad-sdk.json'));
    const role = byId(sdk.resources, 'arn:aws:iam::111122223333:role/public-assume')!;
    expect(role.attributes.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Anyone',
          Effect: 'Allow',
          Principal: { AWS: ['*'] },
          Action: ['sts:AssumeRole'],
          Condition: { Bool: { 'aws:SecureTransport': ['true'] }, NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] } },
        },
      ],
    });
    // The default version of a managed policy, not an older one (v1 of reports-read is admin).
    const reports = byId(sdk.resources, 'arn:aws:iam::111122223333:policy/reports-read')!;
    expect(JSON.stringify(reports.attributes.document)).not.toMatch(/"\*"\]/);
    expect(() => normalisePolicyDocument('%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Maybe%22%7D%5D%7D')).toThrow(/Effect is "Maybe"/);
    expect(() => normalisePolicyDocument('%E0%A4%A')).toThrow(PolicyParseError);
  });

  it('parses every credential-report value by header name: N/A, no_information, not_supported and the root row', async () => {
    const snapshot = await collectOffline(all('gaad-cli.json'));
    const account = byId(snapshot.resources, 'arn:aws:iam::111122223333:root')!;
    expect(account.attributes.rootCredentials).toEqual({
      passwordEnabled: true, // not_supported in the report; the summary says AccountPasswordPresent: 1
      passwordLastUsed: '2025-04-02T07:45:10Z',
      passwordLastChanged: null,
      mfaActive: false,
      accessKeys: [{ slot: 1, active: true, lastRotated: '2019-06-02T09:00:00Z', lastUsed: '2025-03-30T11:00:00Z', lastUsedService: 's3' }],
    });
    expect(account.attributes.rootHasVirtualMfa).toBe(false);
    const oldAdmin = byId(snapshot.resources, 'arn:aws:iam::111122223333:user/old-admin')!;
    expect(oldAdmin.attributes.credentials).toEqual({
      passwordEnabled: true,
      passwordLastUsed: null, // no_information
      passwordLastChanged: '2016-02-01T10:00:00Z',
      mfaActive: true,
      // key 2 is inactive but exists (it has a rotation date); key 1 does not exist
      accessKeys: [{ slot: 2, active: false, lastRotated: '2019-01-01T00:00:00Z', lastUsed: null, lastUsedService: null }],
    });
    // MFA is active but an export cannot say which kind of device: unknown, not "none".
    expect(oldAdmin.attributes.mfaDevices).toBeNull();
    const ci = byId(snapshot.resources, 'arn:aws:iam::111122223333:user/svc/ci-uploader')!;
    expect((ci.attributes.credentials as { accessKeys: unknown[] }).accessKeys).toEqual([
      { slot: 1, active: true, lastRotated: '2021-07-01T12:05:00Z', lastUsed: '2025-05-21T03:10:00Z', lastUsedService: 's3' },
      { slot: 2, active: true, lastRotated: '2024-11-11T11:11:11Z', lastUsed: null, lastUsedService: null },
    ]);
    expect(ci.attributes.mfaDevices).toEqual([]);
    // Columns are found by name: a reordered report with an extra column parses the same.
    const csv = readFixture('credential-report.csv').trim().split('\n').map((l) => l.split(','));
    const reordered = csv.map((cells) => ['extra', ...[...cells].reverse()].join(',')).join('\n').replace(/^extra/, 'new_column');
    expect(parseCredentialReport(reordered, undefined).rows).toEqual(parseCredentialReport(readFixture('credential-report.csv'), undefined).rows);
  });

  it('the CLI JSON of get-credential-report (base64 Content) equals the CSV, and records GeneratedTime', async () => {
    const fromJson = await collectOffline({ ...all('gaad-cli.json'), credentialReport: fixture('credential-report.json') });
    const fromCsv = await collectOffline(all('gaad-cli.json'));
    const users = (s: Snapshot) => s.resources.filter((r) => r.kind === 'aws.iam.user').map((r) => r.attributes.credentials);
    expect(users(fromJson)).toEqual(users(fromCsv));
    expect(byId(fromJson.resources, 'arn:aws:iam::111122223333:root')!.attributes.credentialReportGeneratedAt).toBe('2025-05-22T06:00:00Z');
  });

  it('coverage says what the exports lack: providers missing, account and users partial without the other exports', async () => {
    const full = await collectOffline(all('gaad-sdk.json'));
    expect(full.coverage['aws.account']).toEqual({ state: 'complete' });
    expect(full.coverage['aws.iam.user']).toEqual({ state: 'complete' });
    expect(full.coverage['aws.iam.identityProvider']).toMatchObject({ state: 'missing', reason: 'unsupported' });
    const gaadOnly = await collectOffline({ authorizationDetails: fixture('gaad-sdk.json') });
    expect(gaadOnly.coverage['aws.account']).toMatchObject({ state: 'partial', reason: 'input_missing', detail: expect.stringMatching(/credential report, account summary, password policy/) });
    expect(gaadOnly.coverage['aws.iam.user']).toMatchObject({ state: 'partial', reason: 'input_missing' });
    expect(byId(gaadOnly.resources, 'arn:aws:iam::111122223333:user/alice')!.attributes.credentials).toBeNull();
    expect(gaadOnly.issues).toEqual([expect.objectContaining({ code: 'ZT_AWS_EXPORT_PARTIAL', severity: 'info' })]);
  });

  it('keeps the non-default versions of managed policies; a version that does not parse leaves them unknown; an unknown operator is named', async () => {
    const gaad = jsonFixture<{ Policies: Record<string, unknown>[] }>('gaad-cli.json');
    const template = gaad.Policies[0]!;
    const encode = (statement: Record<string, unknown>) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));
    gaad.Policies.push({
      ...template,
      PolicyName: 'versioned',
      Arn: 'arn:aws:iam::111122223333:policy/versioned',
      DefaultVersionId: 'v3',
      PolicyVersionList: [
        { VersionId: 'v3', IsDefaultVersion: true, Document: encode({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) },
        { VersionId: 'v2', IsDefaultVersion: false, Document: encode({ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'x' } } }) },
        { VersionId: 'v1', IsDefaultVersion: false, Document: encode({ Effect: 'Allow', Action: '*', Resource: '*' }) },
      ],
    });
    gaad.Policies.push({
      ...template,
      PolicyName: 'one-bad-version',
      Arn: 'arn:aws:iam::111122223333:policy/one-bad-version',
      DefaultVersionId: 'v2',
      PolicyVersionList: [
        { VersionId: 'v2', IsDefaultVersion: true, Document: encode({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) },
        { VersionId: 'v1', IsDefaultVersion: false, Document: '%7B%22Statement' },
      ],
    });
    const dir = tempTree({ 'gaad.json': JSON.stringify(gaad) });
    const snapshot = await collectOffline({ ...all('gaad-cli.json'), authorizationDetails: join(dir, 'gaad.json') });
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:policy/versioned')!.attributes).toMatchObject({
      defaultVersionId: 'v3',
      nonDefaultVersions: [
        { versionId: 'v1', document: { Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] } },
        { versionId: 'v2', document: { Statement: [{ Action: ['iam:*'] }] } },
      ],
    });
    // The policy itself is kept and evaluated; only its other versions are unknown.
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:policy/one-bad-version')!.attributes).toMatchObject({ defaultVersionId: 'v2', nonDefaultVersions: null });
    expect(snapshot.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'ZT_AWS_POLICY_CONDITION_UNKNOWN', severity: 'warning', message: expect.stringMatching(/^version v2 of managed policy versioned uses condition operator\(s\) zt does not know: StringEqualz;/) }),
        expect.objectContaining({ code: 'ZT_AWS_POLICY_UNPARSEABLE', severity: 'warning', message: expect.stringMatching(/^version v1 of managed policy one-bad-version: .*other versions are unknown/) }),
      ]),
    );
  });

  it('a managed policy a principal uses but the export lacks is a warning naming the policy and its users (AWS-managed ones zt carries aside)', async () => {
    const gaad = jsonFixture<{ UserDetailList: Record<string, unknown>[] }>('gaad-cli.json');
    const user = gaad.UserDetailList[0]!;
    user.AttachedManagedPolicies = [
      ...((user.AttachedManagedPolicies as unknown[]) ?? []),
      { PolicyName: 'not-exported', PolicyArn: 'arn:aws:iam::111122223333:policy/not-exported' },
      { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ];
    const dir = tempTree({ 'gaad.json': JSON.stringify(gaad) });
    const snapshot = await collectOffline({ ...all('gaad-cli.json'), authorizationDetails: join(dir, 'gaad.json') });
    const missing = snapshot.issues.filter((i) => i.code === 'ZT_AWS_POLICY_MISSING');
    expect(missing).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(new RegExp(`^managed policy arn:aws:iam::111122223333:policy/not-exported, used by user ${String(user.UserName)}, is not in the export;`)) }),
    ]);
  });

  it('an account summary and a credential report that disagree about root MFA are named in a warning', async () => {
    const paths = all('gaad-cli.json');
    const report = readFileSync(paths.credentialReport as string, 'utf8');
    const rootMfa = /^<root_account>(?:,[^,\n]*){6},(true|false),/m.exec(report)?.[1];
    expect(rootMfa).toBeDefined();
    const flipped = report.replace(/^(<root_account>(?:,[^,\n]*){6}),(true|false),/m, (_, head: string, v: string) => `${head},${v === 'true' ? 'false' : 'true'},`);
    const dir = tempTree({ 'report.csv': flipped });
    const snapshot = await collectOffline({ ...paths, credentialReport: join(dir, 'report.csv') });
    expect(snapshot.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'AWS_ROOT_MFA_CONFLICT', severity: 'warning', message: expect.stringMatching(/^the account summary says AccountMFAEnabled \d but the credential report/) })]));
    const clean = await collectOffline(paths);
    expect(clean.issues.filter((i) => i.code === 'AWS_ROOT_MFA_CONFLICT')).toEqual([]);
  });

  it('condition keys AWS does not document and resources that are not ARNs are warnings naming the principal and policy; the account is still analysed', async () => {
    const gaad = jsonFixture<{ UserDetailList: Record<string, unknown>[] }>('gaad-cli.json');
    const user = gaad.UserDetailList[0]!;
    const document = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::bucket/*', 'arn:aws:s3::bucket', 's3:::other'], Condition: { StringEquals: { 'aws:PrincipalTeam': 'x', 'aws:PrincipalTag/team': 'x' } } },
        { Effect: 'Allow', Action: 'iam:*', Resource: ['arn:aws:*', '*'] },
      ],
    };
    user.UserPolicyList = [...((user.UserPolicyList as unknown[]) ?? []), { PolicyName: 'sloppy', PolicyDocument: encodeURIComponent(JSON.stringify(document)) }];
    const dir = tempTree({ 'gaad.json': JSON.stringify(gaad) });
    const snapshot = await collectOffline({ ...all('gaad-cli.json'), authorizationDetails: join(dir, 'gaad.json') });
    const owner = `inline policy sloppy of user ${String(user.UserName)}`;
    expect(snapshot.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'ZT_AWS_POLICY_CONDITION_KEY_UNKNOWN', severity: 'warning', message: expect.stringMatching(new RegExp(`^${owner} uses condition key\\(s\\) AWS does not document: aws:PrincipalTeam;`)) }),
        expect.objectContaining({ code: 'ZT_AWS_POLICY_ARN_MALFORMED', severity: 'warning', message: expect.stringMatching(new RegExp(`^${owner} names resource\\(s\\) that are not ARNs: "arn:aws:s3::bucket", "s3:::other";`)) }),
      ]),
    );
    // The user is still there, with the policy.
    expect(byId(snapshot.resources, String(user.Arn))!.attributes.inlinePolicies).toEqual(expect.arrayContaining([expect.objectContaining({ policyName: 'sloppy' })]));
  });

  it('one bad policy among thousands is reported by name; the rest are evaluated; dependent kinds are partial', async () => {
    const gaad = jsonFixture<{ Policies: Record<string, unknown>[]; UserDetailList: Record<string, unknown>[]; RoleDetailList: Record<string, unknown>[] }>('gaad-cli.json');
    const template = gaad.Policies[0]!;
    for (let i = 0; i < 3000; i++) {
      gaad.Policies.push({ ...template, PolicyName: `generated-${i}`, Arn: `arn:aws:iam::111122223333:policy/generated-${i}` });
    }
    gaad.Policies.push({
      ...template,
      PolicyName: 'broken-one',
      Arn: 'arn:aws:iam::111122223333:policy/broken-one',
      DefaultVersionId: 'v1',
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: '%7B%22Statement%22%3A%5B%7B%22Effect' }],
    });
    (gaad.UserDetailList[0]!.AttachedManagedPolicies as unknown[]).push({ PolicyName: 'broken-one', PolicyArn: 'arn:aws:iam::111122223333:policy/broken-one' });
    // A role whose inline policy is not a policy.
    (gaad.RoleDetailList[1]!.RolePolicyList as unknown[]).push({ PolicyName: 'not-a-policy', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 42 }] } });
    const dir = tempTree({ 'gaad.json': JSON.stringify(gaad) });
    const snapshot = await collectOffline({ ...all('gaad-cli.json'), authorizationDetails: join(dir, 'gaad.json') });
    expect(snapshot.resources.filter((r) => r.kind === 'aws.iam.policy')).toHaveLength(4 + 3000);
    expect(byId(snapshot.resources, 'arn:aws:iam::111122223333:policy/broken-one')).toBeUndefined();
    expect(snapshot.issues).toEqual([
      expect.objectContaining({ code: 'ZT_AWS_POLICY_UNPARSEABLE', message: expect.stringMatching(/managed policy broken-one: the document is not JSON/) }),
      expect.objectContaining({ code: 'ZT_AWS_POLICY_UNPARSEABLE', message: expect.stringMatching(/inline policy not-a-policy of role gha-deploy: Statement\[0\]\.Action/) }),
    ]);
    expect(snapshot.coverage['aws.iam.policy']).toMatchObject({ state: 'partial' });
    expect(snapshot.coverage['aws.iam.user']).toMatchObject({ state: 'partial', detail: expect.stringMatching(/user alice uses .*broken-one/) });
    expect(snapshot.coverage['aws.iam.role']).toMatchObject({ state: 'partial' });
    expect(snapshot.coverage['aws.iam.group']).toEqual({ state: 'complete' });
    const gha = byId(snapshot.resources, 'arn:aws:iam::111122223333:role/gha-deploy')!;
    expect(gha.attributes.inlinePolicies).toEqual([]);
  });
});

describe('aws-iam offline through the CLI: bad input is exit 2 with the file and the problem', () => {
  const gaad = fixture('gaad-cli.json');
  const cases: [string, Record<string, string>, string[], RegExp][] = [
    ['a truncated export', { 'gaad.json': readFileSync(gaad, 'utf8').slice(0, 500) }, ['--aws-authorization-details', 'gaad.json'], /ZT_AWS_EXPORT_INVALID[\s\S]*gaad\.json: not valid JSON at line \d+, column \d+ \(the file looks truncated\)/],
    ['a non-JSON file', { 'gaad.json': 'user,arn\nalice,arn:aws:iam::1:user/alice\n' }, ['--aws-authorization-details', 'gaad.json'], /gaad\.json: not valid JSON.*get-account-authorization-details/],
    ['JSON that is not an authorization-details export', { 'gaad.json': JSON.stringify({ Users: [{ UserName: 'alice' }] }) }, ['--aws-authorization-details', 'gaad.json'], /gaad\.json: not an authorization-details export: expected an object with UserDetailList/],
    ['a list that is not a list', { 'gaad.json': JSON.stringify({ UserDetailList: 'alice' }) }, ['--aws-authorization-details', 'gaad.json'], /UserDetailList is not a list of objects/],
    [
      'a credential report with missing columns',
      { 'gaad.json': readFileSync(gaad, 'utf8'), 'report.csv': 'user,arn,password_enabled\n<root_account>,arn:aws:iam::111122223333:root,not_supported\n' },
      ['--aws-authorization-details', 'gaad.json', '--aws-credential-report', 'report.csv'],
      /report\.csv: not a usable credential report: the header lacks the column\(s\) password_last_used, password_last_changed, mfa_active/,
    ],
    [
      'a credential report with a bad value',
      { 'gaad.json': readFileSync(gaad, 'utf8'), 'report.csv': readFixture('credential-report.csv').replace('alice,arn:aws:iam::111122223333:user/alice,2023-03-14T09:21:00+00:00,true', 'alice,arn:aws:iam::111122223333:user/alice,2023-03-14T09:21:00+00:00,yes') },
      ['--aws-authorization-details', 'gaad.json', '--aws-credential-report', 'report.csv'],
      /line 3, column password_enabled: expected true or false, found "yes"/,
    ],
  ];
  it.each(cases)('%s', async (_name, files, args, message) => {
    const dir = tempTree(files);
    const abs = args.map((a) => (a in files ? join(dir, a) : a));
    const { code, stderr, stdout } = await zt(['audit', ...abs]);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  // Values of the wrong type used to crash the collector (ZT_COLLECT_CRASHED, exit 3), drop the
  // object (ZT_COLLECT_MALFORMED, exit 0) or stand in as AWS defaults: every export is checked
  // against the shape zt reads before mapping, so each is exit 2 naming file, line and JSON path.
  const edited = (edit: (gaad: Record<string, Record<string, unknown>[]>) => void): string => {
    const gaad = jsonFixture<Record<string, Record<string, unknown>[]>>('gaad-cli.json');
    edit(gaad);
    return JSON.stringify(gaad, null, 2);
  };
  const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
  // [case, export text, JSON path, the line the value starts on (its first line holding this), lines after it]
  const typeCases: [string, string, string, string, number][] = [
    ['a user whose Tags is an object', edited((g) => void (g.UserDetailList![0]!.Tags = { team: 'platform' })), 'UserDetailList[0].Tags', '"Tags": {', 0],
    ['a role whose Path is not a string', edited((g) => void (g.RoleDetailList![1]!.Path = 7)), 'RoleDetailList[1].Path', '"Path": 7', 0],
    ['a numeric group name', edited((g) => void (g.GroupDetailList![1]!.GroupName = 42)), 'GroupDetailList[1].GroupName', '"GroupName": 42', 0],
    ['a user in a group named by a number', edited((g) => void (g.UserDetailList![2]!.GroupList = [42])), 'UserDetailList[2].GroupList[0]', '"GroupList": [\n        42', 1],
    ['a CreateDate that is not an ISO 8601 date-time', edited((g) => void (g.RoleDetailList![0]!.CreateDate = '05/05/2022')), 'RoleDetailList[0].CreateDate', '"05/05/2022"', 0],
    ['a managed policy version list that is not a list', edited((g) => void (g.Policies![0]!.PolicyVersionList = { v1: true })), 'Policies[0].PolicyVersionList', '"PolicyVersionList": {', 0],
  ];
  it.each(typeCases)('%s: exit 2 naming the file, its line and the JSON path', async (_name, text, path, atLine, after) => {
    const dir = tempTree({ 'gaad.json': text });
    const { code, stderr, stdout } = await zt(['audit', '--aws-authorization-details', join(dir, 'gaad.json'), '-f', 'json']);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/✖ An AWS IAM export file is not what zt expected \(ZT_AWS_EXPORT_INVALID\)/);
    expect(text.split(atLine)).toHaveLength(2);
    expect(stderr).toContain(`${join(dir, 'gaad.json')}:${lineOf(text, atLine) + after}:`);
    expect(stderr).toContain(`: ${path}: `);
    expect(stderr).not.toMatch(/ZT_COLLECT_CRASHED|ZT_COLLECT_MALFORMED|ZT_INTERNAL/);
    expect(code).toBe(2);
  });

  it('an export that mixes AWS accounts is refused, naming the accounts; so are files of two accounts given as one', async () => {
    // IAM never lets a principal pass another account's role or create keys on its users: read as one account, such a file draws paths that do not exist.
    const mixed = edited((g) => void (g.RoleDetailList![0]!.Arn = String(g.RoleDetailList![0]!.Arn).replace('111122223333', '444455556666')));
    const dir = tempTree({ 'gaad.json': mixed, 'other-report.csv': readFixture('credential-report.csv').replaceAll('111122223333', '444455556666') });
    const one = await zt(['audit', '--aws-authorization-details', join(dir, 'gaad.json'), '-f', 'json']);
    expect(one.code).toBe(2);
    expect(one.stdout).toBe('');
    expect(one.stderr).toContain(`${join(dir, 'gaad.json')}: holds principals of 2 AWS accounts (111122223333, 444455556666); an export is one account's`);
    expect(one.stderr).toMatch(/hint: Export each account on its own/);
    const two = await zt(['audit', '--aws-authorization-details', fixture('gaad-cli.json'), '--aws-credential-report', join(dir, 'other-report.csv'), '-f', 'json']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain(`is of AWS account 444455556666, but ${fixture('gaad-cli.json')} is of account 111122223333`);
  });

  it('SDK pages: the path names the page', async () => {
    const page = jsonFixture<Record<string, Record<string, unknown>[]>>('gaad-sdk.json');
    const second = structuredClone(page);
    second.RoleDetailList![0]!.MaxSessionDuration = '3600';
    const dir = tempTree({ 'gaad.json': JSON.stringify([page, second]) });
    const { code, stderr } = await zt(['audit', '--aws-authorization-details', join(dir, 'gaad.json')]);
    expect(stderr).toMatch(/gaad\.json:1:\d+: \[1\]\.RoleDetailList\[0\]\.MaxSessionDuration: .*expected number/);
    expect(code).toBe(2);
  });

  const policyCases: [string, unknown, RegExp][] = [
    ['a length given as text', { PasswordPolicy: { MinimumPasswordLength: '14', RequireSymbols: true } }, /password-policy\.json:3:\d+: PasswordPolicy\.MinimumPasswordLength: .*expected number/],
    ['a flag given as text', { PasswordPolicy: { MinimumPasswordLength: 14, RequireSymbols: 'yes' } }, /password-policy\.json:4:\d+: PasswordPolicy\.RequireSymbols: .*expected boolean/],
    ['a policy without its minimum length', { PasswordPolicy: { RequireSymbols: true } }, /password-policy\.json:2:\d+: PasswordPolicy\.MinimumPasswordLength: /],
    ['a policy that is a list', { PasswordPolicy: [] }, /password-policy\.json:2:\d+: PasswordPolicy: /],
  ];
  it.each(policyCases)('a password policy with %s is exit 2 (it used to become the AWS defaults)', async (_name, policy, message) => {
    const dir = tempTree({ 'gaad.json': readFixture('gaad-cli.json'), 'password-policy.json': JSON.stringify(policy, null, 2) });
    const { code, stderr } = await zt(['audit', '--aws-authorization-details', join(dir, 'gaad.json'), '--aws-password-policy', join(dir, 'password-policy.json')]);
    expect(stderr).toMatch(/ZT_AWS_EXPORT_INVALID/);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  it('"no custom policy" ({} or PasswordPolicy null) is still accepted', async () => {
    for (const policy of [{}, { PasswordPolicy: null }]) {
      const dir = tempTree({ 'password-policy.json': JSON.stringify(policy) });
      const snapshot = await collectOffline({ ...all('gaad-cli.json'), passwordPolicy: join(dir, 'password-policy.json') });
      expect(snapshot.resources.find((r) => r.kind === 'aws.account')!.attributes.passwordPolicy).toBeNull();
    }
  });

  it('an account summary count that is not a whole number, and a virtual MFA device without its serial, are exit 2', async () => {
    const dir = tempTree({
      'gaad.json': readFixture('gaad-cli.json'),
      'summary.json': JSON.stringify({ SummaryMap: { AccountMFAEnabled: 'yes', Users: 4 } }, null, 2),
      'mfa.json': JSON.stringify({ VirtualMFADevices: [{ SerialNumber: 'arn:aws:iam::111122223333:mfa/a' }, { User: { UserName: 'bob' } }] }, null, 2),
    });
    const summary = await zt(['audit', '--aws-authorization-details', join(dir, 'gaad.json'), '--aws-account-summary', join(dir, 'summary.json')]);
    expect(summary.stderr).toMatch(/summary\.json:3:\d+: SummaryMap\.AccountMFAEnabled: .*expected number/);
    expect(summary.code).toBe(2);
    const mfa = await zt(['audit', '--aws-authorization-details', join(dir, 'gaad.json'), '--aws-virtual-mfa', join(dir, 'mfa.json')]);
    expect(mfa.stderr).toMatch(/mfa\.json:\d+:\d+: VirtualMFADevices\[1\]\.SerialNumber: /);
    expect(mfa.code).toBe(2);
  });

  // AWS writes report timestamps as ISO 8601 with an offset; N/A, no_information and not_supported are its documented non-values.
  it.each(['03/14/2023', '14/03/2023', '2023-03-14 09:25', '2023-02-30T09:25:00+00:00', 'yesterday'])('a credential-report timestamp %j is exit 2 naming the file, line and column', async (value) => {
    const csv = readFixture('credential-report.csv').replace('2023-03-14T09:25:00+00:00', value);
    const dir = tempTree({ 'gaad.json': readFixture('gaad-cli.json'), 'report.csv': csv });
    const { code, stderr } = await zt(['audit', '--aws-authorization-details', join(dir, 'gaad.json'), '--aws-credential-report', join(dir, 'report.csv')]);
    expect(stderr).toContain(`${join(dir, 'report.csv')}:3: not a usable credential report: line 3, column password_last_changed: ${JSON.stringify(value)} is not an ISO 8601 timestamp`);
    expect(code).toBe(2);
  });

  it('a missing file is ZT_FILE_UNREADABLE, exit 2', async () => {
    const { code, stderr } = await zt(['audit', '--aws-authorization-details', '/nonexistent/gaad.json']);
    expect(stderr).toMatch(/ZT_FILE_UNREADABLE[\s\S]*cannot read \/nonexistent\/gaad\.json: no such file/);
    expect(code).toBe(2);
  });

  it('live and offline flags together, or export flags without the authorization details, are usage errors', async () => {
    expect((await zt(['audit', '--aws', '--aws-authorization-details', gaad])).code).toBe(2);
    const { code, stderr } = await zt(['audit', '--aws-credential-report', fixture('credential-report.csv'), '--profile', 'x']);
    expect(stderr).toMatch(/offline export flags need --aws-authorization-details/);
    expect(code).toBe(2);
  });
});
