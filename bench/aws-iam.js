// AWS IAM analysis benchmark: synthetic accounts with 1k, 2.5k, 5k and 10k roles (and
// proportional users, groups and customer-managed policies), analysed in a fresh process
// each (node bench/aws-iam.js; run `npm run build` first). Prints analysis time, peak RSS,
// paths found and growth between sizes. Measurements, not tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { synthAccount } from './aws-synth.js';

async function once(file) {
  const { InventoryIndex } = await import('../dist/inventory/index.js');
  const { analyse } = await import('../dist/analysis/index.js');
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const index = new InventoryIndex(snapshot);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const facts = analyse(index);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  let paths = 0;
  let canEscalate = 0;
  let admins = 0;
  for (const principal of [...index.ofKind('aws.iam.user'), ...index.ofKind('aws.iam.role')]) {
    const f = facts.get(principal.id);
    if (!f) continue;
    if (Array.isArray(f.privilegeEscalation)) paths += f.privilegeEscalation.length;
    if (f.canBecomeAdmin === true && f.adminEquivalent === false) canEscalate++;
    if (f.adminEquivalent === true) admins++;
  }
  process.stdout.write(JSON.stringify({ ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, paths, canEscalate, admins }));
}

if (process.argv[2] === '--once') {
  await once(process.argv[3]);
} else {
  const out = new URL('./out/', import.meta.url).pathname;
  mkdirSync(out, { recursive: true });
  const sizes = (process.env.ZT_BENCH_ROLES ?? '1000,2500,5000,10000').split(',').map(Number);
  console.log(`zt AWS IAM analysis on Node ${process.version} (fresh process per size; best of 3)\n`);
  console.log(`   roles   users  policies  resources   analysis ms    CPU ms   peak RSS MB   admins  can-escalate  paths   (load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
  const rows = [];
  for (const roles of sizes) {
    const snapshot = synthAccount(roles);
    const file = join(out, `aws-iam-${roles}.json`);
    writeFileSync(file, JSON.stringify(snapshot));
    const runs = [0, 1, 2].map(() => {
      const r = spawnSync(process.execPath, ['--max-old-space-size=4096', new URL(import.meta.url).pathname, '--once', file], { encoding: 'utf8', maxBuffer: 1e7 });
      if (r.status !== 0) throw new Error(`analysis of ${roles} roles failed: ${r.stderr}`);
      return JSON.parse(r.stdout);
    });
    const best = runs.sort((a, b) => a.ms - b.ms)[0];
    const count = (kind) => snapshot.resources.filter((x) => x.kind === kind).length;
    const row = { roles, users: count('aws.iam.user'), policies: count('aws.iam.policy'), resources: snapshot.resources.length, ...best };
    rows.push(row);
    console.log(
      `${String(roles).padStart(8)}${String(row.users).padStart(8)}${String(row.policies).padStart(10)}${String(row.resources).padStart(11)}${row.ms.toFixed(0).padStart(14)}${row.cpuMs.toFixed(0).padStart(10)}${row.maxRssMb.toFixed(0).padStart(14)}${String(row.admins).padStart(9)}${String(row.canEscalate).padStart(14)}${String(row.paths).padStart(7)}`,
    );
  }
  console.log('\ngrowth in analysis time:');
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    console.log(`  ${a.roles} → ${b.roles} roles (${(b.roles / a.roles).toFixed(1)}× size): ${(b.ms / a.ms).toFixed(2)}× time`);
  }
  if (rows.length > 1) {
    const first = rows[0];
    const last = rows[rows.length - 1];
    console.log(`  ${first.roles} → ${last.roles} roles overall: ${(last.ms / first.ms).toFixed(2)}× time for ${(last.roles / first.roles).toFixed(0)}× size`);
  }
  writeFileSync(join(out, 'aws-iam-results.json'), `${JSON.stringify({ node: process.version, rows }, null, 2)}\n`);
}
