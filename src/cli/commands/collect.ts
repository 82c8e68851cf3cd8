import { resolve } from 'node:path';
import { loadInputs } from '../../app/inputs.js';
import { ZtError } from '../../errors/zt-error.js';
import { writeSnapshotFile } from '../../inventory/snapshot-file.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { checkWritable } from '../output-plan.js';
import { startProgress } from '../progress.js';
import { chosenCollectors, collectorContext, loadProjectConfig } from '../collection.js';

/** `zt collect … --out snap.json`: read the sources now, audit later with --snapshot. */
export async function runCollect(options: Record<string, unknown>, io: Io): Promise<number> {
  const out = resolve(io.cwd, String(options.out));
  await checkWritable([{ format: 'json', path: out }]);
  const config = await loadProjectConfig(options, io);
  const collectors = await chosenCollectors(options);
  if (collectors.length === 0) {
    throw new ZtError('ZT_NO_SOURCE', 'no source chosen: nothing to collect', {
      hint: 'Choose a source, e.g. --kubernetes or --manifests <dir> (see `zt collect --help`).',
    });
  }
  const progress = await startProgress(io, options.quiet === true);
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
  return errors.length > 0 && empty ? ExitCode.INCOMPLETE : ExitCode.OK;
}
