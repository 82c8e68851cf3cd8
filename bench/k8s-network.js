// Kubernetes network analysis at scale: synthetic clusters of 2.5k, 5k, 10k and 20k pods
// (500 namespaces and 2,000 NetworkPolicies at 10k, scaled linearly for the others).
// Measurements, not tests: run `npm run build && node bench/k8s-network.js`.
//
// Every pod is its own workload with a unique instance label, so no two pods share an
// equivalence class: the worst case for the class-based engine. Each size runs in a
// fresh process so that peak RSS belongs to that size alone.
//
//   ZT_BENCH_SIZES=2500,5000 node bench/k8s-network.js   other sizes
//   node bench/k8s-network.js --size 10000                one size, JSON on stdout
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const POLICIES_PER_POD = 2000 / 10000;
const PODS_PER_NAMESPACE = 10000 / 500;

function container(name, image, ports) {
  return {
    name,
    image,
    securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: null, capabilitiesAdd: [], capabilitiesDrop: ['ALL'], seccompProfileType: null },
    env: [],
    envFrom: [],
    ports,
  };
}

function workload(source, namespace, name, kind, podLabels, containers) {
  return {
    kind: 'k8s.workload',
    id: `k8s://bench/${namespace}/${kind}/${name}`,
    name,
    attributes: {
      namespace,
      labels: {},
      annotations: {},
      workloadKind: kind,
      replicas: kind === 'DaemonSet' ? null : 1,
      podLabels,
      podAnnotations: {},
      pod: {
        serviceAccountName: 'default',
        automountServiceAccountToken: false,
        hostNetwork: false,
        hostPID: false,
        hostIPC: false,
        runAsNonRoot: true,
        runAsUser: null,
        seccompProfileType: 'RuntimeDefault',
        containers,
        initContainers: [],
        volumes: [],
      },
    },
    provenance: { collector: 'kubernetes', source },
  };
}

function policy(source, namespace, name, spec) {
  return {
    kind: 'k8s.networkPolicy',
    id: `k8s://bench/${namespace}/NetworkPolicy/${name}`,
    name,
    attributes: { namespace, labels: {}, annotations: {}, podSelector: {}, policyTypes: null, ingress: [], egress: [], ...spec },
    provenance: { collector: 'kubernetes', source },
  };
}

export function synthCluster(pods) {
  const source = 'k8s:bench';
  const namespaces = Math.max(1, Math.round(pods / PODS_PER_NAMESPACE));
  const policyBudget = Math.round(pods * POLICIES_PER_POD);
  const resources = [];
  const ns = (name, labels) =>
    resources.push({ kind: 'k8s.namespace', id: `k8s://bench/_cluster/Namespace/${name}`, name, attributes: { labels: { 'kubernetes.io/metadata.name': name, ...labels }, annotations: {} }, provenance: { collector: 'kubernetes', source } });
  resources.push({ kind: 'k8s.cluster', id: 'k8s://bench/_cluster/Cluster/bench', name: 'bench', attributes: { clusterName: 'bench', serverVersion: null, apiGroups: [] }, provenance: { collector: 'kubernetes', source } });
  for (const platform of ['kube-system', 'ingress-nginx', 'monitoring']) ns(platform, {});
  resources.push(workload(source, 'kube-system', 'calico-node', 'DaemonSet', { 'k8s-app': 'calico-node' }, [container('calico-node', 'quay.io/calico/node:v3.30.3', [])]));
  resources.push(workload(source, 'kube-system', 'coredns', 'Deployment', { 'k8s-app': 'kube-dns' }, [container('coredns', 'registry.k8s.io/coredns/coredns:v1.12.1', [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }])]));
  resources.push(workload(source, 'ingress-nginx', 'controller', 'Deployment', { 'app.kubernetes.io/name': 'ingress-nginx' }, [container('controller', 'registry.k8s.io/ingress-nginx/controller:v1.13.3', [{ name: 'http', containerPort: 80, protocol: 'TCP' }])]));
  resources.push(workload(source, 'monitoring', 'prometheus', 'StatefulSet', { app: 'prometheus' }, [container('prometheus', 'quay.io/prometheus/prometheus:v3.6.0', [{ name: 'web', containerPort: 9090, protocol: 'TCP' }])]));

  let policiesLeft = policyBudget;
  for (let n = 0; n < namespaces; n++) {
    const name = `team-${n}`;
    ns(name, { team: `t${n % 50}`, env: n % 3 === 0 ? 'prod' : 'dev' });
    const inNs = Math.round(((n + 1) * pods) / namespaces) - Math.round((n * pods) / namespaces);
    for (let i = 0; i < inNs; i++) {
      const tier = i % 4 === 0 ? 'web' : 'backend';
      const port = 8080 + (i % 5);
      resources.push(
        workload(source, name, `svc-${i}`, 'Deployment', { app: `svc-${i % 8}`, tier, 'app.kubernetes.io/instance': `${name}-svc-${i}` }, [
          container('app', `registry.example/${name}/svc:${i}`, [{ name: 'http', containerPort: port, protocol: 'TCP' }, { name: 'metrics', containerPort: 9100, protocol: 'TCP' }]),
        ]),
      );
    }
    // Four policies per namespace on average, in the shapes real clusters use; one
    // namespace in five is left open except for monitoring.
    const quota = Math.min(policiesLeft, Math.round(((n + 1) * policyBudget) / namespaces) - Math.round((n * policyBudget) / namespaces));
    const shapes = [];
    if (n % 5 === 4) {
      shapes.push(['allow-monitoring', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 'metrics' }] }] }]);
    } else {
      shapes.push(['default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }]);
      shapes.push(['allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }]);
      shapes.push([
        'web-ingress',
        {
          podSelector: { matchLabels: { tier: 'web' } },
          policyTypes: ['Ingress'],
          ingress: [
            { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 'http' }] },
            { from: [{ namespaceSelector: { matchLabels: { team: `t${n % 50}` } }, podSelector: { matchLabels: { tier: 'web' } } }] },
            { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 9100 }] },
          ],
        },
      ]);
      shapes.push([
        'backend',
        {
          podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'backend'] }] },
          egress: [
            { to: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ protocol: 'TCP', port: 8080, endPort: 8090 }] },
            { to: [{ namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchLabels: { app: `svc-${n % 8}` } } }], ports: [{ port: 'http' }] },
            { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: 443 }] },
          ],
          ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 'http' }] }],
        },
      ]);
    }
    for (let k = 0; k < quota; k++) {
      const [shapeName, spec] = shapes[k % shapes.length];
      resources.push(policy(source, name, k < shapes.length ? shapeName : `${shapeName}-${k}`, spec));
    }
    policiesLeft -= quota;
  }
  return {
    schemaVersion: 1,
    collectedAt: '2026-11-02T09:00:00Z',
    sources: [{ collector: 'kubernetes', source, mode: 'offline' }],
    coverage: { 'k8s.workload': { state: 'complete' }, 'k8s.networkPolicy': { state: 'complete' }, 'k8s.namespace': { state: 'complete' } },
    issues: [],
    resources,
  };
}

