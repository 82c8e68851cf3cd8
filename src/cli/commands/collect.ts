import { resolve } from 'node:path';
import { collectionGaps, describeGaps, hasGaps } from '../../app/completeness.js';
import { internalIssues } from '../../app/gate.js';
import { loadInputs } from '../../app/inputs.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { ZtError } from '../../errors/zt-error.js';
import { writeSnapshotFile } from '../../inventory/snapshot-file.js';
import { checkAsOf, chosenCollectors, collectorContext, loadProjectConfig, unusedAsOfNote } from '../collection.js';
import { exitCodeFor } from '../exit-codes.js';
import type { Io } from '../io.js';
import { checkWritable } from '../output-plan.js';
import { startProgress } from '../progress.js';

/** `zt collect … --out snap.json`: read the sources now, audit later with --snapshot. */
export async function runCollect(options: CommandOptions, io: Io): Promise<number> {
  // --out is a required option: commander refuses the command without it.
  const out = resolve(io.cwd, options.string('out') ?? '');
  await checkWritable([{ format: 'json', path: out }]);
  const config = await loadProjectConfig(options.string('config'), io);
  const asOf = options.dateTime('asOf');
  const { collectors, network } = await chosenCollectors(options, io);
  if (collectors.length === 0) {
    throw new ZtError('ZT_NO_SOURCE', 'no source chosen: nothing to collect', {
      hint: 'Choose a source, e.g. --kubernetes or --manifests <dir> (see `zt collect --help`).',
    });
  }
  checkAsOf(asOf, collectors, []);
  const progress = await startProgress(io, options.flag('quiet'));
  const controller = new AbortController();
  let snapshot;
  try {
    snapshot = await loadInputs({ demo: false, snapshots: [], collectors, ...(asOf ? { asOf } : {}), context: collectorContext(io, (m) => progress.update(m), controller.signal, config, network) });
  } finally {
    progress.stop();
  }
  await writeSnapshotFile(out, snapshot);
  const errors = snapshot.issues.filter((i) => i.severity === 'error');
  for (const issue of snapshot.issues) io.stderr(`${issue.severity === 'error' ? '✖' : '!'} ${issue.collector}: ${issue.message}\n`);
  // (A source whose time is unknown is one of the issues above.)
  const unused = unusedAsOfNote(snapshot.sources, asOf);
  if (unused) io.stderr(`${unused}\n`);
  io.stderr(`✔ ${snapshot.resources.length} resources from ${snapshot.sources.length} source(s) written to ${out}\n`);
  const empty = snapshot.sources.some((s) => !snapshot.resources.some((r) => r.provenance.collector === s.collector));
  const internal = internalIssues(snapshot.issues).length > 0;
  // The same rule as the audit's: a snapshot with gaps is written, and the exit code says so;
  // a bug met while collecting (ZT_COLLECT_CRASHED, ZT_COLLECT_MALFORMED) is exit 4 over both.
  if (errors.length > 0 && empty) return exitCodeFor({ kind: 'completed', internal, incomplete: true, gateFailed: false });
  const gaps = collectionGaps(snapshot.coverage, snapshot.issues);
  const incomplete = hasGaps(gaps) && !options.flag('allowIncomplete');
  if (incomplete) io.stderr(`✖ incomplete: ${describeGaps(gaps)}\n`);
  return exitCodeFor({ kind: 'completed', internal, incomplete, gateFailed: false });
}
