import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startConnectProxy, targetOf, type ConnectProxy } from '../../support/connect-proxy.js';
import { startFakeKube, writeKubeconfig, type FakeKube } from '../../support/fake-kube-api.js';
import { networkOf } from '../../support/network.js';
import { testCa } from '../../support/test-ca.js';
import { tempTree } from '../../support/temp.js';
import { istioGroups, listsOf, liveOnlyObjects, objects } from './fixtures.js';
import { context, kindsOf, live, snapshotOf } from './helpers.js';

// Kubernetes behind a forward proxy, at the wire: the real @kubernetes/client-node against
// the fake API server through a CONNECT proxy on 127.0.0.1 that counts its tunnels. The
// proxy variables apply as for every source; a kubeconfig's proxy-url wins over them for
// its cluster, NO_PROXY included, as with kubectl.

let kube: FakeKube;
let proxy: ConnectProxy;
let other: ConnectProxy;
const closing: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  kube = await startFakeKube({ lists: listsOf([...objects, ...liveOnlyObjects]), groups: istioGroups });
  [proxy, other] = await Promise.all([startConnectProxy(), startConnectProxy()]);
  closing.push(kube, proxy, other);
});
afterAll(async () => {
  await Promise.all(closing.map((c) => c.close()));
});

const withProxyUrl = (config: string, proxyUrl: string): string => {
  const parsed = JSON.parse(config);
  parsed.clusters[0].cluster['proxy-url'] = proxyUrl;
  return JSON.stringify(parsed);
};

async function collect(env: Record<string, string>, kubeconfig = kube.kubeconfig({ context: 'prod' })) {
  const before = { proxy: proxy.tunnelsTo(targetOf(kube.url)), other: other.tunnelsTo(targetOf(kube.url)) };
  const snapshot = await snapshotOf([live(writeKubeconfig(kubeconfig))], context({ env }));
  return { snapshot, proxy: proxy.tunnelsTo(targetOf(kube.url)) - before.proxy, other: other.tunnelsTo(targetOf(kube.url)) - before.other };
}

describe('Kubernetes through a proxy', () => {
  it('HTTPS_PROXY: the API server is reached through a CONNECT tunnel, and everything is listed', async () => {
    const { snapshot, proxy: tunnels } = await collect({ HTTPS_PROXY: proxy.url });
    expect(snapshot.issues).toEqual([]);
    expect(kindsOf(snapshot)['k8s.workload']).toBe(3);
    expect(tunnels).toBeGreaterThan(0);
    expect(proxy.forwarded).toEqual([]);
  });

  it('NO_PROXY naming the API server: direct', async () => {
    const { snapshot, proxy: tunnels } = await collect({ HTTPS_PROXY: proxy.url, NO_PROXY: `localhost,${targetOf(kube.url)}` });
    expect(snapshot.issues).toEqual([]);
    expect(tunnels).toBe(0);
  });

  it("a kubeconfig's proxy-url is used without any proxy variable, and wins over them and over NO_PROXY (kubectl's rule)", async () => {
    const config = withProxyUrl(kube.kubeconfig({ context: 'prod' }), other.url);
    const alone = await collect({}, config);
    expect(alone.snapshot.issues).toEqual([]);
    expect(alone.other).toBeGreaterThan(0);
    const both = await collect({ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, config);
    expect(both.snapshot.issues).toEqual([]);
    expect(both.other).toBeGreaterThan(0);
    expect(both.proxy).toBe(0);
  });

  it('407: unreachable at once (not retried), the proxy named without its password', async () => {
    const guarded = await startConnectProxy({ credentials: 'zt:right-Passw0rd' });
    closing.push(guarded);
    const snapshot = await snapshotOf([live(writeKubeconfig(kube.kubeconfig({ context: 'prod' })))], context({ env: { HTTPS_PROXY: guarded.url.replace('http://', 'http://zt:wrong-Passw0rd@') } }));
    expect(snapshot.issues).toEqual([
      expect.objectContaining({
        code: 'ZT_COLLECT_UNREACHABLE',
        message: expect.stringContaining(`the API server ${kube.url} could not be reached (the proxy ${guarded.url} (HTTPS_PROXY) refused the tunnel to ${targetOf(kube.url)} with HTTP 407`),
      }),
    ]);
    // /version and /apis, once each: a refusal is not retried.
    expect(guarded.refused.get(targetOf(kube.url))).toBe(2);
    expect(JSON.stringify(snapshot)).not.toContain('wrong-Passw0rd');
  });

  it("a proxy-url that is not a proxy URL: exit 2 (ZT_PROXY_INVALID) naming the context, nothing collected", async () => {
    const io = memoryIo({ env: {} });
    const code = await run(['audit', '--kubeconfig', writeKubeconfig(withProxyUrl(kube.kubeconfig({ context: 'prod' }), 'ftp://proxy.corp:21')), '-f', 'json', '--quiet'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain("✖ A proxy setting is not a usable proxy URL (ZT_PROXY_INVALID)\n  context prod: the kubeconfig's proxy-url for cluster fake-cluster uses ftp://");
    expect(io.out()).toBe('');
  });
});

describe('Kubernetes with an extra CA', () => {
  const ca = testCa();
  let signed: FakeKube;
  beforeAll(async () => {
    signed = await startFakeKube({ lists: listsOf(objects), tls: ca.issue() });
    closing.push(signed);
  });

  it('a kubeconfig without a CA: the server a --ca-file CA signed is trusted (direct and through the proxy); without it, not', async () => {
    const config = writeKubeconfig(signed.kubeconfig({ context: 'signed' }));
    const dir = tempTree({ 'ca.pem': ca.certPem });
    for (const env of [{}, { HTTPS_PROXY: proxy.url }] as Record<string, string>[]) {
      const trusted = await snapshotOf([live(config)], context({ env, network: networkOf(env, `${dir}/ca.pem`) }));
      expect(trusted.issues).toEqual([]);
      const untrusted = await snapshotOf([live(config)], context({ env }));
      expect(untrusted.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_CONFIG', message: expect.stringMatching(/the API server's TLS certificate is not trusted \(\w+\).*--ca-file/) })]);
    }
  });

  it("a kubeconfig with the cluster's CA keeps it, and --ca-file adds to it (a TLS-inspecting proxy re-signs with its own)", async () => {
    const own = JSON.parse(signed.kubeconfig({ context: 'signed' }));
    own.clusters[0].cluster['certificate-authority-data'] = Buffer.from(testCa('unrelated CA').certPem).toString('base64');
    const config = writeKubeconfig(JSON.stringify(own));
    const dir = tempTree({ 'ca.pem': ca.certPem });
    expect((await snapshotOf([live(config)], context())).issues[0]?.code).toBe('ZT_COLLECT_CONFIG');
    expect((await snapshotOf([live(config)], context({ network: networkOf({}, `${dir}/ca.pem`) }))).issues).toEqual([]);
  });
});
