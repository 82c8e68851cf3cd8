// Access review at scale (measure only, never a test): a synthetic organisation of about
// 50,000 principals and 500,000 grants across the three planes, reviewed and rendered in
// every format. Reports time per phase and peak RSS.
//
//   npm run build && node bench/access-review.js [scale]      (scale 1 = 50k principals)
//
// Imports the built code from dist/.
import { performance } from 'node:perf_hooks';
import { analyse } from '../dist/analysis/index.js';
import { InventoryIndex } from '../dist/inventory/index.js';
import { buildReview } from '../dist/review/review.js';
import { diffReviews } from '../dist/review/diff.js';
import { renderReviewChunks } from '../dist/review/render.js';
import { startCampaign } from '../dist/review/campaign.js';
import { recordDecisions } from '../dist/review/record.js';
import { campaignStatus } from '../dist/review/status.js';
import { synthetic } from './review-synth.js';

const scale = Number(process.argv[2] ?? 1);

const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;
const timed = (label, fn) => {
  const start = performance.now();
  const value = fn();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(7)} s`);
  return value;
};

const { snapshot, map } = timed('build synthetic snapshot', () => synthetic(scale));
timed('analyse alone (the audit does it too)', () => analyse(new InventoryIndex(snapshot)));
const review = timed('analyse + review', () => buildReview(snapshot, { toolVersion: 'bench', identityMap: { map, name: 'bench' } }));
console.log(`  ${snapshot.resources.length} resources → ${review.summary.principals} principals, ${review.summary.grants} grants, ${review.graph.edges.length} graph edges, ${review.graph.paths.length} paths`);
// As the CLI writes them: chunk by chunk (JSON in ~1 MB chunks), here counted instead of written.
for (const format of ['json', 'csv', 'markdown', 'html']) {
  const bytes = timed(`render ${format}`, () => {
    let total = 0;
    for (const chunk of renderReviewChunks(review, format)) total += Buffer.byteLength(chunk);
    return total;
  });
  console.log(`  ${format}: ${mb(bytes)}`);
}
timed('diff against itself (--previous)', () => diffReviews(review, review));
// The campaign: started, the CSV returned as 500 reviewer files (every row decided), recorded, status.
const campaign = timed('start campaign', () => startCampaign(review, '2027-01-15'));
const files = timed('fill 500 returned files', () => {
  const lines = [...renderReviewChunks(review, 'csv')].join('').split('\r\n');
  const header = lines[0];
  const parts = Array.from({ length: 500 }, () => [header]);
  // Every row decided keep, with a reason (admin rows need one): the three empty decision columns before pack_id and row_hash.
  lines.slice(1, -1).forEach((line, i) => {
    // An unassigned row (empty reviewer) is signed by a stand-in reviewer.
    const filled = line.replace(/,,,,,(pk-[0-9a-f]{16}),([0-9a-f]{24})$/, ',bench-reviewer,,,,$1,$2');
    parts[i % 500].push(filled.replace(/,,,,(pk-[0-9a-f]{16}),([0-9a-f]{24})$/, ',keep,2026-11-20,reviewed,$1,$2'));
  });
  return parts.map((p, i) => ({ name: `r${i}.csv`, text: `${p.join('\r\n')}\r\n`, sha256: '' }));
});
const recorded = timed('record 500 files', () => recordDecisions(campaign, files, { by: 'bench', at: '2026-11-25T00:00:00.000Z' }));
console.log(`  ${recorded.stored} decisions stored, ${recorded.problems.length} problems${recorded.problems.length > 0 ? ` (first: ${recorded.problems[0].message})` : ''}`);
const status = timed('status', () => campaignStatus(recorded.campaign, '2026-12-01'));
console.log(`  ${status.total.decided} of ${status.total.rows} decided`);
console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} (Node ${process.version})`);
