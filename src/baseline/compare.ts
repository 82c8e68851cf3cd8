import type { BaselineComparison, StageRegression, StageValue } from '../model/baseline-comparison.js';
import type { Report } from '../model/report.js';
import { compareStrings } from '../text/order.js';
import type { Baseline } from './baseline.js';

const order: readonly StageValue[] = ['not_assessed', 'traditional', 'initial', 'advanced', 'optimal'];

function regressions(level: StageRegression['level'], before: Readonly<Record<string, StageValue>>, after: Readonly<Record<string, StageValue>>): StageRegression[] {
  return Object.keys(before)
    .sort(compareStrings)
    .flatMap((id) => {
      const from = before[id] as StageValue;
      const to = after[id] ?? 'not_assessed';
      return order.indexOf(to) < order.indexOf(from) ? [{ level, id, from, to }] : [];
    });
}

/**
 * Compares by fingerprint (rule id + kind + full resource id), never by message text, so
 * reordered resources, reworded messages and edited rule text change nothing.
 */
export function compareToBaseline(report: Report, baseline: Baseline, file: string): BaselineComparison {
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  const failing = report.findings.filter((f) => f.status === 'fail');
  const failingNow = new Set(failing.map((f) => f.fingerprint));
  const rows = Object.fromEntries(report.score.pillars.flatMap((p) => p.rows.map((r) => [r.id, r.stage])));
  const pillars = Object.fromEntries(report.score.pillars.map((p) => [p.id, p.stage]));
  return {
    file,
    collectedAt: baseline.collectedAt,
    newFindings: [...new Set(failing.filter((f) => !known.has(f.fingerprint)).map((f) => f.fingerprint))].sort(compareStrings),
    resolved: baseline.findings
      .filter((f) => !failingNow.has(f.fingerprint))
      .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, resourceId: f.resourceId, resourceName: f.resourceName })),
    stageRegressions: [
      ...regressions('overall', { overall: baseline.stages.overall }, { overall: report.score.overall.stage }),
      ...regressions('pillar', baseline.stages.pillars, pillars),
      ...regressions('row', baseline.stages.rows, rows),
    ],
  };
}
