import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectProxy, targetOf, type ConnectProxy } from '../support/connect-proxy.js';
import { startFakeIam, type FakeIam } from '../support/fake-iam.js';
import { startFakeOkta, tenantFromExport, type FakeOkta } from '../support/fake-okta.mjs';
import { testCa } from '../support/test-ca.js';
import { tempTree } from '../support/temp.js';
import { fakeData, fakeEnv } from '../collectors/aws-iam/support.js';
import { exportDir } from '../collectors/okta/support.js';

// The built binary behind a proxy, as a user runs it: the environment is the process's
// own, NODE_EXTRA_CA_CERTS is read by Node at start-up, and every agent zt builds must keep
// it. The fakes serve certificates of two throwaway CAs the child does not know: Okta's CA
// is given by NODE_EXTRA_CA_CERTS, IAM's by --ca-file; in one run, through the proxy, each
// source works only if its transport trusts Node's default CAs *and* --ca-file's.

const bin = join(process.cwd(), 'bin', 'zt.js');
const built = existsSync(join(process.cwd(), 'dist', 'cli', 'run.js'));
const TOKEN = '00e2e-okta-token-for-the-proxy-test-7f3a9c';

const oktaCa = testCa('okta CA');
const iamCa = testCa('iam CA');
let okta: FakeOkta;
let iam: FakeIam;
let proxy: ConnectProxy;

beforeAll(async () => {
  [okta, iam, proxy] = await Promise.all([
    startFakeOkta({ tenant: tenantFromExport(exportDir), tls: oktaCa.issue(), token: TOKEN, pageSize: 50 }),
    startFakeIam(fakeData(), { tls: iamCa.issue() }),
    startConnectProxy(),
  ]);
});
afterAll(async () => {
  await Promise.all([okta.close(), iam.close(), proxy.close()]);
});

/** The binary, asynchronously: the fakes answer from this process's event loop. */
function zt(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe.runIf(built)('the zt binary behind a proxy', () => {
  it('NODE_EXTRA_CA_CERTS and --ca-file together, through HTTPS_PROXY: Okta and AWS both read, every connection tunnelled', async () => {
    const dir = tempTree({ 'okta-ca.pem': oktaCa.certPem, 'iam-ca.pem': iamCa.certPem });
    const env = { ...fakeEnv(iam.url, { AWS_ENDPOINT_URL_STS: iam.url }), OKTA_API_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: join(dir, 'okta-ca.pem'), HTTPS_PROXY: proxy.url };
    const result = await zt(['collect', '--okta', okta.url, '--aws', '--ca-file', 'iam-ca.pem', '--out', 'snap.json', '--quiet'], env, dir);
    expect(result.stderr).toMatch(/✔ \d+ resources from 2 source\(s\) written/);
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(dir, 'snap.json'), 'utf8')) as { sources: { collector: string }[] };
    expect(snapshot.sources.map((s) => s.collector).sort()).toEqual(['aws-iam', 'okta']);
    expect(proxy.tunnelsTo(targetOf(okta.url))).toBeGreaterThan(0);
    expect(proxy.tunnelsTo(targetOf(iam.url))).toBeGreaterThan(0);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('without the extra CAs: exit 3, each source saying its server certificate was not accepted', async () => {
    const dir = tempTree({});
    const env = { ...fakeEnv(iam.url, { AWS_ENDPOINT_URL_STS: iam.url }), OKTA_API_TOKEN: TOKEN, HTTPS_PROXY: proxy.url };
    const result = await zt(['collect', '--okta', okta.url, '--aws', '--out', 'snap.json', '--quiet'], env, dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/okta: cannot reach the Okta org .*: the server's TLS certificate was not accepted \(\w+; behind a TLS-inspecting proxy, give its CA with --ca-file\)/);
    expect(result.stderr).toMatch(/aws-iam: AWS IAM could not be reached: the server's TLS certificate was not accepted/);
  });

  it('a --ca-file that is not PEM: exit 2 before anything is read, and the previous report stays', async () => {
    const dir = tempTree({ 'ca.pem': 'not a certificate\n', 'report.json': 'previous report\n' });
    const before = proxy.totalTunnels();
    const result = await zt(['audit', '--okta', okta.url, '--ca-file', 'ca.pem', '-o', 'json=report.json', '--quiet'], { OKTA_API_TOKEN: TOKEN, HTTPS_PROXY: proxy.url }, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '✖ The --ca-file is not a PEM file of certificates (ZT_CA_FILE_INVALID)\n  --ca-file ca.pem holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n' +
        "  hint: Give a PEM file of the CA certificates to trust (-----BEGIN CERTIFICATE----- blocks), e.g. the TLS-inspecting proxy's root exported from the system store.\n",
    );
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('previous report\n');
    expect(proxy.totalTunnels()).toBe(before);
  });
});
