import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { collectTenant } from '../../../src/collectors/entra/collect.js';
import { exportReader, readEntraExport } from '../../../src/collectors/entra/export.js';
import { graphErrors, type FakeGraph } from '../../support/fake-graph.mjs';
import { CANARY_SECRET, collectLive, contextFor, contosoGraph, envFor, fixtureDir, TENANT } from './support.js';

let graph: FakeGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

async function zt(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env, columns: 120, now: () => new Date('2026-11-23T12:00:00Z') });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

interface JsonReport {
  inventory: { sources: unknown[]; coverage: Record<string, { state: string; reason?: string }>; issues: { code: string; message: string }[]; resourcesByKind: Record<string, number> };
  ruleResults: { ruleId: string; status: string; notEvaluatedReason?: string }[];
  findings: { ruleId: string; resource: { name: string } }[];
}

const leaks = (text: string, graphUsed?: FakeGraph): string[] =>
  [CANARY_SECRET, ...(graphUsed ? [...graphUsed.tokens] : [])].filter((secret) => text.includes(secret));

describe('zt audit / zt collect --entra (live, in-process)', () => {
  it('audits a tenant with client credentials: findings from the bundled rules, no secret or token anywhere', async () => {
    graph = await contosoGraph();
    const { code, stdout, stderr } = await zt(['audit', '--entra', TENANT, '-f', 'json', '--fail-on', 'none'], envFor(graph));
    expect(stderr).not.toMatch(/ZT_COLLECT_AUTH|ZT_COLLECT_CRASHED/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.resourcesByKind).toMatchObject({ 'idp.user': 8, 'idp.accessPolicy': 6, 'entra.roleAssignment': 7, 'entra.tenant': 1, 'entra.domain': 4 });
    expect(report.ruleResults.find((r) => r.ruleId === 'ZT-IDN-001')?.status).toBe('fail');
    expect(report.findings.some((f) => f.ruleId === 'ZT-IDN-001' && f.resource.name === 'ops.admin@contoso.example')).toBe(true);
    expect(leaks(stdout + stderr, graph)).toEqual([]);
  });

  // `ZT_GRAPH_URL='not a url'` used to crash the collector (ZT_COLLECT_CRASHED, exit 3): a malformed
  // setting is the user's input, exit 2 naming the variable, before any source is read.
  it.each<[string, string, RegExp]>([
    ['ZT_GRAPH_URL', 'not a url', /ZT_GRAPH_URL is not a URL/],
    ['ZT_GRAPH_URL', 'http://graph.example/v1.0', /ZT_GRAPH_URL is not an https URL \(http:\)/],
    ['ZT_ENTRA_AUTHORITY', 'javascript:alert(1)', /ZT_ENTRA_AUTHORITY is not an https URL \(javascript:\)/],
    ['ZT_GRAPH_URL', 'https://user:pw@graph.example/v1.0', /ZT_GRAPH_URL holds credentials/],
  ])('%s=%j is exit 2 naming the variable', async (name, value, message) => {
    const env = { AZURE_CLIENT_ID: 'x', AZURE_CLIENT_SECRET: CANARY_SECRET, [name]: value };
    for (const command of [['audit', '--entra', TENANT, '-f', 'json'], ['collect', '--entra', TENANT, '--out', join(mkdtempSync(join(tmpdir(), 'zt-entra-')), 's.json')]]) {
      const { code, stdout, stderr } = await zt(command, env);
      expect(stderr).toMatch(/✖ Invalid command line \(ZT_USAGE\)/);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/ZT_COLLECT_CRASHED|ZT_INTERNAL/);
      expect(stdout).toBe('');
      expect(leaks(stderr)).toEqual([]);
      expect(code).toBe(2);
    }
  });

  it('zt collect --entra … --out writes a snapshot that replays with --snapshot, without secrets or tokens', async () => {
    graph = await contosoGraph();
    const dir = mkdtempSync(join(tmpdir(), 'zt-entra-snap-'));
    const out = join(dir, 'snap.json');
    const collected = await zt(['collect', '--entra', TENANT, '--out', out], envFor(graph));
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/resources from 1 source\(s\) written/);
    const text = readFileSync(out, 'utf8');
    expect(JSON.parse(text).resources.length).toBe(28); // 8 users, 2 groups, 6 policies, 7 role assignments, the tenant and 4 domains
    expect(leaks(text + collected.stderr, graph)).toEqual([]);
    const replay = await zt(['audit', '--snapshot', out, '-f', 'json', '--fail-on', 'none']);
    expect(replay.code).toBe(0);
    expect((JSON.parse(replay.stdout) as JsonReport).inventory.resourcesByKind['idp.user']).toBe(8);
  });

  it('without P1: user and conditional access rules are not evaluated (licence_missing), never passed', async () => {
    graph = await contosoGraph({
      faults: { userRegistrationDetails: graphErrors.nonPremium, conditionalAccessPolicies: graphErrors.nonPremium },
      signInActivityFault: graphErrors.nonPremium,
    });
    const { stdout } = await zt(['audit', '--entra', TENANT, '-f', 'json', '--fail-on', 'none'], envFor(graph));
    const report = JSON.parse(stdout) as JsonReport;
    for (const id of ['ZT-IDN-001', 'ZT-IDN-002', 'ZT-IDN-005', 'ZT-IDN-006']) {
      expect(report.ruleResults.find((r) => r.ruleId === id), id).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'license_missing' });
    }
    expect(report.inventory.issues.map((i) => i.code)).toContain('ZT_COLLECT_LICENSE_MISSING');
  });

  it('a refused secret: exit 3, the error names the code, and the canary never appears', async () => {
    graph = await contosoGraph({ clientSecret: 'the-right-secret' });
    const { code, stdout, stderr } = await zt(['audit', '--entra', TENANT, '-f', 'json', '--fail-on', 'none'], envFor(graph));
    expect(code).toBe(3);
    expect(stdout + stderr).toMatch(/ZT_COLLECT_AUTH|refused/);
    expect(leaks(stdout + stderr)).toEqual([]);
  });

  it('no secret or token in any output format, even with --debug', async () => {
    graph = await contosoGraph();
    const dir = mkdtempSync(join(tmpdir(), 'zt-entra-out-'));
    const files = ['sarif', 'json', 'markdown', 'junit'].map((f) => [f, join(dir, `report.${f}`)] as const);
    const { stdout, stderr } = await zt(['audit', '--entra', TENANT, '-f', 'table', ...files.flatMap(([f, p]) => ['-o', `${f}=${p}`]), '--debug', '--fail-on', 'none'], envFor(graph));
    const written = files.map(([, p]) => readFileSync(p, 'utf8'));
    expect(written.every((w) => w.includes('ops.admin@contoso.example'))).toBe(true);
    expect(graph.tokens.size).toBeGreaterThan(0);
    expect(leaks([stdout, stderr, ...written].join('\n'), graph)).toEqual([]);
  });

  it('rejects a malformed tenant id and an unknown credential mode with exit 2', async () => {
    expect((await zt(['audit', '--entra', 'contoso/../x', '--fail-on', 'none'])).code).toBe(2);
    const bad = await zt(['audit', '--entra', TENANT, '--entra-credential', 'password', '--fail-on', 'none']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--entra-credential must be one of auto, secret, certificate, default/);
  });
});

