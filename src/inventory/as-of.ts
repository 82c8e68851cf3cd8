import type { CollectionIssue, SnapshotSource } from '../model/coverage.js';
import type { Resource, Snapshot } from './snapshot.js';

/**
 * The time one source's facts hold at (design §10, time comes from evidence): what a
 * rule's `now` is for the resources of that source, and what their ages are measured
 * from. One object per source, shared by its resources, so callers can keep what they
 * derive from it (a Date, remembered outcomes) by identity.
 */
export interface SourceTime {
  /** The as-of instant; null when the source does not say when it was taken (and no --as-of was given). */
  readonly at: Date | null;
  /** The same as an ISO string, as recorded (null when unknown). */
  readonly iso: string | null;
  /** How messages name the source, e.g. `okta:acme.okta.com`. */
  readonly label: string;
}

const keyOf = (collector: string, source: string): string => `${collector}\u0000${source}`;

/** A source's as-of as recorded: its own, else (snapshots written before zt recorded it) the snapshot's time. */
export function sourceAsOf(source: SnapshotSource, snapshot: Pick<Snapshot, 'collectedAt'>): string | null {
  return source.asOf === undefined ? snapshot.collectedAt : source.asOf;
}

/** The later of two as-of times, a known one winning over null. */
export function laterAsOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function sourceTime(iso: string | null, label: string): SourceTime {
  return Object.freeze({ at: iso === null ? null : new Date(iso), iso, label });
}

/**
 * Each resource's source time, resolved once per source: by the resource's provenance
 * (collector and source) among the snapshot's sources. A source listed twice (two
 * snapshots of it merged) has the later of its times. A resource no source lists, and
 * every resource of a snapshot without sources, has the snapshot's collectedAt.
 */
export class SourceTimes {
  /** By collector, then source. */
  private readonly byCollector = new Map<string, Map<string, SourceTime>>();
  /** By source alone (what a principal of the access review knows), the later time when collectors share one. */
  private readonly bySource = new Map<string, SourceTime>();
  private readonly fallback: SourceTime;
  // The last lookup: resources come in runs of one source, so most lookups are two string compares.
  private lastCollector: string | undefined;
  private lastSource: string | undefined;
  private last: SourceTime | undefined;

  constructor(snapshot: Pick<Snapshot, 'collectedAt' | 'sources'>) {
    const times = new Map<string, { iso: string | null; label: string }>();
    for (const source of snapshot.sources) {
      const key = keyOf(source.collector, source.source);
      const iso = sourceAsOf(source, snapshot);
      const seen = times.get(key);
      times.set(key, { iso: seen ? laterAsOf(seen.iso, iso) : iso, label: source.source });
    }
    for (const source of snapshot.sources) {
      const entry = times.get(keyOf(source.collector, source.source));
      let bySource = this.byCollector.get(source.collector);
      if (!bySource) this.byCollector.set(source.collector, (bySource = new Map<string, SourceTime>()));
      if (entry && !bySource.has(source.source)) bySource.set(source.source, sourceTime(entry.iso, entry.label));
      const named = this.bySource.get(source.source);
      if (entry && (!named || laterAsOf(named.iso, entry.iso) !== named.iso)) this.bySource.set(source.source, sourceTime(entry.iso, entry.label));
    }
    this.fallback = sourceTime(snapshot.collectedAt, 'the snapshot');
  }

  /** The time of a source by its name (`aws:111122223333`); the snapshot's time for a name no source has. */
  ofSource(source: string): SourceTime {
    return this.bySource.get(source) ?? this.fallback;
  }

  /** The time of the resource's source. */
  of(resource: Resource): SourceTime {
    const { collector, source } = resource.provenance;
    if (this.last !== undefined && source === this.lastSource && collector === this.lastCollector) return this.last;
    const time = this.byCollector.get(collector)?.get(source) ?? this.fallback;
    this.lastCollector = collector;
    this.lastSource = source;
    this.last = time;
    return time;
  }
}

/**
 * `--as-of`: dates every source whose time is unknown (offline input that does not record
 * when it was taken, collected now or read back from a snapshot) at `asOf`. Sources with a
 * time of their own keep it. The snapshot's collectedAt becomes the latest time again; a
 * source of an older snapshot (no asOf of its own) is pinned to its time when that moves.
 */
export function dateUnknownSources(snapshot: Snapshot, asOf: string): Snapshot {
  if (!snapshot.sources.some((s) => sourceAsOf(s, snapshot) === null) && snapshot.collectedAt !== null) return snapshot;
  const collectedAt = laterAsOf(snapshot.collectedAt, asOf);
  const sources = snapshot.sources.map((source): SnapshotSource => {
    const own = sourceAsOf(source, snapshot);
    if (own === null) return { ...source, asOf };
    return source.asOf === undefined && collectedAt !== snapshot.collectedAt ? { ...source, asOf: own } : source;
  });
  return { ...snapshot, collectedAt, sources };
}

/**
 * The sources whose time is unknown, each once: a source listed twice (two snapshots of it
 * merged) is unknown only if every listing is, as SourceTimes resolves it.
 */
export function undatedSources(snapshot: Pick<Snapshot, 'collectedAt' | 'sources'>): SnapshotSource[] {
  const known = new Set<string>();
  for (const s of snapshot.sources) if (sourceAsOf(s, snapshot) !== null) known.add(keyOf(s.collector, s.source));
  const seen = new Set<string>();
  return snapshot.sources.filter((s) => {
    const key = keyOf(s.collector, s.source);
    if (known.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The code of the warning that a source's time is unknown. */
export const AS_OF_UNKNOWN = 'ZT_AS_OF_UNKNOWN';

/**
 * One warning per source that contributed resources and whose time is unknown: its ages
 * cannot be measured, so the rules that read `now` are not evaluated on its resources
 * (engine/unknown-reads.ts). Derived from sources[].asOf, never collected: the ones a
 * snapshot already holds are replaced, so a snapshot dated later with --as-of loses them.
 * They come first, in the order of the sources.
 */
export function noteUnknownTimes(snapshot: Snapshot): Snapshot {
  const undated = undatedSources(snapshot);
  const stale = snapshot.issues.some((i) => i.code === AS_OF_UNKNOWN);
  if (undated.length === 0 && !stale) return snapshot;
  const withResources = new Set<string>();
  if (undated.length > 0) for (const r of snapshot.resources) withResources.add(keyOf(r.provenance.collector, r.provenance.source));
  const notes: CollectionIssue[] = [];
  for (const source of undated) {
    if (!withResources.has(keyOf(source.collector, source.source))) continue;
    notes.push({
      collector: source.collector,
      severity: 'warning',
      code: AS_OF_UNKNOWN,
      message:
        `${source.source}: the input does not say when it was taken, so ages cannot be measured from it: ` +
        'the rules that compare a time with now are not evaluated on its resources. Give --as-of <date-time>, the time the input was exported',
      kinds: [],
    });
  }
  return { ...snapshot, issues: [...notes, ...snapshot.issues.filter((i) => i.code !== AS_OF_UNKNOWN)] };
}
