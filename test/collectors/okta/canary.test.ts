import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ECHOED_FOREIGN_TOKEN, startFakeOkta, tenantFromExport, type FakeOkta } from '../../support/fake-okta.mjs';
import { everyOutput, expectNoCanary, expectRedactedIssue } from '../../support/canary.js';
import { exportDir, oauthKeys, selfSignedCert, trust } from './support.js';

// An Okta org (or a proxy in front of it) that quotes the request's credentials in its
// error answers — errorSummary, errorCauses, the HTTP status text, the token endpoint's
// error_description — on every error path the Okta collector reports: a 403, a 404 and a
// 500 on reads, the API token refused (401), and with OAuth the client assertion refused
// and the access token quoted. No credential may reach any output, with or without --debug.

/** Not credential-shaped (lower case, no scheme in front of it where the fake quotes it bare): only its registration can catch it. */
const TOKEN = 'zt-canary-okta-token-51c9e2';
const CLIENT_ID = '0oaZtServiceApp01';
const tls = selfSignedCert();
const tenant = tenantFromExport(exportDir);
const keys = oauthKeys();

let server: FakeOkta | undefined;
beforeAll(() => trust(tls.cert));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Faults = Parameters<typeof startFakeOkta>[0]['faults'];

async function scenario(faults: Faults, oauth?: { privateKeyPem: string }) {
  server = await startFakeOkta({ tenant, tls, token: TOKEN, pageSize: 50, echoCredentials: true, oauth: { clientId: CLIENT_ID, publicKeyPem: keys.publicKeyPem }, ...(faults ? { faults } : {}) });
  const args = ['--okta', server.url, ...(oauth ? ['--okta-client-id', CLIENT_ID] : [])];
  const env: Record<string, string> = oauth ? { OKTA_PRIVATE_KEY: oauth.privateKeyPem } : { OKTA_API_TOKEN: TOKEN };
  return everyOutput(args, env);
}

describe('okta: credentials a server echoes reach no output', () => {
  it('SSWS: a 403, a 404 and a 500 (after retries) quoting the token: issues say what failed, never the token', async () => {
    const outputs = await scenario({ deny: ['/api/v1/apps'], status: { '/api/v1/groups': 500, '/api/v1/device-assurances': 404 } });
    expectNoCanary(outputs, [TOKEN, ECHOED_FOREIGN_TOKEN]);
    expectRedactedIssue(outputs, 'ZT_COLLECT_API_ERROR');
    expect(outputs.snapshot.coverage['okta.app']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
    expect(server!.stats.authHeaders).toContain('SSWS');
  });

  it('SSWS: the token refused (401) with the token quoted: ZT_COLLECT_AUTH without it', async () => {
    const outputs = await scenario({ revoked: true });
    expectNoCanary(outputs, [TOKEN, ECHOED_FOREIGN_TOKEN]);
    expectRedactedIssue(outputs, 'ZT_COLLECT_AUTH');
    expect(outputs.codes['audit -f json --debug']).toBe(3);
  });

  it('OAuth: a client assertion refused and quoted, then an access token quoted on a 404: neither reaches an output', async () => {
    const wrongKey = oauthKeys();
    const refused = await scenario(undefined, wrongKey);
    expect(server!.stats.assertions.length).toBeGreaterThan(0);
    expectNoCanary(refused, [...server!.stats.assertions, wrongKey.privateKeyPem.split('\n')[1]!]);
    expectRedactedIssue(refused, 'ZT_COLLECT_AUTH');
    await server!.close();

    const quoted = await scenario({ status: { '/api/v1/device-assurances': 404 } }, keys);
    expect(server!.stats.issuedTokens.length).toBeGreaterThan(0);
    expectNoCanary(quoted, [...server!.stats.issuedTokens, ...server!.stats.assertions, keys.privateKeyPem.split('\n')[1]!, ECHOED_FOREIGN_TOKEN]);
    expectRedactedIssue(quoted, 'ZT_COLLECT_API_ERROR');
  });
});
