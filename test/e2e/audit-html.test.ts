import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { Browser, findChromium, type Page } from '../support/headless-chromium.mjs';

/**
 * `zt audit -o html=…` in a real headless Chromium: the page renders without errors and
 * fetches nothing, draws the ZTMM stage of every pillar, and its findings table sorts and
 * filters from the URL and from clicks. Skipped, with a message, when no Chromium is installed.
 */

const chromium = findChromium();
if (!chromium) console.warn('audit-html: skipped — no Chromium found (apt-get install chromium, or set ZT_CHROMIUM=/path/to/chrome)');

describe.runIf(chromium !== undefined)('audit HTML report in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageUrl: string;
  let report: { score: { overall: { stage: string; score: number | null }; pillars: { name: string; stage: string; score: number | null }[] }; findings: { status: string }[] };

  beforeAll(async () => {
    browser = new Browser(chromium as string);
    const dir = mkdtempSync(join(tmpdir(), 'zt-audit-html-'));
    const io = memoryIo({ cwd: dir });
    expect(await run(['audit', '--demo', '-q', '--fail-on', 'none', '-o', 'html=audit.html', '-f', 'json'], io)).toBe(0);
    report = JSON.parse(io.out());
    pageUrl = pathToFileURL(join(dir, 'audit.html')).href;
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const visible = (col: string) =>
    page.evaluate<string[]>(`Array.from(document.querySelectorAll('#findings tbody tr')).filter(r => !r.hidden).map(r => r.querySelector('td[data-col="${col}"]').textContent)`);

  it('renders without errors, fetches nothing, and draws every pillar at the stage the report gives', async () => {
    await page.open(pageUrl);
    await page.ready();
    expect(await page.evaluate('document.body.dataset.ready')).toBe('1');
    expect(await page.evaluate('document.body.dataset.errors ?? null')).toBeNull();
    const drawn = await page.evaluate<{ pillar: string; stage: string }[]>(
      `Array.from(document.querySelectorAll('#chart-stages g[data-pillar]')).map(g => ({ pillar: g.dataset.pillar, stage: g.dataset.stage }))`,
    );
    expect(drawn).toEqual([
      { pillar: 'Overall', stage: report.score.overall.stage },
      ...report.score.pillars.map((p) => ({ pillar: p.name, stage: p.stage })),
    ]);
    expect(await page.evaluate('document.querySelectorAll("#rows tbody tr").length')).toBe(37);
    const failing = report.findings.filter((f) => f.status !== 'pass').length;
    expect(await page.evaluate('document.body.dataset.matchingRows')).toBe(String(failing));
    expect(await page.evaluate('document.querySelectorAll("#findings tbody tr").length')).toBe(Math.min(100, failing));
    expect(await page.evaluate('document.getElementById("next-steps").children.length')).toBeGreaterThan(3);
    expect(page.problems).toEqual([]);
    expect(page.requests).toEqual([]);
  });

  it('filters by severity from the URL and sorts by severity on a header click', async () => {
    await page.open(pageUrl, '#severity=critical');
    await page.ready();
    const critical = await visible('severity');
    expect(critical.length).toBeGreaterThan(5);
    expect(new Set(critical)).toEqual(new Set(['critical']));
    await page.open(pageUrl, '#sort=rule&dir=asc');
    await page.ready();
    await page.evaluate(`document.querySelector('th[data-col="severity"]').click()`);
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const ranks = (await visible('severity')).map((s) => order.indexOf(s));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(await page.evaluate<string>('location.hash')).toBe('#sort=severity&dir=desc');
  });

  it('narrows to what the reader types, and says how many are shown', async () => {
    await page.open(pageUrl);
    await page.ready();
    await page.evaluate(`(() => { const f = document.getElementById('filter'); f.value = 'dev-lambda'; f.dispatchEvent(new Event('input')); })()`);
    const resources = await visible('resource');
    expect(resources.length).toBeGreaterThan(1);
    for (const r of resources) expect(r).toContain('dev-lambda');
    expect(await page.evaluate<string>('document.getElementById("count").textContent')).toMatch(new RegExp(`^${resources.length} of \\d+ findings$`));
    expect(page.problems).toEqual([]);
  });

  it('pages through the findings 100 at a time, and keeps the page in the URL', async () => {
    const failing = report.findings.filter((f) => f.status !== 'pass').length;
    const pages = Math.ceil(failing / 100);
    expect(pages).toBeGreaterThan(1);
    await page.open(pageUrl);
    await page.ready();
    expect(await page.evaluate<string>('document.getElementById("page").textContent')).toBe(`page 1 of ${pages}`);
    const first = await visible('resource');
    expect(first).toHaveLength(100);
    await page.evaluate(`document.getElementById('next').click()`);
    const second = await visible('resource');
    expect(second).toHaveLength(Math.min(100, failing - 100));
    expect(await page.evaluate<string>('location.hash')).toBe('#page=2');
    const rowsOf = (list: string[]) => list.join('\n');
    expect(rowsOf(second)).not.toBe(rowsOf(first));
    await page.open(pageUrl, `#page=${pages}`);
    await page.ready();
    expect(await visible('resource')).toHaveLength(failing - (pages - 1) * 100);
    expect(await page.evaluate('document.getElementById("next").disabled')).toBe(true);
    expect(page.problems).toEqual([]);
  });

  it('at 1280 and 800 px: no column header or badge breaks mid-word, the page does not scroll sideways, and pillars show their progress within a stage', async () => {
    for (const width of [1280, 800]) {
      await page.setWidth(width);
      await page.open(pageUrl);
      await page.ready();
      // Each word of a header or badge is laid out on one line: its client rects share one top.
      const broken = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('th, .badge')).flatMap((el) => {
        const out = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const m of node.data.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            if (new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size > 1) out.push(m[0]);
          }
        }
        return out;
      })`);
      expect(broken, `words broken at ${width} px`).toEqual([]);
      const badges = await page.evaluate<number>(`Array.from(document.querySelectorAll('.badge')).filter((b) => b.getClientRects().length > 1).length`);
      expect(badges, `badges over two lines at ${width} px`).toBe(0);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `at ${width} px`).toBeLessThanOrEqual(width);
    }
    await page.setWidth(1280);
    const bars = await page.evaluate<{ pillar: string; width: number }[]>(
      `Array.from(document.querySelectorAll('#chart-stages g[data-pillar] rect.progress')).map((r) => ({ pillar: r.parentElement.dataset.pillar, width: Number(r.getAttribute('width')) }))`,
    );
    const withProgress = [{ name: 'Overall', score: report.score.overall.score }, ...report.score.pillars].filter((p) => p.score !== null && p.score % 1 > 0 && p.score < 3);
    expect(bars.map((b) => b.pillar)).toEqual(withProgress.map((p) => p.name));
    for (const bar of bars) {
      const fraction = (withProgress.find((p) => p.name === bar.pillar)?.score as number) % 1;
      expect(bar.width).toBe(Math.max(1, Math.round(89 * fraction)));
    }
  });

  it('takes a screenshot', async () => {
    await page.open(pageUrl);
    await page.ready();
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    const path = join(process.env.ZT_SCREENSHOT_DIR ?? tmpdir(), 'zt-audit.png');
    writeFileSync(path, png);
    console.log(`audit-html: screenshot at ${path}`);
  });
});
