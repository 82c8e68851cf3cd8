import type { Snapshot } from './snapshot.js';

/** One source's part of a snapshot, and a file name for it. */
export interface SourceSnapshot {
  readonly fileName: string;
  readonly snapshot: Snapshot;
}

const safeName = (source: string): string => source.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'source';

/**
 * A snapshot cut into one snapshot per source (account, cluster, tenant): what `zt collect
 * --out-dir` writes, so a fan-out's pieces merge back with `zt audit --snapshot <dir>` and a
 * re-collected target replaces its own file. Each piece has the source's resources, its
 * coverage (the snapshot's where the source does not record its own) and its collector's
 * issues, and is dated by the source's own time.
 */
export function splitBySource(snapshot: Snapshot): SourceSnapshot[] {
  const used = new Set<string>();
  return snapshot.sources.map((source) => {
    let fileName = `${safeName(source.source)}.json`;
    for (let n = 2; used.has(fileName); n++) fileName = `${safeName(source.source)}-${n}.json`;
    used.add(fileName);
    const asOf = source.asOf === undefined ? snapshot.collectedAt : source.asOf;
    return {
      fileName,
      snapshot: {
        schemaVersion: snapshot.schemaVersion,
        collectedAt: asOf,
        sources: [source],
        coverage: { ...(snapshot.coverageBySource?.[source.source] ?? snapshot.coverage) },
        ...(snapshot.coverageBySource?.[source.source] ? { coverageBySource: { [source.source]: snapshot.coverageBySource[source.source]! } } : {}),
        // Its own issues; one without a source (a snapshot written before issues named theirs) goes with each source of its collector.
        issues: snapshot.issues.filter((issue) => (issue.source === undefined ? issue.collector === source.collector : issue.source === source.source)),
        resources: snapshot.resources.filter((r) => r.provenance.source === source.source),
      },
    };
  });
}
