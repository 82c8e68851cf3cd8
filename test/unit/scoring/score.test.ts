import { describe, expect, it } from 'vitest';
import type { RuleResult, RuleStatus } from '../../../src/model/finding.js';
import { lacksEvidence, rollUpStageWords } from '../../../src/model/scorecard.js';
import { ztmmModel } from '../../../src/model/ztmm-v2.js';
import { gateStages, stageOrdinal, type PillarId, type Stage } from '../../../src/model/ztmm.js';
import type { RuleDefinition } from '../../../src/ruleset/rule.js';
import { score } from '../../../src/scoring/score.js';
import { result, ruleDef } from '../../support/rule-fixtures.js';

const AUTH = 'identity.authentication';
const I = ruleDef('T-I', AUTH, [{ stage: 'initial' }]);
const A = ruleDef('T-A', AUTH, [{ stage: 'advanced' }]);
const O = ruleDef('T-O', AUTH, [{ stage: 'optimal' }]);
const rules = [I, A, O];

function rowOf(statuses: [RuleStatus, RuleStatus, RuleStatus], coverage?: RuleResult['coverage']) {
  const results = rules.map((r, i) => result(r, statuses[i] as RuleStatus, coverage ? { coverage } : {}));
  const card = score(rules, results, []);
  const pillar = card.pillars.find((p) => p.id === 'identity');
  return { card, pillar, row: pillar?.rows.find((r) => r.id === AUTH) };
}

describe('row stage: cumulative gates', () => {
  it.each([
    // [initial, advanced, optimal] → proven, possible, score
    [['pass', 'pass', 'pass'], 'optimal', 'optimal', 3],
    [['pass', 'pass', 'fail'], 'advanced', 'advanced', 2],
    [['pass', 'fail', 'pass'], 'initial', 'initial', 1], // a later pass never skips a failed stage
    [['fail', 'pass', 'pass'], 'traditional', 'traditional', 0],
    [['pass', 'not_evaluated', 'pass'], 'initial', 'optimal', 1],
    [['pass', 'error', 'fail'], 'initial', 'advanced', 1],
    [['not_evaluated', 'not_evaluated', 'not_evaluated'], 'not_assessed', 'optimal', null],
    [['not_applicable', 'not_applicable', 'not_applicable'], 'not_assessed', 'not_assessed', null],
    [['pass', 'not_applicable', 'pass'], 'initial', 'initial', 1], // a stage with no evidence is never claimed
  ] as const)('%j → proven %s, possible %s', (statuses, proven, possible, value) => {
    const { row } = rowOf([...statuses]);
    expect(row?.stage).toBe(proven);
    expect(row?.possibleStage).toBe(possible);
    expect(row?.score).toBe(value);
  });

  it('a pass on partially collected data is not proof', () => {
    const { row } = rowOf(['pass', 'pass', 'pass'], 'partial');
    expect(row?.stage).toBe('traditional');
    expect(row?.possibleStage).toBe('optimal');
  });

  it('progress counts the share of next-stage gates passing', () => {
    const A2 = ruleDef('T-A2', AUTH, [{ stage: 'advanced' }]);
    const card = score([I, A, A2], [result(I, 'pass'), result(A, 'pass'), result(A2, 'fail')], []);
    const row = card.pillars[0]?.rows.find((r) => r.id === AUTH);
    expect(row?.stage).toBe('initial');
    expect(row?.score).toBe(1.5);
  });

  it('lists what blocks the next stage, with the failing resources and the reason for unknowns', () => {
    const A2 = ruleDef('T-A2', AUTH, [{ stage: 'advanced' }]);
    const findings = [
      { ruleId: 'T-A', status: 'fail' as const, resource: { kind: 'idp.user' as const, id: 'u2', name: 'u2', source: 's' }, fingerprint: 'x' },
      { ruleId: 'T-A', status: 'fail' as const, resource: { kind: 'idp.user' as const, id: 'u1', name: 'u1', source: 's' }, fingerprint: 'y' },
    ];
    const card = score([I, A, A2], [result(I, 'pass'), result(A, 'fail', { fail: 2 }), result(A2, 'not_evaluated')], findings);
    const row = card.pillars[0]?.rows.find((r) => r.id === AUTH);
    expect(row?.next?.stage).toBe('advanced');
    expect(row?.next?.blockers.map((b) => [b.ruleId, b.status, b.failing, b.reason])).toEqual([
      ['T-A', 'fail', ['u1', 'u2'], undefined],
      ['T-A2', 'not_evaluated', [], 'permission_denied'],
    ]);
    expect(row?.next?.blockers[1]?.needs).toMatch(/read permission for idp.user/);
  });

  it('a check on a system the audit did not include is out of scope, not missing evidence', () => {
    const outOfScope = { ...result(A, 'not_evaluated'), notEvaluatedReason: 'collector_disabled' as const };
    const card = score([I, A], [result(I, 'pass'), outOfScope], []);
    const row = card.pillars[0]?.rows.find((r) => r.id === AUTH);
    expect(row?.stage).toBe('initial');
    expect(row?.next).toBeUndefined();
    const denied = score([I, A], [result(I, 'pass'), result(A, 'not_evaluated')], []).pillars[0]?.rows.find((r) => r.id === AUTH);
    expect(denied?.next?.blockers.map((b) => b.reason)).toEqual(['permission_denied']);
  });

  it('supporting rules never gate a stage', () => {
    const S = ruleDef('T-S', AUTH, [{ stage: 'initial' }], { supporting: true });
    const card = score([I, S], [result(I, 'pass'), result(S, 'fail')], []);
    expect(card.pillars[0]?.rows.find((r) => r.id === AUTH)?.stage).toBe('initial');
  });
});

