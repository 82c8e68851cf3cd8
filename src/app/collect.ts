import { DEFAULT_PARALLEL } from '../collectors/network.js';
import type { Collector, CollectorContext, CollectorOutput } from '../collectors/types.js';
import { isZtError } from '../errors/zt-error.js';
import type { Kind } from '../inventory/kinds/index.js';
import { laterAsOf } from '../inventory/as-of.js';
import { SNAPSHOT_SCHEMA_VERSION, type Resource, type Snapshot } from '../inventory/snapshot.js';
import { validateResource } from '../inventory/validate.js';
import { worseCoverage } from '../model/coverage.js';
import type { CollectionIssue, KindCoverage, SnapshotSource } from '../model/coverage.js';

/**
 * The source as the snapshot records it, dated (design §10, time comes from evidence):
 * the time its input records (a credential report's GeneratedTime, an export's
 * exportedAt), else for a live source the moment collection started, else null: unknown
 * until --as-of dates it (inventory/as-of.ts). Always in UTC.
 */
function dated(source: SnapshotSource, context: CollectorContext): SnapshotSource {
  const own = source.asOf ?? (source.mode === 'live' ? context.now.toISOString() : null);
  return { collector: source.collector, source: source.source, mode: source.mode, ...(source.plugin ? { plugin: source.plugin } : {}), asOf: own === null ? null : new Date(own).toISOString() };
}

/** The issue with its target, `source` right after `collector` (key order is part of the bytes a snapshot is). */
function withSource(issue: CollectionIssue, source: string): CollectionIssue {
  const { collector, ...rest } = issue;
  return { collector, source, ...rest };
}

/** Coverage by kind name, so the same collection writes the same bytes. */
function sortedCoverage(coverage: Partial<Record<Kind, KindCoverage>>): Partial<Record<Kind, KindCoverage>> {
  return Object.fromEntries(Object.entries(coverage).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Two coverage maps of one source as one: the worse entry per kind. */
function worseEach(a: Partial<Record<Kind, KindCoverage>> | undefined, b: Partial<Record<Kind, KindCoverage>>): Partial<Record<Kind, KindCoverage>> {
  if (!a) return b;
  const out = { ...a };
  for (const [kind, entry] of Object.entries(b) as [Kind, KindCoverage][]) out[kind] = worseCoverage(out[kind], entry);
  return sortedCoverage(out);
}

/**
 * `run` over every item, at most `limit` at once; `run` may hand back more items (the
 * members a collector found), which join the same queue. Results come out in a fixed
 * order whatever finished first: each item, then the items it added (depth first).
 * A worker takes the next item as soon as it is free, so one slow target does not hold up
 * a batch.
 */
async function inPool<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<{ result: R; more: readonly T[] }>): Promise<R[]> {
  interface Node {
    readonly item: T;
    result?: R;
    children: Node[];
  }
  const roots: Node[] = items.map((item) => ({ item, children: [] }));
  const queue: Node[] = [...roots];
  let next = 0;
  let busy = 0;
  let wake: (() => void) | undefined;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (next >= queue.length) {
        // Nothing queued: done unless a running item may still add some.
        if (busy === 0) {
          wake?.();
          return;
        }
        await new Promise<void>((resolve) => {
          const previous = wake;
          wake = () => {
            previous?.();
            resolve();
          };
        });
        continue;
      }
      const node = queue[next++] as Node;
      busy++;
      try {
        const { result, more } = await run(node.item);
        node.result = result;
        node.children = more.map((item) => ({ item, children: [] }));
        queue.push(...node.children);
      } finally {
        busy--;
        const waiting = wake;
        wake = undefined;
        waiting?.();
      }
    }
  };
  // As many workers as the limit: members found later need them even when the first items are few.
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  const out: R[] = [];
  const walk = (nodes: readonly Node[]): void => {
    for (const node of nodes) {
      out.push(node.result as R);
      walk(node.children);
    }
  };
  walk(roots);
  return out;
}

/**
 * Runs the chosen collectors concurrently (at most `--parallel` at once) and assembles one snapshot. A collector that
 * fails outright becomes an error issue (its source then contributes no resources and
 * the audit is incomplete, exit 3); it never stops the others. Every resource is
 * checked against its kind's schema, so a mapping bug cannot reach the rules silently.
 *
 * This is the collector boundary for server-supplied text: every issue message, coverage
 * detail and progress line, and every error that leaves a collector, passes the run's
 * redaction step (`context.redactor`, text/redact.ts) here, after all collectors have
 * registered their credentials — whatever a server echoed, and wherever a collector put it.
 */
