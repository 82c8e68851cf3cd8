import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startConnectProxy, targetOf, type ConnectProxy } from '../../support/connect-proxy.js';
import type { FakeGraph } from '../../support/fake-graph.mjs';
import { testCa } from '../../support/test-ca.js';
import { byKind, collectLive, contosoGraph, envFor, TENANT } from './support.js';

// Entra behind a forward proxy, at the wire: the token endpoint and Graph, each counted
// by the CONNECT proxy. The token endpoint is addressed as localhost and Graph as
// 127.0.0.1 (one fake server, a certificate for both names), so NO_PROXY can name
// either one and the proxy's counts tell them apart.

const ca = testCa();
let graph: FakeGraph;
let proxy: ConnectProxy;
let authority: string;
let graphTarget: string;
let tokenTarget: string;

beforeAll(async () => {
  graph = await contosoGraph({ tls: ca.issue() });
  setDefaultCACertificates([...getCACertificates('default'), ca.certPem]);
  proxy = await startConnectProxy();
  authority = graph.authority.replace('127.0.0.1', 'localhost');
  graphTarget = targetOf(graph.graphUrl);
  tokenTarget = targetOf(authority);
});
afterAll(async () => {
  await Promise.all([graph.close(), proxy.close()]);
});

const env = (extra: Record<string, string>): Record<string, string> => envFor(graph, { ZT_ENTRA_AUTHORITY: authority, ...extra });

/** Tunnels opened to the token endpoint and to Graph while `task` ran. */
async function counted<T>(task: () => Promise<T>): Promise<{ result: T; token: number; graph: number }> {
  const [token, graphBefore] = [proxy.tunnelsTo(tokenTarget), proxy.tunnelsTo(graphTarget)];
  const result = await task();
  return { result, token: proxy.tunnelsTo(tokenTarget) - token, graph: proxy.tunnelsTo(graphTarget) - graphBefore };
}

describe('Entra through a proxy', () => {
  it('HTTPS_PROXY: the token requests (the authority metadata, the token) and every Graph request go through CONNECT tunnels; the collection is whole', async () => {
    const { result, token, graph: viaGraph } = await counted(() => collectLive(graph, {}, env({ HTTPS_PROXY: proxy.url })));
    expect(result.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(byKind(result, 'idp.user')).toHaveLength(8);
    expect(token).toBeGreaterThan(0);
    expect(viaGraph).toBeGreaterThan(0);
    expect(proxy.forwarded).toEqual([]);
  });

  it('NO_PROXY=localhost: the token endpoint is reached directly, Graph still through the proxy', async () => {
    const { result, token, graph: viaGraph } = await counted(() => collectLive(graph, {}, env({ HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost' })));
    expect(byKind(result, 'idp.user')).toHaveLength(8);
    expect(token).toBe(0);
    expect(viaGraph).toBeGreaterThan(0);
  });

  it('no_proxy naming Graph by address and port: Graph direct, the token through the proxy', async () => {
    const { result, token, graph: viaGraph } = await counted(() => collectLive(graph, {}, env({ https_proxy: proxy.url, no_proxy: graphTarget })));
    expect(byKind(result, 'idp.user')).toHaveLength(8);
    expect(token).toBeGreaterThan(0);
    expect(viaGraph).toBe(0);
  });

  it('407 at the token endpoint: exit 3, unreachable (the proxy named, its password not), never an authentication or access failure', async () => {
    const guarded = await startConnectProxy({ credentials: 'zt:right-Passw0rd' });
    try {
      const io = memoryIo({ env: env({ HTTPS_PROXY: guarded.url.replace('http://', 'http://zt:wrong-Passw0rd@') }) });
      const code = await run(['audit', '--entra', TENANT, '-f', 'json', '--quiet'], io);
      expect(code).toBe(3);
      const issues = (JSON.parse(io.out()) as { inventory: { issues: { code: string; message: string }[] } }).inventory.issues;
      expect(issues.map((i) => i.code)).toEqual(['ZT_COLLECT_UNREACHABLE']);
      expect(issues[0]!.message).toContain(`the proxy ${guarded.url} (HTTPS_PROXY) refused the tunnel to ${tokenTarget} with HTTP 407`);
      expect(io.out() + io.err()).not.toMatch(/wrong-Passw0rd|ZT_COLLECT_AUTH|ACCESS_DENIED/);
    } finally {
      await guarded.close();
    }
  });
});
