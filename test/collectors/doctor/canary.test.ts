import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { ECHOED_FOREIGN_SECRET, startFakeIam } from '../../support/fake-iam.js';
import { ECHOED_FOREIGN_TOKEN as KUBE_FOREIGN, startFakeKube, writeKubeconfig } from '../../support/fake-kube-api.js';
import { ECHOED_FOREIGN_TOKEN as OKTA_FOREIGN, startFakeOkta, tenantFromExport } from '../../support/fake-okta.mjs';
import { fakeData, fakeEnv } from '../aws-iam/support.js';
import { exportDir, selfSignedCert, trust } from '../okta/support.js';

// Servers that quote the request's credentials in every error answer (echoCredentials):
// whatever `zt doctor` shows of their answers (details, fixes), in the table and in JSON,
// with and without --debug, carries no credential.

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

async function outputs(argv: string[], env: Record<string, string>): Promise<{ codes: number[]; text: string }> {
  const codes: number[] = [];
  let text = '';
  for (const extra of [[], ['-f', 'json'], ['--debug'], ['-f', 'json', '--debug']]) {
    const io = memoryIo({ env: { HOME: '/nonexistent-home', ...env }, columns: 120 });
    codes.push(await run([...argv, ...extra], io));
    text += io.out() + io.err();
  }
  return { codes, text };
}

describe('zt doctor: credentials a server echoes reach no output', () => {
  it('AWS: refused simulation and denied calls quoting the SigV4 headers and session token', async () => {
    const KEY = 'AKIAZTDOCTORECHO0001';
    const TOKEN = 'zt-doctor-canary-session-token-41ac';
    const SECRET = 'zt-doctor-canary-secret-key-77e0/never-sent';
    const server = await startFakeIam(fakeData(), { echoCredentials: true, deny: ['SimulatePrincipalPolicy', 'GetAccountSummary', 'ListSAMLProviders'] });
    closers.push(() => server.close());
    const { codes, text } = await outputs(['doctor', '--aws'], fakeEnv(server.url, { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN }));
    expect(codes).toEqual([3, 3, 3, 3]);
    expect(text).toMatch(/iam:GetAccountSummary +missing/);
    for (const canary of [KEY, TOKEN, SECRET, ECHOED_FOREIGN_SECRET]) expect(text).not.toContain(canary);
  });

  it('Kubernetes: a 401 and refused reviews quoting the bearer token', async () => {
    const TOKEN = 'zt-doctor-kube-canary-token-5b9e';
    const server = await startFakeKube({ lists: {}, token: 'another-token', echoCredentials: true });
    closers.push(() => server.close());
    const kubeconfig = writeKubeconfig(server.kubeconfig({ token: TOKEN }));
    const { codes, text } = await outputs(['doctor', '--kubeconfig', kubeconfig], {});
    expect(codes).toEqual([3, 3, 3, 3]);
    expect(text).toMatch(/401 Unauthorized/);
    for (const canary of [TOKEN, KUBE_FOREIGN]) expect(text).not.toContain(canary);
  });

  it('Okta: a revoked API token quoted back', async () => {
    const TOKEN = '00ZtDoctorOktaCanary7Qw3Er5Ty8Ui1Op';
    const tls = selfSignedCert();
    trust(tls.cert);
    const server = await startFakeOkta({ tenant: tenantFromExport(exportDir), tls, token: TOKEN, echoCredentials: true, faults: { revoked: true } });
    closers.push(() => server.close());
    const { codes, text } = await outputs(['doctor', '--okta', server.url], { OKTA_API_TOKEN: TOKEN });
    expect(codes).toEqual([3, 3, 3, 3]);
    expect(text).toMatch(/refused the API token from OKTA_API_TOKEN/);
    for (const canary of [TOKEN, OKTA_FOREIGN]) expect(text).not.toContain(canary);
  });
});
