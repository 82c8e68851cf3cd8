import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { kubernetesReads, readName } from '../../../src/collectors/kubernetes/reads.js';
import { startFakeKube, writeKubeconfig, type AccessAttributes, type FakeKube } from '../../support/fake-kube-api.js';
import { istioGroups, listsOf, objects } from '../kubernetes/fixtures.js';

// `zt doctor --kubernetes` at the wire: the real client-node client against the fake API
// server, which answers SelfSubjectAccessReviews with the rules each test gives it.

const TOKEN = 'doctor-test-token-0123456789';
let granted: FakeKube;
let denying: FakeKube;
let noReviews: FakeKube;
const denied = (a: AccessAttributes): boolean => !(a.resource === 'clusterroles' || (a.resource === 'configmaps' && a.namespace === 'kube-system'));

beforeAll(async () => {
  [granted, denying, noReviews] = await Promise.all([
    startFakeKube({ lists: listsOf(objects), groups: istioGroups, token: TOKEN }),
    startFakeKube({ lists: listsOf(objects), groups: istioGroups, token: TOKEN, access: denied }),
    startFakeKube({ lists: listsOf(objects), groups: istioGroups, token: TOKEN, access: false, faults: { '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': [{ status: 403 }] } }),
  ]);
});
afterAll(async () => {
  await Promise.all([granted.close(), denying.close(), noReviews.close()]);
});

async function zt(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env: { HOME: '/nonexistent-home', ...env }, columns: 120 });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

interface Report {
  ready: boolean;
  sources: { source: string; target: string; credential: { status: string; found: string; fix?: string }; api: { status: string; latencyMs?: number }; checks: { check: string; status: string; grant?: string; detail?: string }[] }[];
}

