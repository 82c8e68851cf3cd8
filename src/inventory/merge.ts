import { ZtError } from '../errors/zt-error.js';
import { worseCoverage } from '../model/coverage.js';
import type { KindCoverage } from '../model/coverage.js';
import type { SnapshotSource } from '../model/coverage.js';
import { compareStrings } from '../text/order.js';
import { laterAsOf } from './as-of.js';
import type { Kind } from './kinds/index.js';
import { isSharedFact } from './shared-facts.js';
import { SNAPSHOT_SCHEMA_VERSION, type Resource, type Snapshot } from './snapshot.js';

const sameInstant = (a: string | null, b: string | null): boolean => (a === null || b === null ? a === b : Date.parse(a) === Date.parse(b));
const sourceKey = (s: { readonly collector: string; readonly source: string }): string => `${s.collector}\u0000${s.source}`;

export interface MergeOptions {
  /** Each snapshot's name (its file, or what was collected), for the errors, which name both sides. */
  readonly origins?: readonly string[];
  /** The same source in several snapshots: keep the one taken last instead of refusing (--prefer-latest). */
  readonly preferLatest?: boolean;
}

/** A source's time in its snapshot: its own as-of, else (older snapshots) the snapshot's. */
const timeIn = (snapshot: Snapshot, source: SnapshotSource): string | null => (source.asOf === undefined ? snapshot.collectedAt : source.asOf);

/** The resources one source contributed to a snapshot. */
const resourcesOf = (snapshot: Snapshot, source: string): Resource[] => snapshot.resources.filter((r) => r.provenance.source === source);

/**
 * Which snapshot keeps each source that several snapshots hold (design §10: the same target
 * collected twice is a decision the user makes). Identical copies (the same file given
 * twice) are one; otherwise the run is refused naming both, unless --prefer-latest, which
 * keeps the copy taken last. Returns, per snapshot index, the sources it gives up.
 */
function settleDuplicateSources(snapshots: readonly Snapshot[], options: MergeOptions): Map<number, Set<string>> {
  const originOf = (index: number): string => options.origins?.[index] ?? `snapshot ${index + 1}`;
  const holders = new Map<string, { source: SnapshotSource; indexes: number[] }>();
  snapshots.forEach((snapshot, index) => {
    for (const source of snapshot.sources) {
      const key = sourceKey(source);
      const holder = holders.get(key) ?? { source, indexes: [] };
      if (!holder.indexes.includes(index)) holder.indexes.push(index);
      holders.set(key, holder);
    }
  });
  const dropped = new Map<number, Set<string>>();
  const drop = (index: number, source: string): void => {
    const set = dropped.get(index) ?? new Set<string>();
    set.add(source);
    dropped.set(index, set);
  };
  for (const { source, indexes } of holders.values()) {
    if (indexes.length < 2) continue;
    const copies = indexes.map((index) => {
      const snapshot = snapshots[index]!;
      const entry = snapshot.sources.find((s) => sourceKey(s) === sourceKey(source))!;
      return { index, time: timeIn(snapshot, entry), content: JSON.stringify(resourcesOf(snapshot, source.source)) };
    });
    const first = copies[0]!;
    if (copies.every((c) => c.content === first.content && sameInstant(c.time, first.time))) {
      for (const copy of copies.slice(1)) drop(copy.index, source.source);
      continue;
    }
    const names = copies.map((c) => originOf(c.index));
    if (!options.preferLatest) {
      throw new ZtError('ZT_SNAPSHOT_DUPLICATE_SOURCE', `${source.source} was collected more than once, with different contents: in ${names.join(' and ')}`);
    }
    const times = copies.map((c) => (c.time === null ? Number.NEGATIVE_INFINITY : Date.parse(c.time)));
    const latest = Math.max(...times);
    const winners = copies.filter((_, i) => times[i] === latest);
    if (winners.length > 1 || latest === Number.NEGATIVE_INFINITY) {
      throw new ZtError(
        'ZT_SNAPSHOT_DUPLICATE_SOURCE',
        `${source.source} was collected more than once, with different contents, and --prefer-latest cannot tell which is later: ${winners.map((w) => originOf(w.index)).join(' and ')} are ${latest === Number.NEGATIVE_INFINITY ? 'undated' : 'of the same time'}`,
      );
    }
    for (const copy of copies) if (copy !== winners[0]) drop(copy.index, source.source);
  }
  return dropped;
}

