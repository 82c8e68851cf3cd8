// Live Kubernetes collection against the fake API server (test/support/fake-kube-api.ts):
// 20,000 objects, 50 ms added to every response. Reports wall time against the
// critical-path bound (the longest chain of dependent requests × latency: /version,
// /apis, then the type with the most pages) and the collector's peak RSS.
// Measurements only: `npm run build && node bench/k8s-collect.js` (env: ZT_K8S_OBJECTS,
// ZT_K8S_LATENCY_MS, ZT_K8S_PAGE). The collector runs in a child process so the
// server's memory does not count.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const total = Number(process.env.ZT_K8S_OBJECTS ?? 20_000);
const latencyMs = Number(process.env.ZT_K8S_LATENCY_MS ?? 50);
const pageSize = Number(process.env.ZT_K8S_PAGE ?? 500);

if (process.argv[2] === 'child') {
  const [kubeconfig] = process.argv.slice(3);
  const t0 = performance.now();
  const { liveCollector } = await import('../dist/collectors/kubernetes/live.js');
  await import('../dist/collectors/kubernetes/client.js'); // client-node: loaded lazily in real runs
  const { validateResource } = await import('../dist/inventory/validate.js');
  const { defaultConfig } = await import('../dist/config/config.js');
  const { Redactor } = await import('../dist/text/redact.js');
  const { directNetwork } = await import('../dist/collectors/read-network.js');
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const output = await liveCollector({ kubeconfig, secrets: true, pageSize }).collect({
    signal: new AbortController().signal,
    progress: (m) => process.env.ZT_K8S_TRACE && process.stderr.write(`${Math.round(performance.now() - t1)} ${m}\n`),
    now: new Date(),
    env: {},
    cwd: process.cwd(),
    config: defaultConfig,
    network: directNetwork,
    redactor: new Redactor(),
  });
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  // What app/collect does next: every resource checked against its kind schema.
  let invalid = 0;
  for (const r of output.resources) if (!validateResource(r, r.id).ok) invalid++;
  const t3 = performance.now();
  process.stdout.write(
    JSON.stringify({ importMs: t1 - t0, wallMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, validateMs: t3 - t2, maxRssMb: process.resourceUsage().maxRSS / 1024, resources: output.resources.length, invalid, issues: output.issues.length }),
  );
  process.exit(0);
}

const { startFakeKube, writeKubeconfig } = await import('../test/support/fake-kube-api.ts');

