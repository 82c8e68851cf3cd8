// Several clusters in one run (issue #17): `zt collect --all-contexts --out-dir` over N fake
// Kubernetes API servers (test/support/fake-kube-api.ts), each holding ZT_K8S_PODS pods in a
// cluster's usual mix and adding ZT_K8S_LATENCY_MS to every response, against the same
// collection of one of them. Each run is a fresh `node bin/zt.js` process under
// /usr/bin/time -v (wall time, CPU, peak RSS), one cluster and N clusters interleaved round by
// round. With --parallel p ≥ N the clusters are read side by side, so N clusters should take
// near one cluster's time, not N times it; the remaining cost is the CPU of mapping and
// validating N times the objects on one process.
// Measurements only: `npm run build && node bench/k8s-clusters.js`
// (env: ZT_K8S_CLUSTERS=10, ZT_K8S_PODS=2000, ZT_K8S_LATENCY_MS=50, ZT_BENCH_RUNS=3, ZT_PARALLEL=8).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timedProcess } from './timed-process.js';

const clusters = Number(process.env.ZT_K8S_CLUSTERS ?? 10);
const podsPerCluster = Number(process.env.ZT_K8S_PODS ?? 2000);
const latencyMs = Number(process.env.ZT_K8S_LATENCY_MS ?? 50);
const runs = Number(process.env.ZT_BENCH_RUNS ?? 3);
const parallel = Number(process.env.ZT_PARALLEL ?? 8);
const pageSize = 500;

const { startFakeKube } = await import('../test/support/fake-kube-api.ts');
const { clusterLists } = await import('./k8s-objects.js');

// Pods are 30% of the mix.
const objectsPerCluster = Math.round(podsPerCluster / 0.3);
const servers = [];
for (let i = 0; i < clusters; i++) servers.push(await startFakeKube({ lists: clusterLists(objectsPerCluster), latencyMs, maxPage: pageSize }));

// One kubeconfig with a context per cluster, as `aws eks update-kubeconfig` run per cluster leaves it.
const names = servers.map((_, i) => `cluster-${String(i).padStart(2, '0')}`);
const parts = servers.map((server, i) => JSON.parse(server.kubeconfig({ context: names[i] })));
const kubeconfig = {
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': names[0],
  clusters: parts.map((p, i) => ({ name: names[i], cluster: p.clusters[0].cluster })),
  users: parts.map((p, i) => ({ name: names[i], user: p.users[0].user })),
  contexts: names.map((name) => ({ name, context: { cluster: name, user: name } })),
};
const dir = mkdtempSync(join(tmpdir(), 'zt-bench-clusters-'));
const kubeconfigPath = join(dir, 'kubeconfig');
writeFileSync(kubeconfigPath, JSON.stringify(kubeconfig), { mode: 0o600 });

const bin = fileURLToPath(new URL('../bin/zt.js', import.meta.url));

/** One fresh `zt collect` under /usr/bin/time -v; asynchronous, as this process serves the fake APIs. */
async function collect(contextFlags) {
  const out = mkdtempSync(join(dir, 'out-'));
  const result = await timedProcess([process.execPath, bin, 'collect', '--kubeconfig', kubeconfigPath, ...contextFlags, '--out-dir', out, '--parallel', String(parallel), '--quiet'], { env: { ...process.env, HOME: dir } });
  const snapshots = readdirSync(out).length;
  rmSync(out, { recursive: true, force: true });
  return { ...result, snapshots };
}

const one = [];
const all = [];
for (let r = 0; r < runs; r++) {
  for (const [list, flags] of [
    [one, ['--context', names[0]]],
    [all, ['--all-contexts']],
  ]) {
    const result = await collect(flags);
    if (result.status !== 0) {
      console.error(result.stderr);
      process.exitCode = 1;
    }
    list.push(result);
  }
}
await Promise.all(servers.map((s) => s.close()));
rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);
const pagesOf = (n) => Math.max(1, Math.ceil(n / pageSize));
const lists = clusterLists(objectsPerCluster);
// The longest chain of dependent requests of one cluster: /version, /apis, then the list with the most pages.
const criticalPathMs = (2 + Math.max(...Object.values(lists).map((l) => pagesOf(l.length)))) * latencyMs;
const row = (label, value) => console.log(`${label.padEnd(46)} ${value}`);
const describe = (results) =>
  `wall median ${Math.round(median(results.map((x) => x.wallMs)))} ms (best ${Math.round(best(results.map((x) => x.wallMs)))}), CPU ${median(results.map((x) => x.cpuS)).toFixed(2)} s, peak RSS ${Math.round(median(results.map((x) => x.rssMb)))} MB, ${results[0].snapshots} snapshot(s)`;
row('clusters × objects', `${clusters} × ${objectsPerCluster} (${podsPerCluster} pods each; +${latencyMs} ms per response, pages of ${pageSize}; --parallel ${parallel})`);
row('critical-path bound of one cluster', `${criticalPathMs} ms`);
row('one cluster (whole process)', describe(one));
row(`${clusters} clusters (whole process)`, describe(all));
row(`${clusters} clusters / one cluster, wall`, `${(median(all.map((x) => x.wallMs)) / median(one.map((x) => x.wallMs))).toFixed(2)}× (${clusters}× if read one after another)`);
