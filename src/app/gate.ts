import { collectionGaps, hasGaps, type CollectionGaps } from './completeness.js';
import { exitClassOf } from '../errors/catalog.js';
import type { StageRegression } from '../model/baseline-comparison.js';
import type { CollectionIssue } from '../model/coverage.js';
import { silentSources, type Report } from '../model/report.js';
import { stageForGates, type StageEvidence } from '../model/scorecard.js';
import { severities, type Severity } from '../model/severity.js';
import { stageOrdinal, type PillarId, type Stage, type AssessedStage } from '../model/ztmm.js';

export interface GateThresholds {
  /** Fail when a failing finding has this severity or higher; `none` never fails on findings. */
  readonly failOn: Severity | 'none';
  /**
   * Minimum proven stage per pillar or overall. A target not assessed falls short of every stage;
   * one with insufficient evidence meets Traditional only (scoring.md §5).
   */
  readonly minStages: readonly { readonly target: PillarId | 'overall'; readonly stage: Stage }[];
  /** Minimum ZTMM coverage (rows assessed / 37), 0..1. */
  readonly minCoverage: number | undefined;
  /** Accept an audit whose collection could not read everything (--allow-incomplete): the gaps are still reported. */
  readonly allowIncomplete?: boolean;
  /**
   * --gate-per-target: `minStages` hold for every target (account, cluster, tenant) on its
   * own too; a pillar only where the target assessed rows of it.
   */
  readonly perTarget?: boolean;
}

export interface GateOutcome {
  /** Failing findings at or above --fail-on (with a baseline: new ones only). */
  readonly findingsAtOrAbove: number;
  /** With a baseline: overall, pillar or row stages lower than in the baseline. */
  readonly stageRegressions: readonly StageRegression[];
  readonly stageShortfalls: readonly {
    readonly target: string;
    /** With --gate-per-target: the target (account, cluster, tenant) whose own stage falls short; absent for the whole. */
    readonly source?: string;
    readonly required: Stage;
    readonly actual: AssessedStage;
    /** The target's evidence: with `actual` not_assessed and rows assessed, its stage above Traditional was withheld for too little of it. */
    readonly evidence?: StageEvidence;
  }[];
  readonly coverageShortfall: { readonly required: number; readonly actual: number } | undefined;
  /** No resources at all, or a source that contributed none: the audit is incomplete. */
  readonly emptySources: readonly string[];
  readonly nothingAudited: boolean;
  /** What collection could not read (denied, failed, skipped input); incomplete unless allowed. */
  readonly gaps: CollectionGaps;
  readonly gapsAllowed: boolean;
  /** Collection issues the catalogue classes as bugs in zt (a collector that crashed, a mapping that broke its kind's schema): exit 4. */
  readonly internalIssues: readonly CollectionIssue[];
}

/**
 * Issues whose code the catalogue classes `internal` (ZT_COLLECT_CRASHED, ZT_COLLECT_MALFORMED, ZT_ANALYSIS_CRASHED):
 * the run carried on without what they dropped, and exits 4 once its outputs are written.
 */
export function internalIssues(issues: readonly CollectionIssue[]): CollectionIssue[] {
  return issues.filter((issue) => exitClassOf(issue.code) === 'internal');
}

/** Applies the CI thresholds to a report. Pure; the exit code is decided from this. */
export { silentSources };

