import { afterEach, describe, expect, it } from 'vitest';
import { ECHOED_FOREIGN_TOKEN, graphErrors, type FakeGraph } from '../../support/fake-graph.mjs';
import { everyOutput, expectNoCanary, expectRedactedIssue } from '../../support/canary.js';
import { CANARY_SECRET, contosoGraph, envFor, TENANT } from './support.js';

// Microsoft Graph and the token endpoint (or a proxy in front of them) quoting the
// request's credentials in their error answers — the Graph error code and message, the
// HTTP status text, the token endpoint's `error` and `error_description` — on every error
// path the Entra collector reports: a 403 and a 500 (after retries) on Graph reads, the
// client secret refused. No secret or access token may reach any output, with or without --debug.

let graph: FakeGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

describe('entra: credentials a server echoes reach no output', () => {
  it('Graph 403 and 500 quoting the bearer token: issues say what failed, never the token or the secret', async () => {
    graph = await contosoGraph({ echoCredentials: true, faults: { conditionalAccessPolicies: graphErrors.denied, roleDefinitions: graphErrors.serverError } });
    const outputs = await everyOutput(['--entra', TENANT], envFor(graph));
    expect(graph.tokens.size).toBeGreaterThan(0);
    expectNoCanary(outputs, [CANARY_SECRET, ...graph.tokens, ECHOED_FOREIGN_TOKEN]);
    expectRedactedIssue(outputs, /^ZT_COLLECT_(ACCESS_DENIED|API_ERROR)$/);
    expect(outputs.snapshot.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'permission_denied' });
  });

  it('the client secret refused and quoted by the token endpoint: ZT_COLLECT_AUTH without it', async () => {
    graph = await contosoGraph({ echoCredentials: true });
    const wrong = 'zt-canary~entra-wrong-secret-41ab';
    const outputs = await everyOutput(['--entra', TENANT], envFor(graph, { AZURE_CLIENT_SECRET: wrong }));
    expectNoCanary(outputs, [CANARY_SECRET, wrong, ECHOED_FOREIGN_TOKEN]);
    expectRedactedIssue(outputs, 'ZT_COLLECT_AUTH');
    expect(outputs.codes['audit -f json --debug']).toBe(3);
  });
});
