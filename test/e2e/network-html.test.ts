import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { Browser, findChromium, type Page } from '../support/headless-chromium.mjs';

/**
 * `zt network matrix -f html` over the demo cluster in a real headless Chromium
 * (test/support/headless-chromium.mjs): the page loads from a file with nothing fetched,
 * filters by namespace and name, and a click on a cell, an edge or a workload shows why.
 * Skipped, with a message, when no Chromium is installed.
 */

const chromium = findChromium();
if (!chromium) console.warn('network-html: skipped — no Chromium found (apt-get install chromium, or set ZT_CHROMIUM=/path/to/chrome)');

describe.runIf(chromium !== undefined)('zt network matrix -f html in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let pageUrl: string;
  let html: string;

  beforeAll(async () => {
    browser = new Browser(chromium as string);
    const dir = mkdtempSync(join(tmpdir(), 'zt-network-html-'));
    const io = memoryIo({ cwd: dir });
    expect(await run(['network', 'matrix', '--demo', '-q', '-f', 'html', '-o', 'network.html'], io)).toBe(0);
    expect(io.out()).toBe('');
    html = readFileSync(join(dir, 'network.html'), 'utf8');
    pageUrl = pathToFileURL(join(dir, 'network.html')).href;
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const open = async (hash = '') => {
    await page.open(pageUrl, hash);
    await page.ready();
  };
  const evaluate = <T>(expression: string) => page.evaluate<T>(expression);
  const click = (selector: string) => evaluate(`(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) throw new Error('no ' + ${JSON.stringify(selector)}); e.dispatchEvent(new MouseEvent('click', { bubbles: true })); })()`);
  const panel = async () => ({
    title: await evaluate<string>('document.getElementById("panel-title").textContent'),
    verdict: await evaluate<string>('document.getElementById("panel-verdict").textContent'),
    text: await evaluate<string>('document.getElementById("panel-text").textContent'),
    list: await evaluate<string[]>('Array.from(document.querySelectorAll("#panel-list li")).map(l => l.textContent)'),
  });

  it('is self-contained: the CSP forbids fetches, nothing is requested, no script error', async () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    await open();
    expect(await evaluate('document.body.dataset.errors ?? null')).toBeNull();
    expect(await evaluate('document.body.dataset.visible')).toBe('21');
    expect(await evaluate('document.querySelectorAll("#matrix tbody tr").length')).toBe(21);
    expect(await evaluate('document.querySelectorAll("#matrix td.c").length')).toBe(21 * 21);
    expect(await evaluate('document.querySelectorAll("#graph .node").length')).toBe(21);
    expect(await evaluate<number>('document.querySelectorAll("#graph .edge").length')).toBeGreaterThan(100);
    expect(await evaluate('document.querySelectorAll("#graph g[data-ns]").length')).toBe(8);
    expect(page.problems).toEqual([]);
    expect(page.requests).toEqual([]);
  });

  it('a click on a cell explains it: the rules that admit the connection, or the policies that deny it', async () => {
    await open();
    await click('td[data-pair="shop/cart>payments/payments-api"]');
    const allowed = await panel();
    expect(allowed.title).toBe('shop/cart → payments/payments-api');
    expect(allowed.verdict).toBe('allowed: TCP/8443');
    expect(allowed.text).toContain('shop/cart → payments/payments-api: ALLOWED on TCP/8443');
    expect(allowed.text).toMatch(/✓ payments\/\S+ ingress\[\d\]/);
    expect(allowed.text).toContain('istio (evaluated for this connection): Istio allows only some requests of it');
    expect(allowed.text).toContain('with the mesh: CONDITIONAL for some requests on TCP/8443');
    expect(await evaluate('document.querySelector("td.sel").getAttribute("data-pair")')).toBe('shop/cart>payments/payments-api');
    await click('td[data-pair="payments/payments-api>billing/billing-db"]');
    const denied = await panel();
    expect(denied.verdict).toBe('denied: no port');
    expect(denied.text).toContain('DENIED');
  });

  it('filters by namespace (checkboxes and the URL) and by name', async () => {
    await open('#ns=payments,shop');
    expect(await evaluate('document.body.dataset.visible')).toBe('6');
    expect(await evaluate('document.querySelectorAll("#matrix tbody tr").length')).toBe(6);
    expect(await evaluate<string[]>('Array.from(document.querySelectorAll("#namespaces input:checked")).map(b => b.dataset.ns)')).toEqual(['payments', 'shop']);
    await click('#namespaces input[data-ns="shop"]');
    expect(await evaluate('document.body.dataset.visible')).toBe('2');
    expect(await evaluate('location.hash')).toBe('#ns=payments');
    await click('#all');
    await evaluate(`(() => { const f = document.getElementById('filter'); f.value = 'payments-'; f.dispatchEvent(new Event('input')); })()`);
    expect(await evaluate<string[]>('Array.from(document.querySelectorAll("#matrix th.name")).map(t => t.dataset.unit)')).toEqual(['payments/payments-api', 'payments/payments-worker']);
    expect(await evaluate('location.hash')).toBe('#q=payments-');
  });

  it('a click on an edge explains it; a click on a workload says who reaches it', async () => {
    await open('#ns=payments,shop');
    await click('#graph path[data-pair="shop/cart>payments/payments-api"]');
    expect((await panel()).verdict).toBe('allowed: TCP/8443');
    await click('#graph g[data-unit="payments/payments-api"] circle');
    const node = await panel();
    expect(node.title).toBe('payments/payments-api');
    expect(node.list).toContain('← shop/cart: TCP/8443');
    expect(node.list[0]).toBe('Who reaches it:');
    expect(page.problems).toEqual([]);
  });

  it('takes a screenshot', async () => {
    await open('#ns=payments,shop');
    await click('td[data-pair="shop/cart>payments/payments-api"]');
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    const path = join(process.env.ZT_SCREENSHOT_DIR ?? tmpdir(), 'zt-network-matrix.png');
    writeFileSync(path, png);
    console.log(`network-html: screenshot at ${path}`);
  });
});
