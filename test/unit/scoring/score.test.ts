import { describe, expect, it } from 'vitest';
import type { RuleResult, RuleStatus } from '../../../src/model/finding.js';
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
    const N = ruleDef('T-N', 'networks.segmentation', [{ stage: 'initial' }]);
    const card = score([I, A, N], [result(I, 'pass'), result(A, 'pass'), result(N, 'pass')], []);
    expect(card.overall.stage).toBe('initial');
    expect(card.overall.rowsTotal).toBe(37);
    expect(card.overall.rowsAssessed).toBe(2);
    expect(card.overall.coverage).toBe(0.05);
    expect(card.model).toEqual({ id: 'cisa-ztmm', version: '2.0' });
  });

  it('nothing evaluated anywhere is not assessed, never traditional', () => {
    const card = score([I], [result(I, 'not_evaluated')], []);
    expect(card.overall.stage).toBe('not_assessed');
    expect(card.overall.score).toBeNull();
  });

  it('ranks fixes by the rows they unlock', () => {
    const N = ruleDef('T-N', 'networks.segmentation', [{ stage: 'initial' }]);
    const N2 = ruleDef('T-N2', 'networks.segmentation', [{ stage: 'initial' }]);
    const card = score([I, N, N2], [result(I, 'fail'), result(N, 'fail'), result(N2, 'fail')], []);
    expect(card.nextSteps[0]).toEqual({ ruleId: 'T-I', unlocks: [AUTH], contributesTo: [] });
    expect(card.nextSteps.slice(1).map((f) => f.ruleId)).toEqual(['T-N', 'T-N2']);
  });
});
