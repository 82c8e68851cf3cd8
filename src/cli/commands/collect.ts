import { mkdir } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { collectionGaps, describeGaps, hasGaps } from '../../app/completeness.js';
import { internalIssues } from '../../app/gate.js';
import { loadInputs } from '../../app/inputs.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { ZtError } from '../../errors/zt-error.js';
import { writeSnapshotFile } from '../../inventory/snapshot-file.js';
import { splitBySource } from '../../inventory/split.js';
import { checkAsOf, chosenCollectors, collectorContext, loadProjectConfig, unusedAsOfNote } from '../collection.js';
import { exitCodeFor } from '../exit-codes.js';
import type { Io } from '../io.js';
import { checkWritable } from '../output-plan.js';
import { startProgress } from '../progress.js';

/**
 * `zt collect … --out snap.json`: read the sources now, audit later with --snapshot.
 * `--out-dir <dir>` writes one snapshot per source instead (a fan-out's unit: one account,
 * cluster or tenant per file), which `zt audit --snapshot <dir>` merges back.
 */
export async function runCollect(options: CommandOptions, io: Io): Promise<number> {
  const outFile = options.string('out');
  const outDir = options.string('outDir');
  if ((outFile === undefined) === (outDir === undefined)) {
    throw new ZtError('ZT_USAGE', outFile === undefined ? 'zt collect needs --out <file> or --out-dir <dir>' : 'zt collect takes --out or --out-dir, not both');
  }
  const out = resolve(io.cwd, outFile ?? outDir ?? '');
  if (outDir !== undefined) {
    try {
      await mkdir(out, { recursive: true });
    } catch (error) {
      throw new ZtError('ZT_OUTPUT_UNWRITABLE', `cannot create the folder ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  await checkWritable([{ format: 'json', path: outDir !== undefined ? resolve(out, '.zt-write-check.json') : out }]);
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
  const written = outDir !== undefined ? splitBySource(snapshot).map((part) => ({ path: resolve(out, part.fileName), snapshot: part.snapshot })) : [{ path: out, snapshot }];
  for (const file of written) await writeSnapshotFile(file.path, file.snapshot);
  const errors = snapshot.issues.filter((i) => i.severity === 'error');
  for (const issue of snapshot.issues) io.stderr(`${issue.severity === 'error' ? '✖' : '!'} ${issue.collector}: ${issue.message}\n`);
  // (A source whose time is unknown is one of the issues above.)
  const unused = unusedAsOfNote(snapshot.sources, asOf);
  if (unused) io.stderr(`${unused}\n`);
  io.stderr(
    outDir !== undefined
      ? `✔ ${snapshot.resources.length} resources from ${snapshot.sources.length} source(s) written to ${out}: ${written.map((f) => basename(f.path)).join(', ')}\n`
      : `✔ ${snapshot.resources.length} resources from ${snapshot.sources.length} source(s) written to ${out}\n`,
  );
  // Per source: one of several clusters or accounts returning nothing is seen although its collector's others did.
  const empty = snapshot.sources.some((s) => !snapshot.resources.some((r) => r.provenance.source === s.source));
  const internal = internalIssues(snapshot.issues).length > 0;
  // The same rule as the audit's: a snapshot with gaps is written, and the exit code says so;
  // a bug met while collecting (ZT_COLLECT_CRASHED, ZT_COLLECT_MALFORMED) is exit 4 over both.
  if (errors.length > 0 && empty) return exitCodeFor({ kind: 'completed', internal, incomplete: true, gateFailed: false });
  const gaps = collectionGaps(snapshot.coverage, snapshot.issues);
  const incomplete = hasGaps(gaps) && !options.flag('allowIncomplete');
  if (incomplete) io.stderr(`✖ incomplete: ${describeGaps(gaps)}\n`);
  return exitCodeFor({ kind: 'completed', internal, incomplete, gateFailed: false });
}
