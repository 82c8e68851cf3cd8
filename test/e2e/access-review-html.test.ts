import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { Browser, findChromium, type Page } from '../support/headless-chromium.mjs';

/**
 * The HTML review pack in a real headless Chromium (test/support/headless-chromium.mjs):
 * load the page with URL-hash parameters, click and type like a reviewer, read the DOM,
 * collect console errors, exceptions and any network request, and take a screenshot.
 *
 * Skipped, with a message, when no Chromium is installed (Debian: apt-get install chromium;
 * or point ZT_CHROMIUM at a binary).
 */

const chromium = findChromium();
if (!chromium) {
  console.warn('access-review-html: skipped — no Chromium found (apt-get install chromium, or set ZT_CHROMIUM=/path/to/chrome)');
}

describe.runIf(chromium !== undefined)('access review HTML in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageUrl: string;

  beforeAll(async () => {
    const started = Date.now();
    // The browser starts while zt writes the page.
    browser = new Browser(chromium as string);
    const dir = mkdtempSync(join(tmpdir(), 'zt-review-html-'));
    const io = memoryIo({ cwd: dir });
    expect(await run(['access-review', '--demo', '-q', '-o', 'html=review.html', '-f', 'json'], io)).toBe(0);
    pageUrl = pathToFileURL(join(dir, 'review.html')).href;
    page = await browser.newPage();
    console.log(`browser ready in ${Date.now() - started} ms`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const open = async (hash: string) => {
    await page.open(pageUrl, hash);
    await page.ready();
  };
  const evaluate = <T>(expression: string) => page.evaluate<T>(expression);
  const visible = (col: string) =>
    evaluate<string[]>(`Array.from(document.querySelectorAll('#principals tbody tr')).filter(r => !r.hidden).map(r => r.querySelector('td[data-col="${col}"]').textContent)`);

  it('renders without errors, fetches nothing, and shows the summary, charts and every principal', async () => {
    await open('');
    expect(await evaluate('document.body.dataset.ready')).toBe('1');
    expect(await evaluate('document.body.dataset.errors ?? null')).toBeNull();
    expect(await evaluate('document.querySelectorAll("svg.chart").length')).toBe(3);
    expect(await evaluate('document.querySelectorAll("#chart-privilege rect").length')).toBeGreaterThan(6);
    const rows = await evaluate<number>('document.querySelectorAll("#principals tbody tr").length');
    expect(rows).toBeGreaterThan(50);
    expect(await evaluate('document.body.dataset.visibleRows')).toBe(String(rows));
    expect(await evaluate<string>('document.getElementById("paths").textContent')).toMatch(/Okta group AWS-Admins.*cluster-admin/);
    expect(page.problems).toEqual([]);
    expect(page.requests).toEqual([]);
  });

  it('honours #sort=privilege&filter=admin from the URL', async () => {
    await open('#sort=privilege&filter=admin');
    const privileges = await visible('privilege');
    expect(privileges.length).toBeGreaterThan(5);
    expect(privileges[0]).toBe('admin');
    const rank = { admin: 3, write: 2, read: 1, none: 0 } as Record<string, number>;
    const ranks = privileges.map((p) => rank[p] ?? -1);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const searchable = await evaluate<string[]>(`Array.from(document.querySelectorAll('#principals tbody tr')).filter(r => !r.hidden).map(r => r.textContent.toLowerCase())`);
    for (const text of searchable) expect(text).toContain('admin');
    expect(await evaluate('document.querySelector(\'th[data-col="privilege"]\').getAttribute("aria-sort")')).toBe('descending');
    expect(await evaluate('document.getElementById("filter").value')).toBe('admin');
  });

  it('filters by plane and privilege from the URL', async () => {
    await open('#plane=aws&privilege=admin&sort=principal&dir=asc');
    const names = await visible('principal');
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toEqual(expect.arrayContaining(['OktaSSO-Admin', 'jsmith-admin', 'terraform-admin']));
    const planes = await evaluate<string[]>(`Array.from(document.querySelectorAll('#principals tbody tr')).filter(r => !r.hidden).map(r => r.dataset.plane + '/' + r.dataset.privilege)`);
    expect(new Set(planes)).toEqual(new Set(['aws/admin']));
  });

  it('sorts on header clicks and filters as the reviewer types, and puts the view in the URL', async () => {
    await open('');
    await evaluate(`document.querySelector('th[data-col="lastUsed"]').click()`);
    const dates = (await visible('lastUsed')).filter((d) => /^\d{4}-/.test(d));
    expect(dates.length).toBeGreaterThan(20);
    expect(dates).toEqual([...dates].sort().reverse());
    await evaluate(`document.querySelector('th[data-col="lastUsed"]').click()`);
    const ascending = (await visible('lastUsed')).filter((d) => /^\d{4}-/.test(d));
    expect(ascending).toEqual([...dates].sort());
    await evaluate(`(() => { const f = document.getElementById('filter'); f.value = 'no_mfa'; f.dispatchEvent(new Event('input')); })()`);
    expect(await visible('principal')).toEqual(['bob.martin']);
    expect(await evaluate('document.getElementById("count").textContent')).toMatch(/^1 of \d+ principals$/);
    expect(await evaluate<string>('location.hash')).toBe('#sort=lastUsed&dir=asc&filter=no_mfa');
    expect(page.problems).toEqual([]);
  });

  it('takes a screenshot', async () => {
    await open('#sort=privilege');
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    const path = join(process.env.ZT_SCREENSHOT_DIR ?? tmpdir(), 'zt-access-review.png');
    writeFileSync(path, png);
    console.log(`access-review-html: screenshot at ${path}`);
  });
});
