import type { CoverageReason, KindCoverage } from '../model/coverage.js';
import type { GateResult, RuleResult, RuleStatus } from '../model/finding.js';
import type { Quantifier } from '../model/ztmm.js';
import type { RuleDefinition } from '../ruleset/rule.js';

/** Share of in-scope resources that must pass for each quantifier (ZTMM's coverage words). */
export const quantifierThresholds: Readonly<Record<Quantifier, number>> = { some: 0.25, most: 0.75, all: 1 };

export interface Counts {
  pass: number;
  fail: number;
  error: number;
  skip: number;
  /** Fails covered by an active waiver: reported, but out of the denominator. */
  waived: number;
  /** Of `error`: resources the rule read an unknown fact of (not evaluated); absent when none. */
  unknown?: number;
}

/**
 * One gate's verdict from the counts. Errors are unknowns: if the failures alone
 * already make the threshold unreachable the verdict is fail; otherwise it is error
 * unless the passes alone reach it. Missing data is never a pass.
 */
export function gateStatus(counts: Counts, threshold: number, whenEmpty: 'not_applicable' | 'fail'): RuleStatus {
  const inScope = counts.pass + counts.fail + counts.error;
  if (inScope === 0) return whenEmpty;
  if (counts.pass / inScope >= threshold) return 'pass';
  if ((counts.pass + counts.error) / inScope < threshold) return 'fail';
  return 'error';
}

/**
 * The rule-level result, given its counts and the coverage of its kind. The last argument says
 * whether any source that produces the kind was part of the audit (`sourceChosen`).
 */
export function ruleResult(
  rule: RuleDefinition,
  counts: Counts,
  coverage: KindCoverage | undefined,
  hasResources: boolean,
  sourceChosen = true,
  unknownReason?: CoverageReason,
): RuleResult {
  // A kind that no collector reported on was not collected: that is missing data, not
  // "none exist". If no source of that kind was chosen at all, it is outside the audit.
  const state: RuleResult['coverage'] = coverage?.state ?? (hasResources ? 'complete' : 'missing');
  const reason = coverage?.reason ?? (coverage === undefined && !hasResources && !sourceChosen ? 'collector_disabled' : 'input_missing');
  return verdict(rule, counts, state, unknownReason && state !== 'missing' ? unknownReason : reason);
}

/** The result once `waived` of its fails are waived: they leave the denominator, and the gates are judged again. */
export function withWaived(rule: RuleDefinition, result: RuleResult, waived: number): RuleResult {
  if (waived === 0) return result;
  const { pass, fail, error, skip, unknown } = result.counts;
  const counts: Counts = { pass, fail: fail - waived, error, skip, waived: result.counts.waived + waived, ...(unknown ? { unknown } : {}) };
  return verdict(rule, counts, result.coverage, result.notEvaluatedReason);
}

/**
 * A rule the run left out (--rule, --skip-rule): every gate not evaluated, reason
 * `out_of_scope`. Scoring reads it as unknown, never as a pass, so leaving a failing rule out
 * cannot raise a proven stage.
 */
export function leftOutResult(rule: RuleDefinition, coverage: RuleResult['coverage']): RuleResult {
  return { ...verdict(rule, { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 }, 'missing', 'out_of_scope'), coverage };
}

/**
 * Not evaluated: the kind was not collected, or every resource in scope read an unknown
 * fact (nothing was decided, so neither pass nor fail, and not an expression error).
 */
function notEvaluated(counts: Counts, state: RuleResult['coverage']): boolean {
  if (state === 'missing') return true;
  const unknown = counts.unknown ?? 0;
  return unknown > 0 && counts.pass === 0 && counts.fail === 0 && counts.error === unknown;
}

function verdict(rule: RuleDefinition, counts: Counts, state: RuleResult['coverage'], reason: RuleResult['notEvaluatedReason']): RuleResult {
  const inScope = counts.pass + counts.fail + counts.error;
  const undecided = notEvaluated(counts, state);
  const gates: GateResult[] = rule.gates.map((gate) => {
    const threshold = quantifierThresholds[gate.quantifier];
    const status: RuleStatus = undecided ? 'not_evaluated' : gateStatus(counts, threshold, rule.whenEmpty);
    return { stage: gate.stage, quantifier: gate.quantifier, threshold, status };
  });
  const last = gates[gates.length - 1];
  const { unknown, ...always } = counts;
  return {
    ruleId: rule.id,
    counts: unknown ? { ...always, unknown } : always,
    passRate: inScope === 0 ? null : counts.pass / inScope,
    coverage: state,
    ...(undecided ? { notEvaluatedReason: reason } : {}),
    gates,
    status: last?.status ?? 'not_evaluated',
  };
}
