import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZtError } from '../errors/zt-error.js';
import { mergeSnapshots } from '../inventory/merge.js';
import { readSnapshotFile } from '../inventory/snapshot-file.js';
import type { Snapshot } from '../inventory/snapshot.js';

/** The bundled demo organisation: one snapshot file per source, merged. */
export const demoDir = fileURLToPath(new URL('../../fixtures/demo', import.meta.url));

export interface InputSelection {
  readonly demo: boolean;
  readonly snapshots: readonly string[];
}

export async function demoSnapshotFiles(): Promise<string[]> {
  const names = await readdir(demoDir);
  return names.filter((n) => n.endsWith('.json')).sort().map((n) => join(demoDir, n));
}

/** Reads the chosen offline inputs into one snapshot. */
export async function loadInputs(selection: InputSelection): Promise<Snapshot> {
  const files = [...(selection.demo ? await demoSnapshotFiles() : []), ...selection.snapshots];
  if (files.length === 0) {
    throw new ZtError('ZT_NO_SOURCE', 'no input given: nothing to audit');
  }
  const snapshots: Snapshot[] = [];
  for (const file of files) snapshots.push(await readSnapshotFile(file));
  return mergeSnapshots(snapshots);
}
