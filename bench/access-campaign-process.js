// The campaign's commands as whole processes at scale (measure only, never a test): a
// synthetic organisation of about 50,000 principals and 500,000 grants (review-synth.js),
// its campaign file written, the pack returned as 500 reviewer CSVs (every row decided), then
// `zt access-review record` and `zt access-review status` each run as a fresh process under
// /usr/bin/time -v: wall time and peak RSS of the whole process, start-up, reading and
// writing the campaign file included. Target (issue 22): each < 10 s and < 2 GiB.
//
//   npm run build && node bench/access-campaign-process.js [scale] [--keep] [--prof]
//
// --prof runs record with --cpu-prof (the profile is written to the work folder).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCampaign, startCampaign } from '../dist/review/campaign.js';
import { renderReviewChunks } from '../dist/review/render.js';
import { buildReview } from '../dist/review/review.js';
import { synthetic } from './review-synth.js';

const args = process.argv.slice(2);
const scale = Number(args.find((a) => /^\d/.test(a)) ?? 1);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const zt = join(root, 'bin', 'zt.js');
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) throw new Error('needs GNU time at /usr/bin/time (apt-get install time)');

const dir = mkdtempSync(join(tmpdir(), 'zt-campaign-bench-'));
const started = Date.now();
const { snapshot, map } = synthetic(scale);
const review = buildReview(snapshot, { toolVersion: 'bench', identityMap: { map, name: 'bench' } });
const campaign = startCampaign(review, '2027-01-15');
writeFileSync(join(dir, 'campaign.json'), renderCampaign(campaign));
// The pack as 500 reviewer files, every row decided keep with a reason (admin rows need one).
const lines = [...renderReviewChunks(review, 'csv')].join('').split('\r\n');
const parts = Array.from({ length: 500 }, () => [lines[0]]);
lines.slice(1, -1).forEach((line, i) => {
  const signed = line.replace(/,,,,,(pk-[0-9a-f]{16}),([0-9a-f]{24})$/, ',bench-reviewer,,,,$1,$2');
  parts[i % 500].push(signed.replace(/,,,,(pk-[0-9a-f]{16}),([0-9a-f]{24})$/, ',keep,2026-11-20,reviewed,$1,$2'));
});
mkdirSync(join(dir, 'returned'));
parts.forEach((p, i) => writeFileSync(join(dir, 'returned', `r${String(i).padStart(3, '0')}.csv`), `${p.join('\r\n')}\r\n`));
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
console.log(`setup ${((Date.now() - started) / 1000).toFixed(1)} s: ${review.summary.principals} principals, ${campaign.items.length} rows; campaign ${mib(statSync(join(dir, 'campaign.json')).size)}, 500 files ${mib(parts.reduce((n, p) => n + Buffer.byteLength(p.join('\r\n')), 0))}`);

/** Runs zt under /usr/bin/time -v; returns wall seconds and peak RSS (KiB). */
function measure(label, argv, extraNodeArgs = []) {
  const out = spawnSync(TIME, ['-v', process.execPath, ...extraNodeArgs, zt, ...argv], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(out.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(out.stderr);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const status = /Exit status: (\d+)/.exec(out.stderr)?.[1];
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(out.stderr)?.[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(out.stderr)?.[1]);
  const share = /Percent of CPU this job got: (\d+)%/.exec(out.stderr)?.[1];
  console.log(`${label.padEnd(40)} ${seconds.toFixed(2).padStart(7)} s wall, ${cpu.toFixed(2)} s CPU (${share}% of a core)  peak RSS ${rss ? mib(Number(rss[1]) * 1024) : '?'}  exit ${status}`);
  if (status !== '0') console.log(out.stderr.split('\n').slice(0, 8).join('\n'));
  return { seconds, rssKiB: rss ? Number(rss[1]) : NaN };
}

const prof = args.includes('--prof') ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'profile')}`] : [];
measure('zt access-review record (500 files)', ['access-review', 'record', 'returned', '--campaign', 'campaign.json', '--by', 'bench@example.com', '--at', '2026-11-25T00:00:00Z'], prof);
console.log(`  campaign after: ${mib(statSync(join(dir, 'campaign.json')).size)}`);
measure('zt access-review status', ['access-review', 'status', 'campaign.json', '--at', '2026-12-01', '--json']);
measure('zt access-review evidence', ['access-review', 'evidence', 'campaign.json', '--out', 'evidence']);
console.log(`node ${process.version}, ${execFileSync('nproc').toString().trim()} cores; load ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
if (args.includes('--keep') || prof.length > 0) console.log(`work folder kept: ${dir}`);
else rmSync(dir, { recursive: true, force: true });
