import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { entraSource } from '../../../src/collectors/entra/source.js';
import { CommandOptions } from '../../../src/collectors/source-options.js';
import { configSchema } from '../../../src/config/config.js';
import { validateResource } from '../../../src/inventory/validate.js';
import { graphErrors, makeCertificate, type FakeGraph } from '../../support/fake-graph.mjs';
import { byKind, CANARY_SECRET, CLIENT_ID, collectLive, contextFor, contosoGraph, envFor, find, fixtureDir, TENANT } from './support.js';

let graph: FakeGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

describe('Entra collector against a local Graph (client credentials)', () => {
  it('reads every endpoint, follows @odata.nextLink verbatim, and maps the tenant into valid kinds', async () => {
    graph = await contosoGraph();
    const output = await collectLive(graph);
    expect(output.source).toEqual({ collector: 'entra', source: `entra:${TENANT}`, mode: 'live' });
    for (const r of output.resources) expect(validateResource(r, r.id).ok, r.id).toBe(true);
    expect(byKind(output, 'idp.user')).toHaveLength(8);
    expect(byKind(output, 'idp.accessPolicy')).toHaveLength(6);
    expect(byKind(output, 'entra.roleAssignment')).toHaveLength(7);
    expect(byKind(output, 'entra.tenant')).toHaveLength(1);
    expect(byKind(output, 'entra.domain')).toHaveLength(4); // two pages of 3
    expect(byKind(output, 'idp.group').map((g) => g.name)).toEqual(['Contoso Emergency Access', 'Helpdesk Leads']);
    expect(output.coverage).toEqual({
      'idp.user': { state: 'complete' },
      'idp.group': { state: 'complete' },
      'idp.accessPolicy': { state: 'complete' },
      'entra.tenant': { state: 'complete' },
      'entra.roleAssignment': { state: 'complete' },
      'entra.domain': { state: 'complete' },
    });
    // 8 users at 3 per page: 3 requests; later pages are exactly the nextLink (no $top re-added).
    const userRequests = graph.requests.filter((r) => r.path === '/v1.0/users' && !decodeURIComponent(r.url).includes('$expand=manager')).map((r) => ({ url: decodeURIComponent(r.url) }));
    expect(userRequests).toHaveLength(3);
    expect(userRequests[0]!.url).toMatch(/\$top=120/);
    expect(userRequests[0]!.url).toMatch(/signInActivity/);
    for (const later of userRequests.slice(1)) {
      expect(later.url).toMatch(/\$skiptoken=/);
      expect(later.url).not.toMatch(/\$top=/);
    }
    // The token (and the authority's metadata, which @azure/identity reads first) without a bearer; Graph always with one.
    expect(graph.requests.filter((r) => !r.path.endsWith('/token') && !r.path.endsWith('/.well-known/openid-configuration')).every((r) => r.authorization?.startsWith('Bearer fake.'))).toBe(true);
  });

  it("reads each user's manager through $expand=manager: the manager's userPrincipalName, null without one", async () => {
    graph = await contosoGraph();
    const output = await collectLive(graph);
    const manager = (id: string) => find(output, `user/${id}`).attributes.manager;
    expect(manager('6f1c2d3e-0000-4000-8000-00000000a002')).toBe('dana.admin@contoso.example');
    expect(manager('6f1c2d3e-0000-4000-8000-00000000a004')).toBe('ops.admin@contoso.example');
    expect(manager('6f1c2d3e-0000-4000-8000-00000000a001')).toBeNull();
    const requests = graph.requests.filter((r) => decodeURIComponent(r.url).includes('$expand=manager($select=id,userPrincipalName)'));
    expect(requests.length).toBeGreaterThan(0);
    expect(output.coverage['idp.user']).toEqual({ state: 'complete' });
  });

  it("a refused manager read costs only the managers: users stay complete, manager stays absent (not collected), an info issue says so", async () => {
    graph = await contosoGraph({ faults: { userManagers: graphErrors.denied } });
    const output = await collectLive(graph);
    expect(output.coverage['idp.user']).toEqual({ state: 'complete' });
    expect(byKind(output, 'idp.user').every((u) => !('manager' in u.attributes))).toBe(true);
    expect(output.issues.find((i) => /managers are unknown/.test(i.message))).toMatchObject({ severity: 'info', kinds: ['idp.user'] });
  });

  it("reads each group's owners (GET /groups/{id}/owners): users by userPrincipalName, service principals as apps; the export gives the same", async () => {
    graph = await contosoGraph();
    const output = await collectLive(graph);
    const owners = Object.fromEntries(byKind(output, 'idp.group').map((g) => [g.name, g.attributes.owners]));
    expect(owners).toEqual({ 'Contoso Emergency Access': [], 'Helpdesk Leads': ['app HR Provisioning', 'dana.admin@contoso.example'] });
    expect(graph.requests.filter((r) => r.path.endsWith('/owners')).map((r) => decodeURIComponent(r.url))).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/groups\/d0d0d0d0-0000-4000-8000-0000000000g1\/owners\?\$select=id,userPrincipalName,displayName$/)]),
    );
    const offline = await collectLive(graph, { entraExport: fixtureDir });
    expect(byKind(offline, 'idp.group').map((g) => g.attributes.owners)).toEqual(byKind(output, 'idp.group').map((g) => g.attributes.owners));
  });

  it('a refused owners read leaves every group\'s owners unknown (null), never "no owner"; groups stay complete, an info issue says so', async () => {
    graph = await contosoGraph({ faults: { groupOwners: graphErrors.denied } });
    const output = await collectLive(graph);
    expect(output.coverage['idp.group']).toEqual({ state: 'complete' });
    const groups = byKind(output, 'idp.group');
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(g.attributes.owners, g.name).toBeNull();
    expect(output.issues.find((i) => /group owners are unknown/.test(i.message))).toMatchObject({ severity: 'info', code: 'ZT_COLLECT_ACCESS_DENIED', kinds: ['idp.group'] });
    expect(output.issues.find((i) => /group owners are unknown/.test(i.message))?.message).toMatch(/^Graph denied \/groups\/\{id\}\/owners \(Authorization_RequestDenied\): grant the application permission GroupMember\.Read\.All/);
  });

  it('maps factor strength, account class, admin roles and sign-in activity', async () => {
    graph = await contosoGraph();
    const output = await collectLive(graph);
    const dana = find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a001').attributes;
    expect(dana.factors).toEqual([
      { type: 'microsoftAuthenticatorPush', strength: 'mfa', status: 'active' },
      { type: 'fido2SecurityKey', strength: 'phishing_resistant', status: 'active' },
      { type: 'mobilePhone', strength: 'weak', status: 'active' },
    ]);
    expect(dana.adminRoles).toEqual(['Global Administrator']); // activated via PIM: active now
    expect(dana.privileged).toBe(true);
    expect(dana.lastSignInAt).toBe('2026-11-22T09:12:00.000Z'); // the later of interactive and non-interactive
    const former = find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a004').attributes;
    expect(former.adminRoles).toEqual(['Global Reader']);
    expect(former.privileged).toBe(false);
    expect(find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a005').attributes.accountClass).toBe('break_glass');
    expect(find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a006').attributes.accountClass).toBe('service');
    const guest = find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a003').attributes;
    expect(guest).toMatchObject({ userType: 'guest', accountClass: 'human', factors: [], lastSignInAt: null });
    expect(find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a008').attributes.status).toBe('disabled');
    // Synced passkeys are MFA by default; an unknown method is "other": reported, not counted.
    const lee = find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a007').attributes;
    // A member of a group that holds User Administrator is an administrator.
    expect(lee).toMatchObject({ adminRoles: ['User Administrator'], privileged: true });
    expect(find(output, 'group/d0d0d0d0-0000-4000-8000-0000000000g1').attributes).toEqual({
      provider: 'entra', tenant: TENANT, memberIds: ['6f1c2d3e-0000-4000-8000-00000000a007'], adminRoles: ['User Administrator'], owners: ['app HR Provisioning', 'dana.admin@contoso.example'],
    });
    expect(lee.factors).toEqual([
      { type: 'passKeySynced', strength: 'mfa', status: 'active' },
      { type: 'softwareOneTimePasscode', strength: 'mfa', status: 'active' },
    ]);
    expect(output.issues).toContainEqual(expect.objectContaining({ code: 'ZT_ENTRA_UNKNOWN_METHODS', severity: 'info', message: expect.stringMatching(/quantumTotemKey \(1 users\)/) }));
  });

  it('counts synced passkeys as phishing-resistant when the config says so, and says so', async () => {
    graph = await contosoGraph();
    const config = configSchema.parse({ identity: { syncedPasskeysArePhishingResistant: true } });
    const output = await collectLive(graph, {}, envFor(graph), config);
    const lee = find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a007').attributes;
    expect(lee.factors).toContainEqual({ type: 'passKeySynced', strength: 'phishing_resistant', status: 'active' });
    expect(output.issues.map((i) => i.code)).toContain('ZT_ENTRA_SYNCED_PASSKEYS');
  });

  it('separates standing, activated and eligible role assignments', async () => {
    graph = await contosoGraph();
    const output = await collectLive(graph);
    expect(find(output, 'roleAssignment/ras1').attributes).toMatchObject({
      principalName: 'ops.admin@contoso.example', roleName: 'Global Administrator', privileged: true, state: 'active', assignmentType: 'assigned', permanent: true, principalAccountClass: 'human', principalOnPremisesSynced: true,
    });
    expect(find(output, 'roleAssignment/ras2').attributes).toMatchObject({ state: 'active', assignmentType: 'activated', permanent: false, endAt: '2026-11-23T12:00:00.000Z' });
    expect(find(output, 'roleAssignment/ras3').attributes).toMatchObject({ principalAccountClass: 'break_glass', permanent: true });
    expect(find(output, 'roleAssignment/ras5').attributes).toMatchObject({ principalType: 'group', principalName: 'Helpdesk Leads', principalAccountClass: null });
    expect(find(output, 'roleEligibility/res1').attributes).toMatchObject({ state: 'eligible', assignmentType: null, permanent: false, endAt: '2027-03-01T00:00:00.000Z' });
    expect(find(output, 'roleEligibility/res2').attributes).toMatchObject({ state: 'eligible', roleName: 'Privileged Role Administrator', permanent: true });
  });

  it('normalises conditional access: OR with a device weakens MFA, custom strengths are classified by combinations', async () => {
    graph = await contosoGraph();
    const output = await collectLive(graph);
    const ca = (n: number) => find(output, `conditionalAccessPolicy/a1111111-0000-4000-8000-00000000000${n}`).attributes;
    expect(ca(1)).toMatchObject({ state: 'enabled', appliesToAllUsers: true, appliesToAllApps: true, action: 'allow', requiresMfa: true, requiresPhishingResistantMfa: false, excludedGroups: ['b2222222-0000-4000-8000-00000000g0bg'] });
    expect(ca(2)).toMatchObject({ action: 'block', clientAppTypes: ['exchangeActiveSync', 'other'], requiresMfa: false });
    expect(ca(3)).toMatchObject({ state: 'report_only', includedRoles: ['62e90394-69f5-4237-9190-012177145e10', 'e8611ab8-c189-46e8-94e1-60213ab1f814'], requiresMfa: true, requiresPhishingResistantMfa: true, sessionLifetimeMinutes: 240, persistentSession: false });
    expect(ca(4)).toMatchObject({ requiresMfa: false, requiresCompliantDevice: false }); // mfa OR compliantDevice: neither is required
    expect(ca(5)).toMatchObject({ requiresMfa: true, requiresPhishingResistantMfa: true, requiresCompliantDevice: true, sessionLifetimeMinutes: 10080, persistentSession: true });
    expect(ca(6)).toMatchObject({ state: 'disabled', narrowedBy: ['platforms', 'signInRisk'] });
    // Whom each applies to, in words (findings quote it): exclusions are always named.
    expect(ca(1).audience).toBe('all users except 1 user, 1 group');
    expect(ca(3).audience).toBe('roles Global Administrator, Privileged Role Administrator');
  });

  it('maps tenant settings: consent, app and tenant creation, guests, methods, security defaults', async () => {
    graph = await contosoGraph();
    const output = await collectLive(graph);
    expect(byKind(output, 'entra.tenant')[0]).toMatchObject({
      id: `entra://${TENANT}/tenant`,
      attributes: {
        tenantId: TENANT,
        securityDefaultsEnabled: false,
        enabledAuthenticationMethods: ['Fido2', 'MicrosoftAuthenticator', 'Sms', 'SoftwareOath'],
        usersCanConsentToApps: true,
        usersCanCreateApps: true,
        usersCanCreateTenants: false,
        guestInvitesFrom: 'everyone',
        guestAccessRestricted: false,
      },
    });
  });

  it("maps domains with Graph's password expiry: not set is the default of 90 days, 2147483647 is never", async () => {
    graph = await contosoGraph();
    const output = await collectLive(graph);
    const request = graph.requests.find((r) => r.path === '/v1.0/domains');
    expect(decodeURIComponent(request!.url)).toMatch(/\$select=id,authenticationType,isVerified,isDefault,isRoot,passwordValidityPeriodInDays,passwordNotificationWindowInDays,supportedServices$/);
    const domain = (name: string) => find(output, `domain/${name}`);
    expect(domain('contoso.onmicrosoft.com')).toMatchObject({
      id: `entra://${TENANT}/domain/contoso.onmicrosoft.com`,
      name: 'contoso.onmicrosoft.com',
      attributes: { tenant: TENANT, authenticationType: 'managed', isVerified: true, isDefault: false, isRoot: true, passwordValidityPeriodInDays: 2147483647, passwordExpiresAfterDays: null, passwordNotificationWindowInDays: 14 },
    });
    expect(domain('contoso.example').attributes).toMatchObject({ authenticationType: 'managed', isDefault: true, passwordValidityPeriodInDays: null, passwordExpiresAfterDays: 90, supportedServices: ['Email', 'OfficeCommunicationsOnline', 'Intune'] });
    expect(domain('corp.contoso.example').attributes).toMatchObject({ authenticationType: 'federated', isRoot: false, passwordExpiresAfterDays: 90 });
    expect(domain('contoso-labs.example').attributes).toMatchObject({ isVerified: false });
  });
});

describe('Entra collector: throttling, licences and permissions', () => {
  it('honours 429 Retry-After and retries the same URL', async () => {
    graph = await contosoGraph({ throttle: { users: { times: 2, retryAfter: 1, onPage: 2 } } });
    const started = Date.now();
    const output = await collectLive(graph);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // slept the two Retry-After seconds
    expect(byKind(output, 'idp.user')).toHaveLength(8);
    const page2 = graph.requests.filter((r) => r.path === '/v1.0/users' && /skiptoken/.test(r.url));
    expect(page2.slice(0, 3).map((r) => r.url)).toEqual([page2[0]!.url, page2[0]!.url, page2[0]!.url]);
    expect(output.coverage['idp.user']).toEqual({ state: 'complete' });
  });

  it('gives up after bounded retries: the kind is incomplete and the issue says throttled', async () => {
    graph = await contosoGraph({ throttle: { conditionalAccessPolicies: { times: 1000, retryAfter: 0 } } });
    const output = await collectLive(graph);
    expect(graph.requests.filter((r) => r.path === '/v1.0/identity/conditionalAccess/policies')).toHaveLength(7);
    expect(output.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(output.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_THROTTLED', kinds: ['idp.accessPolicy'] }));
  });

  it('throttled for good in the middle of the user list: the users read so far are kept, the kind is partial', async () => {
    graph = await contosoGraph({ throttle: { users: { times: 1000, retryAfter: 0, onPage: 2 } } });
    const output = await collectLive(graph);
    expect(byKind(output, 'idp.user')).toHaveLength(3);
    expect(output.coverage['idp.user']).toMatchObject({ state: 'partial', reason: 'api_error' });
    expect(output.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_THROTTLED', message: expect.stringMatching(/only 3 users were read/) }));
  });

  it('a tenant without P1/P2: licence_missing coverage and issues, users listed without sign-in activity, standing roles read without PIM', async () => {
    graph = await contosoGraph({
      faults: { userRegistrationDetails: graphErrors.nonPremium, conditionalAccessPolicies: graphErrors.nonPremium, roleAssignmentScheduleInstances: graphErrors.pimLicence },
      signInActivityFault: graphErrors.nonPremium,
    });
    const output = await collectLive(graph);
    expect(output.coverage['idp.user']).toMatchObject({ state: 'missing', reason: 'license_missing' });
    expect(output.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'license_missing' });
    expect(output.coverage['entra.roleAssignment']).toMatchObject({ state: 'partial', reason: 'license_missing' });
    const users = byKind(output, 'idp.user');
    expect(users).toHaveLength(8);
    expect(users.every((u) => u.attributes.lastSignInAt === null)).toBe(true);
    expect(graph.requests.some((r) => r.path === '/v1.0/users' && /\$top=999/.test(decodeURIComponent(r.url)) && !/signInActivity/.test(r.url))).toBe(true);
    const standing = byKind(output, 'entra.roleAssignment');
    expect(standing.map((r) => r.attributes.assignmentType)).toEqual(['assigned', 'assigned', 'assigned', 'assigned']);
    const licence = output.issues.filter((i) => i.code === 'ZT_COLLECT_LICENSE_MISSING');
    expect(licence.map((i) => i.message).join('\n')).toMatch(/userRegistrationDetails \(Authentication_RequestFromNonPremiumTenantOrB2CTenant\): the tenant lacks Microsoft Entra ID P1/);
    expect(licence.map((i) => i.message).join('\n')).toMatch(/AadPremiumLicenseRequired.*P2/);
    expect(licence.map((i) => i.message).join('\n')).toMatch(/without sign-in activity/);
  });

  it('without GroupMember.Read.All: groups missing, users partial (group-held roles unknown), the issue names the permission', async () => {
    graph = await contosoGraph({ faults: { groups: graphErrors.denied } });
    const output = await collectLive(graph);
    expect(output.coverage['idp.group']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(output.coverage['idp.user']).toMatchObject({ state: 'partial', reason: 'permission_denied' });
    expect(output.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_ACCESS_DENIED', message: expect.stringMatching(/GroupMember\.Read\.All/) }));
    expect(find(output, 'user/6f1c2d3e-0000-4000-8000-00000000a007').attributes.privileged).toBe(false);
  });

  it('without Domain.Read.All: domains missing, the issue names the permission, nothing else is affected', async () => {
    graph = await contosoGraph({ faults: { domains: graphErrors.denied } });
    const output = await collectLive(graph);
    expect(output.coverage['entra.domain']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(byKind(output, 'entra.domain')).toEqual([]);
    expect(output.issues).toEqual([
      expect.objectContaining({ code: 'ZT_ENTRA_UNKNOWN_METHODS' }),
      expect.objectContaining({ code: 'ZT_COLLECT_ACCESS_DENIED', kinds: ['entra.domain'], message: expect.stringMatching(/denied \/domains \(Authorization_RequestDenied\): grant the application permission Domain\.Read\.All .*password expiry of the domains is not evaluated/) }),
    ]);
    for (const [kind, coverage] of Object.entries(output.coverage)) if (kind !== 'entra.domain') expect(coverage, kind).toEqual({ state: 'complete' });
  });

  it('a missing permission: permission_denied coverage and an issue naming the Graph permission', async () => {
    graph = await contosoGraph({ faults: { conditionalAccessPolicies: graphErrors.denied, authorizationPolicy: graphErrors.denied } });
    const output = await collectLive(graph);
    expect(output.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(output.coverage['entra.tenant']).toMatchObject({ state: 'partial', reason: 'permission_denied' });
    expect(output.issues).toContainEqual(
      expect.objectContaining({ code: 'ZT_COLLECT_ACCESS_DENIED', kinds: ['idp.accessPolicy'], message: expect.stringMatching(/Authorization_RequestDenied.*Policy\.Read\.All/) }),
    );
    expect(byKind(output, 'entra.tenant')[0]!.attributes).toMatchObject({ usersCanConsentToApps: null, usersCanCreateApps: null, securityDefaultsEnabled: false });
  });
});

describe('Entra collector: credentials and reachability', () => {
  const collectError = async (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as { code?: string; message: string });

  it('a wrong tenant is ZT_COLLECT_AUTH naming the tenant', async () => {
    graph = await contosoGraph();
    const [collector] = await entraSource.collectors(new CommandOptions({ entra: 'not-my-tenant.onmicrosoft.com' }), { cwd: process.cwd(), env: {} });
    const error = await collectError(collector!.collect(contextFor(envFor(graph))));
    expect(error).toMatchObject({ code: 'ZT_COLLECT_AUTH', message: expect.stringMatching(/not-my-tenant\.onmicrosoft\.com.*AADSTS90002 tenant not found/) });
  });

  it('a bad secret is ZT_COLLECT_AUTH, and neither secret appears in the message', async () => {
    graph = await contosoGraph({ clientSecret: 'the-right-secret' });
    const error = await collectError(collectLive(graph));
    expect(error).toMatchObject({ code: 'ZT_COLLECT_AUTH', message: expect.stringMatching(/AADSTS7000215 invalid client secret/) });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(CANARY_SECRET);
  });

  it('an unreachable endpoint is ZT_COLLECT_UNREACHABLE', async () => {
    graph = await contosoGraph();
    const closed = graph.authority;
    await graph.close();
    graph = undefined;
    const error = await collectError(collectLive({ graphUrl: `${closed}/v1.0`, authority: closed } as FakeGraph));
    expect(error).toMatchObject({ code: 'ZT_COLLECT_UNREACHABLE', message: expect.stringMatching(/cannot reach https:\/\/127\.0\.0\.1:\d+/) });
  });

  it('no client id and no chain choice is ZT_COLLECT_CONFIG before any request', async () => {
    graph = await contosoGraph();
    const error = await collectError(collectLive(graph, { entraCredential: 'secret' }, { ZT_GRAPH_URL: graph.graphUrl, ZT_ENTRA_AUTHORITY: graph.authority }));
    expect(error).toMatchObject({ code: 'ZT_COLLECT_CONFIG', message: expect.stringMatching(/AZURE_CLIENT_ID/) });
    expect(graph.requests).toHaveLength(0);
  });

  it('a certificate credential signs a client assertion the token endpoint verifies', async () => {
    const client = makeCertificate('zt-test-client');
    graph = await contosoGraph({ clientSecret: undefined, clientCertificate: client.cert });
    const dir = mkdtempSync(join(tmpdir(), 'zt-entra-cert-'));
    writeFileSync(join(dir, 'client.pem'), `${client.key}\n${client.cert}`);
    const output = await collectLive(graph, {}, { AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'client.pem'), ZT_GRAPH_URL: graph.graphUrl, ZT_ENTRA_AUTHORITY: graph.authority });
    expect(byKind(output, 'idp.user')).toHaveLength(8);
    // A different key is refused.
    const other = makeCertificate('zt-other-client');
    writeFileSync(join(dir, 'other.pem'), `${other.key}\n${other.cert}`);
    const error = await collectError(collectLive(graph, {}, { AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'other.pem'), ZT_GRAPH_URL: graph.graphUrl, ZT_ENTRA_AUTHORITY: graph.authority }));
    expect(error).toMatchObject({ code: 'ZT_COLLECT_AUTH' });
  });

  it('collectSnapshot records a refused credential as an error issue without the secret', async () => {
    graph = await contosoGraph({ clientSecret: 'the-right-secret' });
    const collectors = await entraSource.collectors(new CommandOptions({ entra: TENANT }), { cwd: process.cwd(), env: {} });
    const snapshot = await collectSnapshot(collectors, contextFor(envFor(graph)));
    expect(snapshot.issues).toEqual([expect.objectContaining({ collector: 'entra', severity: 'error', code: 'ZT_COLLECT_AUTH' })]);
    expect(JSON.stringify(snapshot)).not.toContain(CANARY_SECRET);
  });
});
