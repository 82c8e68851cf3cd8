import type { Finding, RuleResult } from '../model/finding.js';
import type { WaiverSummary } from '../model/waiver.js';

export interface EvaluationResult {
  /** In report order: by rule id, then resource id. */
  readonly findings: readonly Finding[];
  readonly ruleResults: readonly RuleResult[];
  readonly waivers: WaiverSummary;
}
