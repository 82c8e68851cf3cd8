import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { collectTenant } from '../../../src/collectors/entra/collect.js';
import { GraphClient } from '../../../src/collectors/entra/client.js';
import { liveReader } from '../../../src/collectors/entra/live.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import type { FakeGraph, FakeGraphOptions } from '../../support/fake-graph.mjs';
import { tempTree } from '../../support/temp.js';
import { contextFor, contosoGraph, envFor, TENANT } from './support.js';

// Entra at the wire: Graph answers that are not the JSON asked for, and requests that never
// end, one endpoint at a time. The collector is assembled as source.ts does, with a 200 ms
// per-request timeout instead of 60 s so the suite stays fast.

const TIMEOUT_MS = 200;
const dir = tempTree({});
let runs = 0;
let graph: FakeGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

interface Outcome {
  readonly snapshot: Snapshot;
  readonly resources: string;
  readonly statuses: Map<string, { status: string; kind: string }>;
  readonly ms: number;
}

async function collect(wire: FakeGraphOptions['wire'], audit = true): Promise<Outcome> {
  graph = await contosoGraph({ wire: wire ?? {} });
  const context = contextFor(envFor(graph));
  const started = Date.now();
  const collector = {
    id: 'entra',
    description: `entra:${TENANT}`,
    async collect() {
      const client = new GraphClient({ tenant: TENANT, graphUrl: graph!.graphUrl, authority: graph!.authority, credential: 'auto', env: context.env, signal: context.signal, network: context.network, redactor: context.redactor, maxRetries: 6, timeoutMs: TIMEOUT_MS });
      await client.authenticate();
      return collectTenant(liveReader(client, 6), TENANT, context, `entra:${TENANT}`);
    },
  };
  const snapshot = await collectSnapshot([collector], context);
  const ms = Date.now() - started;
  const resources = JSON.stringify(snapshot.resources);
  if (!audit) return { snapshot, resources, statuses: new Map(), ms };
  const file = join(dir, `entra-${++runs}.json`);
  writeFileSync(file, JSON.stringify(snapshot));
  const io = memoryIo({ env: {} });
  await run(['audit', '--snapshot', file, '-f', 'json', '--fail-on', 'none'], io);
  const report = JSON.parse(io.out()) as { rules: { id: string; kind: string }[]; ruleResults: { ruleId: string; status: string }[] };
  const kindOf = new Map(report.rules.map((r) => [r.id, r.kind]));
  const statuses = new Map(report.ruleResults.filter((r) => /^(idp|entra)\./.test(kindOf.get(r.ruleId) ?? '')).map((r) => [r.ruleId, { status: r.status, kind: kindOf.get(r.ruleId)! }]));
  return { snapshot, resources, statuses, ms };
}

let intact: Outcome;
beforeAll(async () => {
  intact = await collect({});
  await graph?.close();
  graph = undefined;
});

function expectNoFalsePass(outcome: Outcome): void {
  for (const [rule, { status, kind }] of outcome.statuses) {
    const before = intact.statuses.get(rule)!;
    if (before.status !== 'pass') expect(status, `${rule} (${kind}) was ${before.status} on the intact tenant`).not.toBe('pass');
    // Undecided (facts over the unread part are unknown) is honest on any kind; a changed verdict needs its own kind incomplete.
    if (status !== before.status && status !== 'not_evaluated' && status !== 'error') expect(outcome.snapshot.coverage[kind as keyof Snapshot['coverage']]?.state, `${rule} changed on ${kind}: ${before.status} → ${status}`).toMatch(/^(partial|missing)$/);
  }
}

const always = <T>(fault: T): T[] => Array.from({ length: 20 }, () => fault);

describe('Entra at the wire', () => {
  it('the intact tenant: every kind complete', () => {
    expect(Object.values(intact.snapshot.coverage).every((c) => c?.state === 'complete')).toBe(true);
    expect(intact.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });

  it('an HTML 200 (a captive portal) on a list endpoint: that kind missing (api_error) with an issue, not "no policies"; the rest read', async () => {
    const outcome = await collect({ conditionalAccessPolicies: ['html'] });
    expectNoFalsePass(outcome);
    expect(outcome.snapshot.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(outcome.snapshot.issues).toContainEqual(
      expect.objectContaining({ code: 'ZT_COLLECT_API_ERROR', message: expect.stringMatching(/Graph answered \/identity\/conditionalAccess\/policies with a body that is not JSON \(text\/html/) }),
    );
    expect(outcome.snapshot.coverage['idp.user']).toEqual({ state: 'complete' });
  });

  it('a JSON page without its value list: the kind missing, not an empty list of users', async () => {
    const outcome = await collect({ users: ['no-value'] });
    expectNoFalsePass(outcome);
    expect(outcome.snapshot.coverage['idp.user']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(outcome.snapshot.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_API_ERROR', message: expect.stringMatching(/not a collection page/) }));
  });

  it('a policy answered with {}: the tenant settings partial, not "all defaults"', async () => {
    const outcome = await collect({ authorizationPolicy: ['empty'] });
    expectNoFalsePass(outcome);
    expect(outcome.snapshot.coverage['entra.tenant']).toMatchObject({ state: 'partial', reason: 'api_error' });
  });

  it('a request that never answers: given up after 3 attempts of 200 ms, that kind missing (api_error); the rest read', async () => {
    const outcome = await collect({ userRegistrationDetails: always('hang') });
    expectNoFalsePass(outcome);
    expect(outcome.ms).toBeLessThan(6000);
    expect(outcome.snapshot.coverage['idp.user']).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(outcome.snapshot.issues).toContainEqual(
      expect.objectContaining({ code: 'ZT_COLLECT_API_ERROR', message: expect.stringMatching(/Graph did not answer \/reports\/authenticationMethods\/userRegistrationDetails: no complete answer within 200 ms \(3 attempts\)/) }),
    );
    expect(outcome.snapshot.coverage['idp.accessPolicy']).toEqual({ state: 'complete' });
    // The tenant's MFA figures are computed from those users: partial, not "0 human users".
    expect(outcome.snapshot.coverage['entra.tenant']).toMatchObject({ state: 'partial', reason: 'api_error' });
  });

  it.each([
    ['a request that hangs once', ['hang']],
    ['a dropped connection', ['reset']],
    ['a body cut short', ['truncated']],
    ['a 500', ['500']],
  ] as const)('%s is retried: everything read as on the intact tenant', async (_label, faults) => {
    const outcome = await collect({ users: [...faults] }, false);
    expect(outcome.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(outcome.resources).toEqual(intact.resources);
  });
});
