import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { GraphClient } from '../../../src/collectors/entra/client.js';
import { collectTenant } from '../../../src/collectors/entra/collect.js';
import { liveReader } from '../../../src/collectors/entra/live.js';
import { seconds } from '../../../src/collectors/shared/http.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import { ECHOED_FOREIGN_TOKEN, graphErrors, makeCertificate, type FakeGraphOptions } from '../../support/fake-graph.mjs';
import { auditor, falseVerdicts, type Audited, startCases } from '../../support/fault-matrix.js';
import { CANARY_SECRET, contextFor, contosoGraph, envFor, TENANT } from './support.js';

// The fault matrix at the wire (issue 15), as test/collectors/kubernetes/fault-matrix.test.ts
// does for Kubernetes. A clean run records every Graph path the collector asks for; then each
// path fails in each way servers and proxies fail, one path at a time, and the bundled rules
// run over what was collected (`zt audit --snapshot`, in process). Whatever fails: (a) no
// resource that was read passes a rule it fails on the intact tenant and no rule passes that
// did not; (b) a rule whose verdict changed says its data was partial, missing or unknown;
// (c) the path's kinds are not `complete` and an issue names the path and the failure, never
// the secret or a token (which the fake quotes in every error answer); (d) the audit exits 3.
// A fault a retry gets through leaves the snapshot as on the intact tenant.
//
// The collector is assembled as source.ts does (6 retries on 429, Retry-After honoured), with
// a per-attempt timeout of 1 s instead of 60 s. Cases run side by side, each against its
// own fake Graph: most of a case is retries and timeouts, not work.

/** Per attempt. Not less: the cases share one event loop, busy with audits. */
const TIMEOUT_MS = 1000;
const RETRIES = 6;
const NOW = new Date('2026-11-23T12:00:00Z');
const tls = makeCertificate();

type Wire = NonNullable<FakeGraphOptions['wire']>[string][number];
type Faults = Pick<FakeGraphOptions, 'faults' | 'throttle' | 'wire'>;

interface Outcome {
  readonly snapshot: Snapshot;
  /** The snapshot with the fake's host:port left out (each run has its own Graph). */
  readonly local: { resources: string; coverage: string };
  /** The audit of the snapshot (not run for faults a retry gets through). */
  readonly audit?: Audited;
  /** The fake's names of the paths requested (see `graphPath`). */
  readonly paths: string[];
  readonly ms: number;
}

/** The fake's name for each Graph path (its `routes`, and the two per-group reads). */
const graphPath: Record<string, string> = {
  userRegistrationDetails: '/reports/authenticationMethods/userRegistrationDetails',
  users: '/users',
  conditionalAccessPolicies: '/identity/conditionalAccess/policies',
  authenticationStrengthPolicies: '/policies/authenticationStrengthPolicies',
  roleDefinitions: '/roleManagement/directory/roleDefinitions',
  roleAssignmentScheduleInstances: '/roleManagement/directory/roleAssignmentScheduleInstances',
  roleEligibilitySchedules: '/roleManagement/directory/roleEligibilitySchedules',
  authorizationPolicy: '/policies/authorizationPolicy',
  authenticationMethodsPolicy: '/policies/authenticationMethodsPolicy',
  identitySecurityDefaultsEnforcementPolicy: '/policies/identitySecurityDefaultsEnforcementPolicy',
  domains: '/domains',
  group: '/groups/{id}',
  groupMembers: '/groups/{id}/transitiveMembers/microsoft.graph.user',
  groupOwners: '/groups/{id}/owners',
};
const nameOf = (path: string): string => {
  const graph = path.replace(/^\/v1\.0/, '').replace(/^\/groups\/[^/]+/, '/groups/{id}');
  return Object.entries(graphPath).find(([, p]) => p === graph)?.[0] ?? `unknown ${path}`;
};

/**
 * The kinds each path feeds (collect.ts): all must be incomplete when it fails. The tenant's
 * figures are computed from users, registrations, conditional access, strengths and role
 * assignments; the fixture's Helpdesk Leads group holds a role, so its members are administrators.
 */
