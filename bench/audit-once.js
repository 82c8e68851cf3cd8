// One in-process audit of a snapshot, timed from process start; prints JSON figures.
// Run as a child by bench/run.js so each measurement has a fresh process and heap.
import { performance } from 'node:perf_hooks';

const [file, mode] = process.argv.slice(2);
const started = performance.timeOrigin;
if (mode === 'parse') {
  const { readFileSync } = await import('node:fs');
  const t0 = performance.now();
  JSON.parse(readFileSync(file, 'utf8'));
  const parseMs = performance.now() - t0;
  process.stdout.write(JSON.stringify({ parseMs, totalMs: performance.now(), maxRssMb: process.resourceUsage().maxRSS / 1024 }));
} else {
  const { run } = await import('../dist/cli/run.js');
  let out = 0;
  const io = { stdout: (t) => (out += t.length), stderr: () => {}, stdoutIsTTY: false, stderrIsTTY: false, columns: 100, env: {}, cwd: process.cwd(), now: () => new Date() };
  const t0 = performance.now();
  const code = await run(['audit', '--snapshot', file, '-f', 'json', '--fail-on', 'none', '--quiet'], io);
  const auditMs = performance.now() - t0;
  process.stdout.write(JSON.stringify({ code, auditMs, totalMs: performance.now(), maxRssMb: process.resourceUsage().maxRSS / 1024, outputBytes: out, startedAt: started }));
}