export function evaluateGate(report: Report, thresholds: GateThresholds): GateOutcome {
  const severityOf = new Map(report.rules.map((r) => [r.id, r.severity]));
  const limit = thresholds.failOn === 'none' ? -1 : severities.indexOf(thresholds.failOn);
  // With a baseline, only findings it does not know fail the gate ("fail on regressions only").
  const isNew = report.baseline ? new Set(report.baseline.newFindings) : undefined;
  const findingsAtOrAbove =
    limit < 0
      ? 0
      : report.findings.filter((f) => {
          const severity = severityOf.get(f.ruleId);
          return f.status === 'fail' && severity !== undefined && severities.indexOf(severity) <= limit && (!isNew || isNew.has(f.fingerprint));
        }).length;
  // Nothing assessed is below every stage. Insufficient evidence (stage not_assessed, rows assessed)
  // meets Traditional, the floor any evidence proves, and nothing above it (scoring.md §3, §5).
  const stageShortfalls: GateOutcome['stageShortfalls'][number][] = thresholds.minStages.flatMap(({ target, stage }) => {
    const scored = target === 'overall' ? report.score.overall : report.score.pillars.find((p) => p.id === target);
    const actual = scored?.stage;
    const held = scored ? stageForGates(scored) : 'not_assessed';
    const reached = held === 'not_assessed' ? -1 : stageOrdinal(held);
    if (reached >= stageOrdinal(stage)) return [];
    return [{ target, required: stage, actual: actual ?? 'not_assessed', ...(scored?.evidence ? { evidence: scored.evidence } : {}) }];
  });
  if (thresholds.perTarget) stageShortfalls.push(...targetShortfalls(report, thresholds.minStages));
  const coverage = report.score.overall.coverage;
  // A chosen source that contributed nothing (bad credentials, empty export) makes the audit incomplete.
  const emptySources = silentSources(report).map((s) => `${s.collector} (${s.source})`);
  return {
    findingsAtOrAbove,
    stageRegressions: report.baseline?.stageRegressions ?? [],
    stageShortfalls,
    coverageShortfall:
      thresholds.minCoverage !== undefined && coverage < thresholds.minCoverage
        ? { required: thresholds.minCoverage, actual: coverage }
        : undefined,
    emptySources,
    nothingAudited: report.inventory.resourceCount === 0,
    gaps: collectionGaps(report.inventory.coverage, report.inventory.issues),
    gapsAllowed: thresholds.allowIncomplete === true,
    internalIssues: internalIssues(report.inventory.issues),
  };
}

/**
 * The stage a target's roll-up holds for a gate: its stage, or Traditional when it was
 * withheld for too little evidence (as stageForGates does for the whole).
 */
function heldStage(rollUp: { readonly stage: AssessedStage; readonly assessedStage: AssessedStage }): AssessedStage {
  if (rollUp.stage !== 'not_assessed') return rollUp.stage;
  return rollUp.assessedStage === 'not_assessed' ? 'not_assessed' : 'traditional';
}

/** Each target's shortfalls against --min-stage. */
function targetShortfalls(report: Report, minStages: GateThresholds['minStages']): GateOutcome['stageShortfalls'][number][] {
  const out: GateOutcome['stageShortfalls'][number][] = [];
  for (const target of report.targets ?? []) {
    for (const { target: which, stage } of minStages) {
      const rollUp = which === 'overall' ? target.overall : target.pillars.find((p) => p.id === which);
      // A pillar no rule of the target's kinds gates is outside it (an AWS account has no
      // devices); one in scope whose rows could not be assessed falls short like any other.
      if (!rollUp || ('rowsInScope' in rollUp && rollUp.rowsInScope === 0)) continue;
      const held = heldStage(rollUp);
      if ((held === 'not_assessed' ? -1 : stageOrdinal(held)) >= stageOrdinal(stage)) continue;
      out.push({ target: which, source: target.source, required: stage, actual: held });
    }
  }
  return out;
}

export function gateFailed(outcome: GateOutcome): boolean {
  return outcome.findingsAtOrAbove > 0 || outcome.stageShortfalls.length > 0 || outcome.stageRegressions.length > 0;
}

export function gateInternal(outcome: GateOutcome): boolean {
  return outcome.internalIssues.length > 0;
}

export function gateIncomplete(outcome: GateOutcome): boolean {
  return (
    outcome.nothingAudited || outcome.coverageShortfall !== undefined || outcome.emptySources.length > 0 || (!outcome.gapsAllowed && hasGaps(outcome.gaps))
  );
}
