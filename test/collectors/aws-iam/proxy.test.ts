import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { liveCollector } from '../../../src/collectors/aws-iam/collector.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { startConnectProxy, targetOf, type ConnectProxy } from '../../support/connect-proxy.js';
import { startFakeIam, type FakeIam } from '../../support/fake-iam.js';
import { testCa } from '../../support/test-ca.js';
import { tempTree } from '../../support/temp.js';
import { context, fakeData, fakeEnv } from './support.js';

// AWS IAM and STS behind a forward proxy, at the wire: the real SDK clients against two
// fake servers (IAM, and STS for --role-arn) through a CONNECT proxy on 127.0.0.1 that
// counts tunnels per target. The fakes speak plain HTTP (HTTP_PROXY applies to them) and,
// for the CA tests, HTTPS with a certificate from a throwaway CA (HTTPS_PROXY, --ca-file).

const ROLE = 'arn:aws:iam::111122223333:role/zt-audit';
const budget = { maxAttempts: 3, retryDelayMs: 5, requestTimeoutMs: 2000, reportPollMs: 5 };

let iam: FakeIam;
let sts: FakeIam;
let proxy: ConnectProxy;
const closing: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  [iam, sts, proxy] = await Promise.all([startFakeIam(fakeData()), startFakeIam(fakeData()), startConnectProxy()]);
  closing.push(iam, sts, proxy);
});
afterAll(async () => {
  await Promise.all(closing.map((c) => c.close()));
});

const env = (extra: Record<string, string>): Record<string, string> => fakeEnv(iam.url, { AWS_ENDPOINT_URL_STS: sts.url, ...extra });

async function collect(extra: Record<string, string>, options: { roleArn?: string } = {}) {
  const before = { iam: proxy.tunnelsTo(targetOf(iam.url)), sts: proxy.tunnelsTo(targetOf(sts.url)) };
  const snapshot = await collectSnapshot([liveCollector({ ...budget, ...options })], context(env(extra)));
  return { snapshot, iam: proxy.tunnelsTo(targetOf(iam.url)) - before.iam, sts: proxy.tunnelsTo(targetOf(sts.url)) - before.sts };
}

