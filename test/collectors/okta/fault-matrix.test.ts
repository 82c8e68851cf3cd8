import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { collectOkta } from '../../../src/collectors/okta/collector.js';
import { seconds } from '../../../src/collectors/shared/http.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import { ECHOED_FOREIGN_TOKEN, startFakeOkta, tenantFromExport } from '../../support/fake-okta.mjs';
import { auditor, falseVerdicts, type Audited, startCases } from '../../support/fault-matrix.js';
import { CANARY_TOKEN, context, exportDir, selfSignedCert, trust } from './support.js';

// The fault matrix at the wire (issue 15), as test/collectors/kubernetes/fault-matrix.test.ts
// does for Kubernetes. A clean run records every rate-limit bucket (path) the collector asks
// for; then each path fails in each way servers and proxies fail, one path at a time, and
// the bundled rules run over what was collected (`zt audit --snapshot`, in process).
// Whatever fails: (a) no resource that was read passes a rule it fails on the intact org and
// no rule passes that did not; (b) a rule whose verdict changed says its data was partial,
// missing or unknown; (c) the path's kinds are not `complete` and an issue names the path and
// the failure, never the token (which the fake quotes in every error answer); (d) the audit
// exits 3. A fault a retry gets through leaves the snapshot as on the intact org.
//
// Cases run side by side, each against its own fake org: most of a case is retry back-offs
// (5 attempts 0.5 to 4 s apart for a 5xx) and timeouts, not work.

/** Per attempt (30 s in production). Not less: the cases share one event loop, busy with audits. */
const TIMEOUT_MS = 1000;
const NOW = new Date('2026-11-02T09:00:00Z');
const tls = selfSignedCert();
trust(tls.cert);
const tenant = tenantFromExport(exportDir);

type Wire = 'html' | 'hang' | 'reset' | 'truncated' | 'object' | '500';
interface Faults {
  readonly deny?: string[];
  readonly throttleOnce?: string[];
  readonly status?: Record<string, number>;
  readonly wire?: Record<string, Wire[]>;
  readonly vanished?: string[];
}

interface Outcome {
  readonly snapshot: Snapshot;
  /** The snapshot with the fake's host:port left out (each run has its own org). */
  readonly local: { resources: string; coverage: string };
  /** The audit of the snapshot (not run for faults a retry gets through). */
  readonly audit?: Audited;
  /** The buckets requested. */
  readonly paths: string[];
  readonly ms: number;
}

const HOST = /127\.0\.0\.1:\d+/g;
const local = (text: string): string => text.replace(HOST, 'HOST');
const audit = auditor(NOW, local);

/** Collects through a fake org with `faults`; then, unless `rules` is false, audits the snapshot. */
async function collect(faults: Faults, rules = true): Promise<Outcome> {
  const server = await startFakeOkta({ tenant, tls, token: CANARY_TOKEN, echoCredentials: true, faults });
  try {
    const input = { kind: 'live', orgUrl: server.url, clientId: undefined, privateKeyFile: undefined, keyId: undefined, scopes: [], includeDeprovisioned: false, timeoutMs: TIMEOUT_MS } as const;
    const started = Date.now();
    const snapshot = await collectSnapshot([{ id: 'okta', description: `okta ${server.url}`, collect: (ctx) => collectOkta(input, ctx) }], context({ OKTA_API_TOKEN: CANARY_TOKEN }));
    const ms = Date.now() - started;
    const paths = Object.keys(server.stats.byBucket).sort();
    return { snapshot, local: { resources: local(JSON.stringify(snapshot.resources)), coverage: local(JSON.stringify(snapshot.coverage)) }, ...(rules ? { audit: await audit(snapshot) } : {}), paths, ms };
  } finally {
    await server.close();
  }
}

