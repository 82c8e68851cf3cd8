import { resolve } from 'node:path';
import { loadInputs, type InputSelection } from '../app/inputs.js';
import type { CommandOptions } from '../collectors/source-options.js';
import { snapshotFiles } from '../inventory/snapshot-folder.js';
import type { Snapshot } from '../inventory/snapshot.js';
import { checkAsOf, chosenCollectors, collectorContext, loadProjectConfig } from './collection.js';
import type { Io } from './io.js';
import { startProgress } from './progress.js';

/**
 * How `zt audit`, `zt access-review` and `zt network` read their inputs, in one place: the
 * project config, the chosen collectors and the run's network settings (a bad flag, proxy
 * or CA file is exit 2 before anything is read), the --as-of check, the progress line, and
 * the selection `loadInputs` takes (snapshots resolved against the working directory).
 */

/** The flags every reading command shares (a subset of audit's InputOptions). */
export interface InputFlags {
  readonly demo: boolean;
  readonly snapshots: readonly string[];
  readonly preferLatest: boolean;
  readonly config: string | undefined;
  readonly asOf: Date | undefined;
  readonly quiet: boolean;
  readonly sources: CommandOptions;
}

/**
 * Prepares the inputs the flags name and runs `use` with them and the progress line, which
 * is stopped afterwards whatever happens. `use` decides when they are read (`zt audit`
 * loads its rules first).
 */
export async function withInputs<T>(flags: InputFlags, io: Io, use: (selection: InputSelection, progress: (message: string) => void) => Promise<T>): Promise<T> {
  const config = await loadProjectConfig(flags.config, io);
  const { collectors, network } = await chosenCollectors(flags.sources, io);
  checkAsOf(flags.asOf, collectors, flags.snapshots);
  const progress = await startProgress(io, flags.quiet);
  const controller = new AbortController();
  const update = (message: string) => progress.update(message);
  try {
    return await use(
      {
        demo: flags.demo,
        snapshots: snapshotFiles(flags.snapshots.map((p) => resolve(io.cwd, p))),
        preferLatest: flags.preferLatest,
        collectors,
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
        context: collectorContext(io, update, controller.signal, config, network),
      },
      update,
    );
  } finally {
    progress.stop();
  }
}

/** The inputs the flags name, read and merged into one snapshot. */
export function readInputs(flags: InputFlags, io: Io): Promise<Snapshot> {
  return withInputs(flags, io, (selection, progress) => {
    progress('Reading inputs');
    return loadInputs(selection);
  });
}
