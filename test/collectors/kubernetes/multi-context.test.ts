import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { clusterNamesOf } from '../../../src/collectors/kubernetes/cluster-names.js';
import { startFakeKube, writeKubeconfig, type FakeKube } from '../../support/fake-kube-api.js';
import { tempTree } from '../../support/temp.js';
import { listsOf, objects } from './fixtures.js';

// Several clusters in one run (issue #17 item 3): --context repeated or --all-contexts, each
// cluster its own target (source k8s:<name>, ids k8s://<name>/…), named apart when two
// contexts call their clusters the same (two EKS clusters "prod" in two accounts).

const EAST = 'arn:aws:eks:us-east-1:111111111111:cluster/prod';
const WEST = 'arn:aws:eks:eu-west-1:222222222222:cluster/prod';
let east: FakeKube;
let west: FakeKube;
let kubeconfig: string;
let root: string;

/** One kubeconfig holding both fake servers, as `aws eks update-kubeconfig` writes them. */
function twoClusters(extraContexts: object[] = []): string {
  const one = (server: FakeKube, name: string) => JSON.parse(server.kubeconfig({ context: name })) as { clusters: { cluster: object }[]; users: { user: object }[] };
  const e = one(east, EAST);
  const w = one(west, WEST);
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': EAST,
    clusters: [{ name: EAST, cluster: e.clusters[0]!.cluster }, { name: WEST, cluster: w.clusters[0]!.cluster }],
    users: [{ name: EAST, user: e.users[0]!.user }, { name: WEST, user: w.users[0]!.user }],
    contexts: [{ name: EAST, context: { cluster: EAST, user: EAST } }, { name: WEST, context: { cluster: WEST, user: WEST } }, ...extraContexts],
  });
}

beforeAll(async () => {
  east = await startFakeKube({ lists: listsOf(objects) });
  // The west cluster holds only the namespaces and the first workload.
  west = await startFakeKube({ lists: listsOf(objects.filter((o) => o.kind === 'Namespace' || o === objects.find((x) => x.kind === 'Deployment'))) });
  kubeconfig = writeKubeconfig(twoClusters());
  root = tempTree({});
});
afterAll(async () => {
  await Promise.all([east.close(), west.close()]);
});

async function zt(argv: string[]) {
  const io = memoryIo({ env: { HOME: '/nonexistent-home' }, cwd: root, columns: 120, now: () => new Date('2026-11-20T10:00:00Z') });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('several clusters in one run', () => {
  it('cluster names: the short name where unique, the whole context where two share it', () => {
    expect([...clusterNamesOf([EAST, WEST, 'kind-dev'])]).toEqual([
      [EAST, 'arn:aws:eks:us-east-1:111111111111:cluster_prod'],
      [WEST, 'arn:aws:eks:eu-west-1:222222222222:cluster_prod'],
      ['kind-dev', 'kind-dev'],
    ]);
    expect(clusterNamesOf([EAST]).get(EAST)).toBe('prod');
  });

  it('--context twice: two targets, each with its own ids and source, from its own server', async () => {
    const { code, stdout, stderr } = await zt(['audit', '--kubeconfig', kubeconfig, '--context', EAST, '--context', WEST, '-f', 'json', '--fail-on', 'none']);
    expect(stderr).not.toMatch(/✖/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.inventory.sources.map((s: { source: string }) => s.source)).toEqual(['k8s:arn:aws:eks:eu-west-1:222222222222:cluster_prod', 'k8s:arn:aws:eks:us-east-1:111111111111:cluster_prod']);
    const ids = report.findings.map((f: { resource: { id: string } }) => f.resource.id) as string[];
    const westIds = ids.filter((id) => id.startsWith('k8s://arn:aws:eks:eu-west-1:222222222222:cluster_prod/'));
    const eastIds = ids.filter((id) => id.startsWith('k8s://arn:aws:eks:us-east-1:111111111111:cluster_prod/'));
    expect(eastIds.length).toBeGreaterThan(westIds.length);
    expect(westIds.length).toBeGreaterThan(0);
    expect(new Set(eastIds).size + new Set(westIds).size).toBe(new Set(ids).size);
  });

  it('--all-contexts with --out-dir: one snapshot per cluster, which audit back as one', async () => {
    const { code, stderr } = await zt(['collect', '--kubeconfig', kubeconfig, '--all-contexts', '--out-dir', 'clusters']);
    expect(stderr).toMatch(/from 2 source\(s\)/);
    expect(code).toBe(0);
    const files = readdirSync(join(root, 'clusters')).sort();
    expect(files).toHaveLength(2);
    for (const file of files) expect(JSON.parse(readFileSync(join(root, 'clusters', file), 'utf8')).sources).toHaveLength(1);
    const audit = await zt(['audit', '--snapshot', 'clusters', '-f', 'json', '--fail-on', 'none']);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout).inventory.sources).toHaveLength(2);
  });

  it('bad input: a context defined twice, --all-contexts with --context, an unknown context', async () => {
    const twice = writeKubeconfig(twoClusters([{ name: WEST, context: { cluster: EAST, user: EAST } }]));
    const dup = await zt(['audit', '--kubeconfig', twice, '--all-contexts', '--fail-on', 'none']);
    expect(dup.stderr).toContain(`defines the context ${WEST} more than once`);
    expect(dup.stderr).not.toMatch(/\n\s+at /);
    expect(dup.code).toBe(3);
    const both = await zt(['audit', '--kubeconfig', kubeconfig, '--all-contexts', '--context', EAST]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--all-contexts and --context together/);
    const unknown = await zt(['audit', '--kubeconfig', kubeconfig, '--context', EAST, '--context', 'staging', '--fail-on', 'none']);
    expect(unknown.code).toBe(3);
    // Reported first, as a source that returned nothing, although the other cluster was read.
    expect(unknown.stderr).toMatch(/^✖ kubernetes \(Kubernetes context staging\) could not be read: kubeconfig has no context named staging/);
  });

  it('--cluster-name names the one live cluster (a Job in each cluster collecting itself must not all be in-cluster); with several contexts it is refused', async () => {
    const { code } = await zt(['collect', '--kubeconfig', kubeconfig, '--context', EAST, '--cluster-name', 'prod-us-east-1', '--out', 'named.json']);
    expect(code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(root, 'named.json'), 'utf8'));
    expect(snapshot.sources.map((s: { source: string }) => s.source)).toEqual(['k8s:prod-us-east-1']);
    expect(snapshot.resources.every((r: { id: string }) => r.id.startsWith('k8s://prod-us-east-1/'))).toBe(true);
    const several = await zt(['audit', '--kubeconfig', kubeconfig, '--context', EAST, '--context', WEST, '--cluster-name', 'x']);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/--cluster-name names one cluster, and several contexts were chosen/);
    const bad = await zt(['audit', '--kubeconfig', kubeconfig, '--cluster-name', 'a/b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cluster-name "a\/b": expected letters, digits/);
  });
});
