import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { oktaScopes } from '../../../src/collectors/okta/reads.js';
import { startFakeOkta, tenantFromExport, type FakeOkta } from '../../support/fake-okta.mjs';
import { CANARY_TOKEN, exportDir, oauthKeys, selfSignedCert, trust } from '../okta/support.js';

// `zt doctor --okta` at the wire: zt's Okta client against the fake org (SSWS and OAuth
// service app with private_key_jwt), which grants the scopes and roles each test gives it.

const tls = selfSignedCert();
const keys = oauthKeys();
const tenant = tenantFromExport(exportDir);
const CLIENT = '0oaZtDoctorApp01';
const servers: FakeOkta[] = [];
async function fake(options: Partial<Parameters<typeof startFakeOkta>[0]> = {}): Promise<FakeOkta> {
  const server = await startFakeOkta({ tenant, tls, token: CANARY_TOKEN, ...options });
  servers.push(server);
  return server;
}
beforeAll(() => {
  trust(tls.cert);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function zt(argv: string[], env: Record<string, string>) {
  const io = memoryIo({ env: { HOME: '/nonexistent-home', ...env }, columns: 120 });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
interface Report {
  sources: { target: string; credential: { status: string; found: string; detail?: string; fix?: string }; api: { status: string; call: string }; checks: { check: string; status: string; grant?: string; detail?: string }[] }[];
}
const first = (stdout: string) => (JSON.parse(stdout) as Report).sources[0]!;
const appEnv = { OKTA_PRIVATE_KEY: keys.privateKeyPem };

describe('zt doctor --okta', () => {
  it('an API token whose creator is a super admin: exit 0, the token kind and its user, never the token', async () => {
    const okta = await fake({ me: '00u1dana0admin000001' });
    const { code, stdout, stderr } = await zt(['doctor', '--okta', okta.url, '-f', 'json'], { OKTA_API_TOKEN: CANARY_TOKEN });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const o = first(stdout);
    expect(o.credential).toEqual({ status: 'ok', found: 'API token (SSWS) from OKTA_API_TOKEN, created by dana.admin@acme.example' });
    expect(o.api).toMatchObject({ status: 'ok', call: 'GET /api/v1/users/me' });
    expect(o.checks).toEqual([{ check: "admin role of the token's creator", status: 'ok', detail: 'SUPER_ADMIN' }]);
    expect(stdout).not.toContain(CANARY_TOKEN);
  });

  it("an API token whose creator holds no admin role: exit 3, the role to assign", async () => {
    const okta = await fake({ me: '00u1lee00chen0000003' });
    const { code, stdout } = await zt(['doctor', '--okta', okta.url], { OKTA_API_TOKEN: CANARY_TOKEN });
    expect(code).toBe(3);
    expect(stdout).toMatch(/✖ admin role of the token's creator +missing\n +lee\.chen@acme\.example holds no admin role\n +grant: assign the Read-Only Administrator role \(READ_ONLY_ADMIN\) to lee\.chen@acme\.example/);
  });

  it('a service app with every scope and the Read-Only Administrator role: exit 0, each scope checked', async () => {
    const okta = await fake({ oauth: { clientId: CLIENT, publicKeyPem: keys.publicKeyPem, grantedScopes: [...oktaScopes], roles: [{ id: 'ra1', type: 'READ_ONLY_ADMIN', status: 'ACTIVE' }] } });
    const { code, stdout } = await zt(['doctor', '--okta', okta.url, '--okta-client-id', CLIENT, '-f', 'json'], appEnv);
    expect(code).toBe(0);
    const o = first(stdout);
    expect(o.credential.found).toBe(`OAuth service app ${CLIENT} (private_key_jwt, key from OKTA_PRIVATE_KEY)`);
    expect(o.api.call).toBe('POST /oauth2/v1/token');
    expect(o.checks.map((c) => [c.check, c.status])).toEqual([...oktaScopes.map((s) => [`scope ${s}`, 'ok']), ["service app's admin role", 'ok']]);
  });

  it('a service app missing scopes: Okta refuses them together, each is asked for alone, the missing ones named: exit 3', async () => {
    const granted = oktaScopes.filter((s) => s !== 'okta.logStreams.read' && s !== 'okta.threatInsights.read');
    const okta = await fake({ oauth: { clientId: CLIENT, publicKeyPem: keys.publicKeyPem, grantedScopes: granted, roles: [{ id: 'ra1', type: 'APP_ADMIN', status: 'ACTIVE' }] } });
    const { code, stdout } = await zt(['doctor', '--okta', okta.url, '--okta-client-id', CLIENT, '-f', 'json'], appEnv);
    expect(code).toBe(3);
    const gaps = first(stdout).checks.filter((c) => c.status !== 'ok');
    expect(gaps.map((c) => [c.check, c.status, c.grant])).toEqual([
      ['scope okta.logStreams.read', 'missing', 'grant the scope okta.logStreams.read to the service app (Okta API Scopes tab)'],
      ['scope okta.threatInsights.read', 'missing', 'grant the scope okta.threatInsights.read to the service app (Okta API Scopes tab)'],
      ["service app's admin role", 'missing', `assign the Read-Only Administrator role (READ_ONLY_ADMIN) to the service app ${CLIENT}`],
    ]);
    expect(gaps[0]?.detail).toMatch(/invalid_scope/);
  });

  it('a service app holding only a custom role: the role is unknown (its permissions are not read), exit 3', async () => {
    const okta = await fake({ oauth: { clientId: CLIENT, publicKeyPem: keys.publicKeyPem, grantedScopes: [...oktaScopes], roles: [{ id: 'ra1', type: 'CUSTOM', status: 'ACTIVE' }] } });
    const { code, stdout } = await zt(['doctor', '--okta', okta.url, '--okta-client-id', CLIENT, '-f', 'json'], appEnv);
    expect(code).toBe(3);
    expect(first(stdout).checks.at(-1)).toMatchObject({ check: "service app's admin role", status: 'unknown', detail: expect.stringMatching(/custom role/) });
  });

  it('no API token: exit 3 with the fix', async () => {
    const okta = await fake();
    const { code, stdout } = await zt(['doctor', '--okta', okta.url], {});
    expect(code).toBe(3);
    expect(stdout).toMatch(/✖ credential +no API token \(OKTA_API_TOKEN is not set\)\n +no Okta credentials for/);
    expect(stdout).toMatch(/fix: Set OKTA_API_TOKEN to an API token created by a Read-Only Administrator/);
  });

  it('a revoked token: exit 3, the credential refused', async () => {
    const okta = await fake({ faults: { revoked: true } });
    const { code, stdout } = await zt(['doctor', '--okta', okta.url, '-f', 'json'], { OKTA_API_TOKEN: CANARY_TOKEN });
    expect(code).toBe(3);
    expect(first(stdout).credential).toMatchObject({ status: 'missing', detail: expect.stringMatching(/refused the API token from OKTA_API_TOKEN \(401/) });
    expect(stdout).not.toContain(CANARY_TOKEN);
  });

  it('an unreachable org: exit 3, api unreachable', async () => {
    const okta = await fake();
    const url = okta.url;
    await okta.close();
    const { code, stdout } = await zt(['doctor', '--okta', url, '-f', 'json'], { OKTA_API_TOKEN: CANARY_TOKEN });
    expect(code).toBe(3);
    expect(first(stdout).api.status).toBe('unreachable');
  });
});
