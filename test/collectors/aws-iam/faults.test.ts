import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/app/collect.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { liveCollector } from '../../../src/collectors/aws-iam/collector.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import { startFakeIam, type WireFault } from '../../support/fake-iam.js';
import { tempTree } from '../../support/temp.js';
import { context, fakeData, fakeEnv } from './support.js';

// The fault matrix at the wire: the real SDK against the fake IAM endpoint, one call
// broken at a time, then the bundled rules over what was collected (`zt audit
// --snapshot`, in process). Whatever the fault, no rule that did not pass on the intact
// account may pass, every rule whose verdict changed must sit on a kind whose coverage
// says it is incomplete, and coverage and issues say what happened.

const AWS_KINDS = ['aws.account', 'aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy', 'aws.iam.identityProvider'] as const;
type Coverage = Record<string, { state: string; reason?: string; detail?: string }>;

interface Outcome {
  readonly snapshot: Snapshot;
  readonly code: number;
  readonly statuses: Map<string, { status: string; kind: string }>;
  readonly coverage: Coverage;
  readonly requests: number;
  readonly ms: number;
}

/**
 * Small budgets so the suite stays fast: 200 ms per attempt, 3 attempts 10 ms apart (the
 * SDK's retry decisions with a fixed delay: its adaptive mode slows every later call after
 * a throttle by seconds; live.test.ts covers that mode).
 */
const budget = { reportPollMs: 5, reportTimeoutMs: 3000, maxAttempts: 3, requestTimeoutMs: 200, retryDelayMs: 10 };
const dir = tempTree({});
let cases = 0;

/** Collects through the fake with `faults`, then (unless `rules` is false) audits the snapshot with the bundled rules. */
async function audit(faults: Record<string, readonly string[]>, action?: string, rules = true): Promise<Outcome> {
  const server = await startFakeIam(fakeData(), { pageSize: 5, faults });
  const started = Date.now();
  try {
    const snapshot = await collectSnapshot([liveCollector(budget)], context(fakeEnv(server.url)));
    const ms = Date.now() - started;
    const requests = action ? server.count(action) : server.requests.length;
    if (!rules) return { snapshot, code: -1, statuses: new Map(), coverage: snapshot.coverage, requests, ms };
    const file = join(dir, `snap-${++cases}.json`);
    writeFileSync(file, JSON.stringify(snapshot));
    const io = memoryIo({ env: {}, now: () => new Date('2025-06-01T00:00:00Z') });
    const code = await run(['audit', '--snapshot', file, '-f', 'json', '--fail-on', 'none'], io);
    const report = JSON.parse(io.out()) as { rules: { id: string; kind: string }[]; ruleResults: { ruleId: string; status: string }[] };
    const kindOf = new Map(report.rules.map((r) => [r.id, r.kind]));
    const statuses = new Map(
      report.ruleResults.filter((r) => kindOf.get(r.ruleId)?.startsWith('aws.')).map((r) => [r.ruleId, { status: r.status, kind: kindOf.get(r.ruleId) as string }]),
    );
    return { snapshot, code, statuses, coverage: snapshot.coverage, requests, ms };
  } finally {
    await server.close();
  }
}

let intact: Outcome;
beforeAll(async () => {
  intact = await audit({});
});

const table: string[] = [];
afterAll(() => {
  if (process.env.ZT_FAULT_TABLE) console.log(table.join('\n'));
});

/** What every faulted run must satisfy, whatever the fault. */
function expectNoFalsePass(outcome: Outcome): void {
  for (const [rule, { status, kind }] of outcome.statuses) {
    const before = intact.statuses.get(rule)!;
    if (before.status !== 'pass') expect(status, `${rule} (${kind}) was ${before.status} on the intact account`).not.toBe('pass');
    // Undecided (facts over the unread part are unknown) is honest on any kind; a changed verdict needs its own kind incomplete.
    if (status !== before.status && status !== 'not_evaluated' && status !== 'error') {
      expect(outcome.coverage[kind]?.state, `${rule} went ${before.status} → ${status} on ${kind}, whose coverage must say so`).toMatch(/^(partial|missing)$/);
    }
  }
}

