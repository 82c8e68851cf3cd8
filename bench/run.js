// npm run bench: start-up time and audit scaling figures. Prints a table and writes
// bench/out/results.json. Measurements, not tests: nothing here fails the build.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthSnapshot } from './synth.js';

const out = new URL('./out/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const node = process.execPath;
const results = { node: process.version, startup: {}, audit: [] };

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time of one fresh `node <args>` process, in ms. */
function wall(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(node, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const sizes = (process.env.ZT_BENCH_SIZES ?? '10000,100000,200000').split(',').map(Number);
const runs = Number(process.env.ZT_BENCH_RUNS ?? 15);

console.log(`zt benchmark on Node ${process.version}\n`);
console.log('start-up (median wall time of', runs, 'runs, the three commands interleaved)');
// Interleaved round by round, so a slow spell of the machine weighs on every command alike.
const commands = [['node -e 0', ['-e', '0']], ['zt --version', ['bin/zt.js', '--version']], ['zt --help', ['bin/zt.js', '--help']]];
const samples = new Map(commands.map(([label]) => [label, []]));
for (let i = 0; i < runs; i++) for (const [label, args] of commands) samples.get(label).push(wall(args));
const baseline = median(samples.get('node -e 0'));
for (const [label] of commands) {
  const ms = median(samples.get(label));
  results.startup[label] = { ms, ratio: ms / baseline };
  console.log(`  ${label.padEnd(14)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / baseline).toFixed(2)}× node -e 0`);
}

// This machine class is noisy (page faults and memory pressure vary run to run): each
// figure is the best of several fresh processes, parse and audit interleaved so a slow
// spell weighs on both sides of the ratio.
const repeats = Number(process.env.ZT_BENCH_REPEAT ?? 5);
console.log(`\naudit --snapshot with all bundled rules (fresh process each; best of ${repeats}, parse and audit interleaved)`);
console.log('  resources   file MB   JSON.parse ms   audit ms   ratio   peak RSS MB');
for (const size of sizes) {
  const file = join(out, `snapshot-${size}.json`);
  writeFileSync(file, JSON.stringify(synthSnapshot(size)));
  const mb = statSync(file).size / 1e6;
  const measure = (mode) => {
    const r = spawnSync(node, ['--max-old-space-size=4096', 'bench/audit-once.js', file, mode], { encoding: 'utf8', maxBuffer: 1e7 });
    if (r.status !== 0) throw new Error(`audit-once ${mode} failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const parses = [];
  const audits = [];
  for (let i = 0; i < repeats; i++) {
    parses.push(measure('parse'));
    audits.push(measure('audit'));
  }
  const parse = parses.sort((a, b) => a.parseMs - b.parseMs)[0];
  const audit = audits.sort((a, b) => a.auditMs - b.auditMs)[0];
  const row = { resources: size, fileMb: mb, parseMs: parse.parseMs, auditMs: audit.auditMs, ratio: audit.auditMs / parse.parseMs, maxRssMb: audit.maxRssMb };
  results.audit.push(row);
  console.log(
    `  ${String(size).padStart(9)} ${mb.toFixed(1).padStart(9)} ${parse.parseMs.toFixed(0).padStart(15)} ${audit.auditMs.toFixed(0).padStart(10)} ${row.ratio.toFixed(2).padStart(7)} ${audit.maxRssMb.toFixed(0).padStart(13)}`,
  );
}
const r100 = results.audit.find((r) => r.resources === 100000);
const r200 = results.audit.find((r) => r.resources === 200000);
if (r100 && r200) {
  results.growth200over100 = r200.auditMs / r100.auditMs;
  console.log(`\n  200k / 100k audit time: ${results.growth200over100.toFixed(2)}×`);
}
writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nresults: ${join(out, 'results.json')}`);
