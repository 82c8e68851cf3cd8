import type { PillarId, AssessedStage } from './ztmm.js';
import type { Severity } from './severity.js';

/**
 * One target's own verdicts (an AWS account, a cluster, a tenant: a provenance source):
 * the bundled rules over that target's resources alone, judged with that target's own
 * coverage, and scored like the whole (docs/scoring.md, "Targets").
 */
export interface TargetScore {
  /** The provenance source, e.g. `aws:111122223333`, `k8s:prod-eu`. */
  readonly source: string;
  readonly collector: string;
  /** When its evidence was taken; null when unknown. */
  readonly asOf: string | null;
  readonly resourceCount: number;
  readonly overall: {
    readonly stage: AssessedStage;
    readonly possibleStage: AssessedStage;
    /** The weakest stage its assessed pillars prove, before the minimum-evidence rule. */
    readonly assessedStage: AssessedStage;
    readonly score: number | null;
    readonly rowsAssessed: number;
  };
  readonly pillars: readonly {
    readonly id: PillarId;
    readonly stage: AssessedStage;
    readonly possibleStage: AssessedStage;
    /** The weakest stage its assessed rows prove, before the minimum-evidence rule (what `stage` is when evidence suffices). */
    readonly assessedStage: AssessedStage;
    readonly score: number | null;
    readonly rowsAssessed: number;
    readonly rowsTotal: number;
    /**
     * Rows of the pillar that a rule of the target's kinds gates: 0 when the target cannot
     * evidence the pillar at all (an AWS account has no devices). A pillar with rows in
     * scope and none assessed is missing evidence, not outside the target.
     */
    readonly rowsInScope: number;
  }[];
  /** Failing findings (not waived) on its resources, by rule severity. */
  readonly findingsBySeverity: Readonly<Record<Severity, number>>;
  /** Its rule results by status (rules of kinds its collector produces). */
  readonly rulesByStatus: Readonly<Record<string, number>>;
  /** Kinds it did not read completely (denied, failed, missing), sorted. */
  readonly incompleteKinds: readonly string[];
}

/** Worst first: lowest score (unscored last), then most critical and high findings, then by source. */
export function worstTargetFirst(a: TargetScore, b: TargetScore): number {
  const scoreOf = (t: TargetScore): number => t.overall.score ?? Number.POSITIVE_INFINITY;
  const severe = (t: TargetScore): number => t.findingsBySeverity.critical + t.findingsBySeverity.high;
  return scoreOf(a) - scoreOf(b) || severe(b) - severe(a) || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);
}
