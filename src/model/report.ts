import type { BaselineComparison } from './baseline-comparison.js';
import type { CollectionIssue, KindCoverage, SnapshotSource } from './coverage.js';
import type { Finding, RuleResult } from './finding.js';
import type { ScoreCard } from './scorecard.js';
import type { Severity } from './severity.js';
import type { TargetScore } from './target-score.js';
import type { WaiverSummary } from './waiver.js';

export const REPORT_SCHEMA_VERSION = 1;

/** What a report says about each rule (no expressions: a report is for readers, not the engine). */
export interface ReportRule {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly severity: Severity;
  readonly pillar: string;
  readonly row: string;
  readonly gates: readonly { readonly stage: string; readonly quantifier: string }[];
  readonly supporting: boolean;
  readonly remediation: string;
  readonly references: readonly string[];
  /** Rule file and the line of its assert expression (SARIF points here for live resources). */
  readonly file: string;
  readonly line: number;
}

/**
 * What a scoped run left out (--rule, --skip-rule, --namespace, --exclude-namespace,
 * --severity). Present only when the run was scoped, so a scoped report never reads as a
 * whole posture: every human format says so in its heading.
 */
export interface ReportScope {
  /** --rule and --skip-rule patterns, as given (ids or globs). */
  readonly rules: readonly string[];
  readonly skipRules: readonly string[];
  /** --namespace and --exclude-namespace patterns, as given. */
  readonly namespaces: readonly string[];
  readonly excludeNamespaces: readonly string[];
  /** Rules left out: not evaluated (reason `out_of_scope`), so no stage they gate is proven. */
  readonly rulesLeftOut: readonly string[];
  /** Kubernetes namespaced resources outside the namespaces: no rule evaluated them. */
  readonly resourcesLeftOut: number;
  /** --severity: findings of rules below it are not listed (still counted in `summary`, scored and gated); null when not given. */
  readonly severity: Severity | null;
  readonly findingsNotListed: number;
}

/**
 * The versioned audit report: the one input of every reporter. Sorted and free of
 * wall-clock values (its times are those of the evidence: inventory.collectedAt and each
 * source's asOf), so the same snapshot and
 * rules always give the same report, byte for byte. Its JSON form is documented in docs/report-format.md.
 */
export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'zt'; readonly version: string };
  /** Present when the run was scoped: what it left out. */
  readonly scope?: ReportScope;
  readonly inventory: {
    /** The latest as-of time of the sources; null when no source says when it was taken (see each source's asOf). */
    readonly collectedAt: string | null;
    readonly sources: readonly SnapshotSource[];
    readonly coverage: Readonly<Record<string, KindCoverage>>;
    readonly issues: readonly CollectionIssue[];
    readonly resourceCount: number;
    readonly resourcesByKind: Readonly<Record<string, number>>;
    /** Resources each collector contributed. */
    readonly resourcesByCollector: Readonly<Record<string, number>>;
    /** Resources each source (target) contributed; a chosen source with 0 makes the audit incomplete (exit 3). */
    readonly resourcesBySource: Readonly<Record<string, number>>;
  };
  readonly rules: readonly ReportRule[];
  readonly ruleResults: readonly RuleResult[];
  /** fail, error and waived findings (passes are counted in ruleResults; listed too with --include-passes), sorted by rule id then resource id. */
  readonly findings: readonly Finding[];
  /** Waivers applied, expired (no longer applying) and unused. */
  readonly waivers: WaiverSummary;
  /** Present with --baseline: new findings, resolved ones and stage regressions. */
  readonly baseline?: BaselineComparison;
  readonly score: ScoreCard;
  /**
   * With two targets or more (accounts, clusters, tenants): each one's own verdicts and
   * scores, sorted by source; `score` is the whole estate's. Absent with one target.
   */
  readonly targets?: readonly TargetScore[];
  readonly summary: {
    /** Failing findings (not waived, not errors) by rule severity. */
    readonly findingsBySeverity: Readonly<Record<Severity, number>>;
    readonly waivedFindings: number;
    readonly rulesByStatus: Readonly<Record<string, number>>;
  };
}

/**
 * Chosen sources that contributed no resources (bad credentials, no kubeconfig, an unknown
 * context, an empty export): judged per source, so one of several clusters or accounts
 * failing is seen although its collector's other sources returned plenty.
 */
export function silentSources(report: Report): Report['inventory']['sources'] {
  return report.inventory.sources.filter((s) => (report.inventory.resourcesBySource[s.source] ?? 0) === 0);
}

/** The report with its scope set, placed after `tool` so key order stays fixed. */
export function withScope(report: Report, scope: ReportScope): Report {
  const { schemaVersion, tool, scope: _previous, ...rest } = report;
  return { schemaVersion, tool, scope, ...rest };
}
