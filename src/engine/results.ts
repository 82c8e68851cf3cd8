import type { Finding, RuleResult } from '../model/finding.js';
import type { WaiverSummary } from '../model/waiver.js';

/** What the rules said, before waivers (the engine's output). */
export interface Evaluation {
  /** In report order: by rule id, then resource id. */
  readonly findings: readonly Finding[];
  /** In the order of the rules evaluated. */
  readonly ruleResults: readonly RuleResult[];
}

/** The evaluation with waivers applied (by the audit use case), as reports take it. */
export interface EvaluationResult extends Evaluation {
  readonly waivers: WaiverSummary;
}
