import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startConnectProxy, targetOf, type ConnectProxy } from '../../support/connect-proxy.js';
import { startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { startFakeOkta, tenantFromExport, type FakeOkta } from '../../support/fake-okta.mjs';
import { fakeData, fakeEnv } from '../aws-iam/support.js';
import { CANARY_TOKEN, exportDir, selfSignedCert, trust } from '../okta/support.js';

// `zt doctor` goes out the way collection does: through HTTPS_PROXY's CONNECT tunnels
// (the probes use the collectors' own clients and the run's network settings).

let proxy: ConnectProxy;
let okta: FakeOkta;
let iam: FakeIam;
beforeAll(async () => {
  const tls = selfSignedCert();
  trust(tls.cert);
  [proxy, okta, iam] = await Promise.all([startConnectProxy(), startFakeOkta({ tenant: tenantFromExport(exportDir), tls, token: CANARY_TOKEN, me: '00u1dana0admin000001' }), startFakeIam(fakeData())]);
});
afterAll(async () => {
  await Promise.all([proxy.close(), okta.close(), iam.close()]);
});

describe('zt doctor behind a proxy', () => {
  it('Okta: every request through a tunnel to the org', async () => {
    const io = memoryIo({ env: { HOME: '/nonexistent-home', OKTA_API_TOKEN: CANARY_TOKEN, HTTPS_PROXY: proxy.url }, columns: 120 });
    expect(await run(['doctor', '--okta', okta.url], io)).toBe(0);
    expect(proxy.tunnelsTo(targetOf(okta.url))).toBeGreaterThan(0);
    expect(proxy.forwarded).toEqual([]);
  });

  it('an unreachable proxy is an unreachable API (exit 3), never a permission gap', async () => {
    const io = memoryIo({ env: { HOME: '/nonexistent-home', OKTA_API_TOKEN: CANARY_TOKEN, HTTPS_PROXY: 'http://127.0.0.1:9' }, columns: 120 });
    expect(await run(['doctor', '--okta', okta.url, '-f', 'json'], io)).toBe(3);
    const report = JSON.parse(io.out()) as { sources: { api: { status: string; detail?: string } }[] };
    expect(report.sources[0]?.api.status).toBe('unreachable');
  });

  it('AWS: STS and IAM through tunnels (HTTP_PROXY for the plain-HTTP fake)', async () => {
    const io = memoryIo({ env: { HOME: '/nonexistent-home', ...fakeEnv(iam.url, { HTTP_PROXY: proxy.url }) }, columns: 120 });
    expect(await run(['doctor', '--aws'], io)).toBe(0);
    expect(proxy.tunnelsTo(targetOf(iam.url))).toBeGreaterThan(0);
    expect(iam.requests.map((r) => r.action)).toEqual(expect.arrayContaining(['GetCallerIdentity', 'SimulatePrincipalPolicy']));
    expect(proxy.forwarded).toEqual([]);
  });
});