function note(label: string, outcome: Outcome): void {
  const degraded = AWS_KINDS.filter((k) => outcome.coverage[k]?.state !== 'complete').map((k) => `${k.replace(/^aws\.(iam\.)?/, '')}:${outcome.coverage[k]?.state ?? 'absent'}/${outcome.coverage[k]?.reason ?? '-'}`);
  const codes = [...new Set(outcome.snapshot.issues.map((i) => i.code))];
  const changed = outcome.code === -1 ? ['(same resources as intact)'] : [...outcome.statuses].filter(([id, r]) => intact.statuses.get(id)?.status !== r.status).map(([id, r]) => `${id}:${intact.statuses.get(id)?.status}→${r.status}`);
  table.push(`| ${label} | ${degraded.join(' ') || 'all complete'} | ${codes.join(' ') || '-'} | ${outcome.code === -1 ? 'n/a' : outcome.code} | ${outcome.requests} req, ${outcome.ms} ms | ${changed.join(' ') || '-'} |`);
}

const always = (fault: WireFault | 'AccessDenied' | 'ServiceFailure'): string[] => Array.from({ length: 30 }, () => fault);

it('the intact account: every AWS kind complete, no issue, exit 0 with --fail-on none', () => {
  expect(intact.snapshot.issues).toEqual([]);
  for (const kind of AWS_KINDS) expect(intact.coverage[kind]).toEqual({ state: 'complete' });
  expect(intact.code).toBe(0);
  expect([...intact.statuses.values()].filter((r) => r.status === 'fail').length).toBeGreaterThan(5);
});

/** The kinds a call feeds and the coverage state zt must report when it fails for good. */
const calls = {
  GetAccountAuthorizationDetails: { kinds: ['aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy'], state: 'missing' },
  GetCredentialReport: { kinds: ['aws.iam.user', 'aws.account'], state: 'partial' },
  ListVirtualMFADevices: { kinds: ['aws.account'], state: 'partial' },
  GetAccountPasswordPolicy: { kinds: ['aws.account'], state: 'partial' },
  ListSAMLProviders: { kinds: ['aws.iam.identityProvider'], state: 'partial' },
} as const;
type Call = keyof typeof calls;

