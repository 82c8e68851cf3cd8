import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketOf as clientBucketOf, clientAssertion, nextLink } from '../../../src/collectors/okta/client.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { configSchema } from '../../../src/config/config.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { bucketOf, startFakeOkta, tenantFromExport, type FakeOkta } from '../../support/fake-okta.mjs';
import { CANARY_TOKEN, collectWith, context, exportDir, oauthKeys, selfSignedCert, trust } from './support.js';

const tls = selfSignedCert();
const untrusted = selfSignedCert();
const keys = oauthKeys();
const tenant = tenantFromExport(exportDir);
const env = { OKTA_API_TOKEN: CANARY_TOKEN };

let okta: FakeOkta;
const servers: FakeOkta[] = [];
async function fake(options: Partial<Parameters<typeof startFakeOkta>[0]> = {}): Promise<FakeOkta> {
  const server = await startFakeOkta({ tenant, tls, token: CANARY_TOKEN, pageSize: 2, oauth: { clientId: '0oaZtServiceApp01', publicKeyPem: keys.publicKeyPem }, ...options });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  trust(tls.cert);
  okta = await fake();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const byKind = (resources: readonly Resource[], kind: string): Resource[] => resources.filter((r) => r.kind === kind);

describe('Okta wire helpers', () => {
  it('finds rel="next" in Link headers that fetch joined into one string', () => {
    const joined = '<https://a.okta.com/api/v1/users?limit=2>; rel="self", <https://a.okta.com/api/v1/users?after=00u1b2c3d4E5f6G7h8i9&limit=2>; rel="next"';
    expect(nextLink(joined)).toBe('https://a.okta.com/api/v1/users?after=00u1b2c3d4E5f6G7h8i9&limit=2');
    expect(nextLink('<https://a.okta.com/api/v1/users?limit=2>; rel="self"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });

  it('names rate-limit buckets per endpoint, ids folded, the same way as the fake server', () => {
    expect(clientBucketOf('/api/v1/users/00u1a2b3c4D5e6F7g8h9/factors')).toBe('/api/v1/users/{id}/factors');
    expect(clientBucketOf('/api/v1/users')).toBe('/api/v1/users');
    expect(bucketOf('/api/v1/policies/rst1appPolicy00001/rules')).toBe(clientBucketOf('/api/v1/policies/rst1appPolicy00001/rules'));
  });
});

describe('Okta collector against a fake org (SSWS token)', () => {
  it('reads users (Link-paged), factors, roles, groups, policies, apps and org settings, the same as the export', async () => {
    const live = await collectWith({ okta: okta.url }, context(env));
    const offline = await collectWith({ oktaExport: exportDir, okta: okta.url }, context({}));
    expect(live.source).toEqual({ collector: 'okta', source: `okta:${new URL(okta.url).host}`, mode: 'live' });
    expect(live.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(Object.values(live.coverage).every((c) => c?.state === 'complete')).toBe(true);
    expect(live.resources).toEqual(offline.resources);
    // 7 non-deprovisioned users at 2 per page: 4 pages followed through Link headers.
    expect(okta.stats.byBucket['/api/v1/users']).toBeGreaterThanOrEqual(4);
    expect(byKind(live.resources, 'idp.user')).toHaveLength(7);
    // 3 admins at 2 per page: body paging through _links.next.
    expect(okta.stats.byBucket['/api/v1/iam/assignees/users']).toBeGreaterThanOrEqual(2);
    const roles = byKind(live.resources, 'okta.adminRoles')[0]!.attributes;
    expect(roles.superAdmins).toEqual(['breakglass-1@acme.example', 'dana.admin@acme.example']);
    expect(okta.stats.authHeaders.every((h) => h === 'SSWS')).toBe(true);
  });

  it('maps factor strength, admin roles and statuses into idp.user', async () => {
    const out = await collectWith({ okta: okta.url }, context(env));
    const user = (login: string) => byKind(out.resources, 'idp.user').find((u) => u.name === login)!.attributes;
    expect(user('dana.admin@acme.example')).toMatchObject({
      adminRoles: ['SUPER_ADMIN'],
      privileged: true,
      factors: [
        { type: 'signed_nonce', strength: 'phishing_resistant', status: 'active' },
        { type: 'sms', strength: 'weak', status: 'active' },
        { type: 'webauthn', strength: 'phishing_resistant', status: 'active' },
      ],
    });
    expect(user('jo.park@acme.example')).toMatchObject({ adminRoles: ['ORG_ADMIN'], privileged: true });
    expect(user('rita.gomez@acme.example')).toMatchObject({ status: 'active', factors: [{ type: 'sms', strength: 'weak', status: 'active' }] });
    expect(user('sam.okafor@acme.example')).toMatchObject({ status: 'suspended' });
    expect(user('breakglass-1@acme.example')).toMatchObject({ adminRoles: ['SUPER_ADMIN'] }); // held through the Break-glass group
  });

  it('applies the config: break-glass and service accounts are listed as such, FastPass per policy', async () => {
    const config = configSchema.parse({ identity: { breakGlass: ['breakglass-*'], serviceAccounts: ['svc-*'], fastPassIsPhishingResistant: false } });
    const out = await collectWith({ okta: okta.url }, context(env, config));
    const user = (login: string) => byKind(out.resources, 'idp.user').find((u) => u.name === login)!.attributes;
    expect(user('breakglass-1@acme.example').accountClass).toBe('break_glass');
    expect(user('svc-sync@acme.example').accountClass).toBe('service');
    expect(user('lee.chen@acme.example').accountClass).toBe('human');
    expect((user('dana.admin@acme.example').factors as { type: string; strength: string }[]).find((f) => f.type === 'signed_nonce')?.strength).toBe('mfa');
    expect(out.issues.map((i) => i.message).join('\n')).toMatch(/1 break-glass and 1 service account/);
  });

  it('reads DEPROVISIONED users only with --okta-include-deprovisioned', async () => {
    const without = await collectWith({ okta: okta.url }, context(env));
    const withThem = await collectWith({ okta: okta.url, oktaIncludeDeprovisioned: true }, context(env));
    expect(byKind(without.resources, 'idp.user').some((u) => u.attributes.status === 'deprovisioned')).toBe(false);
    expect(byKind(withThem.resources, 'idp.user').find((u) => u.attributes.status === 'deprovisioned')?.name).toBe('old.leaver@acme.example');
  });

  it('waits for X-Rate-Limit-Reset after a 429 and carries on', async () => {
    const server = await fake({ faults: { throttleOnce: ['/api/v1/users/{id}/factors'] } });
    const out = await collectWith({ okta: server.url }, context(env));
    expect(server.stats.throttled).toBe(1);
    expect(out.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(out.issues.find((i) => i.code === 'ZT_OKTA_RATE_LIMITED')?.message).toMatch(/429 to 1 of \d+ requests/);
    expect(byKind(out.resources, 'idp.user').find((u) => u.name === 'lee.chen@acme.example')?.attributes.factors).toHaveLength(2);
  });

  it('paces each endpoint bucket on X-Rate-Limit-Remaining so a small bucket provokes no 429', async () => {
    // 5 requests per 1-second window per bucket (zt leaves 10 %, at least 1, unused); the per-user
    // factor reads alone need 6, the policy-rule reads 6, the user list 4 pages.
    const server = await fake({ limit: 5, windowMs: 1000 });
    const progress: string[] = [];
    const out = await collectWith({ okta: server.url }, context(env, undefined, progress));
    expect(server.stats.throttled).toBe(0);
    expect(server.stats.maxPerWindow).toBeLessThanOrEqual(5);
    expect(byKind(out.resources, 'idp.user')).toHaveLength(7);
    expect(out.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  }, 60_000);

  it('a 403 on one endpoint marks the kinds it feeds missing (permission_denied) and names the scope', async () => {
    const server = await fake({ faults: { deny: ['/api/v1/policies'] } });
    const out = await collectWith({ okta: server.url }, context(env));
    expect(out.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(out.coverage['okta.passwordPolicy']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(out.coverage['idp.user']).toEqual({ state: 'complete' });
    const denied = out.issues.filter((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0]!.message).toMatch(/okta\.policies\.read/);
    expect(byKind(out.resources, 'idp.accessPolicy')).toEqual([]);
    // Apps still listed, but what their policy demands is unknown (null), never a pass.
    expect(byKind(out.resources, 'okta.app')[0]!.attributes.allowRulesRequireMfa).toBeNull();
  });
  it('reads group owners live and from the export alike: users by login, owning groups by name, unresolved owners left out', async () => {
    const server = await fake();
    const live = await collectWith({ okta: server.url }, context(env));
    const owners = Object.fromEntries(byKind(live.resources, 'idp.group').map((g) => [g.name, g.attributes.owners]));
    expect(owners).toEqual({ Everyone: [], 'Okta Admins': ['group Break-glass', 'lee.chen@acme.example'], 'Break-glass': ['dana.admin@acme.example'] });
    expect(server.stats.byBucket['/api/v1/groups/{id}/owners']).toBe(3);
    // The export without its group-owners/ folder: owners unknown, and said.
    const dir = mkdtempSync(join(tmpdir(), 'zt-okta-no-owners-'));
    cpSync(exportDir, dir, { recursive: true });
    rmSync(join(dir, 'group-owners'), { recursive: true });
    const older = await collectWith({ oktaExport: dir }, context({}));
    for (const g of byKind(older.resources, 'idp.group')) expect(g.attributes.owners).toBeNull();
    expect(older.issues.find((i) => /group owners are unknown/.test(i.message))).toMatchObject({ severity: 'info', code: 'ZT_COLLECT_INPUT_MISSING' });
  });

  it('a refused owners read leaves every group\'s owners unknown (null), never "no owner", with an info issue; nothing else is affected', async () => {
    const server = await fake({ faults: { deny: ['/api/v1/groups/{id}/owners'] } });
    const out = await collectWith({ okta: server.url }, context(env));
    for (const g of byKind(out.resources, 'idp.group')) expect(g.attributes.owners, g.name).toBeNull();
    expect(out.issues.find((i) => /owners/.test(i.message))).toMatchObject({ severity: 'info', code: 'ZT_COLLECT_ACCESS_DENIED', kinds: ['idp.group'] });
    expect(out.issues.find((i) => /owners/.test(i.message))?.message).toMatch(/^Okta denied GET \/api\/v1\/groups\/\S+\/owners\?limit=1000 \(403 E0000006\); group owners are unknown, so they do not assign access reviewers \(grant okta\.groups\.read\)$/);
    expect(Object.values(out.coverage).every((c) => c?.state === 'complete')).toBe(true);
  });

  it('a 403 on the per-user factor reads leaves idp.user missing and stops reading factors', async () => {
    const server = await fake({ faults: { deny: ['/api/v1/users/{id}/factors'] } });
    const out = await collectWith({ okta: server.url }, context(env));
    expect(out.coverage['idp.user']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(out.issues.find((i) => i.code === 'ZT_COLLECT_ACCESS_DENIED')?.message).toMatch(/okta\.users\.read/);
    // The first refusal ends that read: no more than the requests already in flight follow it.
    expect(server.stats.byBucket['/api/v1/users/{id}/factors']).toBeLessThanOrEqual(8);
    expect(out.coverage['idp.accessPolicy']).toEqual({ state: 'complete' });
  });
});

describe('zt audit / zt collect --okta (in-process CLI)', () => {
  async function zt(argv: string[], environment: Record<string, string> = env) {
    const io = memoryIo({ env: environment });
    const code = await run(argv, io);
    return { code, stdout: io.out(), stderr: io.err() };
  }

  it('zt collect --okta writes a snapshot without the token', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'zt-okta-')), 'snap.json');
    const result = await zt(['collect', '--okta', okta.url, '--out', out, '--quiet']);
    expect(result.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(JSON.parse(text).resources.length).toBeGreaterThan(20);
    for (const s of [text, result.stdout, result.stderr]) expect(s).not.toContain(CANARY_TOKEN);
  });

  it('zt audit --okta evaluates the Okta rules; a 403 makes dependent rules not_evaluated, never pass', async () => {
    const server = await fake({ faults: { deny: ['/api/v1/policies', '/api/v1/logStreams'] } });
    const result = await zt(['audit', '--okta', server.url, '--format', 'json', '--fail-on', 'none', '--quiet']);
    const report = JSON.parse(result.stdout);
    const rule = (id: string) => report.ruleResults.find((r: { ruleId: string }) => r.ruleId === id);
    expect(rule('ZT-IDN-005')).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'permission_denied' });
    expect(rule('ZT-IDN-012')).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'permission_denied' }); // log streams
    expect(rule('ZT-IDN-011')).toMatchObject({ status: 'not_evaluated' }); // same kind (okta.org): not judged on part of it
    expect(rule('ZT-IDN-001').status).toBe('fail'); // users were read: rita and jo have no MFA
    expect(result.stdout + result.stderr).not.toContain(CANARY_TOKEN);
  });

  it('a revoked token is ZT_COLLECT_AUTH (exit 3) and the token appears nowhere', async () => {
    const server = await fake({ faults: { revoked: true } });
    const result = await zt(['audit', '--okta', server.url, '--format', 'json', '--quiet']);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.inventory?.issues ?? report.issues ?? result.stdout).toBeTruthy();
    expect(result.stdout).toMatch(/ZT_COLLECT_AUTH/);
    expect(result.stdout).toMatch(/refused the API token from OKTA_API_TOKEN \(401 E0000011/);
    expect(result.stdout + result.stderr).not.toContain(CANARY_TOKEN);
  });

  it('an unreachable org or an untrusted certificate is ZT_COLLECT_UNREACHABLE (exit 3)', async () => {
    const closed = await fake();
    const url = closed.url;
    await closed.close();
    const refused = await zt(['audit', '--okta', url, '--format', 'json', '--quiet']);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/ZT_COLLECT_UNREACHABLE/);
    expect(refused.stdout).toMatch(/ECONNREFUSED/);

    const bad = await startFakeOkta({ tenant, tls: untrusted, token: CANARY_TOKEN });
    servers.push(bad);
    const tlsFail = await zt(['audit', '--okta', bad.url, '--format', 'json', '--quiet']);
    expect(tlsFail.code).toBe(3);
    expect(tlsFail.stdout).toMatch(/ZT_COLLECT_UNREACHABLE/);
    expect(tlsFail.stdout).toMatch(/SELF_SIGNED|CERT/);
    expect(bad.stats.requests).toBe(0); // the token was never sent over the untrusted connection
    expect(tlsFail.stdout + tlsFail.stderr).not.toContain(CANARY_TOKEN);
  });

  it('no credentials is ZT_COLLECT_CONFIG; an admin-console URL is a usage error (exit 2)', async () => {
    const none = await zt(['audit', '--okta', okta.url, '--format', 'json', '--quiet'], {});
    expect(none.code).toBe(3);
    expect(none.stdout).toMatch(/ZT_COLLECT_CONFIG/);
    const admin = await zt(['audit', '--okta', 'https://acme-admin.okta.com', '--quiet'], {});
    expect(admin.code).toBe(2);
    expect(admin.stderr).toMatch(/without -admin/);
  });
});

describe('OAuth service app (private-key JWT)', () => {
  it('signs an RS256 client assertion the server can verify, then reads with the Bearer token', async () => {
    const server = await fake();
    const out = await collectWith({ okta: server.url, oktaClientId: '0oaZtServiceApp01' }, context({ OKTA_PRIVATE_KEY: keys.privateKeyPem }));
    expect(server.stats.tokenRequests).toBe(1);
    expect(server.stats.grantedScopes).toEqual(expect.arrayContaining(['okta.users.read', 'okta.policies.read', 'okta.roles.read', 'okta.logStreams.read', 'okta.threatInsights.read']));
    expect(server.stats.authHeaders.every((h) => h === 'Bearer')).toBe(true);
    expect(byKind(out.resources, 'idp.user')).toHaveLength(7);
  });

  it('a key the app does not know is ZT_COLLECT_AUTH and the key never appears in output', async () => {
    const other = oauthKeys();
    const io = memoryIo({ env: { OKTA_PRIVATE_KEY: other.privateKeyPem } });
    const code = await run(['audit', '--okta', okta.url, '--okta-client-id', '0oaZtServiceApp01', '--format', 'json', '--quiet'], io);
    expect(code).toBe(3);
    expect(io.out()).toMatch(/ZT_COLLECT_AUTH/);
    expect(io.out()).toMatch(/invalid_client/);
    const keyBody = other.privateKeyPem.split('\n')[1]!;
    expect(io.out() + io.err()).not.toContain(keyBody);
  });

  it('the assertion carries iss = sub = client id and aud = the token URL', () => {
    const jwt = clientAssertion('0oaX', 'https://acme.okta.com/oauth2/v1/token', keys.privateKeyPem, 'kid-1', Date.parse('2026-01-01T00:00:00Z'));
    const [header, payload] = jwt.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid-1' });
    expect(payload).toMatchObject({ iss: '0oaX', sub: '0oaX', aud: 'https://acme.okta.com/oauth2/v1/token', exp: 1767225600 + 300 });
  });
});
