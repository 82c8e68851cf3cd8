import { afterAll, describe, expect, it } from 'vitest';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { startConnectProxy, targetOf } from '../../support/connect-proxy.js';
import { testCa } from '../../support/test-ca.js';
import { byKind, CANARY_SECRET, CLIENT_ID, collectLive, contosoGraph, TENANT } from './support.js';

// --entra-credential default: the standard Azure credential chain (@azure/identity, loaded
// lazily). The chain reads process.env, so this file sets it (vitest runs each file in its
// own process) and limits the chain to the environment credential so that no managed
// identity endpoint or developer tool is probed.
describe('Entra collector with the Azure credential chain', async () => {
  const graph = await contosoGraph();
  afterAll(() => graph.close());
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });
  Object.assign(process.env, {
    AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT_ID,
    AZURE_CLIENT_SECRET: CANARY_SECRET,
    AZURE_AUTHORITY_HOST: graph.authority,
  });
  const env = { ZT_GRAPH_URL: graph.graphUrl, ZT_ENTRA_AUTHORITY: graph.authority };

  it('gets a token from the chain and collects', async () => {
    const output = await collectLive(graph, { entraCredential: 'default' }, env);
    expect(byKind(output, 'idp.user')).toHaveLength(8);
    expect(graph.requests.some((r) => r.path === `/${TENANT}/oauth2/v2.0/token`)).toBe(true);
  });

  it("the chain's requests go through zt's transport: HTTPS_PROXY and NO_PROXY apply to them as to Graph", async () => {
    // The authority addressed as localhost, Graph as 127.0.0.1 (one server, a certificate for both), so the proxy's counts tell them apart.
    const ca = testCa();
    const named = await contosoGraph({ tls: ca.issue() });
    setDefaultCACertificates([...getCACertificates('default'), ca.certPem]);
    const proxy = await startConnectProxy();
    const authority = named.authority.replace('127.0.0.1', 'localhost');
    const before = process.env.AZURE_AUTHORITY_HOST;
    process.env.AZURE_AUTHORITY_HOST = authority;
    try {
      const chainEnv = { ZT_GRAPH_URL: named.graphUrl, ZT_ENTRA_AUTHORITY: authority, HTTPS_PROXY: proxy.url };
      expect(byKind(await collectLive(named, { entraCredential: 'default' }, chainEnv), 'idp.user')).toHaveLength(8);
      expect(proxy.tunnelsTo(targetOf(authority))).toBeGreaterThan(0);
      const tunnels = proxy.tunnelsTo(targetOf(authority));
      expect(byKind(await collectLive(named, { entraCredential: 'default' }, { ...chainEnv, NO_PROXY: 'localhost' }), 'idp.user')).toHaveLength(8);
      expect(proxy.tunnelsTo(targetOf(authority))).toBe(tunnels);
      expect(proxy.forwarded).toEqual([]);
    } finally {
      process.env.AZURE_AUTHORITY_HOST = before;
      await Promise.all([proxy.close(), named.close()]);
    }
  });

  it('a chain that finds no credential is ZT_COLLECT_AUTH without the secret', async () => {
    process.env.AZURE_CLIENT_SECRET = 'wrong-but-CANARY-adjacent';
    const error = await collectLive(graph, { entraCredential: 'default' }, env).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    process.env.AZURE_CLIENT_SECRET = CANARY_SECRET;
    expect(error).toMatchObject({ code: 'ZT_COLLECT_AUTH', message: expect.stringMatching(/Azure credential chain/) });
    expect(error!.message).not.toContain('wrong-but-CANARY-adjacent');
  });
});
