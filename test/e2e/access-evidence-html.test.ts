import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { Evidence } from '../../src/review/evidence.js';
import { parseCsv } from '../../src/text/csv.js';
import { Browser, findChromium, type Page } from '../support/headless-chromium.mjs';

/**
 * The sign-off evidence page (zt access-review evidence) in a real headless Chromium: it
 * renders without script errors, fetches nothing, and its decisions table pages and filters
 * every decision. Skipped, with a message, when no Chromium is installed.
 */

const chromium = findChromium();
if (!chromium) console.warn('access-evidence-html: skipped — no Chromium found (apt-get install chromium, or set ZT_CHROMIUM=/path/to/chrome)');

describe.runIf(chromium !== undefined)('access review evidence in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageUrl: string;
  let manifest: Evidence;

  beforeAll(async () => {
    browser = new Browser(chromium as string);
    const dir = mkdtempSync(join(tmpdir(), 'zt-evidence-html-'));
    const zt = (argv: string[]) => run(argv, memoryIo({ cwd: dir }));
    expect(await zt(['access-review', '--demo', '-q', '-f', 'json', '-o', 'csv=pack.csv', '--start-campaign', 'c.json'])).toBe(0);
    // Every row with a reviewer decided: revoke the write grants, keep the rest (admin ones with a reason).
    const [head, ...rows] = parseCsv(readFileSync(join(dir, 'pack.csv'), 'utf8'));
    const h = [...(head?.cells ?? [])];
    const at = (c: string) => h.indexOf(c);
    const filled = rows
      .filter((r) => r.cells[at('reviewer')] !== '')
      .map((r) => {
        const out = [...r.cells];
        out[at('decision')] = out[at('grant_privilege')] === 'write' ? 'revoke' : 'keep';
        out[at('comment')] = out[at('grant_privilege')] === 'admin' ? 'on call <script>alert(1)</script>' : '';
        return out;
      });
    writeFileSync(join(dir, 'back.csv'), [h, ...filled].map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n'));
    expect(await zt(['access-review', 'record', 'back.csv', '--campaign', 'c.json', '--by', 'grc@example.com', '--at', '2026-12-01'])).toBe(0);
    expect(await zt(['access-review', 'evidence', 'c.json', '--out', 'ev'])).toBe(0);
    manifest = JSON.parse(readFileSync(join(dir, 'ev', 'manifest.json'), 'utf8')) as Evidence;
    pageUrl = pathToFileURL(join(dir, 'ev', 'evidence.html')).href;
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const rowsShown = (col: string) =>
    page.evaluate<string[]>(`Array.from(document.querySelectorAll('#decisions tbody tr')).filter(r => !r.hidden).map(r => r.querySelector('td[data-col="${col}"]').textContent)`);

  it('renders without errors or requests, and shows every decision', async () => {
    await page.open(pageUrl, '');
    await page.ready();
    expect(await page.evaluate('document.body.dataset.errors ?? null')).toBeNull();
    expect(page.problems).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(manifest.decisions.length).toBeGreaterThan(10);
    expect((await rowsShown("decision")).length).toBe(manifest.decisions.length);
    expect(await page.evaluate<string>('document.getElementById("count").textContent')).toContain(String(manifest.decisions.length));
    expect(await page.evaluate<string>('document.getElementById("files").textContent')).toContain(manifest.files[0]?.sha256 ?? '?');
    // A reviewer's comment is text, never markup.
    expect(await page.evaluate('document.querySelectorAll("#decisions script").length')).toBe(0);
  });

  it('filters the decisions by decision from the URL', async () => {
    await page.open(pageUrl, '#decision=revoke');
    await page.ready();
    const shown = await rowsShown('decision');
    const revokes = manifest.decisions.filter((d) => d.decision === 'revoke').length;
    expect(revokes).toBeGreaterThan(0);
    expect(shown.length).toBe(Math.min(revokes, 100));
    expect(shown.every((d) => d === 'revoke')).toBe(true);
  });
});
