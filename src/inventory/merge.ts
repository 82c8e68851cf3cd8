import { ZtError } from '../errors/zt-error.js';
import { worseCoverage } from '../model/coverage.js';
import type { KindCoverage } from '../model/coverage.js';
import type { SnapshotSource } from '../model/coverage.js';
import { laterAsOf } from './as-of.js';
import type { Kind } from './kinds/index.js';
import { SNAPSHOT_SCHEMA_VERSION, type Resource, type Snapshot } from './snapshot.js';

const sameInstant = (a: string | null, b: string | null): boolean => (a === null || b === null ? a === b : Date.parse(a) === Date.parse(b));

/**
 * Combines snapshots taken of different sources (say, one per collector) into one.
 * The result's collectedAt is the latest one; a kind's coverage is the worst reported.
 * `origins` names each snapshot (its file, or what was collected) for the conflict error,
 * which names both sides. Each source keeps its own as-of time: a source from a snapshot
 * written before zt recorded it gets its snapshot's collectedAt, written out when that
 * differs from the merged one (so its ages are still measured from its own time).
 */
export function mergeSnapshots(snapshots: readonly Snapshot[], origins: readonly string[] = []): Snapshot {
  if (snapshots.length === 1 && snapshots[0]) return snapshots[0];
  const byId = new Map<string, { resource: Resource; from: number }>();
  const coverage: Partial<Record<Kind, KindCoverage>> = {};
  const originOf = (index: number): string => origins[index] ?? `snapshot ${index + 1}`;
  let collectedAt: string | null = null;
  for (const snapshot of snapshots) collectedAt = laterAsOf(collectedAt, snapshot.collectedAt);
  const sources: SnapshotSource[] = [];
  for (const [index, snapshot] of snapshots.entries()) {
    for (const source of snapshot.sources) {
      sources.push(source.asOf === undefined && !sameInstant(snapshot.collectedAt, collectedAt) ? { ...source, asOf: snapshot.collectedAt } : source);
    }
    for (const resource of snapshot.resources) {
      const existing = byId.get(resource.id);
      if (existing && JSON.stringify(existing.resource) !== JSON.stringify(resource)) {
        const first = originOf(existing.from);
        const second = originOf(index);
        throw new ZtError(
          'ZT_SNAPSHOT_CONFLICT',
          first === second ? `resource "${resource.id}" appears twice with different contents in ${first}` : `resource "${resource.id}" differs between ${first} and ${second}`,
        );
      }
      if (!existing) byId.set(resource.id, { resource, from: index });
    }
    for (const [kind, entry] of Object.entries(snapshot.coverage) as [Kind, KindCoverage][]) {
      const current = coverage[kind];
      coverage[kind] = worseCoverage(current, entry);
    }
  }
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    sources,
    coverage,
    issues: snapshots.flatMap((s) => s.issues),
    resources: [...byId.values()].map((entry) => entry.resource),
  };
}
