import { existsSync } from 'node:fs';
import { type Baseline, baselineOf, readBaseline, writeBaseline } from '../baseline/baseline.js';
import { compareToBaseline } from '../baseline/compare.js';
import { ZtError } from '../errors/zt-error.js';
import type { BaselineComparison } from '../model/baseline-comparison.js';
import type { Report } from '../model/report.js';
import type { NamedFile } from './access-review.js';

export type BaselineMode = 'create' | 'update';

/** `update` needs the baseline it replaces: checked (and read) before any audit runs. */
export async function previousBaseline(mode: BaselineMode, out: NamedFile): Promise<Baseline | undefined> {
  if (mode === 'create') return undefined;
  if (!existsSync(out.path)) {
    throw new ZtError('ZT_USAGE', `there is no baseline at ${out.display} to update`, {
      hint: 'Create it first with `zt baseline create --out <file>`.',
    });
  }
  return readBaseline(out.path);
}

export interface BaselineWritten {
  readonly baseline: Baseline;
  /** With update: what changed since the baseline it replaced. */
  readonly change?: BaselineComparison;
}

/** Records a report's failing findings and stages as the accepted starting point. */
export async function recordBaseline(report: Report, out: NamedFile, previous: Baseline | undefined): Promise<BaselineWritten> {
  const baseline = baselineOf(report);
  await writeBaseline(out.path, baseline);
  return previous ? { baseline, change: compareToBaseline(report, previous, out.display) } : { baseline };
}
