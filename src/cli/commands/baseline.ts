import { type BaselineMode, previousBaseline, recordBaseline } from '../../app/baseline.js';
import { internalIssues } from '../../app/gate.js';
import type { CommandOptions } from '../../collectors/source-options.js';
import { lacksEvidence } from '../../model/scorecard.js';
import { readReport } from '../../report/read.js';
import { exitCodeFor } from '../exit-codes.js';
import { type InputOptions, inputOptions } from '../input-options.js';
import type { Io } from '../io.js';
import { auditFromOptions, fileRef } from './audit.js';

/**
 * `zt baseline create|update`: record the current failing findings and stages as the
 * accepted starting point. `update` requires an existing baseline and says what changed.
 */
export interface BaselineOptions extends InputOptions {
  readonly out: string;
  /** Take the baseline from this JSON report instead of auditing. */
  readonly fromReport: string | undefined;
}

export function baselineOptions(options: CommandOptions): BaselineOptions {
  return { ...inputOptions(options), out: options.string('out') ?? '.zt/baseline.json', fromReport: options.string('fromReport') };
}

export async function runBaseline(mode: BaselineMode, options: BaselineOptions, io: Io): Promise<number> {
  const out = fileRef(io, options.out);
  const previous = await previousBaseline(mode, out);
  const report = options.fromReport !== undefined ? await readReport(fileRef(io, options.fromReport).path) : await auditFromOptions(options, io);
  const { baseline, change } = await recordBaseline(report, out, previous);
  if (change) {
    io.stderr(
      `✔ baseline ${out.display} updated: ${baseline.findings.length} failing findings (${change.newFindings.length} new, ${change.resolved.length} resolved since the last baseline)\n`,
    );
  } else {
    // A withheld overall stage is recorded as not_assessed; say why (docs/scoring.md §3). A report
    // written before that rule (--from-report) has no evidence to tell.
    const withheld = 'evidence' in report.score.overall && lacksEvidence(report.score.overall);
    const overall = withheld ? 'insufficient evidence' : baseline.stages.overall.replace('_', ' ');
    io.stderr(`✔ baseline ${out.display} written: ${baseline.findings.length} failing findings, overall stage ${overall}\n`);
  }
  // Written either way; a bug met while collecting (ZT_COLLECT_CRASHED, ZT_COLLECT_MALFORMED) is exit 4, as for zt audit.
  const internal = internalIssues(report.inventory.issues);
  for (const issue of internal) io.stderr(`✖ internal: ${issue.collector}: ${issue.code}, a bug in zt: ${issue.message} (exit 4)\n`);
  return exitCodeFor({ kind: 'completed', internal: internal.length > 0, incomplete: false, gateFailed: false });
}
