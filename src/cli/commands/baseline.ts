import { existsSync } from 'node:fs';
import { baselineOf, readBaseline, writeBaseline } from '../../baseline/baseline.js';
import { compareToBaseline } from '../../baseline/compare.js';
import { ZtError } from '../../errors/zt-error.js';
import { readReport } from '../../report/read.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { auditFromOptions, fileRef } from './audit.js';

/**
 * `zt baseline create|update`: record the current failing findings and stages as the
 * accepted starting point. `update` requires an existing baseline and says what changed.
 */
export async function runBaseline(mode: 'create' | 'update', options: Record<string, unknown>, io: Io): Promise<number> {
  const out = fileRef(io, String(options.out));
  if (mode === 'update' && !existsSync(out.path)) {
    throw new ZtError('ZT_USAGE', `there is no baseline at ${out.display} to update`, {
      hint: 'Create it first with `zt baseline create --out <file>`.',
    });
  }
  const previous = mode === 'update' ? await readBaseline(out.path) : undefined;
  const report = typeof options.fromReport === 'string' ? await readReport(fileRef(io, options.fromReport).path) : await auditFromOptions(options, io);
  const baseline = baselineOf(report);
  await writeBaseline(out.path, baseline);
  if (previous) {
    const change = compareToBaseline(report, previous, out.display);
    io.stderr(
      `✔ baseline ${out.display} updated: ${baseline.findings.length} failing findings (${change.newFindings.length} new, ${change.resolved.length} resolved since the last baseline)\n`,
    );
  } else {
    io.stderr(`✔ baseline ${out.display} written: ${baseline.findings.length} failing findings, overall stage ${baseline.stages.overall.replace('_', ' ')}\n`);
  }
  return ExitCode.OK;
}
