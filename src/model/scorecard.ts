import type { CoverageReason } from './coverage.js';
import type { RuleStatus } from './finding.js';
import type { AssessedStage, PillarId, Stage } from './ztmm.js';

/** One thing standing between a row and its next stage. */
export interface Blocker {
  readonly ruleId: string;
  readonly title: string;
  /** fail / error: evidence says no; not_evaluated: the check could not run. */
  readonly status: Exclude<RuleStatus, 'pass' | 'not_applicable'>;
  /** The stage this rule gates that is not met. */
  readonly stage: Stage;
  readonly passRate: number | null;
  readonly threshold: number;
  /** Resources failing the rule (ids), most relevant first, capped; see failingCount. */
  readonly failing: readonly string[];
  readonly failingCount: number;
  /** For not_evaluated: why, and what input or permission would let it run. */
  readonly reason?: CoverageReason;
  readonly needs?: string;
}

export interface RowScore {
  readonly id: string;
  readonly name: string;
  readonly pillar: PillarId;
  /** Stage evidence proves (missing data counted as failing). */
  readonly stage: AssessedStage;
  /** Stage reachable if every check that could not run had passed. */
  readonly possibleStage: AssessedStage;
  /** 0.00–3.00: proven stage + share of the next stage's gating checks passing. null when not assessed. */
  readonly score: number | null;
  readonly rules: readonly { readonly ruleId: string; readonly status: RuleStatus; readonly gating: boolean }[];
  /** The next stage and what blocks it; absent at optimal or when the row has no rule for it. */
  readonly next?: { readonly stage: Stage; readonly blockers: readonly Blocker[] };
}

export interface PillarScore {
  readonly id: PillarId;
  readonly name: string;
  /** The weakest assessed row. */
  readonly stage: AssessedStage;
  readonly possibleStage: AssessedStage;
  readonly score: number | null;
  readonly rowsAssessed: number;
  readonly rowsTotal: number;
  readonly rows: readonly RowScore[];
}

/**
 * A fix that moves rows on: a failing rule to make pass, or one resource to correct.
 * `unlocks` counts rows where it is the only blocker (checks that could not run count
 * as blockers too, so a row missing data is never "unlocked" by a fix alone).
 */
export interface RankedFix {
  readonly ruleId: string;
  readonly resourceId?: string;
  /** Rows whose next stage this fix alone would reach. */
  readonly unlocks: readonly string[];
  /** Rows whose next stage it is one of several blockers of. */
  readonly contributesTo: readonly string[];
}

export interface ScoreCard {
  readonly model: { readonly id: 'cisa-ztmm'; readonly version: '2.0' };
  readonly overall: {
    readonly stage: AssessedStage;
    readonly possibleStage: AssessedStage;
    readonly score: number | null;
    readonly rowsAssessed: number;
    readonly rowsTotal: number;
    /** rowsAssessed / rowsTotal, 0..1. */
    readonly coverage: number;
  };
  readonly pillars: readonly PillarScore[];
  readonly crossCutting: readonly { readonly id: string; readonly name: string; readonly stage: AssessedStage }[];
  readonly nextSteps: readonly RankedFix[];
}
