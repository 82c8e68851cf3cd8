import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startConnectProxy, targetOf, type ConnectProxy } from '../../support/connect-proxy.js';
import { startFakeOkta, tenantFromExport, type FakeOkta } from '../../support/fake-okta.mjs';
import { CANARY_TOKEN, collectWith, context, exportDir, selfSignedCert, trust } from './support.js';

// Okta behind a forward proxy, at the wire: the real client against the fake org, through
// a CONNECT proxy on 127.0.0.1 that counts its tunnels per target.

const tls = selfSignedCert();
const PASSWORD = 'Pr0xy-Canary-Passw0rd';

let okta: FakeOkta;
let proxy: ConnectProxy;
let authProxy: ConnectProxy;
const closing: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  trust(tls.cert);
  okta = await startFakeOkta({ tenant: tenantFromExport(exportDir), tls, token: CANARY_TOKEN, pageSize: 50 });
  proxy = await startConnectProxy();
  authProxy = await startConnectProxy({ credentials: `zt:${PASSWORD}` });
  closing.push(okta, proxy, authProxy);
});
afterAll(async () => {
  await Promise.all(closing.map((c) => c.close()));
});

const withCredentials = (url: string, user: string, password: string): string => url.replace('http://', `http://${user}:${password}@`);

describe('Okta through a proxy', () => {
  it('HTTPS_PROXY: every request goes through a CONNECT tunnel to the org, and the collection is whole', async () => {
    const before = proxy.tunnelsTo(targetOf(okta.url));
    const output = await collectWith({ okta: okta.url }, context({ OKTA_API_TOKEN: CANARY_TOKEN, HTTPS_PROXY: proxy.url }));
    expect(output.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(output.resources.length).toBeGreaterThan(10);
    expect(proxy.tunnelsTo(targetOf(okta.url))).toBeGreaterThan(before);
    expect(proxy.forwarded).toEqual([]);
  });

  it('https_proxy wins over HTTPS_PROXY (curl\'s order): the uppercase one names a dead port and is not used', async () => {
    const before = proxy.tunnelsTo(targetOf(okta.url));
    const output = await collectWith({ okta: okta.url }, context({ OKTA_API_TOKEN: CANARY_TOKEN, https_proxy: proxy.url, HTTPS_PROXY: 'http://127.0.0.1:9' }));
    expect(output.resources.length).toBeGreaterThan(10);
    expect(proxy.tunnelsTo(targetOf(okta.url))).toBeGreaterThan(before);
  });

  it.each([['127.0.0.1'], [targetOf('https://127.0.0.1')] /* another port: not a match */, ['*']])('NO_PROXY=%s', async (noProxy) => {
    const direct = noProxy !== targetOf('https://127.0.0.1');
    const before = proxy.totalTunnels();
    const output = await collectWith({ okta: okta.url }, context({ OKTA_API_TOKEN: CANARY_TOKEN, HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }));
    expect(output.resources.length).toBeGreaterThan(10);
    expect(proxy.totalTunnels() > before).toBe(!direct);
  });

  it('NO_PROXY naming the org with its port: direct, even with the proxy set', async () => {
    const before = proxy.totalTunnels();
    const output = await collectWith({ okta: okta.url }, context({ OKTA_API_TOKEN: CANARY_TOKEN, HTTPS_PROXY: proxy.url, no_proxy: `example.com, ${targetOf(okta.url)}` }));
    expect(output.resources.length).toBeGreaterThan(10);
    expect(proxy.totalTunnels()).toBe(before);
  });

  it('a proxy that asks for credentials gets them from the URL (Basic)', async () => {
    const output = await collectWith({ okta: okta.url }, context({ OKTA_API_TOKEN: CANARY_TOKEN, HTTPS_PROXY: withCredentials(authProxy.url, 'zt', PASSWORD) }));
    expect(output.resources.length).toBeGreaterThan(10);
    expect(authProxy.tunnelsTo(targetOf(okta.url))).toBeGreaterThan(0);
    expect(authProxy.authorizations).toContain(`Basic ${Buffer.from(`zt:${PASSWORD}`).toString('base64')}`);
  });

  async function zt(args: string[], env: Record<string, string>) {
    const io = memoryIo({ env: { OKTA_API_TOKEN: CANARY_TOKEN, ...env } });
    const code = await run(args, io);
    return { code, out: io.out(), err: io.err() };
  }

  it('407 (wrong proxy password): exit 3, ZT_COLLECT_UNREACHABLE naming the proxy without its password — never access denied', async () => {
    const result = await zt(['audit', '--okta', okta.url, '-f', 'json', '--quiet'], { HTTPS_PROXY: withCredentials(authProxy.url, 'zt', 'wrong-Passw0rd-Canary') });
    expect(result.code).toBe(3);
    const issues = (JSON.parse(result.out) as { inventory: { issues: { code: string; message: string }[] } }).inventory.issues;
    expect(issues.map((i) => i.code)).toEqual(['ZT_COLLECT_UNREACHABLE']);
    expect(issues[0]!.message).toContain(`the proxy ${authProxy.url} (HTTPS_PROXY) refused the tunnel to ${targetOf(okta.url)} with HTTP 407`);
    expect(result.out + result.err).not.toMatch(/ACCESS_DENIED|wrong-Passw0rd-Canary/);
    expect(authProxy.refused.get(targetOf(okta.url))).toBeGreaterThan(0);
  });

  it('a proxy that refuses the host (403 to CONNECT): unreachable, not access denied', async () => {
    const refusing = await startConnectProxy({ refuseWith: 403 });
    closing.push(refusing);
    const result = await zt(['audit', '--okta', okta.url, '-f', 'json', '--quiet'], { HTTPS_PROXY: refusing.url });
    expect(result.code).toBe(3);
    expect(result.out).toContain('ZT_COLLECT_UNREACHABLE');
    expect(result.out).toContain('refused the tunnel');
    expect(result.out).not.toContain('ACCESS_DENIED');
  });

  it('no proxy listening: exit 3, "cannot connect to the proxy"', async () => {
    const result = await zt(['audit', '--okta', okta.url, '-f', 'json', '--quiet'], { HTTPS_PROXY: 'http://127.0.0.1:9' });
    expect(result.code).toBe(3);
    expect(result.out).toContain('cannot connect to the proxy http://127.0.0.1:9 (HTTPS_PROXY) (ECONNREFUSED)');
  });

  it('a proxy URL that is not one: exit 2 on one line naming the variable, and an existing report is left alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-okta-proxy-'));
    const report = join(dir, 'report.json');
    writeFileSync(report, 'previous report');
    for (const value of ['socks5://127.0.0.1:1080', 'http://user:p@ss word@proxy:notaport']) {
      const result = await zt(['audit', '--okta', okta.url, '-f', 'json', '-o', `json=${report}`, '--quiet'], { https_proxy: value });
      expect(result.code, value).toBe(2);
      const [title, message] = result.err.trim().split('\n');
      expect(title).toBe('✖ A proxy setting is not a usable proxy URL (ZT_PROXY_INVALID)');
      expect(message).toMatch(/^ {2}https_proxy (uses socks5:\/\/|is not a proxy URL)/);
      expect(result.err).not.toContain('ss word');
      expect(readFileSync(report, 'utf8')).toBe('previous report');
    }
  });
});
