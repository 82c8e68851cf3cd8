import { afterEach, describe, expect, it } from 'vitest';
import { startFakeIam, type FakeIam, type FakeIamOptions, type FakeMember } from '../../support/fake-iam.js';
import { FULL_AWS_ACCESS, ROOT_ID, startFakeOrganizations, type FakeOrganizationData, type FakeOrganizations, type FakeOrganizationsOptions } from '../../support/fake-organizations.js';
import { fakeData, runZt } from '../aws-iam/support.js';
import { organizationsReads } from '../../../src/collectors/aws-organizations/reads.js';
import { estateEnv, membersOf } from './support.js';

// `zt audit --org` at the wire: the real SDK clients (Organizations JSON 1.1, STS and IAM
// query) against the fake Organizations and the fake IAM/STS, whose member accounts each
// serve their own IAM data to the session AssumeRole gave for them.

const MANAGEMENT = '111122223333';
const PROD = '222233334444';
const STAGING = '333344445555';
const SANDBOX = '555566667777';
const LEGACY = '666677778888';
const SUSPENDED = '444455556666';

interface JsonReport {
  inventory: { sources: { source: string; collector: string }[]; issues: { code: string; severity: string; message: string; source?: string }[]; resourceCount: number };
  targets: { source: string; resourceCount: number }[];
  ruleResults: { ruleId: string; status: string }[];
}

let iam: FakeIam | undefined;
let org: FakeOrganizations | undefined;
afterEach(async () => {
  await iam?.close();
  await org?.close();
  iam = undefined;
  org = undefined;
});

function organization(extra: Partial<FakeOrganizationData> = {}): FakeOrganizationData {
  return {
    id: 'o-abc123defg',
    managementAccount: MANAGEMENT,
    accounts: [
      { Id: MANAGEMENT, Name: 'management' },
      { Id: PROD, Name: 'prod-payments', parent: 'ou-ab12-prod' },
      { Id: STAGING, Name: 'staging', parent: 'ou-ab12-nonprod' },
      { Id: SUSPENDED, Name: 'old-sandbox', State: 'SUSPENDED' },
      { Id: SANDBOX, Name: 'sandbox', parent: 'ou-ab12-nonprod' },
      { Id: LEGACY, Name: 'prod-legacy', parent: 'ou-ab12-prod' },
    ],
    ous: [
      { Id: 'ou-ab12-prod', Name: 'Production', parent: ROOT_ID },
      { Id: 'ou-ab12-nonprod', Name: 'Non-production', parent: ROOT_ID },
    ],
    policies: [{ ...FULL_AWS_ACCESS, targets: [ROOT_ID, 'ou-ab12-prod', 'ou-ab12-nonprod', MANAGEMENT, PROD, STAGING, SUSPENDED, SANDBOX, LEGACY] }],
    ...extra,
  };
}

async function estate(members: Readonly<Record<string, Partial<FakeMember>>> = {}, orgOptions: FakeOrganizationsOptions = {}, iamOptions: FakeIamOptions = {}, data = organization()) {
  const active = data.accounts.filter((a) => (a.State ?? 'ACTIVE') === 'ACTIVE' && a.Id !== MANAGEMENT).map((a) => a.Id);
  iam = await startFakeIam(fakeData(), { ...iamOptions, members: membersOf(active, members) });
  org = await startFakeOrganizations(data, { pageSize: 2, ...orgOptions });
  return estateEnv(iam.url, org.url);
}

const assumed = (): string[] => [...new Set((iam?.requests ?? []).filter((r) => r.action === 'AssumeRole').map((r) => r.params.get('RoleArn') ?? ''))].sort();
const roleOf = (account: string, role = 'zt-audit'): string => `arn:aws:iam::${account}:role/${role}`;

