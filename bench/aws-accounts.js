// The merged audit of an estate of many AWS accounts (issue #17): ZT_AWS_ACCOUNTS synthetic
// accounts (default 50) of 1,000 roles, 300 users and 500 policies each, one snapshot per
// account in a folder as `zt collect --out-dir` writes them, audited together with
// `zt audit --snapshot <folder>` against the audit of one of them. Each run is a fresh
// `node bin/zt.js` process under /usr/bin/time -v (wall, CPU, peak RSS), the two
// interleaved round by round. The analysis keeps each account apart (no step crosses an
// account boundary unless a trust policy allows it), so the estate should cost about the
// number of accounts times one account, not more.
// Measurements only: `npm run build && node bench/aws-accounts.js`
// (env: ZT_AWS_ACCOUNTS=50, ZT_AWS_ROLES=1000, ZT_BENCH_RUNS=2).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthAccount } from './aws-synth.js';
import { timedProcess } from './timed-process.js';

const accounts = Number(process.env.ZT_AWS_ACCOUNTS ?? 50);
const roles = Number(process.env.ZT_AWS_ROLES ?? 1000);
const runs = Number(process.env.ZT_BENCH_RUNS ?? 2);

const dir = mkdtempSync(join(tmpdir(), 'zt-bench-accounts-'));
const estate = join(dir, 'estate');
mkdirSync(estate);
let resources = 0;
for (let i = 0; i < accounts; i++) {
  const account = String(100000000000 + i + 1);
  const snapshot = synthAccount(roles, i + 1, { account, users: Math.round(roles * 0.3), policies: Math.round(roles * 0.5) });
  resources += snapshot.resources.length;
  writeFileSync(join(estate, `aws-${account}.json`), JSON.stringify(snapshot));
}
const oneFile = join(estate, 'aws-100000000001.json');

const bin = fileURLToPath(new URL('../bin/zt.js', import.meta.url));

/** One fresh `zt audit` under /usr/bin/time -v, its JSON report discarded. */
function audit(snapshot) {
  return timedProcess([process.execPath, bin, 'audit', '--snapshot', snapshot, '-f', 'json', '-o', `json=${join(dir, 'report.json')}`, '--fail-on', 'none', '--quiet']);
}

const one = [];
const all = [];
for (let r = 0; r < runs; r++) {
  for (const [list, input] of [
    [one, oneFile],
    [all, estate],
  ]) {
    const result = await audit(input);
    if (result.status !== 0) {
      console.error(result.stderr);
      process.exitCode = 1;
    }
    list.push(result);
  }
}
rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const describe = (results) =>
  `wall median ${(median(results.map((x) => x.wallMs)) / 1000).toFixed(2)} s, CPU ${median(results.map((x) => x.cpuS)).toFixed(2)} s, peak RSS ${Math.round(median(results.map((x) => x.rssMb)))} MB`;
const row = (label, value) => console.log(`${label.padEnd(40)} ${value}`);
row('estate', `${accounts} accounts × ${roles} roles, ${Math.round(roles * 0.3)} users, ${Math.round(roles * 0.5)} policies (${resources} resources; load average ${loadavg()[0].toFixed(1)})`);
row('one account (whole process)', describe(one));
row(`${accounts} accounts merged (whole process)`, describe(all));
row(`${accounts} accounts / one account, wall`, `${(median(all.map((x) => x.wallMs)) / median(one.map((x) => x.wallMs))).toFixed(1)}× for ${accounts}× the accounts`);
