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
console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} (Node ${process.version})`);
