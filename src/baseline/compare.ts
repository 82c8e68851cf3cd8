import type { BaselineComparison, StageRegression, StageValue } from '../model/baseline-comparison.js';
import type { Report } from '../model/report.js';
import { stageForGates } from '../model/scorecard.js';
import { compareStrings } from '../text/order.js';
import type { Baseline } from './baseline.js';

const order: readonly StageValue[] = ['not_assessed', 'traditional', 'initial', 'advanced', 'optimal'];

/** A stage now: as the report gives it (`to` of a regression), and as the gate holds it (compared). */
interface StageNow {
  readonly stage: StageValue;
  readonly held: StageValue;
}

function regressions(level: StageRegression['level'], before: Readonly<Record<string, StageValue>>, after: Readonly<Record<string, StageNow>>): StageRegression[] {
  return Object.keys(before)
    .sort(compareStrings)
    .flatMap((id) => {
      const from = before[id] as StageValue;
      const now = after[id] ?? { stage: 'not_assessed', held: 'not_assessed' };
      return order.indexOf(now.held) < order.indexOf(from) ? [{ level, id, from, to: now.stage }] : [];
    });
}

/** A row's stage is what the gate holds it to; a pillar's or the overall's withheld stage is held at Traditional (scoring.md §5). */
const asIs = (stage: StageValue): StageNow => ({ stage, held: stage });
const rolledUp = (rollUp: Parameters<typeof stageForGates>[0]): StageNow => ({ stage: rollUp.stage, held: stageForGates(rollUp) });

/**
 * Compares by fingerprint (rule id + kind + full resource id), never by message text, so
 * reordered resources, reworded messages and edited rule text change nothing.
 */
export function compareToBaseline(report: Report, baseline: Baseline, file: string): BaselineComparison {
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  const failing = report.findings.filter((f) => f.status === 'fail');
  const failingNow = new Set(failing.map((f) => f.fingerprint));
  const rows = Object.fromEntries(report.score.pillars.flatMap((p) => p.rows.map((r) => [r.id, asIs(r.stage)])));
  const pillars = Object.fromEntries(report.score.pillars.map((p) => [p.id, rolledUp(p)]));
  return {
    file,
    collectedAt: baseline.collectedAt,
    newFindings: [...new Set(failing.filter((f) => !known.has(f.fingerprint)).map((f) => f.fingerprint))].sort(compareStrings),
    resolved: baseline.findings
      .filter((f) => !failingNow.has(f.fingerprint))
      .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, resourceId: f.resourceId, resourceName: f.resourceName })),
    stageRegressions: [
      ...regressions('overall', { overall: baseline.stages.overall }, { overall: rolledUp(report.score.overall) }),
      ...regressions('pillar', baseline.stages.pillars, pillars),
      ...regressions('row', baseline.stages.rows, rows),
    ],
  };
}
