// Collecting an AWS Organization (issue #17): `zt collect --aws --org --out-dir` through the
// fake Organizations and IAM/STS servers (test/support/fake-organizations.ts, fake-iam.ts),
// every answer ZT_AWS_LATENCY_MS late (default 50 ms), each member account holding a
// synthetic estate (bench/aws-synth.js: ZT_AWS_ROLES roles, 0.3× users, 0.5× policies) and
// rate-limiting its IAM calls per account (a token bucket of ZT_AWS_RATE requests a second:
// an empty bucket answers Throttling, which the retries must absorb, never surface). Against the critical
// path: the baseline is the same command limited to one member account (`--accounts <id>`:
// start-up, the organisation's listing, that account's reads under its own rate limit), and
// with --parallel p the whole organisation's bound is ceil(accounts / p) such runs (an
// over-estimate by the start-up and listing repeated per round). Each run is a fresh
// `node bin/zt.js` under /usr/bin/time -v (wall, CPU, peak RSS), one account and the whole
// organisation interleaved.
// Measurements only: `npm run build && node bench/aws-org-collect.js`
// (env: ZT_AWS_ACCOUNTS=50, ZT_AWS_ROLES=1000, ZT_AWS_LATENCY_MS=50, ZT_AWS_RATE=10, ZT_PARALLEL=8, ZT_BENCH_RUNS=2).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthAccount } from './aws-synth.js';
import { timedProcess } from './timed-process.js';

const accounts = Number(process.env.ZT_AWS_ACCOUNTS ?? 50);
const roles = Number(process.env.ZT_AWS_ROLES ?? 1000);
const latencyMs = Number(process.env.ZT_AWS_LATENCY_MS ?? 50);
const rate = Number(process.env.ZT_AWS_RATE ?? 10);
const parallel = Number(process.env.ZT_PARALLEL ?? 8);
const runs = Number(process.env.ZT_BENCH_RUNS ?? 2);
const gaadPage = 100;

const { startFakeIam } = await import('../test/support/fake-iam.ts');
const { startFakeOrganizations } = await import('../test/support/fake-organizations.ts');

const enc = (document) => encodeURIComponent(JSON.stringify(document));
const attached = (list) => list.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn }));
const inline = (list, key) => list.map((p) => ({ PolicyName: p.policyName, [key]: enc(p.document) }));
const boundary = (arn) => (arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } } : {});

const awsManaged = [
  { id: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess', attributes: { document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } },
  { id: 'arn:aws:iam::aws:policy/PowerUserAccess', name: 'PowerUserAccess', attributes: { document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }] } } },
];

