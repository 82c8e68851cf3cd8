import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { collectOkta } from '../../../src/collectors/okta/collector.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import { startFakeOkta, tenantFromExport, type FakeOkta } from '../../support/fake-okta.mjs';
import { tempTree } from '../../support/temp.js';
import { CANARY_TOKEN, context, exportDir, selfSignedCert, trust } from './support.js';

// Okta at the wire: answers that are not the JSON asked for, and requests that never end,
// on one endpoint at a time. That endpoint's kinds lose their data (missing, api_error,
// with an issue); nothing else does; no rule that failed on the intact org passes.

const tls = selfSignedCert();
const tenant = tenantFromExport(exportDir);
const servers: FakeOkta[] = [];
const dir = tempTree({});
let runs = 0;

beforeAll(() => trust(tls.cert));
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const TIMEOUT_MS = 200;

interface Outcome {
  readonly snapshot: Snapshot;
  /** The resources with the fake's host:port left out (each run has its own server). */
  readonly resources: string;
  readonly statuses: Map<string, { status: string; kind: string }>;
  readonly ms: number;
}

async function collect(wire: Record<string, ('html' | 'hang' | 'reset' | 'truncated' | 'object' | '500')[]>, audit = true): Promise<Outcome> {
  const server = await startFakeOkta({ tenant, tls, token: CANARY_TOKEN, pageSize: 2, faults: { wire } });
  servers.push(server);
  const input = { kind: 'live', orgUrl: server.url, clientId: undefined, privateKeyFile: undefined, keyId: undefined, scopes: [], includeDeprovisioned: false, timeoutMs: TIMEOUT_MS } as const;
  const started = Date.now();
  const snapshot = await collectSnapshot([{ id: 'okta', description: `okta ${server.url}`, collect: (ctx) => collectOkta(input, ctx) }], context({ OKTA_API_TOKEN: CANARY_TOKEN }));
  const ms = Date.now() - started;
  const resources = JSON.stringify(snapshot.resources).split(new URL(server.url).host).join('HOST');
  if (!audit) return { snapshot, resources, statuses: new Map(), ms };
  const file = join(dir, `okta-${++runs}.json`);
  writeFileSync(file, JSON.stringify(snapshot));
  const io = memoryIo({ env: {} });
  await run(['audit', '--snapshot', file, '-f', 'json', '--fail-on', 'none'], io);
  const report = JSON.parse(io.out()) as { rules: { id: string; kind: string }[]; ruleResults: { ruleId: string; status: string }[] };
  const kindOf = new Map(report.rules.map((r) => [r.id, r.kind]));
  const statuses = new Map(report.ruleResults.filter((r) => /^(idp|okta)\./.test(kindOf.get(r.ruleId) ?? '')).map((r) => [r.ruleId, { status: r.status, kind: kindOf.get(r.ruleId)! }]));
  return { snapshot, resources, statuses, ms };
}

let intact: Outcome;
beforeAll(async () => {
  intact = await collect({});
});

function expectNoFalsePass(outcome: Outcome): void {
  for (const [rule, { status, kind }] of outcome.statuses) {
    const before = intact.statuses.get(rule)!;
    if (before.status !== 'pass') expect(status, `${rule} (${kind}) was ${before.status} on the intact org`).not.toBe('pass');
    // Undecided (facts over the unread part are unknown) is honest on any kind; a changed verdict needs its own kind incomplete.
    if (status !== before.status && status !== 'not_evaluated' && status !== 'error') expect(outcome.snapshot.coverage[kind as keyof Snapshot['coverage']]?.state, `${rule} changed on ${kind}`).toMatch(/^(partial|missing)$/);
  }
}

const always = <T>(fault: T): T[] => Array.from({ length: 20 }, () => fault);

describe('Okta at the wire', () => {
  it('the intact org: every kind complete', () => {
    expect(Object.values(intact.snapshot.coverage).every((c) => c?.state === 'complete')).toBe(true);
    expect(intact.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });

  it('an HTML 200 (a captive portal) on a list endpoint: that kind missing (api_error) with an issue, not "no apps"; the rest read', async () => {
    const outcome = await collect({ '/api/v1/apps': ['html'] });
    expectNoFalsePass(outcome);
    expect(outcome.snapshot.coverage['okta.app']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(outcome.snapshot.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_API_ERROR', message: expect.stringMatching(/GET \/api\/v1\/apps.*not JSON \(text\/html/) }));
    expect(outcome.snapshot.coverage['idp.user']).toEqual({ state: 'complete' });
    expect(outcome.snapshot.resources.filter((r) => r.kind === 'okta.app')).toEqual([]);
  });

  it('a JSON object where a list belongs (group members): groups missing (api_error), not groups without members', async () => {
    const outcome = await collect({ '/api/v1/groups/{id}/users': ['object'] });
    expectNoFalsePass(outcome);
    expect(outcome.snapshot.coverage['idp.group']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(outcome.snapshot.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_API_ERROR', message: expect.stringMatching(/expected a JSON array/) }));
  });

  it('ThreatInsight answering an object without its action: okta.org missing, not "no action"', async () => {
    const outcome = await collect({ '/api/v1/threats/configuration': ['object'] });
    expectNoFalsePass(outcome);
    expect(outcome.snapshot.coverage['okta.org']).toMatchObject({ state: 'missing', reason: 'api_error' });
  });

  it('a request that never answers: given up after 3 attempts of 200 ms, that kind missing (api_error); the rest read', async () => {
    const outcome = await collect({ '/api/v1/policies': always('hang') });
    expectNoFalsePass(outcome);
    // 3 × 200 ms and back-offs of 0.5 s and 1 s: bounded, not the run's whole budget.
    expect(outcome.ms).toBeLessThan(6000);
    expect(outcome.snapshot.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(outcome.snapshot.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_API_ERROR', message: expect.stringMatching(/no complete answer within 200 ms \(3 attempts\)/) }));
    expect(outcome.snapshot.coverage['idp.user']).toEqual({ state: 'complete' });
  });

  it.each([
    ['a request that hangs once', ['hang']],
    ['a dropped connection', ['reset']],
    ['a body cut short', ['truncated']],
    ['a 500', ['500']],
  ] as const)('%s is retried: everything read as on the intact org', async (_label, faults) => {
    const outcome = await collect({ '/api/v1/users': [...faults] }, false);
    expect(outcome.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(outcome.resources).toEqual(intact.resources);
  });

  it('an HTML page as the very first answer is still "not an Okta org" (ZT_COLLECT_UNREACHABLE), the source contributes nothing', async () => {
    const outcome = await collect({ '/api/v1/users': ['html'] }, false);
    expect(outcome.snapshot.resources).toEqual([]);
    expect(outcome.snapshot.issues).toEqual([expect.objectContaining({ code: 'ZT_COLLECT_UNREACHABLE', message: expect.stringMatching(/did not answer like an Okta org/) })]);
  });
});