/**
 * Combines snapshots taken of different sources (one per collector, account, cluster or
 * tenant) into one. The result's collectedAt is the latest one; a kind's coverage is the
 * worst reported. Each source keeps its own as-of time: a source from a snapshot written
 * before zt recorded it gets its snapshot's collectedAt, written out when that differs from
 * the merged one (so its ages are still measured from its own time).
 *
 * A resource id is one fact: the same id with other contents in two inputs is refused,
 * except for facts shared by targets (an AWS-managed policy seen from several accounts,
 * shared-facts.ts), which are one resource: the copy from the latest source.
 */
export function mergeSnapshots(snapshots: readonly Snapshot[], options: MergeOptions | readonly string[] = {}): Snapshot {
  const settings: MergeOptions = Array.isArray(options) ? { origins: options as readonly string[] } : (options as MergeOptions);
  if (snapshots.length === 1 && snapshots[0]) return snapshots[0];
  const originOf = (index: number): string => settings.origins?.[index] ?? `snapshot ${index + 1}`;
  const dropped = settleDuplicateSources(snapshots, settings);
  const byId = new Map<string, { resource: Resource; from: number; time: string | null }>();
  const coverage: Partial<Record<Kind, KindCoverage>> = {};
  let collectedAt: string | null = null;
  for (const snapshot of snapshots) collectedAt = laterAsOf(collectedAt, snapshot.collectedAt);
  const sources: SnapshotSource[] = [];
  // Kept only when every input says what each of its sources read.
  const coverageBySource: Record<string, Partial<Record<Kind, KindCoverage>>> = {};
  let allPerSource = true;
  for (const [index, snapshot] of snapshots.entries()) {
    const gone = dropped.get(index) ?? new Set<string>();
    const kept = snapshot.sources.filter((s) => !gone.has(s.source));
    const timeOf = new Map(snapshot.sources.map((s) => [s.source, timeIn(snapshot, s)]));
    for (const source of kept) {
      sources.push(source.asOf === undefined && !sameInstant(snapshot.collectedAt, collectedAt) ? { ...source, asOf: snapshot.collectedAt } : source);
    }
    for (const resource of snapshot.resources) {
      if (gone.has(resource.provenance.source)) continue;
      const time = timeOf.get(resource.provenance.source) ?? snapshot.collectedAt;
      const existing = byId.get(resource.id);
      if (!existing) {
        byId.set(resource.id, { resource, from: index, time });
        continue;
      }
      if (JSON.stringify(existing.resource) === JSON.stringify(resource)) continue;
      if (isSharedFact(existing.resource) && isSharedFact(resource)) {
        // One fact seen from several targets: the latest view of it, and the same one whatever the input order.
        const later = laterAsOf(existing.time, time) !== existing.time || (sameInstant(existing.time, time) && compareStrings(resource.provenance.source, existing.resource.provenance.source) < 0);
        if (later) byId.set(resource.id, { resource, from: index, time });
        continue;
      }
      const first = originOf(existing.from);
      const second = originOf(index);
      throw new ZtError(
        'ZT_SNAPSHOT_CONFLICT',
        first === second ? `resource "${resource.id}" appears twice with different contents in ${first}` : `resource "${resource.id}" differs between ${first} and ${second}`,
      );
    }
    // A snapshot that gave up a source: its coverage without that source, where it says
    // per source what each read (else the snapshot's, which can only be the worse for it).
    // A snapshot of one source says what that source read in its coverage alone.
    const only = snapshot.sources.length === 1 ? (snapshot.sources[0] as SnapshotSource) : undefined;
    const own = snapshot.coverageBySource ?? (only ? { [only.source]: snapshot.coverage } : undefined);
    const perSource = own !== undefined && snapshot.sources.every((s) => own[s.source] !== undefined);
    if (perSource) for (const source of kept) coverageBySource[source.source] = own[source.source]!;
    else allPerSource = false;
    const entries = gone.size > 0 && perSource ? kept.flatMap((s) => Object.entries(own[s.source] ?? {})) : gone.size > 0 && kept.length === 0 ? [] : Object.entries(snapshot.coverage);
    for (const [kind, entry] of entries as [Kind, KindCoverage][]) coverage[kind] = worseCoverage(coverage[kind], entry);
  }
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    sources,
    coverage,
    ...(allPerSource ? { coverageBySource } : {}),
    // Once each: a collector's issues go with each of its sources when `--out-dir` splits a
    // snapshot (issues do not name their source), and come back once per file.
    issues: [
      ...new Map(
        snapshots
          .flatMap((s, index) => ((dropped.get(index)?.size ?? 0) > 0 && s.sources.every((x) => dropped.get(index)?.has(x.source)) ? [] : s.issues))
          .map((issue) => [JSON.stringify(issue), issue] as const),
      ).values(),
    ],
    resources: [...byId.values()].map((entry) => entry.resource),
  };
}