describe('pillar and overall roll-up', () => {
  it('a pillar is its weakest assessed row; not-assessed rows are listed, not averaged in', () => {
    const G = ruleDef('T-G', 'identity.governance', [{ stage: 'initial' }]);
    const card = score([I, A, G], [result(I, 'pass'), result(A, 'pass'), result(G, 'fail')], []);
    const identity = card.pillars.find((p) => p.id === 'identity');
    expect(identity?.stage).toBe('traditional');
    expect(identity?.rowsAssessed).toBe(2);
    expect(identity?.rowsTotal).toBe(7);
    // weakest is traditional (0); the authentication row sits at 2 → progress min(1, 2-0) = 1; governance 0 → mean 0.5
    expect(identity?.score).toBe(0.5);
    expect(card.pillars.find((p) => p.id === 'devices')?.stage).toBe('not_assessed');
  });

  it('overall is the weakest assessed pillar, with coverage of the 37 rows', () => {
    // Three pillars with half their rows assessed (minimum evidence), networks the weakest.
    const card = scoreRows([...rowsAt('identity', 4, 'advanced'), ...rowsAt('devices', 4, 'optimal'), ...rowsAt('networks', 4, 'initial')]);
    expect(card.overall.stage).toBe('initial');
    expect(card.overall.rowsTotal).toBe(37);
    expect(card.overall.rowsAssessed).toBe(12);
    expect(card.overall.coverage).toBe(0.32);
    // initial (1) + mean of min(1, 2-1), min(1, 3-1), 1-1 over the three pillars
    expect(card.overall.score).toBe(1.67);
    expect(card.model).toEqual({ id: 'cisa-ztmm', version: '2.0' });
  });

  it('nothing evaluated anywhere is not assessed, never traditional, and not "insufficient evidence" either', () => {
    const card = score([I], [result(I, 'not_evaluated')], []);
    expect(card.overall.stage).toBe('not_assessed');
    expect(card.overall.score).toBeNull();
    expect(card.overall.evidence).toEqual({ parts: 'pillars', assessed: 0, required: 3, total: 5, sufficient: false, assessedStage: 'not_assessed' });
    expect(lacksEvidence(card.overall)).toBe(false);
    expect(rollUpStageWords(card.overall)).toBe('Not assessed');
  });

  it('ranks fixes by the rows they unlock', () => {
    const N = ruleDef('T-N', 'networks.segmentation', [{ stage: 'initial' }]);
    const N2 = ruleDef('T-N2', 'networks.segmentation', [{ stage: 'initial' }]);
    const card = score([I, N, N2], [result(I, 'fail'), result(N, 'fail'), result(N2, 'fail')], []);
    expect(card.nextSteps[0]).toEqual({ ruleId: 'T-I', unlocks: [AUTH], contributesTo: [] });
    expect(card.nextSteps.slice(1).map((f) => f.ruleId)).toEqual(['T-N', 'T-N2']);
  });
});

