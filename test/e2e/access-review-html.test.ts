import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

/**
 * The HTML review pack in a real headless Chromium, driven over the DevTools protocol
 * on a pipe (--remote-debugging-pipe: NUL-separated JSON on fds 3 and 4), so no
 * browser-automation package is needed. One browser for the whole file: load the page
 * with URL-hash parameters, click and type like a reviewer, read the DOM, collect
 * console errors, exceptions and any network request, and take a screenshot.
 *
 * Skipped, with a message, when no Chromium is installed (Debian: apt-get install chromium;
 * or point ZT_CHROMIUM at a binary).
 */

function findChromium(): string | undefined {
  const fromEnv = process.env.ZT_CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const fixed = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  const onPath = (process.env.PATH ?? '').split(delimiter).flatMap((dir) => ['chromium', 'chromium-browser', 'google-chrome'].map((n) => join(dir, n)));
  return [...fixed, ...onPath].find((p) => existsSync(p));
}

const chromium = findChromium();
if (!chromium) {
  console.warn('access-review-html: skipped — no Chromium found (apt-get install chromium, or set ZT_CHROMIUM=/path/to/chrome)');
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

class Browser {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: CdpMessage) => void)[] = [];
  private nextId = 1;
  private buffer = '';
  readonly profile = mkdtempSync(join(tmpdir(), 'zt-chromium-'));

  constructor(binary: string) {
    this.child = spawn(
      binary,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-extensions',
        '--no-first-run',
        '--no-default-browser-check',
        '--mute-audio',
        '--window-size=1280,900',
        `--user-data-dir=${this.profile}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' } },
    );
    const output = this.child.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end)) as CdpMessage;
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined) {
          const waiter = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) waiter?.reject(new Error(message.error.message));
          else waiter?.resolve(message.result ?? {});
        } else for (const listener of this.listeners) listener(message);
      }
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const input = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  on(listener: (m: CdpMessage) => void): void {
    this.listeners.push(listener);
  }

  waitFor(predicate: (m: CdpMessage) => boolean, timeoutMs = 15_000): Promise<CdpMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for the browser')), timeoutMs);
      this.on((m) => {
        if (predicate(m)) {
          clearTimeout(timer);
          resolve(m);
        }
      });
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    void this.send('Browser.close').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

describe.runIf(chromium !== undefined)('access review HTML in headless Chromium', () => {
  let browser: Browser;
  let session: string;
  let pageUrl: string;
  const problems: string[] = [];
  const requests: string[] = [];
  let loads = 0;

  beforeAll(async () => {
    const started = Date.now();
    // The browser starts while zt writes the page.
    browser = new Browser(chromium as string);
    const dir = mkdtempSync(join(tmpdir(), 'zt-review-html-'));
    const io = memoryIo({ cwd: dir });
    expect(await run(['access-review', '--demo', '-q', '-o', 'html=review.html', '-f', 'json'], io)).toBe(0);
    pageUrl = pathToFileURL(join(dir, 'review.html')).href;
    browser.on((m) => {
      if (m.method === 'Runtime.exceptionThrown') problems.push(`exception: ${JSON.stringify(m.params)}`);
      if (m.method === 'Runtime.consoleAPICalled' && (m.params?.type === 'error' || m.params?.type === 'warning')) problems.push(`console: ${JSON.stringify(m.params?.args)}`);
      if (m.method === 'Log.entryAdded') {
        const entry = m.params?.entry as { level: string; text: string; url?: string };
        if (entry.level === 'error') problems.push(`log: ${entry.text} ${entry.url ?? ''}`);
      }
      if (m.method === 'Network.requestWillBeSent') {
        const url = (m.params?.request as { url: string }).url;
        if (!url.startsWith('file:') && !url.startsWith('data:') && url !== 'about:blank') requests.push(url);
      }
      if (m.method === 'Page.loadEventFired') loads += 1;
    });
    // The first answer arrives once the browser is up.
    const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    ({ sessionId: session } = (await browser.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await browser.send(`${domain}.enable`, {}, session);
    await browser.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, session);
    console.log(`browser ready in ${Date.now() - started} ms`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  let caseNumber = 0;
  async function open(hash: string): Promise<void> {
    caseNumber += 1;
    const before = loads;
    const loaded = browser.waitFor((m) => m.method === 'Page.loadEventFired' && loads > before);
    // A query string makes every case a full load (a hash alone would only scroll).
    await browser.send('Page.navigate', { url: `${pageUrl}?case=${caseNumber}${hash}` }, session);
    await loaded;
  }

  async function evaluate<T>(expression: string): Promise<T> {
    const result = (await browser.send('Runtime.evaluate', { expression, returnByValue: true }, session)) as {
      result: { value: T };
      exceptionDetails?: unknown;
    };
    if (result.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(result.exceptionDetails)}`);
    return result.result.value;
  }

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
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('honours #sort=privilege&filter=admin from the URL', async () => {
    await open('#sort=privilege&filter=admin');
    const privileges = await visible('privilege');
    expect(privileges.length).toBeGreaterThan(5);
    expect(privileges[0]).toBe('admin');
    const rank = { admin: 3, write: 2, read: 1, none: 0 } as Record<string, number>;
    const ranks = privileges.map((p) => rank[p] ?? -1);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const searchable = await evaluate<string[]>(`Array.from(document.querySelectorAll('#principals tbody tr')).filter(r => !r.hidden).map(r => r.dataset.search)`);
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
    expect(problems).toEqual([]);
  });

  it('takes a screenshot', async () => {
    await open('#sort=privilege');
    const { data } = (await browser.send('Page.captureScreenshot', { format: 'png' }, session)) as { data: string };
    const png = Buffer.from(data, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    const path = join(process.env.ZT_SCREENSHOT_DIR ?? tmpdir(), 'zt-access-review.png');
    writeFileSync(path, png);
    console.log(`access-review-html: screenshot at ${path}`);
  });
});