async function one(pods) {
  const { InventoryIndex } = await import('../dist/inventory/index.js');
  const { workloadNetworkAnalyser } = await import('../dist/analysis/kubernetes/workload-network.js');
  const { cniAnalysers } = await import('../dist/analysis/kubernetes/cni.js');
  const { istioAuthzAnalysers } = await import('../dist/analysis/kubernetes/istio-authz.js');
  const snapshot = synthCluster(pods);
  const counts = { workloads: 0, namespaces: 0, networkPolicies: 0 };
  for (const r of snapshot.resources) {
    if (r.kind === 'k8s.workload') counts.workloads++;
    if (r.kind === 'k8s.namespace') counts.namespaces++;
    if (r.kind === 'k8s.networkPolicy') counts.networkPolicies++;
  }
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const index = new InventoryIndex(snapshot);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const facts = workloadNetworkAnalyser.derive(index);
  for (const a of [...cniAnalysers, ...istioAuthzAnalysers]) a.derive(index);
  const cpu = process.cpuUsage(cpu0);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let maxBlast = 0;
  let sumBlast = 0;
  for (const f of facts.values()) {
    maxBlast = Math.max(maxBlast, f.blastRadius);
    sumBlast += f.blastRadius;
  }
  return {
    pods,
    ...counts,
    analysisMs: Math.round(ms),
    // CPU time of the process during analysis (user + system, includes GC threads):
    // steadier than wall time on a shared machine.
    analysisCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    rssBeforeAnalysisMiB: Math.round(rssBefore / 1024 / 1024),
    meanBlastRadius: Math.round(sumBlast / facts.size),
    maxBlastRadius: maxBlast,
  };
}

const direct = process.argv[1] === fileURLToPath(import.meta.url);
const sizeArg = process.argv.indexOf('--size');
if (!direct) {
  // imported for synthCluster(): measure nothing
} else if (sizeArg >= 0) {
  console.log(JSON.stringify(await one(Number(process.argv[sizeArg + 1]))));
} else {
  const sizes = (process.env.ZT_BENCH_SIZES ?? '2500,5000,10000,20000').split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  const rows = [];
  for (const pods of sizes) {
    const runs = [];
    for (let i = 0; i < Number(process.env.ZT_BENCH_RUNS ?? 3); i++) {
      const r = spawnSync(process.execPath, ['--expose-gc', self, '--size', String(pods)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`size ${pods} failed: ${r.stderr}`);
      runs.push(JSON.parse(r.stdout));
    }
    runs.sort((a, b) => a.analysisCpuMs - b.analysisCpuMs);
    rows.push(runs[Math.floor(runs.length / 2)]);
  }
  console.log('pods    workloads  namespaces  policies  wall ms  CPU ms  peak RSS MiB  CPU growth per step  mean/max blast radius');
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    const growth = prev ? `×${(r.analysisCpuMs / Math.max(1, prev.analysisCpuMs)).toFixed(2)} for pods ×${(r.pods / prev.pods).toFixed(1)}` : '-';
    console.log(
      `${String(r.pods).padEnd(8)}${String(r.workloads).padEnd(11)}${String(r.namespaces).padEnd(12)}${String(r.networkPolicies).padEnd(10)}${String(r.analysisMs).padEnd(9)}${String(r.analysisCpuMs).padEnd(8)}${String(r.peakRssMiB).padEnd(14)}${growth.padEnd(28)}${r.meanBlastRadius}/${r.maxBlastRadius}`,
    );
  });
  console.log(`load average while measuring: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}