/** One synthetic account as the IAM API returns it: GetAccountAuthorizationDetails in SDK shape, and the rest. */
function memberData(account, seed) {
  const snapshot = synthAccount(roles, seed, { account, users: Math.round(roles * 0.3), policies: Math.round(roles * 0.5) });
  const of = (kind) => snapshot.resources.filter((r) => r.kind === kind);
  const id = (prefix, i) => `${prefix}${String(i).padStart(16, '0')}`;
  const gaad = {
    UserDetailList: of('aws.iam.user').map((u, i) => ({ Path: u.attributes.path, UserName: u.name, UserId: id('AIDA', i), Arn: u.id, CreateDate: u.attributes.createdAt, UserPolicyList: inline(u.attributes.inlinePolicies, 'PolicyDocument'), GroupList: u.attributes.groups, AttachedManagedPolicies: attached(u.attributes.attachedPolicies), ...boundary(u.attributes.permissionsBoundaryArn), Tags: [] })),
    GroupDetailList: of('aws.iam.group').map((g, i) => ({ Path: '/', GroupName: g.name, GroupId: id('AGPA', i), Arn: g.id, CreateDate: '2024-01-01T00:00:00Z', GroupPolicyList: [], AttachedManagedPolicies: attached(g.attributes.attachedPolicies) })),
    RoleDetailList: of('aws.iam.role').map((r, i) => ({ Path: r.attributes.path, RoleName: r.name, RoleId: id('AROA', i), Arn: r.id, CreateDate: r.attributes.createdAt, AssumeRolePolicyDocument: enc(r.attributes.trustPolicy), InstanceProfileList: [], RolePolicyList: inline(r.attributes.inlinePolicies, 'PolicyDocument'), AttachedManagedPolicies: attached(r.attributes.attachedPolicies), ...boundary(r.attributes.permissionsBoundaryArn), Tags: [], MaxSessionDuration: 3600 })),
    // The AWS managed policies the synthetic principals attach are in the export, as GetAccountAuthorizationDetails lists every attached one.
    Policies: [...of('aws.iam.policy'), ...awsManaged].map((p, i) => ({ PolicyName: p.name, PolicyId: id('ANPA', i), Arn: p.id, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: '2024-01-01T00:00:00Z', UpdateDate: '2024-01-01T00:00:00Z', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2024-01-01T00:00:00Z', Document: enc(p.attributes.document) }] })),
  };
  const header = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const row = (name, arn, password, mfa) => `${name},${arn},2024-01-01T00:00:00+00:00,${password},N/A,N/A,N/A,${mfa},false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  const csv = [header, row('<root_account>', `arn:aws:iam::${account}:root`, 'not_supported', 'true'), ...of('aws.iam.user').map((u, i) => row(u.name, u.id, i % 3 === 0 ? 'true' : 'false', i % 2 === 0 ? 'true' : 'false'))].join('\n');
  return {
    gaad,
    credentialReportCsv: csv,
    summary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, AccountPasswordPresent: 0, Users: gaad.UserDetailList.length, Roles: gaad.RoleDetailList.length },
    passwordPolicy: { MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, PasswordReusePrevention: 24, MaxPasswordAge: 90 },
    virtualMfa: [],
    mfaDevices: {},
    oidc: [],
    saml: [],
    aliases: [`acct-${account}`],
  };
}

const ids = Array.from({ length: accounts }, (_, i) => String(100000000000 + i + 1));
const management = ids[0];
const members = {};
let principals = 0;
for (const [i, account] of ids.entries()) {
  const data = memberData(account, i + 1);
  principals += data.gaad.RoleDetailList.length + data.gaad.UserDetailList.length;
  members[account] = { data, options: { pageSize: gaadPage, latencyMs }, throttle: { perSecond: rate, burst: rate } };
}
const iam = await startFakeIam(members[management].data, { pageSize: gaadPage, latencyMs, members, callerArn: `arn:aws:iam::${management}:user/auditor` });
const org = await startFakeOrganizations(
  { id: 'o-bench00001', managementAccount: management, accounts: ids.map((Id, i) => ({ Id, Name: `account-${i}` })), policies: [{ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true, Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), targets: ['r-ab12'] }] },
  { latencyMs },
);

const dir = mkdtempSync(join(tmpdir(), 'zt-bench-org-'));
const bin = fileURLToPath(new URL('../bin/zt.js', import.meta.url));
const env = { ...process.env, HOME: dir, AWS_ACCESS_KEY_ID: 'AKIAFAKEFORTESTS0001', AWS_SECRET_ACCESS_KEY: 'fakeSecretKeyForTestsOnly/0000000000000000', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_IAM: iam.url, AWS_ENDPOINT_URL_STS: iam.url, AWS_ENDPOINT_URL_ORGANIZATIONS: org.url };

/** One fresh `zt collect` under /usr/bin/time -v; asynchronous, as this process serves the fakes. */
async function collect(flags) {
  const out = mkdtempSync(join(dir, 'out-'));
  const result = await timedProcess([process.execPath, bin, 'collect', '--aws', ...flags, '--out-dir', out, '--parallel', String(parallel), '--quiet'], { env });
  const files = readdirSync(out).length;
  rmSync(out, { recursive: true, force: true });
  const surfaced = (result.stderr.match(/Throttl|TooManyRequests|Rate exceeded/g) ?? []).length;
  return { ...result, files, surfaced };
}

const one = [];
const all = [];
for (let run = 0; run < runs; run++) {
  one.push(await collect(['--org', '--accounts', ids[1]]));
  all.push(await collect(['--org']));
}
const median = (list, key) => [...list].map((r) => r[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
// Signed with member ids[2]'s session: only the whole-organisation runs read it.
const requestsPerAccount = iam.requests.filter((r) => r.authorization.includes(`ASIA${ids[2]}ZT01`)).length / runs || NaN;
// The critical path: one account's sequential reads (its GAAD pages and other calls, each latencyMs), times the rounds of --parallel.
const gaadPages = Math.ceil(Math.max(roles, Math.round(roles * 0.3), Math.round(roles * 0.5)) / gaadPage);
const rounds = Math.ceil(accounts / parallel);
console.log(`AWS Organization collection: ${accounts} accounts × ${roles} roles (${principals} principals), ${latencyMs} ms per answer, ${rate} requests/s per account, --parallel ${parallel}, load ${loadavg()[0].toFixed(1)}`);
for (const [label, list] of [['one member account (--accounts)', one], [`${accounts} accounts --org`, all]]) {
  for (const r of list) {
    if (r.status !== 0) console.log(`  ${label}: exit ${r.status}\n${r.stderr.slice(-2000)}`);
  }
  console.log(`  ${label}: wall ${(median(list, 'wallMs') / 1000).toFixed(1)} s, CPU ${median(list, 'cpuS').toFixed(1)} s, peak RSS ${median(list, 'rssMb').toFixed(0)} MB, snapshots ${list[0].files}, throttling surfaced ${list.reduce((n, r) => n + r.surfaced, 0)}`);
}
const oneWall = median(one, 'wallMs');
const bound = rounds * oneWall;
console.log(`  bound: ${rounds} round(s) of the one-account run (≥ ${gaadPages} GetAccountAuthorizationDetails pages at ${latencyMs} ms; ${(oneWall / 1000).toFixed(1)} s measured) = ${(bound / 1000).toFixed(1)} s; organisation / bound = ${(median(all, 'wallMs') / bound).toFixed(2)}×`);
if (Number.isFinite(requestsPerAccount)) console.log(`  requests per member account per run: ${requestsPerAccount.toFixed(0)}`);
await iam.close();
await org.close();
rmSync(dir, { recursive: true, force: true });
