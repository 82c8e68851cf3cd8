import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pluginDemoSnapshots } from '../inventory/plugin-demo.js';
import type { Collector, CollectorContext } from '../collectors/types.js';
import { ZtError } from '../errors/zt-error.js';
import { dateUnknownSources, noteUnknownTimes } from '../inventory/as-of.js';
import { mergeSnapshots } from '../inventory/merge.js';
import { readSnapshotFile } from '../inventory/snapshot-file.js';
import type { Snapshot } from '../inventory/snapshot.js';
import { collectSnapshot } from './collect.js';
import { readAhead } from '../inventory/read-ahead.js';

/** The bundled demo organisation: one snapshot file per source, merged. */
export const demoDir = fileURLToPath(new URL('../../fixtures/demo', import.meta.url));

export interface InputSelection {
  readonly demo: boolean;
  readonly snapshots: readonly string[];
  /** The same source in several inputs: keep its latest copy (--prefer-latest) instead of refusing. */
  readonly preferLatest?: boolean;
  /** Live or offline collectors chosen by source flags. */
  readonly collectors?: readonly Collector[];
  readonly context?: CollectorContext;
  /** --as-of: the time of every source that does not say when it was taken (offline collectors' input, and such sources of the snapshots). */
  readonly asOf?: Date;
  /** Snapshot files whose reading has already started (prefetchSnapshots), by path; loadInputs takes them out as it reads them. */
  readonly prefetched?: Map<string, Promise<Buffer>>;
}

/**
 * Starts reading the snapshot files while rules load (those not already being read, see
 * inventory/read-ahead.ts). Nothing is parsed or reported until loadInputs runs, after the rules.
 */
export function prefetchSnapshots(selection: InputSelection): InputSelection {
  // The same map, not a copy: loadInputs takes each file's bytes out of it once parsed, so
  // nobody holding the map (the CLI started the reads) keeps an 80 MB buffer alive.
  return { ...selection, prefetched: readAhead(selection.snapshots, selection.prefetched ?? new Map<string, Promise<Buffer>>()) };
}

export async function demoSnapshotFiles(): Promise<string[]> {
  const names = await readdir(demoDir);
  // The configured plugins' demo data joins zt's (docs/plugins.md).
  return [...names.filter((n) => n.endsWith('.json')).sort().map((n) => join(demoDir, n)), ...pluginDemoSnapshots()];
}

/** A prefetched file's bytes, taken out of the selection so they are not kept once parsed. */
function takePrefetched(selection: InputSelection, file: string): Promise<Buffer> | undefined {
  const bytes = selection.prefetched?.get(file);
  selection.prefetched?.delete(file);
  return bytes;
}

/**
 * Reads the chosen snapshots and runs the chosen collectors, into one snapshot. Each source
 * keeps its own as-of time; --as-of dates those whose time is unknown, and each source still
 * unknown gets a warning (inventory/as-of.ts).
 */
export async function loadInputs(selection: InputSelection): Promise<Snapshot> {
  const files = [...(selection.demo ? await demoSnapshotFiles() : []), ...selection.snapshots];
  const collectors = selection.collectors ?? [];
  if (files.length === 0 && collectors.length === 0) {
    throw new ZtError('ZT_NO_SOURCE', 'no input given: nothing to audit');
  }
  const snapshots: Snapshot[] = [];
  for (const file of files) snapshots.push(await readSnapshotFile(file, takePrefetched(selection, file)));
  const origins: string[] = [...files];
  if (collectors.length > 0) {
    if (!selection.context) throw new Error('collectors need a context');
    snapshots.push(await collectSnapshot(collectors, selection.context));
    origins.push(`what was collected (${collectors.map((c) => c.description).join(', ')})`);
  }
  const merged = mergeSnapshots(snapshots, { origins, preferLatest: selection.preferLatest === true });
  return noteUnknownTimes(selection.asOf ? dateUnknownSources(merged, selection.asOf.toISOString()) : merged);
}
