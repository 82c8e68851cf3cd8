// A real headless Chromium driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: NUL-separated JSON on fds 3 and 4), so no browser-automation
// package is needed. Used by the HTML e2e tests and by bench/html-render.js.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Debian's chromium, another Chrome on PATH, or ZT_CHROMIUM; undefined when none is installed. */
export function findChromium() {
  const fromEnv = process.env.ZT_CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const fixed = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  const onPath = (process.env.PATH ?? '').split(delimiter).flatMap((dir) => ['chromium', 'chromium-browser', 'google-chrome'].map((n) => join(dir, n)));
  return [...fixed, ...onPath].find((p) => existsSync(p));
}

export class Browser {
  #child;
  #pending = new Map();
  #listeners = [];
  #nextId = 1;
  #buffer = '';
  #profile = mkdtempSync(join(tmpdir(), 'zt-chromium-'));

  constructor(binary) {
    this.#child = spawn(
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
        `--user-data-dir=${this.#profile}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' } },
    );
    const output = this.#child.stdio[4];
    output.setEncoding('utf8');
    output.on('data', (chunk) => {
      this.#buffer += chunk;
      let end;
      while ((end = this.#buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.#buffer.slice(0, end));
        this.#buffer = this.#buffer.slice(end + 1);
        if (message.id !== undefined) {
          const waiter = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.error) waiter?.reject(new Error(message.error.message));
          else waiter?.resolve(message.result ?? {});
        } else for (const listener of this.#listeners) listener(message);
      }
    });
  }

  send(method, params = {}, sessionId) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.stdio[3].write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  on(listener) {
    this.#listeners.push(listener);
  }

  waitFor(predicate, timeoutMs = 15_000) {
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

  /**
   * A page (tab) with Page, Runtime, Log and Network events on. `problems` collects
   * exceptions, console errors/warnings and error log entries; `requests` every request
   * that is not file:, data: or about:blank (a self-contained page makes none).
   */
  async newPage() {
    const problems = [];
    const requests = [];
    let loads = 0;
    this.on((m) => {
      if (m.method === 'Runtime.exceptionThrown') problems.push(`exception: ${JSON.stringify(m.params)}`);
      if (m.method === 'Runtime.consoleAPICalled' && (m.params?.type === 'error' || m.params?.type === 'warning')) problems.push(`console: ${JSON.stringify(m.params?.args)}`);
      if (m.method === 'Log.entryAdded' && m.params?.entry?.level === 'error') problems.push(`log: ${m.params.entry.text} ${m.params.entry.url ?? ''}`);
      if (m.method === 'Network.requestWillBeSent') {
        const url = m.params?.request?.url ?? '';
        if (!url.startsWith('file:') && !url.startsWith('data:') && url !== 'about:blank') requests.push(url);
      }
      if (m.method === 'Page.loadEventFired') loads += 1;
    });
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await this.send(`${domain}.enable`, {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    let caseNumber = 0;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the returned object's methods are arrow functions over the browser
    const browser = this;
    return {
      problems,
      requests,
      /** Loads the URL (a fresh load each time: a query string keeps a hash-only change from merely scrolling). */
      async open(url, hash = '') {
        caseNumber += 1;
        const before = loads;
        const loaded = browser.waitFor((m) => m.method === 'Page.loadEventFired' && loads > before, 60_000);
        await browser.send('Page.navigate', { url: `${url}?case=${caseNumber}${hash}` }, sessionId);
        await loaded;
      },
      /** Waits until the page says it is ready (body[data-ready]) or reports an error (body[data-errors]). */
      async ready(timeoutMs = 30_000) {
        const until = Date.now() + timeoutMs;
        for (;;) {
          const state = await this.evaluate('document.body ? (document.body.dataset.errors ? "errors" : document.body.dataset.ready || "") : ""');
          if (state === '1' || state === 'errors') return;
          if (Date.now() > until) throw new Error('the page never became ready');
          await new Promise((r) => setTimeout(r, 10));
        }
      },
      async evaluate(expression) {
        const result = await browser.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
        if (result.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(result.exceptionDetails)}`);
        return result.result.value;
      },
      /** Lays the page out at this viewport width (CSS pixels), as a window of that width would. */
      async setWidth(width) {
        await browser.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
      },
      async screenshot() {
        const { data } = await browser.send('Page.captureScreenshot', { format: 'png' }, sessionId);
        return Buffer.from(data, 'base64');
      },
    };
  }

  async close() {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    void this.send('Browser.close').catch(() => undefined);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.#profile, { recursive: true, force: true });
  }
}