/** Faults that persist past the retry budget: the call's kinds lose data, the rest is read. */
const lasting: [label: string, faults: string[], code: string, reason: string][] = [
  ['403 AccessDenied', always('AccessDenied'), 'ZT_COLLECT_ACCESS_DENIED', 'permission_denied'],
  ['403 from a proxy (HTML)', always('http:403-html'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['500 ServiceFailure', always('ServiceFailure'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['429 for good', always('http:429-html'), 'ZT_COLLECT_THROTTLED', 'api_error'],
  ['connection reset', always('wire:reset'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['truncated body', always('wire:truncated'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['no answer (beyond the timeout)', always('wire:hang'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['body stalls (beyond the timeout)', always('wire:stall-body'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['HTML 200 (captive portal)', always('wire:html'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['empty 200', always('wire:empty'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['XML cut short, framing intact', always('wire:cut-xml'), 'ZT_COLLECT_API_ERROR', 'api_error'],
  ['200 with an empty <Result/>', always('shape:empty-result'), 'ZT_COLLECT_API_ERROR', 'api_error'],
];

/** Faults that go away: a retry reads everything, as if nothing had happened. */
const passing: [label: string, faults: string[]][] = [
  ['429 then recovery', ['http:429-html', 'Throttling']],
  ['500 then recovery', ['ServiceFailure']],
  ['one reset', ['wire:reset']],
  ['one truncated body', ['wire:truncated']],
  ['one answer beyond the timeout', ['wire:hang']],
  ['one stalled body', ['wire:stall-body']],
  ['slow but within the timeout', ['wire:delay-100']],
];

// The whole matrix for the two calls the issue names and one representative of the
// others; the remaining calls get the faults that used to pass silently.
const matrix: Record<Call, { lasting: typeof lasting; passing: typeof passing }> = {
  GetAccountAuthorizationDetails: { lasting, passing },
  GetCredentialReport: { lasting, passing },
  ListVirtualMFADevices: { lasting: lasting.filter(([label]) => !/stalls/.test(label)), passing: passing.filter(([label]) => !/stalled/.test(label)) },
  GetAccountPasswordPolicy: { lasting: lasting.filter(([label]) => /HTML 200|empty|no answer/.test(label)), passing: passing.filter(([label]) => /beyond/.test(label)) },
  ListSAMLProviders: { lasting: lasting.filter(([label]) => /HTML 200|empty|no answer/.test(label)), passing: passing.filter(([label]) => /one reset/.test(label)) },
};

describe.each(Object.keys(calls) as Call[])('%s at the wire', (action) => {
  const { kinds, state } = calls[action];

  it.each(matrix[action].lasting)('%s: its kinds are incomplete with an issue naming the call, no false pass, the rest is read', async (label, faults, code, reason) => {
    const outcome = await audit({ [action]: faults }, action);
    note(`${action} × ${label}`, outcome);
    expectNoFalsePass(outcome);
    for (const kind of kinds) expect(outcome.coverage[kind], kind).toMatchObject({ state, reason });
    for (const kind of AWS_KINDS.filter((k) => !(kinds as readonly string[]).includes(k) && k !== 'aws.iam.identityProvider')) {
      expect(outcome.coverage[kind], `${kind} is not fed by ${action}`).toEqual({ state: 'complete' });
    }
    expect(outcome.snapshot.issues).toContainEqual(expect.objectContaining({ code, message: expect.stringContaining(`iam:${action}`) }));
    // Part of the account could not be read: the audit is incomplete (exit 3), whatever --fail-on says.
    expect(outcome.code).toBe(3);
  });

  it.each(matrix[action].passing)('%s: retried, everything read as on the intact account', async (label, faults) => {
    const outcome = await audit({ [action]: faults }, action, false);
    note(`${action} × ${label}`, outcome);
    expect(outcome.requests).toBeGreaterThanOrEqual(1);
    expect(outcome.snapshot.issues).toEqual([]);
    for (const kind of AWS_KINDS) expect(outcome.coverage[kind]).toEqual({ state: 'complete' });
    // The same resources as the intact account: the same audit, rule for rule.
    expect(outcome.snapshot.resources).toEqual(intact.snapshot.resources);
  });
});

describe('malformed pages of GetAccountAuthorizationDetails', () => {
  it.each([
    ['IsTruncated=true without a Marker', ['shape:truncated-no-marker']],
    ['a Marker that repeats (a loop)', ['wire:delay-0', 'shape:repeat-marker']],
    ['a captive portal on page 2', ['wire:delay-0', 'wire:html']],
    ['a page that never comes (page 2)', ['wire:delay-0', ...always('wire:hang')]],
  ] as [string, string[]][])('%s: all principal kinds missing (a partial read cannot be judged), no false pass', async (label, faults) => {
    const outcome = await audit({ GetAccountAuthorizationDetails: faults }, 'GetAccountAuthorizationDetails');
    note(`GetAccountAuthorizationDetails × ${label}`, outcome);
    expectNoFalsePass(outcome);
    for (const kind of calls.GetAccountAuthorizationDetails.kinds) expect(outcome.coverage[kind], kind).toMatchObject({ state: 'missing', reason: 'api_error' });
    expect(outcome.snapshot.resources.filter((r) => r.kind === 'aws.iam.user')).toEqual([]);
    expect(outcome.snapshot.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_API_ERROR', message: expect.stringContaining('iam:GetAccountAuthorizationDetails') }));
  });
});

describe('the credential report', () => {
  it('content that is not a credential report: one API error, not polled until the deadline', async () => {
    const outcome = await audit({ GetCredentialReport: always('shape:not-a-report') }, 'GetCredentialReport');
    note('GetCredentialReport × content not a report', outcome);
    expectNoFalsePass(outcome);
    expect(outcome.requests).toBe(1);
    expect(outcome.coverage['aws.iam.user']).toMatchObject({ state: 'partial', reason: 'api_error' });
  });

  it('an HTML 200 is asked for once, not polled until the deadline', async () => {
    const outcome = await audit({ GetCredentialReport: always('wire:html') }, 'GetCredentialReport', false);
    expect(outcome.requests).toBe(1);
    expect(outcome.ms).toBeLessThan(budget.reportTimeoutMs);
  });

  it('GenerateCredentialReport answering without a State is an API error at once, not polled', async () => {
    const outcome = await audit({ GenerateCredentialReport: always('shape:empty-result') }, 'GenerateCredentialReport');
    note('GenerateCredentialReport × empty <Result/>', outcome);
    expectNoFalsePass(outcome);
    expect(outcome.requests).toBe(1);
    expect(outcome.coverage['aws.account']).toMatchObject({ state: 'partial', reason: 'api_error' });
  });
});

describe('the whole endpoint broken', () => {
  it('nothing listening: ZT_COLLECT_UNREACHABLE at once (connection refused is not retried for long), the source contributes nothing', async () => {
    const closed = await startFakeIam(fakeData());
    const url = closed.url;
    await closed.close();
    const started = Date.now();
    const snapshot = await collectSnapshot([liveCollector(budget)], context(fakeEnv(url)));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(snapshot.resources).toEqual([]);
    expect(snapshot.issues).toEqual([expect.objectContaining({ severity: 'error', code: 'ZT_COLLECT_UNREACHABLE', message: expect.stringMatching(/AWS IAM could not be reached: cannot connect \(ECONNREFUSED\)/) })]);
  });

  it('STS does not answer AssumeRole: ZT_COLLECT_UNREACHABLE naming STS and the timeout, not a wait without end', async () => {
    const server = await startFakeIam(fakeData(), { faults: { AssumeRole: always('wire:hang') } });
    try {
      const snapshot = await collectSnapshot([liveCollector({ ...budget, roleArn: 'arn:aws:iam::111122223333:role/zt-audit' })], context(fakeEnv(server.url)));
      expect(snapshot.resources).toEqual([]);
      expect(snapshot.issues).toEqual([
        expect.objectContaining({ code: 'ZT_COLLECT_UNREACHABLE', message: expect.stringMatching(/AWS STS \(AssumeRole for arn:aws:iam::111122223333:role\/zt-audit\) could not be reached: no answer within 200 ms/) }),
      ]);
      expect(server.count('GetAccountAuthorizationDetails')).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('every call answered with a captive portal: nothing names the account, the source contributes nothing, exit 3', async () => {
    const everything = Object.fromEntries(
      ['GetAccountAuthorizationDetails', 'GenerateCredentialReport', 'GetCredentialReport', 'GetAccountPasswordPolicy', 'GetAccountSummary', 'ListVirtualMFADevices', 'ListOpenIDConnectProviders', 'ListSAMLProviders', 'ListAccountAliases'].map(
        (a) => [a, always('wire:html')],
      ),
    );
    const outcome = await audit(everything);
    note('every call × HTML 200', outcome);
    expect(outcome.snapshot.resources).toEqual([]);
    expect(outcome.snapshot.issues).toEqual([expect.objectContaining({ severity: 'error', code: 'ZT_COLLECT_API_ERROR', message: expect.stringMatching(/nothing could be read that names the account/) })]);
    expect(outcome.code).toBe(3);
  });
});
