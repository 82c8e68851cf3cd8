import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { graphPermissions } from '../../../src/collectors/entra/endpoints.js';
import type { FakeGraph } from '../../support/fake-graph.mjs';
import { CANARY_SECRET, CLIENT_ID, contosoGraph, envFor, TENANT } from '../entra/support.js';

// `zt doctor --entra` at the wire: @azure/identity's ClientSecretCredential over zt's
// transport against the fake token endpoint, which issues app tokens whose `roles` claim
// lists the application permissions each test consents.

const servers: FakeGraph[] = [];
async function graph(roles?: string[]): Promise<FakeGraph> {
  const server = await contosoGraph(roles ? { roles } : {});
  servers.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function zt(argv: string[], env: Record<string, string>) {
  const io = memoryIo({ env: { HOME: '/nonexistent-home', ...env }, columns: 120 });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
interface Report {
  sources: { target: string; credential: { status: string; found: string; detail?: string; fix?: string }; api: { status: string; call: string }; checks: { check: string; status: string; grant?: string; detail?: string; optional?: boolean }[] }[];
}
const first = (stdout: string) => (JSON.parse(stdout) as Report).sources[0]!;
const needed = graphPermissions().map((p) => p.permission);

describe('zt doctor --entra', () => {
  it('every application permission consented: exit 0, the credential kind, the token request and Graph answering', async () => {
    const g = await graph(needed);
    const { code, stdout, stderr } = await zt(['doctor', '--entra', TENANT, '-f', 'json'], envFor(g));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const e = first(stdout);
    expect(e.target).toBe(`entra:${TENANT}`);
    expect(e.credential).toEqual({ status: 'ok', found: `client secret (AZURE_CLIENT_SECRET) of app registration ${CLIENT_ID} (app zt reader)` });
    expect(e.api).toMatchObject({ status: 'ok', call: 'GET /organization' });
    expect(e.checks.map((c) => [c.check, c.status])).toEqual(needed.map((p) => [p, 'ok']));
    expect(stdout).not.toContain(CANARY_SECRET);
  });

  it('Directory.Read.All stands for the directory reads it includes', async () => {
    const g = await graph(['Directory.Read.All', 'Policy.Read.All', 'AuditLog.Read.All']);
    const { code, stdout } = await zt(['doctor', '--entra', TENANT, '-f', 'json'], envFor(g));
    expect(code).toBe(0);
    expect(first(stdout).checks.find((c) => c.check === 'User.Read.All')).toEqual({ check: 'User.Read.All', status: 'ok', detail: 'through Directory.Read.All' });
  });

  it('missing permissions: exit 3, each named with the permission to consent; an optional one is shown but does not fail', async () => {
    const g = await graph(needed.filter((p) => p !== 'AuditLog.Read.All' && p !== 'Organization.Read.All'));
    const json = await zt(['doctor', '--entra', TENANT, '-f', 'json'], envFor(g));
    expect(json.code).toBe(3);
    const gaps = first(json.stdout).checks.filter((c) => c.status !== 'ok');
    expect(gaps.map((c) => [c.check, c.status, c.grant, c.optional ?? false])).toEqual([
      ['Organization.Read.All', 'missing', 'Microsoft Graph application permission Organization.Read.All, with admin consent', true],
      ['AuditLog.Read.All', 'missing', 'Microsoft Graph application permission AuditLog.Read.All, with admin consent', false],
    ]);
    const table = await zt(['doctor', '--entra', TENANT], envFor(g));
    expect(table.stdout).toMatch(/✖ AuditLog\.Read\.All +missing\n +not in the token's roles \(needed for \/reports\/authenticationMethods\/userRegistrationDetails, \/users\)\n +grant: Microsoft Graph application permission AuditLog\.Read\.All, with admin consent/);
    expect(table.stdout).toMatch(/! Organization\.Read\.All +missing \(optional\)/);
    expect(table.stdout).toMatch(/✖ not ready: 1 gap;/);
  });

  it('only the optional permission missing: ready (exit 0)', async () => {
    const g = await graph(needed.filter((p) => p !== 'Organization.Read.All'));
    expect((await zt(['doctor', '--entra', TENANT], envFor(g))).code).toBe(0);
  });

  it('a token without a roles claim (opaque): its permissions are unknown, exit 3', async () => {
    const g = await graph();
    const { code, stdout } = await zt(['doctor', '--entra', TENANT, '-f', 'json'], envFor(g));
    expect(code).toBe(3);
    expect(first(stdout).checks.every((c) => c.status === 'unknown' && /not a JWT/.test(c.detail ?? ''))).toBe(true);
  });

  it('a wrong client secret: exit 3, the credential refused with the fix', async () => {
    const g = await graph(needed);
    const { code, stdout } = await zt(['doctor', '--entra', TENANT], envFor(g, { AZURE_CLIENT_SECRET: 'not-the-secret-0000' }));
    expect(code).toBe(3);
    expect(stdout).toMatch(/✖ credential +client secret \(AZURE_CLIENT_SECRET\) of app registration .*\n +Entra token request for tenant .* was refused: invalid_client AADSTS7000215/);
    expect(stdout).toMatch(/fix: Check the tenant id, AZURE_CLIENT_ID/);
  });

  it('no credential settings: exit 3 with the fix', async () => {
    const g = await graph(needed);
    const { code, stdout } = await zt(['doctor', '--entra', TENANT, '--entra-credential', 'secret'], { ZT_GRAPH_URL: g.graphUrl, ZT_ENTRA_AUTHORITY: g.authority });
    expect(code).toBe(3);
    expect(stdout).toMatch(/✖ credential +no usable credential\n +Entra secret credential needs AZURE_CLIENT_ID/);
    expect(stdout).toMatch(/fix: Set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/);
  });

  it('an unreachable token endpoint: exit 3, api unreachable', async () => {
    const g = await graph(needed);
    const env = envFor(g);
    await g.close();
    const { code, stdout } = await zt(['doctor', '--entra', TENANT, '-f', 'json'], env);
    expect(code).toBe(3);
    expect(first(stdout).api.status).toBe('unreachable');
  });
});