/** One rule per row, putting each of `count` rows of a pillar (model order, or the rows given) at `stage`. */
function rowsAt(pillar: PillarId, count: number, stage: Stage, only?: readonly string[]): { rule: RuleDefinition; status: RuleStatus }[] {
  const rows = only ?? (ztmmModel.pillars.find((p) => p.id === pillar)?.rows.map((r) => r.id) ?? []).slice(0, count);
  return rows.map((row) => {
    // Traditional: its Initial gate fails. Otherwise every gate up to the stage passes.
    const gates = stage === 'traditional' ? [{ stage: 'initial' as const }] : gateStages.filter((g) => stageOrdinal(g) <= stageOrdinal(stage)).map((g) => ({ stage: g }));
    return { rule: ruleDef(`T-${row}`, row, gates), status: stage === 'traditional' ? 'fail' : 'pass' };
  });
}

function scoreRows(specs: readonly { rule: RuleDefinition; status: RuleStatus }[]) {
  return score(
    specs.map((s) => s.rule),
    specs.map((s) => result(s.rule, s.status)),
    [],
  );
}

const pillarOf = (card: ReturnType<typeof score>, id: PillarId) => card.pillars.find((p) => p.id === id);

describe('minimum evidence: a roll-up claims a stage above Traditional only on enough assessed parts', () => {
  it('issue #23: one Data row at Optimal (the secrets-in-env rules of a Deployment folder) is insufficient evidence, not Optimal', () => {
    const card = scoreRows(rowsAt('data', 1, 'optimal', ['data.encryption']));
    const data = pillarOf(card, 'data');
    expect(data?.rows.find((r) => r.id === 'data.encryption')?.stage).toBe('optimal'); // the row keeps its stage
    expect(data?.stage).toBe('not_assessed');
    expect(data?.possibleStage).toBe('optimal'); // shown as possible
    expect(data?.score).toBeNull();
    expect(data?.evidence).toEqual({ parts: 'rows', assessed: 1, required: 4, total: 8, sufficient: false, assessedStage: 'optimal' });
    expect(data && lacksEvidence(data)).toBe(true);
    expect(data && rollUpStageWords(data)).toBe('Insufficient evidence');
    // The overall cannot stand on it either.
    expect(card.overall.stage).toBe('not_assessed');
    expect(card.overall.possibleStage).toBe('optimal');
    expect(card.overall.evidence).toEqual({ parts: 'pillars', assessed: 0, required: 3, total: 5, sufficient: false, assessedStage: 'optimal' });
    expect(rollUpStageWords(card.overall)).toBe('Insufficient evidence');
  });

  it.each([
    // pillar, rows in the model, rows assessed (at Advanced) → pillar stage
    ['data', 8, 3, 'not_assessed'],
    ['data', 8, 4, 'advanced'], // at least half
    ['devices', 7, 3, 'not_assessed'],
    ['devices', 7, 4, 'advanced'], // half of 7 is 3.5: 4 needed
    ['identity', 7, 7, 'advanced'],
  ] as const)('%s: %i rows, %i assessed → %s', (pillar, total, assessed, stage) => {
    const found = pillarOf(scoreRows(rowsAt(pillar, assessed, 'advanced')), pillar);
    expect(found?.rowsTotal).toBe(total);
    expect(found?.stage).toBe(stage);
    expect(found?.possibleStage).toBe('advanced');
    expect(found?.score).toBe(stage === 'not_assessed' ? null : 2);
    expect(found?.evidence).toEqual({ parts: 'rows', assessed, required: 4, total, sufficient: assessed >= 4, assessedStage: 'advanced' });
  });

  it('Traditional, the floor, is claimed on any evidence: rows not assessed cannot lower it', () => {
    const card = scoreRows([...rowsAt('data', 1, 'traditional', ['data.access']), ...rowsAt('data', 1, 'optimal', ['data.encryption'])]);
    const data = pillarOf(card, 'data');
    expect(data?.stage).toBe('traditional');
    expect(data?.evidence.sufficient).toBe(false);
    expect(data?.evidence.assessedStage).toBe('traditional');
    expect(data && lacksEvidence(data)).toBe(false);
    expect(data?.score).toBe(0.5); // 0 + mean(0, min(1, 3))
    expect(card.overall.stage).toBe('traditional');
  });

  it('the overall claims a stage above Traditional only when at least 3 of the 5 pillars have one', () => {
    const two = scoreRows([...rowsAt('identity', 4, 'advanced'), ...rowsAt('devices', 4, 'advanced')]);
    expect(two.overall.stage).toBe('not_assessed');
    expect(two.overall.possibleStage).toBe('advanced');
    expect(two.overall.score).toBeNull();
    expect(two.overall.evidence).toEqual({ parts: 'pillars', assessed: 2, required: 3, total: 5, sufficient: false, assessedStage: 'advanced' });
    const three = scoreRows([...rowsAt('identity', 4, 'advanced'), ...rowsAt('devices', 4, 'advanced'), ...rowsAt('networks', 4, 'advanced')]);
    expect(three.overall.stage).toBe('advanced');
    expect(three.overall.score).toBe(2);
    expect(three.overall.evidence.sufficient).toBe(true);
  });

  it('a pillar short of evidence may hold the overall down, never lift it', () => {
    const sufficient = [...rowsAt('identity', 4, 'advanced'), ...rowsAt('devices', 4, 'advanced'), ...rowsAt('networks', 4, 'advanced')];
    const lower = scoreRows([...sufficient, ...rowsAt('data', 1, 'initial', ['data.encryption'])]);
    expect(pillarOf(lower, 'data')?.stage).toBe('not_assessed');
    // Data's one row proves Initial: the overall cannot read Advanced. The withheld pillar counts as no progress.
    expect(lower.overall.stage).toBe('initial');
    expect(lower.overall.score).toBe(1.75); // 1 + mean(1, 1, 1, 0)
    const higher = scoreRows([...sufficient, ...rowsAt('data', 1, 'optimal', ['data.encryption'])]);
    expect(higher.overall.stage).toBe('advanced');
    expect(higher.overall.score).toBe(2); // 2 + mean(0, 0, 0, 0): Optimal on one row lifts nothing
  });

  it('cross-cutting capabilities follow the same rule over their row in each pillar', () => {
    const one = scoreRows(rowsAt('identity', 1, 'initial', ['identity.visibility_analytics']));
    expect(one.crossCutting.find((c) => c.id === 'visibility_analytics')).toEqual({
      id: 'visibility_analytics',
      name: 'Visibility and Analytics',
      stage: 'not_assessed',
      possibleStage: 'initial',
      evidence: { parts: 'rows', assessed: 1, required: 3, total: 5, sufficient: false, assessedStage: 'initial' },
    });
    const three = scoreRows([
      ...rowsAt('identity', 1, 'initial', ['identity.visibility_analytics']),
      ...rowsAt('devices', 1, 'initial', ['devices.visibility_analytics']),
      ...rowsAt('networks', 1, 'advanced', ['networks.visibility_analytics']),
    ]);
    expect(three.crossCutting.find((c) => c.id === 'visibility_analytics')?.stage).toBe('initial');
  });

  it('the threshold is model data: ceil(minimumEvidence × parts), half of them', () => {
    expect(ztmmModel.minimumEvidence).toBe(0.5);
    const card = scoreRows([]);
    for (const pillar of card.pillars) expect(pillar.evidence.required, pillar.id).toBe(Math.ceil(ztmmModel.minimumEvidence * pillar.rowsTotal));
    expect(card.overall.evidence.required).toBe(3);
    for (const capability of card.crossCutting) expect(capability.evidence.required).toBe(3);
  });
});
