// The access-review HTML at scale in a real headless Chromium (measure only, never a test):
// about 10,000 principals (the synthetic organisation at scale 0.2), opened from a file.
// Reports the time from navigation to the page's script having unpacked every row and
// applied the first view (body[data-ready]), the page size, a sort, and script errors.
//
//   npm run build && node bench/html-render.js [reviewScale]     (needs chromium; Debian: apt-get install chromium)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReview } from '../dist/review/review.js';
import { renderReview } from '../dist/review/render.js';
import { Browser, findChromium } from '../test/support/headless-chromium.mjs';
import { synthetic } from './review-synth.js';

const chromium = findChromium();
if (!chromium) {
  console.log('html-render: skipped, no Chromium (apt-get install chromium, or ZT_CHROMIUM=/path)');
  process.exit(0);
}
const scale = Number(process.argv[2] ?? 0.2);
const dir = mkdtempSync(join(tmpdir(), 'zt-bench-html-'));

const { snapshot, map } = synthetic(scale);
const review = buildReview(snapshot, { toolVersion: 'bench', identityMap: { map, name: 'bench' } });
const reviewFile = join(dir, 'review.html');
writeFileSync(reviewFile, renderReview(review, 'html'));

const browser = new Browser(chromium);
try {
  const page = await browser.newPage();
  const url = pathToFileURL(reviewFile).href;
  console.log(`access review: ${review.summary.principals} principals, ${review.summary.grants} grants`);
  const times = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await page.open(url);
    // The first page is drawn at load; the script then unpacks every row and applies the view.
    await page.ready(120_000);
    times.push(performance.now() - started);
  }
  const rows = await page.evaluate('document.body.dataset.matchingRows');
  const sortStarted = performance.now();
  await page.evaluate(`document.querySelector('th[data-col="privilege"]').click()`);
  const sortMs = performance.now() - sortStarted;
  console.log(`  initial render (navigate → first view applied), best of 3: ${Math.min(...times).toFixed(0)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  rows ${rows}; page ${(Buffer.byteLength(readFileSync(reviewFile)) / 1e6).toFixed(1)} MB; a sort by privilege: ${sortMs.toFixed(0)} ms; page errors: ${page.problems.length}`);
} finally {
  await browser.close();
}