// A cluster's usual mix: many pods, fewer controllers, services, accounts, RBAC, policies.
const mix = [
  ['/api/v1/pods', 'Pod', 0.3],
  ['/apis/apps/v1/replicasets', 'ReplicaSet', 0.1],
  ['/apis/apps/v1/deployments', 'Deployment', 0.08],
  ['/api/v1/services', 'Service', 0.08],
  ['/api/v1/serviceaccounts', 'ServiceAccount', 0.1],
  ['/api/v1/secrets', 'Secret', 0.12],
  ['/apis/rbac.authorization.k8s.io/v1/rolebindings', 'RoleBinding', 0.08],
  ['/apis/rbac.authorization.k8s.io/v1/roles', 'Role', 0.05],
  ['/apis/networking.k8s.io/v1/networkpolicies', 'NetworkPolicy', 0.05],
  ['/api/v1/namespaces', 'Namespace', 0.02],
  ['/apis/rbac.authorization.k8s.io/v1/clusterroles', 'ClusterRole', 0.01],
  ['/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', 'ClusterRoleBinding', 0.01],
];
const otherPaths = [
  '/apis/apps/v1/statefulsets',
  '/apis/apps/v1/daemonsets',
  '/apis/batch/v1/jobs',
  '/apis/batch/v1/cronjobs',
  '/apis/networking.k8s.io/v1/ingresses',
  '/api/v1/nodes',
];
const lists = Object.fromEntries(otherPaths.map((p) => [p, []]));
let made = 0;
for (const [i, [path, kind, share]] of mix.entries()) {
  const n = i === mix.length - 1 ? total - made : Math.round(total * share);
  made += n;
  lists[path] = Array.from({ length: n }, (_, j) => {
    const namespace = `ns-${j % 200}`;
    const metadata = { name: `${kind.toLowerCase()}-${j}`, namespace, uid: `${kind}-${j}`, labels: { app: `app-${j % 50}` } };
    const podSpec = { serviceAccountName: `sa-${j % 50}`, containers: [{ name: 'app', image: `registry.example/app:${j % 7}`, env: [{ name: 'MODE', value: 'prod' }], securityContext: { runAsNonRoot: true } }] };
    switch (kind) {
      case 'Pod':
        // Real pods carry managedFields and status: most of their bytes, none of which zt keeps.
        return {
          metadata: { ...metadata, managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } }] },
          spec: podSpec,
          status: { phase: 'Running', podIP: `10.0.${j % 250}.${j % 200}`, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'registry.example/app', imageID: `sha256:${'a'.repeat(64)}` }] },
        };
      case 'ReplicaSet':
      case 'Deployment':
        return { metadata, spec: { replicas: 2, template: { metadata: { labels: metadata.labels }, spec: podSpec } } };
      case 'Service':
        return { metadata, spec: { selector: metadata.labels, ports: [{ port: 80, targetPort: 8080 }] } };
      case 'RoleBinding':
        return { metadata, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace }] };
      case 'Role':
      case 'ClusterRole':
        return { metadata: kind === 'ClusterRole' ? { name: metadata.name } : metadata, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
      case 'ClusterRoleBinding':
        return { metadata: { name: metadata.name }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'devs' }] };
      case 'NetworkPolicy':
        return { metadata, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
      case 'Namespace':
        return { metadata: { name: metadata.name, labels: metadata.labels } };
      default:
        return { metadata };
    }
  });
}

const server = await startFakeKube({ lists, latencyMs, maxPage: pageSize });
const kubeconfig = writeKubeconfig(server.kubeconfig({ context: 'bench' }));
const pagesOf = (n) => Math.max(1, Math.ceil(n / pageSize));
const allPaths = Object.keys(lists);
const longestChain = Math.max(...allPaths.map((p) => pagesOf(lists[p].length)));
const criticalPathMs = (2 + longestChain) * latencyMs;
const totalRequests = 2 + allPaths.reduce((sum, p) => sum + pagesOf(lists[p].length), 0);
const concurrencyBoundMs = (2 + Math.ceil((totalRequests - 2) / 6)) * latencyMs;

// Asynchronously: the server answers from this process's event loop.
const child = await new Promise((resolve) => {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), 'child', kubeconfig], { env: { ...process.env, ZT_K8S_PAGE: String(pageSize) } });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  proc.on('close', (status) => resolve({ status, stdout, stderr }));
});
await server.close();
if (process.env.ZT_K8S_TRACE) console.error(child.stderr);
if (child.status !== 0) {
  console.error(child.stderr);
  process.exit(1);
}
const result = JSON.parse(child.stdout);
const row = (label, value) => console.log(`${label.padEnd(44)} ${value}`);
row('objects served', `${total} in ${allPaths.length} types (page size ${pageSize}, +${latencyMs} ms per response)`);
row('requests made / expected', `${server.requests.length} / ${totalRequests}`);
row('resources in snapshot', `${result.resources} (${result.issues} issues, ${result.invalid} failing their schema)`);
row('module load (collector + client-node)', `${Math.round(result.importMs)} ms`);
row('wall time: connect, list, map', `${Math.round(result.wallMs)} ms`);
row('  of which collector CPU time', `${Math.round(result.cpuMs)} ms`);
row('then schema validation (app/collect)', `${Math.round(result.validateMs)} ms`);
row('critical-path bound (chain × latency)', `${criticalPathMs} ms (${2 + longestChain} dependent requests)`);
row('bound with 6 requests in flight', `${concurrencyBoundMs} ms`);
row('wall / critical path', `${(result.wallMs / criticalPathMs).toFixed(2)}×`);
row('collector peak RSS', `${Math.round(result.maxRssMb)} MB`);
