import { describe, expect, it } from 'vitest';
import { ruleResult, withWaived } from '../../../src/engine/verdict.js';
import type { Finding } from '../../../src/model/finding.js';
import type { Waiver } from '../../../src/model/waiver.js';
import type { RuleDefinition } from '../../../src/ruleset/rule.js';
import { applyWaivers, WaiverSet } from '../../../src/waivers/apply.js';

const waiver = (rule: string, resource: string, expires = '2099-01-01', index = 0): Waiver => ({
  index,
  line: index + 2,
  rule,
  resource,
  reason: 'accepted for a while',
  owner: 'team',
  expires,
  ticket: undefined,
});

const finding = (ruleId: string, id: string, status: Finding['status'] = 'fail'): Finding => ({
  ruleId,
  status,
  resource: { kind: 'idp.user', id, name: id, source: 's' },
  ...(status === 'fail' ? { message: `${id} fails` } : {}),
  ...(status === 'error' ? { error: { code: 'x', message: 'y' } } : {}),
  fingerprint: `${ruleId}/${id}`,
});

describe('applyWaivers (after evaluation)', () => {
  const findings = [finding('R-1', 'a'), finding('R-1', 'b'), finding('R-1', 'c', 'error'), finding('R-2', 'a'), finding('R-2', 'b', 'pass')];

  it('turns the fails an active waiver covers into waived findings, keys in the report order, and counts them per rule', () => {
    const set = new WaiverSet([waiver('R-1', 'a'), waiver('R-1', '*', '2000-01-01', 1), waiver('R-2', 'b', '2099-01-01', 2)], '2026-01-01T00:00:00Z', 'w.yaml');
    const { findings: out, waivedByRule } = applyWaivers(findings, set);
    expect(out.map((f) => `${f.ruleId} ${f.resource.id} ${f.status}`)).toEqual(['R-1 a waived', 'R-1 b fail', 'R-1 c error', 'R-2 a fail', 'R-2 b pass']);
    expect(Object.keys(out[0] as Finding)).toEqual(['ruleId', 'status', 'resource', 'message', 'waiver', 'fingerprint']);
    expect(out[0]).toMatchObject({ message: 'a fails', waiver: { owner: 'team', expires: '2099-01-01' }, fingerprint: 'R-1/a' });
    expect(out.slice(1)).toEqual(findings.slice(1));
    expect([...waivedByRule]).toEqual([['R-1', 1]]);
    // The expired glob matched both fails (and no error); the pass of R-2 b is not a fail to waive.
    expect(set.summary()).toMatchObject({ file: 'w.yaml', applied: 1, expired: [{ rule: 'R-1', matched: 2 }], unused: [{ rule: 'R-2', matched: 0 }] });
  });

  it("when the audit's time is unknown (no input says when it was taken), no waiver applies: their expiry cannot be judged", () => {
    const set = new WaiverSet([waiver('R-1', 'a'), waiver('R-1', '*', '2000-01-01', 1)], null, 'w.yaml');
    const { findings: out } = applyWaivers(findings, set);
    expect(out).toEqual(findings);
    expect(set.summary()).toMatchObject({ applied: 0, expired: [], unused: [], unjudged: [{ rule: 'R-1', matched: 1 }, { rule: 'R-1', matched: 2 }] });
    // Judged at a time with an offset: the day is the UTC day.
    const dated = new WaiverSet([waiver('R-1', 'a', '2026-01-01')], '2026-01-02T00:30:00+01:00');
    expect(dated.summary().expired).toEqual([]);
  });

  it('returns the findings as they are when no waiver applies', () => {
    const { findings: out, waivedByRule } = applyWaivers(findings, new WaiverSet([], '2026-01-01T00:00:00Z'));
    expect(out).toBe(findings);
    expect(waivedByRule.size).toBe(0);
  });
});

describe('withWaived', () => {
  const rule = { id: 'R-1', gates: [{ stage: 'initial', quantifier: 'all' }], whenEmpty: 'not_applicable' } as unknown as RuleDefinition;

  it('moves waived fails out of the denominator and judges the gates again, as if counted so from the start', () => {
    const evaluated = ruleResult(rule, { pass: 3, fail: 1, error: 0, skip: 2, waived: 0 }, { state: 'complete' }, true);
    expect(evaluated.status).toBe('fail');
    const waived = withWaived(rule, evaluated, 1);
    expect(waived).toEqual(ruleResult(rule, { pass: 3, fail: 0, error: 0, skip: 2, waived: 1 }, { state: 'complete' }, true));
    expect(waived.status).toBe('pass');
    expect(withWaived(rule, evaluated, 0)).toBe(evaluated);
  });
});
