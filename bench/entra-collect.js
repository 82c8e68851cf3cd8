// Entra collector benchmark: a generated tenant served by the fake Graph (in a child
// process, so its memory is not counted), collected by the built collector (dist/).
// Reports wall time against the paging bound, requests, and peak RSS of the collecting
// process. The bound is the longest chain of requests that must follow one another (a
// page's nextLink names the next page) × the per-request latency: the token, the small
// endpoints the user mapping needs (roles), then every users page; the registration
// details chain runs beside it. A second figure uses the old, all-sequential bound.
//
//   npm run build && node bench/entra-collect.js [--sizes 1000,10000,50000] [--latency 5]
//
// Never part of the test suite. The real service is slower by design: with
// signInActivity Graph serves 120 users per page and allows about 10 such requests a
// minute, so 50,000 users take ~42 minutes of throttled paging whatever the client does.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const sizes = arg('--sizes', '1000,10000,50000').split(',').map(Number);
const latency = Number(arg('--latency', '5'));
const server = fileURLToPath(new URL('../test/support/fake-graph.mjs', import.meta.url));
const { entraSource } = await import('../dist/collectors/entra/source.js');
const { defaultConfig } = await import('../dist/config/config.js');
const { Redactor } = await import('../dist/text/redact.js');
const { directNetwork } = await import('../dist/collectors/read-network.js');

async function startServer(users) {
  const child = spawn(process.execPath, [server, '--users', String(users), '--page-size', '120', '--latency', String(latency)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake Graph exited ${code}`)));
  });
  return { child, ...JSON.parse(line) };
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rows = [];
for (const users of sizes) {
  const graph = await startServer(users);
  setDefaultCACertificates([...getCACertificates('default'), readFileSync(graph.caFile, 'utf8')]);
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const build = await entraSource.load();
  const [collector] = build({ entra: graph.tenant });
  const started = performance.now();
  const output = await collector.collect({
    signal: new AbortController().signal,
    progress: () => {},
    now: new Date(),
    env: { AZURE_CLIENT_ID: 'bench-client', AZURE_CLIENT_SECRET: 'bench-secret', ZT_GRAPH_URL: graph.graphUrl, ZT_ENTRA_AUTHORITY: graph.authority },
    cwd: process.cwd(),
    config: defaultConfig,
    network: directNetwork,
    redactor: new Redactor(),
  });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  // Token + 10 small endpoints + users at 120 a page on the critical path; registration
  // details (also 120 a page) alongside.
  const chain = Math.ceil(users / 120);
  const pages = 2 * chain;
  const requests = 1 + pages + 10;
  const bound = (1 + 10 + chain) * latency;
  const sequentialBound = requests * latency;
  rows.push({
    users,
    resources: output.resources.length,
    requests,
    'wall ms': Math.round(ms),
    'paging bound ms': bound,
    'wall / bound': (ms / bound).toFixed(2),
    'wall / sequential bound': (ms / sequentialBound).toFixed(2),
    'ms per page': (ms / pages).toFixed(1),
    'RSS before': mb(before),
    'peak RSS': mb(peak),
    'RSS growth': mb(peak - before),
  });
  graph.child.kill('SIGTERM');
  await new Promise((r) => graph.child.once('exit', r));
}
console.table(rows);
