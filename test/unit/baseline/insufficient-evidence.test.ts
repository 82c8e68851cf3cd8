import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../../src/app/gate.js';
import { baselineOf } from '../../../src/baseline/baseline.js';
import { compareToBaseline } from '../../../src/baseline/compare.js';
import { diffReports } from '../../../src/diff/diff.js';
import { renderDiff } from '../../../src/diff/render.js';
import type { Report } from '../../../src/model/report.js';
import type { PillarScore } from '../../../src/model/scorecard.js';
import { sampleReport } from '../../support/sample-report.js';

// The sample's Networks pillar has one row of seven assessed, at Initial: its stage is withheld
// (insufficient evidence, stage not_assessed). --min-stage and baseline regressions hold a
// withheld stage at Traditional, the floor any evidence proves, never above (scoring.md §5);
// zt diff, which gates nothing, names the stage as every report does: "insufficient evidence".
const withheld = sampleReport();
const claimed: Report = {
  ...withheld,
  score: {
    ...withheld.score,
    pillars: withheld.score.pillars.map(
      (p): PillarScore =>
        p.id === 'networks'
          ? { ...p, stage: 'initial', score: 1, rowsAssessed: 4, evidence: { ...p.evidence, assessed: 4, sufficient: true } }
          : p,
    ),
  },
};

describe('insufficient evidence in gates, baselines and diffs', () => {
  it('--min-stage: meets Traditional only, and a shortfall carries the evidence for the message', () => {
    const outcome = evaluateGate(withheld, { failOn: 'none', minStages: [{ target: 'networks', stage: 'initial' }], minCoverage: undefined });
    expect(outcome.stageShortfalls).toEqual([
      {
        target: 'networks',
        required: 'initial',
        actual: 'not_assessed',
        evidence: { parts: 'rows', assessed: 1, required: 4, total: 7, sufficient: false, assessedStage: 'initial' },
      },
    ]);
    const floor = evaluateGate(withheld, { failOn: 'none', minStages: [{ target: 'networks', stage: 'traditional' }], minCoverage: undefined });
    expect(floor.stageShortfalls).toEqual([]);
    // Nothing assessed at all is still below every stage.
    const devices = evaluateGate(withheld, { failOn: 'none', minStages: [{ target: 'devices', stage: 'traditional' }], minCoverage: undefined });
    expect(devices.stageShortfalls).toMatchObject([{ target: 'devices', required: 'traditional', actual: 'not_assessed' }]);
    const met = evaluateGate(claimed, { failOn: 'none', minStages: [{ target: 'networks', stage: 'initial' }], minCoverage: undefined });
    expect(met.stageShortfalls).toEqual([]);
  });

  it('a baseline records a withheld stage as not_assessed; losing a stage above Traditional to insufficient evidence is a regression', () => {
    expect(baselineOf(withheld).stages.pillars.networks).toBe('not_assessed');
    const comparison = compareToBaseline(withheld, baselineOf(claimed), '.zt/baseline.json');
    expect(comparison.stageRegressions).toEqual([{ level: 'pillar', id: 'networks', from: 'initial', to: 'not_assessed' }]);
    expect(compareToBaseline(claimed, baselineOf(withheld), '.zt/baseline.json').stageRegressions).toEqual([]);
  });

  it('a fix never regresses: from Traditional to insufficient evidence is not lower', () => {
    // The baseline's Networks stood at Traditional (its one row failing Initial); the row now reaches Initial.
    const traditional: Report = {
      ...withheld,
      score: {
        ...withheld.score,
        pillars: withheld.score.pillars.map(
          (p): PillarScore => (p.id === 'networks' ? { ...p, stage: 'traditional', score: 0, evidence: { ...p.evidence, assessedStage: 'traditional' } } : p),
        ),
      },
    };
    expect(baselineOf(traditional).stages.pillars.networks).toBe('traditional');
    expect(compareToBaseline(withheld, baselineOf(traditional), '.zt/baseline.json').stageRegressions).toEqual([]);
  });

  it('zt diff: a stage withheld now is down, a stage claimed now that was withheld is up, and both say "insufficient evidence"', () => {
    expect(diffReports(claimed, withheld).stages.pillars).toEqual([{ id: 'networks', from: 'initial', to: 'insufficient_evidence', direction: 'down' }]);
    expect(diffReports(withheld, claimed).stages.pillars).toEqual([{ id: 'networks', from: 'insufficient_evidence', to: 'initial', direction: 'up' }]);
    const nothing: Report = { ...withheld, score: { ...withheld.score, pillars: withheld.score.pillars.map((p) => (p.id === 'networks' ? { ...p, rowsAssessed: 0, evidence: { ...p.evidence, assessed: 0, assessedStage: 'not_assessed' } } : p)) } };
    expect(diffReports(nothing, withheld).stages.pillars).toEqual([{ id: 'networks', from: 'not_assessed', to: 'insufficient_evidence', direction: 'up' }]);
  });

  it('zt diff renders a withheld stage in words', () => {
    expect(renderDiff(diffReports(claimed, withheld), 'table')).toMatch(/pillar networks: initial → insufficient evidence \(▼\)/);
  });
});
