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
const { clusterLists } = await import('./k8s-objects.js');

const lists = clusterLists(total);

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