describe('AWS IAM and STS through a proxy', () => {
  it('HTTP_PROXY: IAM calls go through CONNECT tunnels, and the account is read whole', async () => {
    const { snapshot, iam: viaIam } = await collect({ HTTP_PROXY: proxy.url });
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.resources.length).toBeGreaterThan(10);
    expect(viaIam).toBeGreaterThan(0);
    expect(proxy.forwarded).toEqual([]);
  });

  it('--role-arn: AssumeRole (STS) and IAM both through the proxy', async () => {
    const calls = sts.count('AssumeRole');
    const { snapshot, iam: viaIam, sts: viaSts } = await collect({ http_proxy: proxy.url }, { roleArn: ROLE });
    expect(snapshot.issues).toEqual([]);
    expect(sts.count('AssumeRole')).toBe(calls + 1);
    expect(viaSts).toBe(1);
    expect(viaIam).toBeGreaterThan(0);
  });

  it('NO_PROXY naming STS (host:port): STS direct, IAM through the proxy', async () => {
    const { snapshot, iam: viaIam, sts: viaSts } = await collect({ HTTP_PROXY: proxy.url, NO_PROXY: targetOf(sts.url) }, { roleArn: ROLE });
    expect(snapshot.issues).toEqual([]);
    expect(viaSts).toBe(0);
    expect(viaIam).toBeGreaterThan(0);
  });

  it('NO_PROXY=127.0.0.1: nothing through the proxy', async () => {
    const { snapshot, iam: viaIam, sts: viaSts } = await collect({ HTTP_PROXY: proxy.url, no_proxy: '127.0.0.1' }, { roleArn: ROLE });
    expect(snapshot.issues).toEqual([]);
    expect(viaIam + viaSts).toBe(0);
  });

  it('407 on the way to STS (--role-arn): unreachable, naming STS and the proxy, never access denied — and no IAM call is made', async () => {
    const guarded = await startConnectProxy({ credentials: 'zt:right-Passw0rd' });
    closing.push(guarded);
    const calls = iam.requests.length;
    const snapshot = await collectSnapshot([liveCollector({ ...budget, roleArn: ROLE })], context(env({ HTTP_PROXY: guarded.url.replace('http://', 'http://zt:wrong-Passw0rd@') })));
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'ZT_COLLECT_UNREACHABLE',
        message: expect.stringContaining(`AWS STS (AssumeRole for ${ROLE}) could not be reached: the proxy ${guarded.url} (HTTP_PROXY) refused the tunnel to ${targetOf(sts.url)} with HTTP 407`),
      }),
    ]);
    expect(JSON.stringify(snapshot)).not.toMatch(/wrong-Passw0rd|ACCESS_DENIED|Grant the read-only policy/);
    expect(iam.requests.length).toBe(calls);
  });

  it("a proxy refusing IAM's host (403 to CONNECT): exit 3, unreachable — not \"Grant the read-only policy\"", async () => {
    const refusing = await startConnectProxy({ refuseWith: 403 });
    closing.push(refusing);
    const io = memoryIo({ env: env({ HTTP_PROXY: refusing.url }) });
    const code = await run(['audit', '--aws', '-f', 'json', '--quiet'], io);
    expect(code).toBe(3);
    const issues = (JSON.parse(io.out()) as { inventory: { issues: { code: string; message: string }[] } }).inventory.issues;
    expect(issues.map((i) => i.code)).toEqual(['ZT_COLLECT_UNREACHABLE']);
    expect(issues[0]!.message).toContain(`AWS IAM could not be reached: the proxy ${refusing.url} (HTTP_PROXY) refused the tunnel to ${targetOf(iam.url)} with HTTP 403`);
    expect(io.out() + io.err()).not.toMatch(/ACCESS_DENIED|Grant the read-only policy/);
  });

  it("--role-arn and a proxy's HTML 403 page where STS should answer: unreachable (a proxy?), not access denied", async () => {
    const portal = await startFakeIam(fakeData(), { faults: { AssumeRole: ['http:403-html', 'http:403-html', 'http:403-html'] } });
    closing.push(portal);
    const snapshot = await collectSnapshot([liveCollector({ ...budget, roleArn: ROLE })], context(fakeEnv(iam.url, { AWS_ENDPOINT_URL_STS: portal.url })));
    expect(snapshot.issues).toEqual([
      expect.objectContaining({ code: 'ZT_COLLECT_UNREACHABLE', message: expect.stringMatching(/AWS STS \(AssumeRole for .+\) could not be reached: HTTP 403 without an STS error in the body \(a proxy\?\)/) }),
    ]);
  });

  it('STS refusing the role (AccessDenied) is still the role refused (ZT_COLLECT_AUTH), through the proxy too', async () => {
    const strict = await startFakeIam(fakeData(), { requiredExternalId: 'right-id' });
    closing.push(strict);
    const snapshot = await collectSnapshot([liveCollector({ ...budget, roleArn: ROLE, externalId: 'wrong-id' })], context(fakeEnv(iam.url, { AWS_ENDPOINT_URL_STS: strict.url, HTTP_PROXY: proxy.url })));
    expect(snapshot.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_AUTH', message: expect.stringMatching(new RegExp(`^AWS: could not assume ${ROLE}: AccessDenied`)) })]);
  });
});

describe('AWS over TLS with an extra CA', () => {
  const ca = testCa();
  let tlsIam: FakeIam;
  beforeAll(async () => {
    tlsIam = await startFakeIam(fakeData(), { tls: ca.issue() });
    closing.push(tlsIam);
  });

  const audit = async (args: string[], extra: Record<string, string>) => {
    const io = memoryIo({ env: fakeEnv(tlsIam.url, { AWS_ENDPOINT_URL_STS: tlsIam.url, ...extra }), cwd: tempTree({ 'ca.pem': ca.certPem }) });
    const code = await run(['audit', '--aws', '-f', 'json', '--fail-on', 'none', '--quiet', ...args], io);
    return { code, out: io.out(), err: io.err() };
  };

  it('--ca-file: the server its CA signed is trusted, through the proxy (HTTPS_PROXY) and directly', async () => {
    for (const extra of [{ HTTPS_PROXY: proxy.url }, {}] as Record<string, string>[]) {
      const before = proxy.tunnelsTo(targetOf(tlsIam.url));
      const result = await audit(['--ca-file', 'ca.pem', '--role-arn', ROLE], extra);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(proxy.tunnelsTo(targetOf(tlsIam.url)) > before).toBe('HTTPS_PROXY' in extra);
    }
  });

  it('without it: exit 3, the certificate named as the reason and --ca-file as the remedy', async () => {
    const result = await audit([], { HTTPS_PROXY: proxy.url });
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/AWS IAM could not be reached: the server's TLS certificate was not accepted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY); behind a TLS-inspecting proxy, give its CA with --ca-file\)/);
  });
});
