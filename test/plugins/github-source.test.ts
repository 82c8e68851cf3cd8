import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { startConnectProxy, targetOf } from '../support/connect-proxy.js';
import { startFakeGithub, type FakeGithub } from '../support/fake-github.js';
import { tempTree } from '../support/temp.js';

const plugin = resolve('packages/zt-source-github');
const exportDir = resolve('packages/zt-source-github/test/fixtures/export-acme');
const TOKEN = 'ghp_FAKEtoken0123456789abcdefghijklmnopqrs';

let server: FakeGithub | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function zt(argv: string[], env: Record<string, string> = {}, cwd = process.cwd()) {
  const io = memoryIo({ env: { NO_COLOR: '1', ...env }, cwd });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('the GitHub source at the wire (fake REST API on 127.0.0.1)', () => {
  it('pages by Link, paces by X-RateLimit-Remaining/Reset with no rate-limit error, waits out a secondary limit, and maps plan gaps and SAML SSO refusals to coverage', async () => {
    server = await startFakeGithub({ token: TOKEN, members: 150, budget: 12, windowMs: 1000 });
    const out = join(tempTree({}), 'github.json');
    const started = Date.now();
    const result = await zt(['collect', '--plugin', plugin, '--github-org', 'acme', '--github-api-url', server.url, '--out', out, '-q'], { GITHUB_TOKEN: TOKEN });
    const elapsed = Date.now() - started;
    // SSO refused the outside collaborators: a gap, so the collection is incomplete.
    expect(result.code, result.err).toBe(3);
    expect(server.primaryLimitErrors()).toBe(0);
    expect(server.secondaryLimitErrors()).toBe(1);
    // 2 pages of members (150 at 100 a page), paced over several 12-request windows.
    expect(server.requests().filter((r) => r.startsWith('GET /orgs/acme/members?per_page=100')).length).toBeGreaterThanOrEqual(2);
    expect(elapsed).toBeGreaterThan(1000);
    const snapshot = JSON.parse(readFileSync(out, 'utf8'));
    const kinds = (k: string) => snapshot.resources.filter((r: { kind: string }) => r.kind === k);
    expect(kinds('github.member')).toHaveLength(150);
    expect(kinds('github.member').filter((m: any) => m.attributes.role === 'owner')).toHaveLength(2);
    expect(kinds('github.member').find((m: any) => m.name === 'user0005').attributes.twoFactorEnabled).toBe(false);
    expect(kinds('github.appInstallation').map((a: any) => a.attributes.appSlug).sort()).toEqual(['codecov', 'renovate']);
    const api = kinds('github.repository').find((r: any) => r.attributes.name === 'api').attributes;
    expect(api).toMatchObject({ branchProtected: true, requiredApprovingReviews: 2, requiredStatusChecks: ['ci/test'], requiredSignatures: true, forcePushBlocked: true });
    const web = kinds('github.repository').find((r: any) => r.attributes.name === 'web').attributes;
    expect(web).toMatchObject({ branchProtected: false, deployKeys: [{ id: 72, title: 'ci-push', readOnly: false }] });
    // Rulesets 404 on infra: not in the plan → the protection fields are unknown, not "unprotected".
    expect(kinds('github.repository').find((r: any) => r.attributes.name === 'infra').attributes.branchProtected).toBeNull();
    expect(snapshot.coverage['github.repository']).toMatchObject({ state: 'partial', reason: 'license_missing' });
    expect(snapshot.coverage['github.repository'].unknownFields).toContain('branchProtected');
    expect(snapshot.coverage['github.member']).toMatchObject({ state: 'partial', reason: 'permission_denied' });
    expect(snapshot.coverage['github.member'].detail).toMatch(/SAML SSO/);
    expect(snapshot.sources[0]).toMatchObject({ collector: 'github', source: 'github:acme', mode: 'live', plugin: { name: 'zt-source-github' } });
    // The fake quotes the token in every error answer: it never reaches an output.
    for (const text of [result.out, result.err, readFileSync(out, 'utf8')]) expect(text).not.toContain(TOKEN);

    // The unknown protection of infra is not a pass: its protection rules are not evaluated there.
    const audit = await zt(['audit', '--snapshot', out, '--plugin', plugin, '-f', 'json', '--fail-on', 'none', '--allow-incomplete', '--include-passes']);
    expect(audit.code, audit.err).toBe(0);
    const report = JSON.parse(audit.out);
    const protection = ['GH-APP-001', 'GH-APP-002', 'GH-APP-003', 'GH-APP-004'];
    const onInfra = report.findings.filter((f: any) => f.resource.id === 'github://acme/repository/infra' && protection.includes(f.ruleId));
    expect(onInfra).toHaveLength(4);
    for (const finding of onInfra) expect(finding.status, finding.ruleId).toBe('error');
    for (const id of protection) {
      const result = report.ruleResults.find((r: any) => r.ruleId === id);
      expect(result.status, id).not.toBe('pass');
      expect(result.coverage, id).toBe('partial');
    }
  });

  it('goes through the run\'s proxy (zt\'s transport, context.fetch): every request in a CONNECT tunnel', async () => {
    server = await startFakeGithub({ token: TOKEN, members: 3, budget: 1000, windowMs: 60_000 });
    const proxy = await startConnectProxy();
    try {
      const result = await zt(['collect', '--plugin', plugin, '--github-org', 'acme', '--github-api-url', server.url, '--out', join(tempTree({}), 's.json'), '-q', '--allow-incomplete'], { GITHUB_TOKEN: TOKEN, HTTP_PROXY: proxy.url });
      expect(result.code, result.err).toBe(0);
      expect(proxy.tunnelsTo(targetOf(server.url))).toBeGreaterThan(0);
      expect(proxy.forwarded).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a token the API rejects (exit 3) without printing it', async () => {
    server = await startFakeGithub({ token: TOKEN, members: 3, budget: 100, windowMs: 1000 });
    const result = await zt(['collect', '--plugin', plugin, '--github-org', 'acme', '--github-api-url', server.url, '--out', join(tempTree({}), 's.json'), '-q'], { GITHUB_TOKEN: 'ghp_wrongWRONGwrong0123456789abcdefghijk' });
    expect(result.code).toBe(3);
    expect(result.err).toMatch(/401/);
    expect(result.err).not.toContain('ghp_wrongWRONGwrong0123456789abcdefghijk');
  });
});

describe('the GitHub source offline (--github-export)', () => {
  it('audits an export in the REST API shapes: findings from the plugin rules, scored on their ZTMM rows', async () => {
    const result = await zt(['audit', '--plugin', plugin, '--github-export', exportDir, '-f', 'json', '--fail-on', 'none']);
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out);
    const failing = new Set(report.findings.filter((f: any) => f.status === 'fail').map((f: any) => `${f.ruleId} ${f.resource.name}`));
    for (const id of ['GH-APP-001 acme/web', 'GH-APP-002 acme/web', 'GH-APP-005 acme/web', 'GH-APP-006 acme', 'GH-APP-007 acme', 'GH-APP-008 renovate', 'GH-IDN-001 acme', 'GH-IDN-002 acme', 'GH-IDN-003 contractor-dan', 'GH-IDN-004 bob']) expect(failing, id).toContain(id);
    // infra is protected by an organisation ruleset (pull request, non_fast_forward, deletion) and codecov writes only checks.
    for (const id of ['GH-APP-001 acme/infra', 'GH-APP-002 acme/infra', 'GH-APP-003 acme/infra', 'GH-APP-008 codecov', 'GH-IDN-004 alice']) expect(failing, id).not.toContain(id);
    const rows = JSON.stringify(report.score);
    expect(rows).toMatch(/applications\.secure_dev_deploy/);
    // Same input, same bytes.
    const again = await zt(['audit', '--plugin', plugin, '--github-export', exportDir, '-f', 'json', '--fail-on', 'none']);
    expect(again.out).toBe(result.out);
  });

  it('the demo gains the GitHub organisation with the plugin, and the cross-plane rule joins it to the demo\'s AWS roles', async () => {
    const result = await zt(['audit', '--demo', '--plugin', plugin, '-f', 'json', '--fail-on', 'none', '--include-passes']);
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.inventory.sources.map((s: any) => s.source)).toContain('github:acme');
    const oidc = report.findings.filter((f: any) => f.ruleId === 'GH-APP-009');
    // repo:acme/* admits pull requests and any branch; repo:acme/platform-infra:ref:refs/heads/main is protected.
    expect(oidc.find((f: any) => f.resource.name === 'github-actions-preview')).toMatchObject({ status: 'fail' });
    expect(oidc.find((f: any) => f.resource.name === 'github-actions-preview').message).toMatch(/repo:acme\/web:ref:refs\/heads\/main/);
    expect(oidc.find((f: any) => f.resource.name === 'github-actions-deploy')).toMatchObject({ status: 'pass' });
    // Without the plugin the demo is zt's own.
    const plain = JSON.parse((await zt(['audit', '--demo', '-f', 'json', '--fail-on', 'none'])).out);
    expect(plain.inventory.sources.map((s: any) => s.source)).not.toContain('github:acme');
  });

  it('the cross-plane rule is not evaluated when the repositories were not read (AWS alone, plugin configured)', async () => {
    const result = await zt(['audit', '--snapshot', resolve('fixtures/demo/aws.json'), '--plugin', plugin, '-f', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.out);
    expect(report.ruleResults.find((r: any) => r.ruleId === 'GH-APP-009')).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'input_missing' });
  });

  it('refuses an export file of the wrong shape, naming the file and place (exit 2)', async () => {
    const dir = tempTree({ 'org.json': '{"login":"acme"}', 'repos.json': '[{"name": 3, "default_branch": "main"}]' });
    const result = await zt(['collect', '--plugin', plugin, '--github-export', dir, '--out', join(dir, 'out.json'), '-q']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/repos\.json: \[0\]\.name: /);
  });
});
