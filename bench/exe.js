// The self-contained executable (npm run build:exe → dist-exe/zt) against the npm install's
// `node bin/zt.js`: its size, and the wall time and peak RSS of `zt --version` and
// `zt audit --demo -f json`, each a fresh process under /usr/bin/time -v, the two interleaved
// round by round so a slow spell of the machine weighs on both. A measurement, not a test.
//
//   npm run build:exe && node bench/exe.js        (ZT_BENCH_RUNS=10 by default)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const exe = join(root, 'dist-exe', 'zt');
if (!existsSync(exe)) {
  console.error('dist-exe/zt is missing: run npm run build:exe first');
  process.exit(1);
}
const runs = Number(process.env.ZT_BENCH_RUNS ?? 10);
const cwd = mkdtempSync(join(tmpdir(), 'zt-bench-exe-'));

/** One fresh process: wall ms (measured here) and peak RSS MB (from /usr/bin/time -v). */
function measure(command) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', ...command], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  // The demo's exit is 1 (failing findings at the default --fail-on high).
  if (!rss || (r.status !== 0 && r.status !== 1)) throw new Error(`${command.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, rss: Number(rss[1]) / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ways = [
  ['executable', [exe]],
  ['node bin/zt.js', [process.execPath, join(root, 'bin/zt.js')]],
];
const commands = [
  ['zt --version', ['--version']],
  ['zt audit --demo -f json', ['audit', '--demo', '-f', 'json']],
];

console.log(`dist-exe/zt: ${(statSync(exe).size / 1e6).toFixed(1)} MB; node ${process.version} (${(statSync(process.execPath).size / 1e6).toFixed(1)} MB)`);
console.log(`${runs} rounds, fresh processes, interleaved; wall ms median (best), peak RSS MB median`);
try {
  for (const [label, args] of commands) {
    const samples = new Map(ways.map(([way]) => [way, []]));
    for (let i = 0; i < runs; i++) for (const [way, command] of ways) samples.get(way).push(measure([...command, ...args]));
    for (const [way] of ways) {
      const s = samples.get(way);
      const wall = s.map((x) => x.ms);
      console.log(`  ${label.padEnd(24)} ${way.padEnd(15)} ${median(wall).toFixed(0).padStart(5)} (${Math.min(...wall).toFixed(0)}) ms   ${median(s.map((x) => x.rss)).toFixed(0).padStart(4)} MB`);
    }
  }
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
