import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
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

  it("a profile's role_arn + source_profile: the SDK credential chain's own STS call goes through the proxy too", async () => {
    const dir = tempTree({
      config: `[profile chained]\nrole_arn = ${ROLE}\nsource_profile = base\nregion = us-east-1\n\n[profile base]\naws_access_key_id = AKIAFAKEFORTESTS0002\naws_secret_access_key = fakeSecretKeyForTestsOnly/0000000000000002\n`,
      credentials: '',
    });
    // The chain builds its STS client itself, from the process's environment (vitest runs each file in its own process).
    process.env.AWS_ENDPOINT_URL_STS = sts.url;
    try {
      const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_ENDPOINT_URL_IAM: iam.url, AWS_REGION: 'us-east-1', HOME: dir, HTTP_PROXY: proxy.url };
      const [calls, tunnels] = [sts.count('AssumeRole'), proxy.tunnelsTo(targetOf(sts.url))];
      const snapshot = await collectSnapshot([liveCollector({ ...budget, profile: 'chained' })], context(env));
      expect(snapshot.issues).toEqual([]);
      expect(sts.count('AssumeRole')).toBe(calls + 1);
      expect(proxy.tunnelsTo(targetOf(sts.url))).toBe(tunnels + 1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_STS;
    }
  });

  it("an SSO profile: the SDK credential chain's SSO portal call goes through the proxy too", async () => {
    const startUrl = 'https://corp.awsapps.com/start';
    const portalCalls: string[] = [];
    const portal = createServer((req, res) => {
      portalCalls.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ roleCredentials: { accessKeyId: 'ASIAFAKESSO000000001', secretAccessKey: 'fakeSsoSecretKeyForTestsOnly/000000000000', sessionToken: 'FAKESSOSESSION', expiration: Date.now() + 3_600_000 } }));
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    const portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    const dir = tempTree({
      '.aws/config': `[profile sso]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-east-1\n`,
      [`.aws/sso/cache/${createHash('sha1').update(startUrl).digest('hex')}.json`]: JSON.stringify({ accessToken: 'fake-sso-access-token', expiresAt: '2999-01-01T00:00:00Z', region: 'us-east-1', startUrl }),
    });
    // The chain reads the token cache under HOME and builds its SSO client from the process's environment.
    const saved = { HOME: process.env.HOME, AWS_ENDPOINT_URL_SSO: process.env.AWS_ENDPOINT_URL_SSO };
    Object.assign(process.env, { HOME: dir, AWS_ENDPOINT_URL_SSO: portalUrl });
    try {
      const env = { AWS_CONFIG_FILE: join(dir, '.aws/config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws/credentials'), AWS_ENDPOINT_URL_IAM: iam.url, AWS_REGION: 'us-east-1', HOME: dir, HTTP_PROXY: proxy.url };
      const snapshot = await collectSnapshot([liveCollector({ ...budget, profile: 'sso' })], context(env));
      expect(snapshot.issues).toEqual([]);
      expect(portalCalls).toHaveLength(1);
      expect(proxy.tunnelsTo(targetOf(portalUrl))).toBe(1);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      portal.closeAllConnections();
      await new Promise((resolve) => portal.close(resolve));
    }
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