const feeds: Record<string, readonly string[]> = {
  userRegistrationDetails: ['idp.user', 'entra.tenant'],
  users: ['idp.user', 'entra.tenant'],
  conditionalAccessPolicies: ['idp.accessPolicy', 'entra.tenant'],
  authenticationStrengthPolicies: ['idp.accessPolicy', 'entra.tenant'],
  roleDefinitions: ['entra.roleAssignment'],
  roleAssignmentScheduleInstances: ['entra.roleAssignment', 'idp.user', 'entra.tenant'],
  roleEligibilitySchedules: ['entra.roleAssignment'],
  authorizationPolicy: ['entra.tenant'],
  authenticationMethodsPolicy: ['entra.tenant'],
  identitySecurityDefaultsEnforcementPolicy: ['entra.tenant'],
  domains: ['entra.domain'],
  group: ['idp.group', 'idp.user'],
  groupMembers: ['idp.group', 'idp.user'],
  // Optional: no rule reads owners; failed, they are unknown (null) and an info issue says so.
  groupOwners: [],
};
const optional = new Set(['groupOwners']);

const HOST = /127\.0\.0\.1:\d+/g;
const local = (text: string): string => text.replace(HOST, 'HOST');
const audit = auditor(NOW, local);

/** Collects through a fake Graph with `faults`; then, unless `rules` is false, audits the snapshot. */
async function collect(faults: Faults, rules = true): Promise<Outcome> {
  const graph = await contosoGraph({ tls, echoCredentials: true, ...faults });
  try {
    const context = contextFor(envFor(graph));
    const collector = {
      id: 'entra',
      description: `entra:${TENANT}`,
      async collect() {
        const client = new GraphClient({ tenant: TENANT, graphUrl: graph.graphUrl, authority: graph.authority, credential: 'auto', env: context.env, signal: context.signal, network: context.network, redactor: context.redactor, maxRetries: RETRIES, timeoutMs: TIMEOUT_MS });
        await client.authenticate();
        return collectTenant(liveReader(client, RETRIES), TENANT, context, `entra:${TENANT}`);
      },
    };
    const started = Date.now();
    const snapshot = await collectSnapshot([collector], context);
    const ms = Date.now() - started;
    const paths = [...new Set(graph.requests.filter((r) => r.path.startsWith('/v1.0/')).map((r) => nameOf(r.path)))].sort();
    return { snapshot, local: { resources: local(JSON.stringify(snapshot.resources)), coverage: local(JSON.stringify(snapshot.coverage)) }, ...(rules ? { audit: await audit(snapshot) } : {}), paths, ms };
  } finally {
    await graph.close();
  }
}

const always = (fault: Wire): Wire[] => Array.from({ length: 100 }, () => fault);
const error = (status: number, code: string, message: string) => ({ status, code, message });

