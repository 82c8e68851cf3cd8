import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Collector, CollectorContext } from '../collectors/types.js';
import { ZtError } from '../errors/zt-error.js';
import { mergeSnapshots } from '../inventory/merge.js';
import { readSnapshotFile } from '../inventory/snapshot-file.js';
import type { Snapshot } from '../inventory/snapshot.js';
import { collectSnapshot } from './collect.js';

/** The bundled demo organisation: one snapshot file per source, merged. */
export const demoDir = fileURLToPath(new URL('../../fixtures/demo', import.meta.url));

export interface InputSelection {
  readonly demo: boolean;
  readonly snapshots: readonly string[];
  /** Live or offline collectors chosen by source flags. */
  readonly collectors?: readonly Collector[];
  readonly context?: CollectorContext;
}

export async function demoSnapshotFiles(): Promise<string[]> {
  const names = await readdir(demoDir);
  return names.filter((n) => n.endsWith('.json')).sort().map((n) => join(demoDir, n));
}

/** Reads the chosen snapshots and runs the chosen collectors, into one snapshot. */
export async function loadInputs(selection: InputSelection): Promise<Snapshot> {
  const files = [...(selection.demo ? await demoSnapshotFiles() : []), ...selection.snapshots];
  const collectors = selection.collectors ?? [];
  if (files.length === 0 && collectors.length === 0) {
    throw new ZtError('ZT_NO_SOURCE', 'no input given: nothing to audit');
  }
  const snapshots: Snapshot[] = [];
  for (const file of files) snapshots.push(await readSnapshotFile(file));
  if (collectors.length > 0) {
    if (!selection.context) throw new Error('collectors need a context');
    snapshots.push(await collectSnapshot(collectors, selection.context));
  }
  return mergeSnapshots(snapshots);
}
