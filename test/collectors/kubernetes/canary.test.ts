import { afterEach, describe, expect, it } from 'vitest';
import { ECHOED_FOREIGN_TOKEN, startFakeKube, writeKubeconfig, type FakeKube, type FakeKubeOptions } from '../../support/fake-kube-api.js';
import { everyOutput, expectNoCanary, expectRedactedIssue } from '../../support/canary.js';
import { listsOf, objects } from './fixtures.js';

// An API server (or a proxy in front of it) that quotes the request's credentials in its
// error answers — the Status message and reason, the HTTP status text — on every error
// path the Kubernetes collector turns into an issue or an error: a 403 and a 500 on a list,
// throttling, the server version refused, /version failing (unreachable), the credentials
// refused. The token must appear in no output, with or without --debug.

/** Not credential-shaped (lower case, no auth scheme in front of it): only its registration can catch it. */
const TOKEN = 'zt-canary-kube-token-7f3a9c51';
const CANARIES = [TOKEN, ECHOED_FOREIGN_TOKEN];

let server: FakeKube | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scenario(faults: FakeKubeOptions['faults'], token = TOKEN) {
  server = await startFakeKube({ lists: listsOf(objects), token: TOKEN, echoCredentials: true, faults });
  const kubeconfig = writeKubeconfig(server.kubeconfig({ token }));
  const outputs = await everyOutput(['--kubeconfig', kubeconfig], { HOME: '/nonexistent-home' });
  // The requests really carried the canary, and the server really echoed it.
  expect(server.requests[0]?.authorization).toBe(`Bearer ${token}`);
  return outputs;
}

describe('kubernetes: credentials a server echoes reach no output', () => {
  it('403, 500 and 429 on lists and a 403 on /version: issues say what failed, never the token', async () => {
    const outputs = await scenario({
      '/api/v1/pods': [{ status: 403 }],
      '/apis/apps/v1/deployments': [{ status: 500 }],
      '/apis/apps/v1/daemonsets': [{ status: 429, retryAfter: 0 }],
      '/version': [{ status: 403 }],
    });
    expectNoCanary(outputs, CANARIES);
    expectRedactedIssue(outputs, 'ZT_COLLECT_ACCESS_DENIED');
    expectRedactedIssue(outputs, 'ZT_COLLECT_API_ERROR');
    expectRedactedIssue(outputs, 'ZT_COLLECT_THROTTLED');
    expect(outputs.snapshot.issues.map((i) => i.message).join('\n')).toMatch(/cannot list pods: pods is forbidden/);
  });

  it('/version answering 500 (the server is unreachable): the error names the server, not the token', async () => {
    const outputs = await scenario({ '/version': [{ status: 500 }] });
    expectNoCanary(outputs, CANARIES);
    expectRedactedIssue(outputs, 'ZT_COLLECT_UNREACHABLE');
    expect(outputs.codes.collect).toBe(3);
  });

  it('credentials refused (401): the error names the user, not the token', async () => {
    const wrong = `${TOKEN}-expired`;
    const outputs = await scenario({}, wrong);
    expectNoCanary(outputs, [...CANARIES, wrong]);
    expect(outputs.snapshot.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_AUTH' })]);
    expect(outputs.codes['audit -f json --debug']).toBe(3);
  });
});