describe('zt doctor --kubernetes', () => {
  it('everything granted: exit 0, the kubeconfig user and its auth kind, /version timed, one review per read', async () => {
    const kubeconfig = writeKubeconfig(granted.kubeconfig({ context: 'prod' }));
    const { code, stdout, stderr } = await zt(['doctor', '--kubeconfig', kubeconfig, '-f', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.ready).toBe(true);
    const [k8s] = report.sources;
    expect(k8s?.target).toBe('k8s context prod');
    expect(k8s?.credential).toEqual({ status: 'ok', found: `kubeconfig ${kubeconfig}, context prod, user fake-user (bearer token)` });
    expect(k8s?.api.status).toBe('ok');
    expect(typeof k8s?.api.latencyMs).toBe('number');
    // Every read of the declaration but the opt-in Secrets, in its order; Linkerd and Cilium are not served here.
    const expected = kubernetesReads.filter((r) => r.type === 'nonResource' || !r.optIn).map(readName);
    expect(k8s?.checks.map((c) => c.check)).toEqual(expected);
    const skipped = k8s?.checks.filter((c) => c.status === 'skipped').map((c) => c.check) ?? [];
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((c) => /linkerd|cilium/.test(c))).toBe(true);
    expect(k8s?.checks.filter((c) => c.status !== 'ok' && c.status !== 'skipped')).toEqual([]);
    const reviews = granted.requests.filter((r) => r.method === 'POST').length;
    expect(reviews).toBe(expected.length - skipped.length);
    expect(stdout).not.toContain(TOKEN);
  });

  it('--all-contexts: one diagnosis per context, in the kubeconfig\'s order; one context with gaps makes the run exit 3', async () => {
    const one = JSON.parse(granted.kubeconfig({ context: 'prod' })) as { clusters: { name: string }[]; users: { name: string }[]; contexts: { name: string; context: { cluster: string; user: string } }[] };
    const two = JSON.parse(denying.kubeconfig({ context: 'staging' })) as typeof one;
    const merged = {
      ...one,
      clusters: [...one.clusters, { ...two.clusters[0]!, name: 'staging-cluster' }],
      users: [...one.users, { ...two.users[0]!, name: 'staging-user' }],
      contexts: [...one.contexts, { name: 'staging', context: { cluster: 'staging-cluster', user: 'staging-user' } }],
    };
    const kubeconfig = writeKubeconfig(JSON.stringify(merged));
    const { code, stdout } = await zt(['doctor', '--kubeconfig', kubeconfig, '--all-contexts', '-f', 'json']);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as Report;
    expect(report.sources.map((s) => [s.target, s.checks.filter((c) => c.status === 'missing').length])).toEqual([
      ['k8s context prod', 0],
      ['k8s context staging', 2],
    ]);
    expect((await zt(['doctor', '--kubeconfig', kubeconfig, '--context', 'prod'])).code).toBe(0);
  });

  it('--kubernetes-secrets adds list secrets to the checks', async () => {
    const kubeconfig = writeKubeconfig(granted.kubeconfig());
    const { code, stdout } = await zt(['doctor', '--kubeconfig', kubeconfig, '--kubernetes-secrets', '-f', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Report).sources[0]?.checks.map((c) => c.check)).toContain('list secrets');
  });

  it('missing permissions: exit 3, the table names each gap and the RBAC rule to add', async () => {
    const kubeconfig = writeKubeconfig(denying.kubeconfig());
    const json = await zt(['doctor', '--kubeconfig', kubeconfig, '-f', 'json']);
    expect(json.code).toBe(3);
    const checks = (JSON.parse(json.stdout) as Report).sources[0]?.checks ?? [];
    expect(checks.filter((c) => c.status === 'missing').map((c) => [c.check, c.grant])).toEqual([
      ['list clusterroles.rbac.authorization.k8s.io', 'ClusterRole rule: {apiGroups: ["rbac.authorization.k8s.io"], resources: [clusterroles], verbs: [list]}'],
      ['list configmaps in kube-system', 'Role in namespace kube-system rule: {apiGroups: [""], resources: [configmaps], verbs: [list]}'],
    ]);
    const table = await zt(['doctor', '--kubeconfig', kubeconfig]);
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(/✖ list clusterroles\.rbac\.authorization\.k8s\.io +missing\n +denied\n +grant: ClusterRole rule: \{apiGroups: \["rbac\.authorization\.k8s\.io"\], resources: \[clusterroles\], verbs: \[list\]\}/);
    expect(table.stdout).toMatch(/✖ not ready: 2 gaps/);
  });

  it('no SelfSubjectAccessReview allowed: each read is tried itself (a 403 is a gap)', async () => {
    const kubeconfig = writeKubeconfig(noReviews.kubeconfig());
    const { code, stdout } = await zt(['doctor', '--kubeconfig', kubeconfig, '-f', 'json']);
    expect(code).toBe(3);
    const checks = (JSON.parse(stdout) as Report).sources[0]?.checks ?? [];
    expect(checks.filter((c) => c.status === 'missing').map((c) => c.check)).toEqual(['list clusterrolebindings.rbac.authorization.k8s.io']);
    expect(checks.find((c) => c.check === 'list pods')).toMatchObject({ status: 'ok', detail: 'tried the read itself (SelfSubjectAccessReview not allowed)' });
    expect(noReviews.requests.some((r) => r.path === '/api/v1/pods' && r.query.limit === '1')).toBe(true);
  });

  it('a refused token: exit 3, the credential is missing with the fix, nothing else checked', async () => {
    const kubeconfig = writeKubeconfig(granted.kubeconfig({ token: 'wrong-token-for-doctor' }));
    const { code, stdout } = await zt(['doctor', '--kubeconfig', kubeconfig]);
    expect(code).toBe(3);
    expect(stdout).toMatch(/✖ credential +kubeconfig .*bearer token\)\n +the API server refused the credential \(401 Unauthorized\)/);
    expect(stdout).toMatch(/fix: Sign in again/);
    expect(stdout).not.toContain('wrong-token-for-doctor');
  });

  it('an unreachable API server: exit 3, api unreachable', async () => {
    const dead = await startFakeKube({ lists: {}, token: TOKEN });
    const kubeconfig = writeKubeconfig(dead.kubeconfig());
    await dead.close();
    const { code, stdout } = await zt(['doctor', '--kubeconfig', kubeconfig, '-f', 'json']);
    expect(code).toBe(3);
    const k8s = (JSON.parse(stdout) as Report).sources[0];
    expect(k8s?.api.status).toBe('unreachable');
    expect(k8s?.checks.every((c) => c.status === 'unknown')).toBe(true);
  });

  it('no kubeconfig at all: exit 3 with the fix, not exit 2', async () => {
    const { code, stdout } = await zt(['doctor', '--kubernetes']);
    expect(code).toBe(3);
    expect(stdout).toMatch(/✖ credential +no usable kubeconfig\n +no kubeconfig found/);
    expect(stdout).toMatch(/fix: Pass --kubeconfig <file> or --context <name>/);
  });

  it('bad flags exit 2; no live source exits 2 naming the flags', async () => {
    expect((await zt(['doctor', '--kubernetes', '-f', 'xml'])).code).toBe(2);
    const none = await zt(['doctor', '--manifests', 'x.yaml']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/zt doctor checks live sources/);
  });
});
