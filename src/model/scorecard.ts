import type { CoverageReason } from './coverage.js';
import type { RuleStatus } from './finding.js';
import { stageWords, type AssessedStage, type PillarId, type Stage } from './ztmm.js';

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

/**
 * Whether a roll-up (pillar, overall, cross-cutting capability) has the evidence to claim
 * a stage: the minimum-evidence rule of docs/scoring.md §3.
 */
export interface StageEvidence {
  /** What the roll-up is made of: rows (a pillar, a capability) or pillars (the overall). */
  readonly parts: 'rows' | 'pillars';
  /** Parts with a stage: assessed rows; for the overall, pillars whose stage is claimed. */
  readonly assessed: number;
  /** Parts needed to claim a stage above Traditional: ceil(minimumEvidence × total). */
  readonly required: number;
  readonly total: number;
  /** assessed ≥ required. */
  readonly sufficient: boolean;
  /**
   * The weakest stage any assessed row beneath the roll-up proves: what `stage` says when
   * the evidence is sufficient (or this is Traditional). not_assessed when no row was assessed.
   */
  readonly assessedStage: AssessedStage;
}

export interface PillarScore {
  readonly id: PillarId;
  readonly name: string;
  /** The weakest assessed row, when the evidence suffices (see evidence); otherwise not_assessed. */
  readonly stage: AssessedStage;
  readonly possibleStage: AssessedStage;
  readonly score: number | null;
  readonly rowsAssessed: number;
  readonly rowsTotal: number;
  readonly evidence: StageEvidence;
  readonly rows: readonly RowScore[];
}

/**
 * A roll-up whose stage is withheld: rows were assessed, but too few to claim the stage they
 * reach ("insufficient evidence", docs/scoring.md §3). Nothing assessed at all is "not assessed".
 */
export function lacksEvidence(rollUp: { readonly stage: AssessedStage; readonly evidence: StageEvidence }): boolean {
  return rollUp.stage === 'not_assessed' && rollUp.evidence.assessedStage !== 'not_assessed';
}

/**
 * The stage the CI gates hold a roll-up to (--min-stage, baseline regressions): its stage, or
 * Traditional when it is withheld. Rows were assessed, and Traditional, the floor, is claimed on
 * any evidence (docs/scoring.md §3); nothing above it is. Treating a withheld stage as below
 * Traditional would let a fix fail the gate: the last Traditional row of a thinly assessed
 * pillar moving to Initial turns its Traditional into "insufficient evidence".
 */
export function stageForGates(rollUp: { readonly stage: AssessedStage; readonly evidence: StageEvidence }): AssessedStage {
  return lacksEvidence(rollUp) ? 'traditional' : rollUp.stage;
}

/** How every report names a roll-up's stage: its stage word, or "Insufficient evidence". */
export function rollUpStageWords(rollUp: { readonly stage: AssessedStage; readonly evidence: StageEvidence }): string {
  return lacksEvidence(rollUp) ? 'Insufficient evidence' : stageWords[rollUp.stage];
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
    /** Over the five pillars: the overall claims a stage above Traditional only when enough pillars have one. */
    readonly evidence: StageEvidence;
  };
  readonly pillars: readonly PillarScore[];
  readonly crossCutting: readonly {
    readonly id: string;
    readonly name: string;
    readonly stage: AssessedStage;
    readonly possibleStage: AssessedStage;
    /** Over the capability's row in each pillar. */
    readonly evidence: StageEvidence;
  }[];
  readonly nextSteps: readonly RankedFix[];
}

/**
 * Why a roll-up's stage is withheld, in words (every report and the gate say it alike): how
 * many parts were assessed, the stage they reach, and how many a stage above Traditional needs.
 */
export function evidenceDetail(evidence: StageEvidence, stage: (stage: AssessedStage) => string = (s) => stageWords[s]): string {
  const parts = evidence.parts === 'rows' ? 'rows assessed' : 'pillars with a stage';
  return `${evidence.assessed} of ${evidence.total} ${parts}, reaching ${stage(evidence.assessedStage)}; a stage above Traditional needs ${evidence.required}`;
}

/** "<what>: <evidenceDetail>". */
export function evidenceShortfall(what: string, evidence: StageEvidence, stage?: (stage: AssessedStage) => string): string {
  return `${what}: ${evidenceDetail(evidence, stage)}`;
}