export async function collectSnapshot(collectors: readonly Collector[], context: CollectorContext): Promise<Snapshot> {
  const { redactor } = context;
  const bounded: CollectorContext = { ...context, progress: (message) => context.progress(redactor.redact(message)) };
  // Each output with the collector that made it (members join the pool as their parent finds them).
  const done = await inPool(collectors, context.network.parallel ?? DEFAULT_PARALLEL, async (collector) => {
    const output = await collectOne(collector);
    return { result: { collector, output }, more: output.members ?? [] };
  });
  const outputs = done.map((d) => d.output);
  const ran = done.map((d) => d.collector);
  async function collectOne(collector: Collector): Promise<CollectorOutput> {
      try {
        return await collector.collect(bounded);
      } catch (error) {
        if (context.signal.aborted) throw redactor.redactError(error);
        // Bad input the user gave (an unreadable export, a malformed file) is exit 2, not a gap.
        if (isZtError(error) && error.exitClass === 'usage') throw redactor.redactError(error);
        const expected = isZtError(error);
        // A bug in zt (exit 4): its stack helps the report of it, under --debug only and redacted.
        if (!expected && context.debug && error instanceof Error && error.stack) context.debug(`${redactor.redact(`${collector.id} crashed: ${error.stack}`)}\n`);
        return {
          source: { collector: collector.id, source: collector.target ?? collector.description, mode: collector.mode ?? 'live' },
          resources: [],
          coverage: {},
          issues: [
            {
              collector: collector.id,
              severity: 'error',
              code: expected ? error.code : 'ZT_COLLECT_CRASHED',
              message: expected ? `${error.message} (${error.hint})` : `collector failed unexpectedly: ${(error as Error).message ?? String(error)}`,
              kinds: [],
            },
          ],
        };
      }
  }
  const resources: Resource[] = [];
  const issues: CollectionIssue[] = [];
  const coverage: Partial<Record<Kind, KindCoverage>> = {};
  const sources: SnapshotSource[] = [];
  const coverageBySource: Record<string, Partial<Record<Kind, KindCoverage>>> = {};
  let collectedAt: string | null = null;
  // Two credentials can reach one target (two profiles of one account, two contexts of one
  // cluster): it is collected once, by the first in the order given, and said so.
  const collectedBy = new Map<string, string>();
  for (const [index, output] of outputs.entries()) {
    const by = (ran[index] as Collector).description;
    const first = output.resources.length > 0 || Object.keys(output.coverage).length > 0 ? collectedBy.get(output.source.source) : undefined;
    if (first !== undefined) {
      issues.push({
        collector: output.source.collector,
        source: output.source.source,
        severity: 'info',
        code: 'ZT_COLLECT_DUPLICATE_TARGET',
        message: `${by} reached ${output.source.source}, which ${first} already collected: it is audited once, from ${first}`,
        kinds: [],
      });
      continue;
    }
    if (output.resources.length > 0 || Object.keys(output.coverage).length > 0) collectedBy.set(output.source.source, by);
    // Each source's own coverage (kept on the source, design §10 targets), then the
    // snapshot's: the worst over the sources.
    const own: Partial<Record<Kind, KindCoverage>> = { ...output.coverage };
    // Each issue names its target, so a report of 30 clusters says which one failed.
    const target = output.source.source;
    for (const issue of output.issues) issues.push(issue.source === undefined ? withSource(issue, target) : issue);
    for (const resource of output.resources) {
      const checked = validateResource(resource, resource.id);
      if (checked.ok) resources.push(checked.resource);
      else {
        const problem = checked.problems[0];
        issues.push({
          collector: output.source.collector,
          source: target,
          severity: 'error',
          code: 'ZT_COLLECT_MALFORMED',
          message: `dropped ${resource.kind} ${resource.id}: ${problem?.path}: ${problem?.message} (a bug in the collector's mapping)`,
          kinds: [resource.kind],
        });
        const current = own[resource.kind];
        if (!current || current.state === 'complete') own[resource.kind] = { state: 'partial', reason: 'api_error' };
      }
    }
    for (const [kind, entry] of Object.entries(own) as [Kind, KindCoverage][]) {
      const redacted = entry.detail !== undefined ? { ...entry, detail: redactor.redact(entry.detail) } : entry;
      own[kind] = redacted;
      coverage[kind] = worseCoverage(coverage[kind], redacted);
    }
    const source = dated(output.source, context);
    collectedAt = laterAsOf(collectedAt, source.asOf ?? null);
    sources.push(source);
    coverageBySource[source.source] = worseEach(coverageBySource[source.source], sortedCoverage(own));
  }
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    // The latest of the sources' times: the collection's start when a source is live,
    // else the newest offline input's own time (so the same files give the same snapshot);
    // null when no source says (--as-of dates them in loadInputs).
    collectedAt,
    sources,
    coverage,
    coverageBySource,
    issues: issues.map((issue) => ({ ...issue, message: redactor.redact(issue.message) })),
    resources,
  };
}
