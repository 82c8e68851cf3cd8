import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { Snapshot } from '../../src/inventory/snapshot.js';
import { tempTree } from './temp.js';

// What the Okta and Entra fault matrices (test/collectors/{okta,entra}/fault-matrix.test.ts)
// share: running many cases side by side, auditing a snapshot in process with the bundled
// rules, and the verdict checks every faulted run must pass against the clean run.

export interface MatrixReport {
  findings: { ruleId: string; status: string; resource: { id: string } }[];
  ruleResults: { ruleId: string; status: string; coverage: string; notEvaluatedReason?: string; counts: Record<string, number> }[];
}

export interface Audited {
  readonly code: number;
  readonly report: MatrixReport;
  /** Everything the audit wrote (report and stderr). */
  readonly text: string;
}

/** Runs at most `limit` tasks at once, in the order they were handed in. */
export function pool(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * `zt audit --snapshot` in process (JSON, --fail-on none) at a fixed time. Audits are the
 * costly part of a matrix, and most faults of one path leave the same snapshot but for the
 * wording of issues and coverage details, which no verdict or exit code reads: snapshots
 * equal in resources (`local` takes out what differs per run, such as the fake's port),
 * coverage states, reasons and unknown fields, and issue codes, severities and kinds share
 * one audit. Their texts are checked for credentials by the caller, which holds all the
 * audit can repeat.
 */
export function auditor(now: Date, local: (text: string) => string): (snapshot: Snapshot) => Promise<Audited> {
  const dir = tempTree({});
  const done = new Map<string, Promise<Audited>>();
  let n = 0;
  return (snapshot) => {
    const key = local(
      JSON.stringify({
        resources: snapshot.resources,
        coverage: Object.entries(snapshot.coverage).map(([kind, c]) => [kind, c?.state, c?.reason, c?.unknownFields]),
        issues: snapshot.issues.map((i) => [i.collector, i.severity, i.code, i.kinds]),
      }),
    );
    let audited = done.get(key);
    if (!audited) {
      audited = (async () => {
        const file = join(dir, `snapshot-${++n}.json`);
        writeFileSync(file, JSON.stringify(snapshot));
        const io = memoryIo({ env: {}, now: () => now });
        const code = await run(['audit', '--snapshot', file, '-f', 'json', '--fail-on', 'none'], io);
        return { code, report: JSON.parse(io.out()) as MatrixReport, text: `${io.out()}\n${io.err()}` };
      })();
      done.set(key, audited);
    }
    return audited;
  };
}

/**
 * Verdicts a fault must not produce, compared with the clean run: (a) a failure on a
 * resource that was read turning into anything but a failure, an error (a fact it reads is
 * unknown) or no finding under a rule that was not evaluated; a rule that did not pass
 * passing; (b) a rule whose verdict changed while saying its data was complete and known.
 * `local` maps a resource id to one without what differs per run.
 */
export function falseVerdicts(clean: MatrixReport, now: MatrixReport, read: ReadonlySet<string>, local: (id: string) => string): string[] {
  const key = (f: { ruleId: string; resource: { id: string } }): string => `${f.ruleId} ${local(f.resource.id)}`;
  const cleanStatus = new Map(clean.ruleResults.map((r) => [r.ruleId, r.status]));
  const ruleNow = new Map(now.ruleResults.map((r) => [r.ruleId, r]));
  const findingNow = new Map(now.findings.map((f) => [key(f), f.status]));
  const turned = clean.findings
    .filter((f) => f.status === 'fail' && read.has(local(f.resource.id)))
    .filter((f) => {
      const status = findingNow.get(key(f));
      return status === undefined ? ruleNow.get(f.ruleId)?.status !== 'not_evaluated' : status !== 'fail' && status !== 'error';
    })
    .map((f) => `(a) ${key(f)}: fail → ${findingNow.get(key(f)) ?? 'no finding'}`);
  const passed = now.ruleResults.filter((r) => r.status === 'pass' && cleanStatus.get(r.ruleId) !== 'pass').map((r) => `(a) ${r.ruleId}: ${cleanStatus.get(r.ruleId)} → pass`);
  const unexplained = now.ruleResults
    .filter((r) => r.status !== cleanStatus.get(r.ruleId))
    .filter((r) => r.coverage === 'complete' && r.notEvaluatedReason === undefined && !(r.counts.unknown ?? 0))
    .map((r) => `(b) ${r.ruleId}: ${cleanStatus.get(r.ruleId)} → ${r.status} on complete, known data`);
  return [...turned, ...passed, ...unexplained];
}

/**
 * Starts every case of a fault matrix at once, `limit` at a time, the slow ones (timeouts,
 * back-offs, retries) first so that none is left running alone at the end; each test awaits
 * its own by key (`<path> <fault>`). A fault a retry gets through must leave the snapshot as
 * on the intact system, and the audit is a function of the snapshot, so those are collected
 * without an audit (`collect(faults, false)`).
 */
export function startCases<F, T>(
  paths: readonly string[],
  lasting: readonly (readonly [string, (path: string) => F, ...unknown[]])[],
  passing: readonly (readonly [string, (path: string) => F])[],
  collect: (faults: F, audit?: boolean) => Promise<T>,
  limit = 24,
): Map<string, Promise<T>> {
  const run = pool(limit);
  const longest = [/no answer$/, /500 for good/, /429 for good/, /reset|truncated|one 429|beyond/];
  const order = (key: string): number => {
    const i = longest.findIndex((slow) => slow.test(key));
    return i === -1 ? longest.length : i;
  };
  const cases = [
    ...paths.flatMap((path) => lasting.map(([what, faults]) => [`${path} ${what}`, () => collect(faults(path))] as const)),
    ...paths.flatMap((path) => passing.map(([what, faults]) => [`${path} ${what}`, () => collect(faults(path), false)] as const)),
  ].sort(([a], [b]) => order(a) - order(b));
  const outcomes = new Map(cases.map(([key, task]) => [key, run(task)]));
  for (const outcome of outcomes.values()) outcome.catch(() => undefined); // reported by its own test
  return outcomes;
}
