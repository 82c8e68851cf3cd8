// `zt network` queries at scale, on the synthetic clusters of bench/k8s-network.js (every
// pod its own workload with a unique instance label: the worst case for pod classes;
// 500 namespaces and 2,000 NetworkPolicies at 10k pods). Measurements, not tests:
//
//   npm run build && node bench/k8s-network-query.js          2.5k, 5k, 10k, 20k pods
//   ZT_BENCH_SIZES=10000 node bench/k8s-network-query.js      other sizes
//   node bench/k8s-network-query.js --size 10000              one size, JSON on stdout
//
// Per size, in a fresh process (peak RSS is that size's alone): building the connectivity
// classes ("load": after the snapshot is read), who-can-reach and reachable-from one
// workload, the full workload matrix, the namespace matrix, and the JSON of the workload
// matrix. Times are wall milliseconds, median of ZT_BENCH_RUNS (default 3) runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { synthCluster } from './k8s-network.js';

async function one(pods) {
  const { InventoryIndex } = await import('../dist/inventory/index.js');
  const { queryClusters } = await import('../dist/analysis/kubernetes/network-query/query-cluster.js');
  const { NetworkQueries } = await import('../dist/analysis/kubernetes/network-query/queries.js');
  const { connectivityMatrix } = await import('../dist/analysis/kubernetes/network-query/matrix.js');
  const snapshot = synthCluster(pods);
  const index = new InventoryIndex(snapshot);
  const [cluster] = queryClusters(index);
  const time = (f) => {
    const t0 = process.hrtime.bigint();
    const value = f();
    return [value, Number(process.hrtime.bigint() - t0) / 1e6];
  };
  const [queries, loadMs] = time(() => new NetworkQueries(cluster));
  // A web workload in the middle of the cluster: selected by several policies, reached by many.
  const target = `team-${Math.floor(cluster.namespaceLabels.size / 2)}/svc-0`;
  const [who, whoMs] = time(() => queries.reachSets(target, 'in'));
  const [from, fromMs] = time(() => queries.reachSets(target, 'out'));
  const [matrix, matrixMs] = time(() => connectivityMatrix(queries, { namespaces: [], by: 'workload' }));
  const [, nsMatrixMs] = time(() => connectivityMatrix(queries, { namespaces: [], by: 'namespace' }));
  const [json, jsonMs] = time(() => JSON.stringify(matrix));
  // diff: the same cluster with one namespace's default-deny removed and one allow-all added elsewhere.
  const { networkDiff } = await import('../dist/analysis/kubernetes/network-query/diff.js');
  const changed = structuredClone(snapshot);
  const drop = changed.resources.findIndex((r) => r.kind === 'k8s.networkPolicy' && r.name === 'default-deny');
  changed.resources.splice(drop, 1);
  changed.resources.push({ ...structuredClone(changed.resources.find((r) => r.kind === 'k8s.networkPolicy')), id: 'k8s://bench/team-7/NetworkPolicy/allow-all', name: 'allow-all', attributes: { namespace: 'team-7', labels: {}, annotations: {}, podSelector: {}, policyTypes: ['Ingress'], ingress: [{}], egress: [] } });
  const [afterCluster] = queryClusters(new InventoryIndex(changed));
  const [diff, diffMs] = time(() => networkDiff(queries, new NetworkQueries(afterCluster), { before: 'a', after: 'b' }, 1));
  return {
    pods,
    workloads: cluster.workloads.length,
    policies: cluster.policies.length,
    namespaces: cluster.namespaceLabels.size,
    classes: queries.conn.atoms.length,
    loadMs: Math.round(loadMs),
    whoCanReachMs: Math.round(whoMs),
    whoCanReachWorkloads: who.sets[0].workloadCount,
    reachableFromMs: Math.round(fromMs),
    reachableFromWorkloads: from.sets[0].workloadCount,
    matrixMs: Math.round(matrixMs),
    matrixConnectedWorkloadPairs: matrix.connectedWorkloadPairs,
    namespaceMatrixMs: Math.round(nsMatrixMs),
    matrixJsonMs: Math.round(jsonMs),
    matrixJsonMiB: Math.round(json.length / 1024 / 1024),
    diffMs: Math.round(diffMs),
    diffOpened: diff.opened.length,
    diffClosed: diff.closed.length,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const direct = process.argv[1] === fileURLToPath(import.meta.url);
const sizeArg = process.argv.indexOf('--size');
if (!direct) {
  // imported: measure nothing
} else if (sizeArg >= 0) {
  console.log(JSON.stringify(await one(Number(process.argv[sizeArg + 1]))));
} else {
  const sizes = (process.env.ZT_BENCH_SIZES ?? '2500,5000,10000,20000').split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  const rows = [];
  for (const pods of sizes) {
    const runs = [];
    for (let i = 0; i < Number(process.env.ZT_BENCH_RUNS ?? 3); i++) {
      const r = spawnSync(process.execPath, [self, '--size', String(pods)], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(`size ${pods} failed: ${r.stderr}`);
      runs.push(JSON.parse(r.stdout));
    }
    runs.sort((a, b) => a.matrixMs - b.matrixMs);
    rows.push(runs[Math.floor(runs.length / 2)]);
  }
  console.log('pods    policies  classes  load ms  who-can-reach ms (n)  reachable-from ms (n)  matrix ms  ns matrix ms  pairs       JSON ms/MiB  diff ms  peak RSS MiB  matrix growth');
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    const growth = prev ? `×${(r.matrixMs / Math.max(1, prev.matrixMs)).toFixed(2)} for pods ×${(r.pods / prev.pods).toFixed(1)}` : '-';
    console.log(
      `${String(r.pods).padEnd(8)}${String(r.policies).padEnd(10)}${String(r.classes).padEnd(9)}${String(r.loadMs).padEnd(9)}${`${r.whoCanReachMs} (${r.whoCanReachWorkloads})`.padEnd(22)}${`${r.reachableFromMs} (${r.reachableFromWorkloads})`.padEnd(23)}${String(r.matrixMs).padEnd(11)}${String(r.namespaceMatrixMs).padEnd(14)}${String(r.matrixConnectedWorkloadPairs).padEnd(12)}${`${r.matrixJsonMs}/${r.matrixJsonMiB}`.padEnd(13)}${String(r.diffMs).padEnd(9)}${String(r.peakRssMiB).padEnd(14)}${growth}`,
    );
  });
  console.log(`load average while measuring: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}