describe('zt audit --org: the organisation listed, each ACTIVE account audited through --org-role', () => {
  it('lists every page, audits each ACTIVE account as its own target (the caller\'s own with its own credentials), lists the others as info', async () => {
    const env = await estate();
    const { code, stdout, stderr } = await runZt(['audit', '--aws', '--org', '-f', 'json', '--fail-on', 'none'], env);
    expect(stderr).not.toMatch(/ZT_COLLECT/);
    expect(code).toBe(0);
    // 6 accounts at 2 a page: three pages, each asked for once.
    expect(org?.count('ListAccounts')).toBe(3);
    // What it called is what reads.ts declares (zt doctor and docs/permissions.md read that).
    expect([...new Set(org?.requests.map((r) => r.action))].sort()).toEqual(organizationsReads.map((r) => r.action).sort());
    expect(assumed()).toEqual([roleOf(PROD), roleOf(STAGING), roleOf(SANDBOX), roleOf(LEGACY)].sort());
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.sources.map((s) => s.source).sort()).toEqual(['aws-org:o-abc123defg', ...[MANAGEMENT, PROD, STAGING, SANDBOX, LEGACY].map((a) => `aws:${a}`)].sort());
    // Each member's resources are its own account's.
    const single = await runZt(['audit', '--aws', '-f', 'json', '--fail-on', 'none'], env);
    const one = (JSON.parse(single.stdout) as JsonReport).inventory.resourceCount;
    for (const account of [PROD, STAGING, SANDBOX, LEGACY, MANAGEMENT]) expect(report.targets.find((t) => t.source === `aws:${account}`)?.resourceCount, account).toBe(one);
    // Trust outside the organisation is judged where the organisation was read, and only there.
    const trustOutside = (r: JsonReport) => r.ruleResults.find((x) => x.ruleId === 'ZT-IDN-061');
    expect(trustOutside(report)?.status).toMatch(/^(pass|fail)$/);
    expect(trustOutside(JSON.parse(single.stdout) as JsonReport)?.status).toBe('not_applicable');
    const inactive = report.inventory.issues.filter((i) => i.code === 'ZT_ORG_ACCOUNT_NOT_ACTIVE');
    expect(inactive).toHaveLength(1);
    expect(inactive[0]).toMatchObject({ severity: 'info', source: 'aws-org:o-abc123defg' });
    expect(inactive[0]?.message).toContain(`account ${SUSPENDED} (old-sandbox) is SUSPENDED`);
  });

  it('an account whose role cannot be assumed is that account\'s collection issue (exit 3, naming it), whatever the cause; the others are audited', async () => {
    // STAGING: the trust policy refuses; SANDBOX: the role does not exist there; LEGACY: gone since it was listed.
    const env = await estate({ [STAGING]: { denyAssume: true }, [SANDBOX]: { roles: ['OrganizationAccountAccessRole'] }, [LEGACY]: { vanished: true } });
    const { code, stdout, stderr } = await runZt(['audit', '--aws', '--org', '-f', 'json', '--fail-on', 'none'], env);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as JsonReport;
    for (const account of [STAGING, SANDBOX, LEGACY]) {
      const issues = report.inventory.issues.filter((i) => i.source === `aws:${account}` && i.severity === 'error');
      expect(issues.map((i) => i.code), account).toEqual(['ZT_COLLECT_AUTH']);
      expect(issues[0]?.message).toContain(`could not assume ${roleOf(account)}: AccessDenied`);
      expect(issues[0]?.message).toContain(`Account ${account}: check that role zt-audit exists there`);
      expect(stderr).toContain(`aws:${account}`);
    }
    // The rest were read in full.
    for (const account of [MANAGEMENT, PROD]) expect(report.targets.find((t) => t.source === `aws:${account}`)?.resourceCount, account).toBeGreaterThan(10);
  });

  it('--org-role names the role, --external-id is passed to every AssumeRole; a role missing in some accounts fails only those', async () => {
    const roles = (...names: string[]) => ({ roles: names });
    const env = await estate(
      { [PROD]: roles('security/ZtReadOnly'), [STAGING]: roles('security/ZtReadOnly', 'OrganizationAccountAccessRole'), [SANDBOX]: roles('OrganizationAccountAccessRole'), [LEGACY]: roles('zt-audit') },
      {},
      { requiredExternalId: 'ext-1234-canary' },
    );
    const { code, stdout } = await runZt(['audit', '--org', '--org-role', 'security/ZtReadOnly', '--external-id', 'ext-1234-canary', '-f', 'json', '--fail-on', 'none'], env);
    expect(code).toBe(3);
    const externalIds = new Set(iam?.requests.filter((r) => r.action === 'AssumeRole').map((r) => r.params.get('ExternalId')));
    expect([...externalIds]).toEqual(['ext-1234-canary']);
    const report = JSON.parse(stdout) as JsonReport;
    const failed = report.inventory.issues.filter((i) => i.severity === 'error').map((i) => i.source).sort();
    expect(failed).toEqual([`aws:${SANDBOX}`, `aws:${LEGACY}`]);
    expect(report.inventory.issues.find((i) => i.source === `aws:${SANDBOX}`)?.message).toContain(`could not assume arn:aws:iam::${SANDBOX}:role/security/ZtReadOnly`);
  });

  it('throttling is retried through, in Organizations and in each account\'s IAM, per account', async () => {
    const throttled = { options: { faults: { GetAccountAuthorizationDetails: ['Throttling', 'Throttling'], GetAccountSummary: ['Throttling'] } } };
    const env = await estate({ [PROD]: throttled, [STAGING]: throttled }, { faults: { ListAccounts: ['TooManyRequestsException', 'TooManyRequestsException'], ListPolicies: ['TooManyRequestsException'] } });
    const { code, stdout, stderr } = await runZt(['audit', '--org', '-f', 'json', '--fail-on', 'none'], env);
    expect(stderr).not.toMatch(/THROTTLED|ZT_COLLECT/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(report.targets.find((t) => t.source === `aws:${PROD}`)?.resourceCount).toBe(report.targets.find((t) => t.source === `aws:${SANDBOX}`)?.resourceCount);
  }, 60_000);

  it('a session that expires mid-run is that account\'s issue (exit 3, naming it); the others are audited', async () => {
    const env = await estate({ [PROD]: { expireAfter: 3 } });
    const { code, stdout } = await runZt(['audit', '--org', '-f', 'json', '--fail-on', 'none'], env);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as JsonReport;
    const errors = report.inventory.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => [i.source, i.code])).toEqual([[`aws:${PROD}`, 'ZT_COLLECT_AUTH']]);
    expect(errors[0]?.message).toMatch(new RegExp(`AWS refused the credentials of role arn:aws:iam::${PROD}:role/zt-audit .*ExpiredToken \\(expired\\)`));
    for (const account of [STAGING, SANDBOX, LEGACY]) expect(report.targets.find((t) => t.source === `aws:${account}`)?.resourceCount, account).toBeGreaterThan(10);
  });

  it('--accounts and --exclude-accounts take ids and globs over ids and names (comma-separated or repeated); a pattern matching nothing is said', async () => {
    const env = await estate();
    const { code, stdout } = await runZt(['audit', '--org', '--accounts', 'prod-*,3333*', '--accounts', SANDBOX, '--exclude-accounts', '*-legacy', '--exclude-accounts', '999999999999', '-f', 'json', '--fail-on', 'none'], env);
    expect(assumed()).toEqual([roleOf(PROD), roleOf(STAGING), roleOf(SANDBOX)].sort());
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.sources.map((s) => s.source).sort()).toEqual(['aws-org:o-abc123defg', `aws:${PROD}`, `aws:${STAGING}`, `aws:${SANDBOX}`].sort());
    const unmatched = report.inventory.issues.filter((i) => i.code === 'ZT_ORG_ACCOUNTS_UNMATCHED');
    expect(unmatched.map((i) => i.message)).toEqual(['--accounts/--exclude-accounts 999999999999: no account of organisation o-abc123defg has that id or name']);
    expect(code).toBe(3); // the pattern the user gave that matched nothing
    const filtered = report.inventory.issues.find((i) => i.code === 'ZT_ORG_ACCOUNTS_FILTERED');
    expect(filtered?.message).toContain(`${MANAGEMENT}, ${SUSPENDED}, ${LEGACY}`);
  });

  it('the organisation not readable: ListAccounts denied, or the caller outside any organisation, is exit 3 with what to do', async () => {
    let env = await estate({}, { deny: ['ListAccounts'] });
    let run = await runZt(['audit', '--org', '-f', 'json', '--fail-on', 'none'], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/organizations:ListAccounts was denied \(AccessDeniedException\)/);
    expect(run.stderr).toMatch(/management account or a delegated administrator/);
    await iam?.close();
    await org?.close();
    env = await estate({}, { notInUse: true });
    run = await runZt(['audit', '--org', '-f', 'json', '--fail-on', 'none'], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/not in an organisation/);
  });

  it('an answer that is not Organizations\' JSON (a portal page, JSON cut short) is not an empty organisation', async () => {
    for (const fault of ['wire:html', 'wire:cut-json']) {
      const env = await estate({}, { faults: { ListAccounts: [fault, fault, fault, fault] } });
      const { code, stderr } = await runZt(['audit', '--org', '-f', 'json', '--fail-on', 'none'], env);
      expect(code, fault).toBe(3);
      expect(stderr, fault).toMatch(/AWS Organizations: organizations:ListAccounts failed: (HTTP 200 with an HTML page|the answer was cut short)/);
      expect(assumed(), fault).toEqual([]);
      await iam?.close();
      await org?.close();
    }
  });

  it('refuses what does not go with --org (exit 2)', async () => {
    const env = estateEnv('http://127.0.0.1:9', 'http://127.0.0.1:9');
    const cases: [string[], RegExp][] = [
      [['--aws', '--accounts', '1111*'], /need --org/],
      [['--org-role', 'x'], /need --org/],
      [['--org', '--role-arn', roleOf(PROD)], /--org assumes --org-role in each member account/],
      [['--org', '--profile', 'a', '--profile', 'b'], /one set of credentials, and 2 profiles/],
      [['--org', '--org-role', roleOf(PROD)], /is not an IAM role name/],
      [['--org', '--aws-authorization-details', 'x.json'], /live \(--org\) or offline/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runZt(['audit', ...args, '-f', 'json'], env);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(message);
    }
  });

  it('zt doctor --org checks every Organizations action and the member role for the caller, naming what is missing', async () => {
    const env = await estate({}, {}, { deny: ['organizations:ListPolicies'] });
    const { code, stdout } = await runZt(['doctor', '--org', '-f', 'json'], env);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as { sources: { source: string; checks: { check: string; status: string; grant?: string }[] }[] };
    const checks = report.sources.find((d) => d.source === 'aws-organizations')?.checks ?? [];
    expect(checks.map((c) => c.check)).toEqual([...organizationsReads.map((r) => `organizations:${r.action}`), 'sts:AssumeRole arn:aws:iam::*:role/zt-audit']);
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([expect.objectContaining({ check: 'organizations:ListPolicies', status: 'missing', grant: expect.stringContaining('organizations:ListPolicies') })]);
  });
});
