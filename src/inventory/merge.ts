import { ZtError } from '../errors/zt-error.js';
import { worseCoverage } from '../model/coverage.js';
import type { KindCoverage } from '../model/coverage.js';
import type { Kind } from './kinds/index.js';
import { SNAPSHOT_SCHEMA_VERSION, type Resource, type Snapshot } from './snapshot.js';

/**
 * Combines snapshots taken of different sources (say, one per collector) into one.
 * The result's collectedAt is the latest one; a kind's coverage is the worst reported.
 */
export function mergeSnapshots(snapshots: readonly Snapshot[]): Snapshot {
  if (snapshots.length === 1 && snapshots[0]) return snapshots[0];
  const byId = new Map<string, Resource>();
  const coverage: Partial<Record<Kind, KindCoverage>> = {};
  let collectedAt = '';
  for (const snapshot of snapshots) {
    if (snapshot.collectedAt > collectedAt) collectedAt = snapshot.collectedAt;
    for (const resource of snapshot.resources) {
      const existing = byId.get(resource.id);
      if (existing && JSON.stringify(existing) !== JSON.stringify(resource)) {
        throw new ZtError('ZT_SNAPSHOT_CONFLICT', `resource "${resource.id}" differs between two snapshots`);
      }
      byId.set(resource.id, resource);
    }
    for (const [kind, entry] of Object.entries(snapshot.coverage) as [Kind, KindCoverage][]) {
      const current = coverage[kind];
      coverage[kind] = worseCoverage(current, entry);
    }
  }
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    sources: snapshots.flatMap((s) => s.sources),
    coverage,
    issues: snapshots.flatMap((s) => s.issues),
    resources: [...byId.values()],
  };
}