describe('zt audit --entra-export (offline, Graph JSON per endpoint)', () => {
  it('maps an export exactly as the live collector maps the same tenant', async () => {
    graph = await contosoGraph();
    const live = await collectLive(graph);
    const data = readEntraExport(fixtureDir, 'contoso');
    expect(data.tenant).toBe(TENANT);
    const offline = await collectTenant(exportReader(data), data.tenant, contextFor({}), `entra:${data.tenant}`);
    expect(offline.source.mode).toBe('offline');
    const sort = (rs: readonly { id: string }[]) => [...rs].sort((a, b) => a.id.localeCompare(b.id));
    expect(sort(offline.resources)).toEqual(sort(live.resources));
    expect(offline.coverage).toEqual(live.coverage);
  });

  it('audits an export folder end to end', async () => {
    const { code, stdout } = await zt(['audit', '--entra-export', fixtureDir, '-f', 'json', '--fail-on', 'none']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    // The fixture has no export.json: its time is unknown (see as-of tests for export.json).
    expect(report.inventory.sources).toEqual([{ collector: 'entra', source: `entra:${TENANT}`, mode: 'offline', asOf: null }]);
    expect(report.inventory.resourcesByKind['idp.user']).toBe(8);
  });

  it('a missing file leaves the kinds it feeds missing (input_missing) and names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-entra-export-'));
    cpSync(fixtureDir, dir, { recursive: true });
    rmSync(join(dir, 'conditionalAccessPolicies.json'));
    const { code, stdout } = await zt(['audit', '--entra-export', dir, '-f', 'json', '--fail-on', 'none']);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'input_missing' });
    expect(report.inventory.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_INPUT_MISSING', message: expect.stringMatching(/conditionalAccessPolicies\.json is not in the export/) }));
    expect(report.ruleResults.find((r) => r.ruleId === 'ZT-IDN-006')).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'input_missing' });
  });

  it('a policy naming a custom authentication strength the export does not hold: its MFA demands are unknown, never MFA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-entra-export-'));
    cpSync(fixtureDir, dir, { recursive: true });
    const file = join(dir, 'conditionalAccessPolicies.json');
    const page = JSON.parse(readFileSync(file, 'utf8')) as { value: { displayName: string; grantControls: Record<string, unknown> }[] };
    const ca001 = page.value.find((p) => p.displayName.startsWith('CA001'))!;
    ca001.grantControls = { operator: 'OR', builtInControls: [], authenticationStrength: { id: 'b1c2d3e4-0000-4000-8000-00000000dead', displayName: 'Custom' } };
    writeFileSync(file, JSON.stringify(page));
    const { code, stdout } = await zt(['audit', '--entra-export', dir, '-f', 'json', '--fail-on', 'none']);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.coverage['idp.accessPolicy']).toMatchObject({ state: 'partial', reason: 'input_missing' });
    expect(report.inventory.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_INPUT_MISSING', message: expect.stringMatching(/does not hold a custom authentication strength/) }));
    // CA001 is the all-users MFA policy: with its demands unknown, ZT-IDN-300 cannot be judged (neither pass nor fail).
    expect(report.ruleResults.find((r) => r.ruleId === 'ZT-IDN-300')?.status).toBe('not_evaluated');
  });

  it('a malformed file is exit 2 naming the file (and the line)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-entra-export-'));
    cpSync(fixtureDir, dir, { recursive: true });
    writeFileSync(join(dir, 'users.json'), '{\n  "value": [\n    { "id": "x", }\n  ]\n}\n');
    const { code, stderr } = await zt(['audit', '--entra-export', dir, '--fail-on', 'none']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/ZT_EXPORT_INVALID/);
    expect(stderr).toMatch(/users\.json/);
    expect(stderr).toMatch(/:3\b|line 3/);
  });

  it('a file that is JSON but not a Graph page is exit 2 naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-entra-export-'));
    cpSync(fixtureDir, dir, { recursive: true });
    writeFileSync(join(dir, 'roleDefinitions.json'), '[{"id": "62e90394-69f5-4237-9190-012177145e10"}]');
    const { code, stderr } = await zt(['collect', '--entra-export', dir, '--out', join(dir, 'snap.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/roleDefinitions\.json: expected a Graph page \{ "value": \[ … \] \}/);
  });

  it('a folder that does not exist is exit 2', async () => {
    const { code, stderr } = await zt(['audit', '--entra-export', join(tmpdir(), 'zt-no-such-export'), '--fail-on', 'none']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/zt-no-such-export/);
  });
});
