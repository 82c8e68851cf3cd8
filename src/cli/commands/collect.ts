import { resolve } from 'node:path';
import { collectionGaps, describeGaps, hasGaps } from '../../app/completeness.js';
import { loadInputs } from '../../app/inputs.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { ZtError } from '../../errors/zt-error.js';
import { writeSnapshotFile } from '../../inventory/snapshot-file.js';
import { chosenCollectors, collectorContext, loadProjectConfig } from '../collection.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { checkWritable } from '../output-plan.js';
import { startProgress } from '../progress.js';

/** `zt collect … --out snap.json`: read the sources now, audit later with --snapshot. */
export async function runCollect(options: CommandOptions, io: Io): Promise<number> {
  // --out is a required option: commander refuses the command without it.
  const out = resolve(io.cwd, options.string('out') ?? '');
  await checkWritable([{ format: 'json', path: out }]);
  const config = await loadProjectConfig(options.string('config'), io);
  const collectors = await chosenCollectors(options, io);
  if (collectors.length === 0) {
    throw new ZtError('ZT_NO_SOURCE', 'no source chosen: nothing to collect', {
      hint: 'Choose a source, e.g. --kubernetes or --manifests <dir> (see `zt collect --help`).',
    });
  }
  const progress = await startProgress(io, options.flag('quiet'));
  const controller = new AbortController();
  let snapshot;
  try {
    snapshot = await loadInputs({ demo: false, snapshots: [], collectors, context: collectorContext(io, (m) => progress.update(m), controller.signal, config) });
  } finally {
    progress.stop();
  }
  await writeSnapshotFile(out, snapshot);
  const errors = snapshot.issues.filter((i) => i.severity === 'error');
  for (const issue of snapshot.issues) io.stderr(`${issue.severity === 'error' ? '✖' : '!'} ${issue.collector}: ${issue.message}\n`);
  io.stderr(`✔ ${snapshot.resources.length} resources from ${snapshot.sources.length} source(s) written to ${out}\n`);
  const empty = snapshot.sources.some((s) => !snapshot.resources.some((r) => r.provenance.collector === s.collector));
  if (errors.length > 0 && empty) return ExitCode.INCOMPLETE;
  // The same rule as the audit's: a snapshot with gaps is written, and the exit code says so.
  const gaps = collectionGaps(snapshot.coverage, snapshot.issues);
  if (!hasGaps(gaps)) return ExitCode.OK;
  if (options.flag('allowIncomplete')) return ExitCode.OK;
  io.stderr(`✖ incomplete: ${describeGaps(gaps)}\n`);
  return ExitCode.INCOMPLETE;
}