/** The kinds each path feeds (live.ts, types.ts sectionNeeds): all must be incomplete when it fails. */
const feeds: Record<string, readonly string[]> = {
  '/api/v1/users': ['idp.user'],
  '/api/v1/users/{id}/factors': ['idp.user'],
  '/api/v1/users/{id}/roles': ['idp.user', 'okta.adminRoles'],
  '/api/v1/iam/assignees/users': ['idp.user', 'okta.adminRoles'],
  '/api/v1/groups': ['idp.group', 'okta.adminRoles'],
  '/api/v1/groups/{id}/users': ['idp.group', 'okta.adminRoles'],
  '/api/v1/groups/{id}/roles': ['idp.group', 'okta.adminRoles'],
  // Optional: no rule reads owners; failed, they are unknown (null) and an info issue says so.
  '/api/v1/groups/{id}/owners': [],
  '/api/v1/policies': ['idp.accessPolicy', 'okta.app', 'okta.deviceAssurance', 'okta.passwordPolicy'],
  '/api/v1/policies/{id}/rules': ['idp.accessPolicy', 'okta.app', 'okta.deviceAssurance', 'okta.passwordPolicy'],
  '/api/v1/apps': ['okta.app'],
  '/api/v1/device-assurances': ['okta.deviceAssurance'],
  '/api/v1/authenticators': ['okta.org'],
  '/api/v1/threats/configuration': ['okta.org'],
  '/api/v1/logStreams': ['okta.org'],
  // ThreatInsight's exempt zones: unknown without them (the IP exempt zone is in every org).
  '/api/v1/zones': ['okta.org'],
};

/** Reads zt does without (the access review's group owners). */
const optional = new Set(['/api/v1/groups/{id}/owners']);

/** Endpoints of features an org may not have (Identity Engine, ThreatInsight, log streaming): a 404 there is `unsupported`, elsewhere an API error. */
const features = new Set(['/api/v1/device-assurances', '/api/v1/authenticators', '/api/v1/threats/configuration', '/api/v1/logStreams']);

const always = (fault: Wire): Wire[] => Array.from({ length: 100 }, () => fault);

