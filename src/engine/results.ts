import type { Counts } from './verdict.js';
import type { CoverageReason } from '../model/coverage.js';
import type { Finding, RuleResult } from '../model/finding.js';
import type { WaiverSummary } from '../model/waiver.js';

/** What the rules said, before waivers (the engine's output). */
export interface Evaluation {
  /** In report order: by rule id, then resource id. */
  readonly findings: readonly Finding[];
  /** In the order of the rules evaluated. */
  readonly ruleResults: readonly RuleResult[];
  /**
   * Per target (provenance source): each rule's counts over that target's resources alone
   * and why it was not evaluated on some of them; what per-target verdicts are judged from.
   */
  readonly byTarget?: ReadonlyMap<string, { readonly counts: ReadonlyMap<string, Counts>; readonly unknownReason: ReadonlyMap<string, CoverageReason> }>;
  /** A scoped run: the rules it left out (ids, in rule order) and how many resources were outside its namespaces. */
  readonly scoped?: { readonly rulesLeftOut: readonly string[]; readonly resourcesLeftOut: number };
}

/** The evaluation with waivers applied (by the audit use case), as reports take it. */
export interface EvaluationResult extends Evaluation {
  readonly waivers: WaiverSummary;
}
