import type { AssessedStage } from './ztmm.js';

/** A stage as a baseline records it (not assessed included). */
export type StageValue = AssessedStage;

export interface StageRegression {
  readonly level: 'overall' | 'pillar' | 'row';
  readonly id: string;
  readonly from: StageValue;
  readonly to: StageValue;
}

/** What changed against the baseline: the part of a report a CI gate acts on. */
export interface BaselineComparison {
  readonly file: string;
  /** The baseline's collectedAt (null: its evidence did not say when it was taken). */
  readonly collectedAt: string | null;
  /** Fingerprints of failing findings that are not in the baseline. */
  readonly newFindings: readonly string[];
  /** Baseline findings that no longer fail (fixed, or the resource is gone). */
  readonly resolved: readonly { readonly fingerprint: string; readonly ruleId: string; readonly resourceId: string; readonly resourceName: string }[];
  /**
   * Overall, pillar or row stages lower than in the baseline (losing evidence counts: a row that is
   * no longer assessed regressed). A pillar or overall stage withheld for insufficient evidence
   * (`to` not_assessed) counts as Traditional: it regressed only from a stage above Traditional.
   */
  readonly stageRegressions: readonly StageRegression[];
}