/** Faults that outlast the retries: [label, faults on `path`, what the issue must say]. */
const lasting: [string, (path: string) => Faults, RegExp][] = [
  ['403', (path) => ({ deny: [path] }), /403 E0000006/],
  ['404', (path) => ({ status: { [path]: 404 } }), /404 E0000007/],
  ['410', (path) => ({ status: { [path]: 410 } }), /410 E0000009/],
  ['429 for good', (path) => ({ status: { [path]: 429 } }), /429 E0000047/],
  ['500 for good', (path) => ({ status: { [path]: 500 } }), /500 E0000009/],
  ['connection reset', (path) => ({ wire: { [path]: always('reset') } }), /connection was dropped before an answer .*\(3 attempts\)/],
  ['truncated body', (path) => ({ wire: { [path]: always('truncated') } }), /answer was cut short .*\(3 attempts\)/],
  ['no answer', (path) => ({ wire: { [path]: always('hang') } }), new RegExp(`no complete answer within ${seconds(TIMEOUT_MS)} \\(3 attempts\\)`)],
  ['HTML 200', (path) => ({ wire: { [path]: always('html') } }), /not JSON \(text\/html/],
  ['malformed 200', (path) => ({ wire: { [path]: always('object') } }), /expected (a JSON array|\{value: \[objects\]\}|\{action)/],
];

/** Faults a retry gets through. */
const passing: [string, (path: string) => Faults][] = [
  ['one 429', (path) => ({ throttleOnce: [path] })],
  ['one 500', (path) => ({ wire: { [path]: ['500'] } })],
  ['one reset', (path) => ({ wire: { [path]: ['reset'] } })],
  ['one truncated body', (path) => ({ wire: { [path]: ['truncated'] } })],
  ['one answer beyond the timeout', (path) => ({ wire: { [path]: ['hang'] } })],
];

// Without faults: the verdicts to compare with, and every path the collector asks for.
const started = Date.now();
const clean = await collect({});
const lastingCases = clean.paths.flatMap((path) => lasting.map(([what, faults, says]) => [path, what, faults, says] as const));
const passingCases = clean.paths.flatMap((path) => passing.map(([what, faults]) => [path, what, faults] as const));

// Every case starts now (test/support/fault-matrix.ts); each test awaits its own.
const outcomes = startCases(clean.paths, lasting, passing, collect);

const idOf = (id: string): string => local(id);

describe('Okta fault matrix: no fault turns a failure into a pass', () => {
  it('the clean run reads every path, is complete, has failures to lose, exits 0', () => {
    expect(clean.paths).toEqual(Object.keys(feeds).sort());
    expect(Object.values(clean.snapshot.coverage).every((c) => c?.state === 'complete')).toBe(true);
    expect(clean.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(clean.audit!.report.ruleResults.filter((r) => r.status === 'fail').length).toBeGreaterThan(3);
    expect(clean.audit!.code).toBe(0);
  });

  it.each(lastingCases)('%s answering %s', async (path, what, _faults, says) => {
    const now = await outcomes.get(`${path} ${what}`)!;
    const audited = now.audit!;
    // (a), (b)
    const read = new Set(now.snapshot.resources.map((r) => idOf(r.id)));
    expect(falseVerdicts(clean.audit!.report, audited.report, read, idOf)).toEqual([]);
    if (optional.has(path)) {
      // Owners unknown on every group, never "no owner"; the audit, which reads none, is complete.
      const where = new RegExp(`GET ${path.replace(/[.?]/g, '\\$&').replace(/\{id\}/g, '[^/?\\s]+')}(?=[?\\s:]|$)`);
      const issue = now.snapshot.issues.find((i) => i.severity === 'info' && where.test(i.message) && says.test(i.message) && /group owners are unknown/.test(i.message));
      expect(issue, JSON.stringify(now.snapshot.issues, null, 1)).toBeDefined();
      const groups = now.snapshot.resources.filter((r) => r.kind === 'idp.group');
      expect(groups.length).toBeGreaterThan(0);
      for (const g of groups) expect((g.attributes as { owners?: unknown }).owners, g.id).toBeNull();
      expect(JSON.stringify(now.snapshot)).not.toContain(CANARY_TOKEN);
      expect(audited.code).toBe(0);
      return;
    }
    // (c) The path's kinds are not complete; an issue names the path and the failure (or,
    // when the very first answer was the fault, says the org could not be read).
    for (const kind of feeds[path]!) {
      const coverage = now.snapshot.coverage[kind as keyof Snapshot['coverage']];
      expect(coverage?.state, kind).not.toBe('complete');
      if (what === '404' && features.has(path)) expect(coverage, kind).toMatchObject({ state: 'missing', reason: 'unsupported' });
    }
    const unreachable = path === '/api/v1/users' && now.snapshot.issues.some((i) => i.code === 'ZT_COLLECT_UNREACHABLE');
    // Every org has users, groups, apps and their policies: a 404 there is a failed read.
    if (what === '404' && !features.has(path) && !unreachable) {
      expect(feeds[path]!.map((kind) => now.snapshot.coverage[kind as keyof Snapshot['coverage']]?.reason)).toContain('api_error');
    }
    const where = new RegExp(`GET ${path.replace(/[.?]/g, '\\$&').replace(/\{id\}/g, '[^/?\\s]+')}(?=[?\\s:]|$)`);
    const issue = now.snapshot.issues.find((i) => i.severity !== 'info' && (unreachable ? i.code === 'ZT_COLLECT_UNREACHABLE' : where.test(i.message) && says.test(i.message)));
    expect(issue, JSON.stringify(now.snapshot.issues, null, 1)).toBeDefined();
    for (const text of [JSON.stringify(now.snapshot), audited.text]) {
      expect(text).not.toContain(CANARY_TOKEN);
      expect(text).not.toContain(ECHOED_FOREIGN_TOKEN);
    }
    // (d) Part of the org could not be read: the audit is incomplete.
    expect(audited.code).toBe(3);
  });

  it.each(passingCases)('%s answering %s, then recovering: as on the intact org', async (path, what) => {
    const now = await outcomes.get(`${path} ${what}`)!;
    expect(now.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(now.local).toEqual(clean.local);
  });

  it('a user and a group deleted between the list and their reads: nothing left to read, not a failed read', async () => {
    const now = await collect({ vanished: ['00u1lee00chen0000003', '00g1breakglass000003'] });
    expect(now.snapshot.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(now.local.coverage).toEqual(clean.local.coverage);
    expect(now.audit!.code).toBe(0);
  });

  it('the matrix stays fast', async () => {
    const all = await Promise.all(outcomes.values());
    const slowest = Math.max(...all.map((o) => o.ms));
    console.log(`Okta fault matrix: ${all.length} faulted runs in ${Date.now() - started} ms (slowest collection ${slowest} ms)`);
    expect(slowest).toBeLessThan(25_000);
  });
});