/** Faults that outlast the retries: [label, faults on `name`, what the issue must say]. */
const lasting: [string, (name: string) => Faults, RegExp][] = [
  ['403', (name) => ({ faults: { [name]: graphErrors.denied } }), /denied \S+ \(Authorization_RequestDenied\b/],
  ['404', (name) => ({ faults: { [name]: error(404, 'Request_ResourceNotFound', 'Resource does not exist.') } }), /HTTP 404 Request_ResourceNotFound/],
  ['410', (name) => ({ faults: { [name]: error(410, 'Gone', 'The resource is gone.') } }), /HTTP 410 Gone/],
  ['429 for good', (name) => ({ throttle: { [name]: { times: 1000, retryAfter: 1 } } }), new RegExp(`kept throttling \\S+ \\(HTTP 429\\) after ${RETRIES} retries`)],
  ['500 for good', (name) => ({ faults: { [name]: graphErrors.serverError } }), /HTTP 500 UnknownError/],
  ['connection reset', (name) => ({ wire: { [name]: always('reset') } }), /connection was dropped before an answer .*\(3 attempts\)/],
  ['truncated body', (name) => ({ wire: { [name]: always('truncated') } }), /answer was cut short .*\(3 attempts\)/],
  ['no answer', (name) => ({ wire: { [name]: always('hang') } }), new RegExp(`no complete answer within ${seconds(TIMEOUT_MS)} \\(3 attempts\\)`)],
  ['HTML 200', (name) => ({ wire: { [name]: always('html') } }), /not JSON \(text\/html/],
  ['malformed 200 (no value list)', (name) => ({ wire: { [name]: always('no-value') } }), /not a collection page|an empty object|a group without an id/],
  ['empty 200 ({})', (name) => ({ wire: { [name]: always('empty') } }), /not a collection page|an empty object|a group without an id/],
];

/** Faults a retry gets through. */
const passing: [string, (name: string) => Faults][] = [
  ['one 429', (name) => ({ throttle: { [name]: { times: 1, retryAfter: 1 } } })],
  ['one 500', (name) => ({ wire: { [name]: ['500'] } })],
  ['one reset', (name) => ({ wire: { [name]: ['reset'] } })],
  ['one truncated body', (name) => ({ wire: { [name]: ['truncated'] } })],
  ['one answer beyond the timeout', (name) => ({ wire: { [name]: ['hang'] } })],
];

// Without faults: the verdicts to compare with, and every path the collector asks for.
const started = Date.now();
const clean = await collect({});
const lastingCases = clean.paths.flatMap((name) => lasting.map(([what, faults, says]) => [name, what, faults, says] as const));
const passingCases = clean.paths.flatMap((name) => passing.map(([what, faults]) => [name, what, faults] as const));

// Every case starts now (test/support/fault-matrix.ts); each test awaits its own.
const outcomes = startCases(clean.paths, lasting, passing, collect);

describe('Entra fault matrix: no fault turns a failure into a pass', () => {
  it('the clean run reads every path, is complete, has failures to lose, exits 0', () => {
    expect(clean.paths).toEqual(Object.keys(feeds).sort());
    expect(Object.values(clean.snapshot.coverage).every((c) => c?.state === 'complete')).toBe(true);
    expect(clean.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(clean.audit!.report.ruleResults.filter((r) => r.status === 'fail').length).toBeGreaterThan(3);
    expect(clean.audit!.code).toBe(0);
  });

  it.each(lastingCases)('%s answering %s', async (name, what, _faults, says) => {
    const now = await outcomes.get(`${name} ${what}`)!;
    const audited = now.audit!;
    // (a), (b)
    const read = new Set(now.snapshot.resources.map((r) => r.id));
    expect(falseVerdicts(clean.audit!.report, audited.report, read, (id) => id)).toEqual([]);
    if (optional.has(name)) {
      // Owners unknown on every group, never "no owner"; the audit, which reads none, is complete.
      const issue = now.snapshot.issues.find((i) => i.severity === 'info' && i.message.startsWith(`Graph `) && i.message.includes(graphPath[name]!) && says.test(i.message) && /group owners are unknown/.test(i.message));
      expect(issue, JSON.stringify(now.snapshot.issues, null, 1)).toBeDefined();
      const groups = now.snapshot.resources.filter((r) => r.kind === 'idp.group');
      expect(groups.length).toBeGreaterThan(0);
      for (const g of groups) expect((g.attributes as { owners?: unknown }).owners, g.id).toBeNull();
      expect(JSON.stringify(now.snapshot)).not.toContain(CANARY_SECRET);
      expect(audited.code).toBe(0);
      return;
    }
    // (c) The path's kinds are not complete; an issue names the path (a group's reads are
    // reported as /groups) and the failure.
    for (const kind of feeds[name]!) expect(now.snapshot.coverage[kind as keyof Snapshot['coverage']]?.state, kind).not.toBe('complete');
    const where = graphPath[name]!.startsWith('/groups/') ? '/groups' : graphPath[name]!;
    const named = new RegExp(`${where.replace(/[.?]/g, '\\$&')}(?=[\\s:]|$)`);
    const issue = now.snapshot.issues.find((i) => i.severity !== 'info' && named.test(i.message) && says.test(i.message));
    expect(issue, JSON.stringify(now.snapshot.issues, null, 1)).toBeDefined();
    for (const text of [JSON.stringify(now.snapshot), audited.text]) {
      expect(text).not.toContain(CANARY_SECRET);
      expect(text).not.toContain(ECHOED_FOREIGN_TOKEN);
      expect(text).not.toMatch(/fake\.[0-9a-f]{48}/); // the access tokens the fake issues
    }
    // (d) Part of the tenant could not be read: the audit is incomplete.
    expect(audited.code).toBe(3);
  });

  it.each(passingCases)('%s answering %s, then recovering: as on the intact tenant', async (name, what) => {
    const now = await outcomes.get(`${name} ${what}`)!;
    expect(now.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(now.local).toEqual(clean.local);
  });

  it('the matrix stays fast', async () => {
    const all = await Promise.all(outcomes.values());
    const slowest = Math.max(...all.map((o) => o.ms));
    console.log(`Entra fault matrix: ${all.length} faulted runs in ${Date.now() - started} ms (slowest collection ${slowest} ms)`);
    expect(slowest).toBeLessThan(25_000);
  });
});
