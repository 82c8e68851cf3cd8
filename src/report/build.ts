import type { EvaluationResult } from '../engine/results.js';
import type { Snapshot } from '../inventory/snapshot.js';
import type { BaselineComparison } from '../model/baseline-comparison.js';
import type { Finding } from '../model/finding.js';
import { REPORT_SCHEMA_VERSION, type Report, type ReportRule } from '../model/report.js';
import type { ScoreCard } from '../model/scorecard.js';
import type { TargetScore } from '../model/target-score.js';
import { severities, type Severity } from '../model/severity.js';
import type { RuleDefinition } from '../ruleset/rule.js';
import { compareStrings } from '../text/order.js';

export interface BuildReportInput {
  readonly snapshot: Snapshot;
  readonly rules: readonly RuleDefinition[];
  readonly evaluation: EvaluationResult;
  readonly score: ScoreCard;
  /** Each target's own scores (report/targets.ts); empty or absent with one target. */
  readonly targets?: readonly TargetScore[];
  readonly toolVersion: string;
}

function reportRule(rule: RuleDefinition): ReportRule {
  return {
    id: rule.id,
    title: rule.title,
    kind: rule.kind,
    severity: rule.severity,
    pillar: rule.pillar,
    row: rule.row,
    gates: rule.gates.map((g) => ({ stage: g.stage, quantifier: g.quantifier })),
    supporting: rule.supporting,
    remediation: rule.remediation,
    references: rule.references,
    file: rule.source.file,
    line: rule.source.lines.assert ?? 1,
  };
}

const byRuleThenResource = (a: Finding, b: Finding): number =>
  compareStrings(a.ruleId, b.ruleId) || compareStrings(a.resource.kind, b.resource.kind) || compareStrings(a.resource.id, b.resource.id);

/** The findings in report order: as evaluate gives them (already in that order, checked in one pass), else a sorted copy. */
function inReportOrder(findings: readonly Finding[]): readonly Finding[] {
  for (let i = 1; i < findings.length; i++) {
    if (byRuleThenResource(findings[i - 1] as Finding, findings[i] as Finding) > 0) return [...findings].sort(byRuleThenResource);
  }
  return findings;
}

/** Assembles the versioned report. Everything is sorted so equal inputs give equal bytes. */
export function buildReport(input: BuildReportInput): Report {
  const { snapshot, rules, evaluation, score } = input;
  const severityOf = new Map(rules.map((r) => [r.id, r.severity]));
  const findingsBySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
  // Indexed loops over the large arrays (findings, resources): run once, these loops stay
  // unoptimised long enough for for…of to allocate an iterator result per element.
  const { findings } = evaluation;
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as Finding;
    const severity = finding.status === 'fail' ? severityOf.get(finding.ruleId) : undefined;
    if (severity) findingsBySeverity[severity]++;
  }
  const rulesByStatus: Record<string, number> = { pass: 0, fail: 0, error: 0, not_applicable: 0, not_evaluated: 0 };
  for (const result of evaluation.ruleResults) rulesByStatus[result.status] = (rulesByStatus[result.status] ?? 0) + 1;
  const resourcesByKind: Record<string, number> = {};
  const resourcesByCollector: Record<string, number> = {};
  const resourcesBySource: Record<string, number> = {};
  for (let i = 0; i < snapshot.resources.length; i++) {
    const resource = snapshot.resources[i] as Snapshot['resources'][number];
    resourcesByKind[resource.kind] = (resourcesByKind[resource.kind] ?? 0) + 1;
    const { collector, source } = resource.provenance;
    resourcesByCollector[collector] = (resourcesByCollector[collector] ?? 0) + 1;
    resourcesBySource[source] = (resourcesBySource[source] ?? 0) + 1;
  }

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'zt', version: input.toolVersion },
    inventory: {
      collectedAt: snapshot.collectedAt,
      sources: [...snapshot.sources].sort((a, b) => compareStrings(a.collector, b.collector) || compareStrings(a.source, b.source)),
      coverage: Object.fromEntries(Object.entries(snapshot.coverage).sort(([a], [b]) => compareStrings(a, b))),
      issues: [...snapshot.issues].sort(
        (a, b) => compareStrings(a.collector, b.collector) || compareStrings(a.code, b.code) || compareStrings(a.message, b.message),
      ),
      resourceCount: snapshot.resources.length,
      resourcesByKind: Object.fromEntries(Object.entries(resourcesByKind).sort(([a], [b]) => compareStrings(a, b))),
      resourcesByCollector: Object.fromEntries(Object.entries(resourcesByCollector).sort(([a], [b]) => compareStrings(a, b))),
      resourcesBySource: Object.fromEntries(Object.entries(resourcesBySource).sort(([a], [b]) => compareStrings(a, b))),
    },
    rules: [...rules].sort((a, b) => compareStrings(a.id, b.id)).map(reportRule),
    ruleResults: [...evaluation.ruleResults].sort((a, b) => compareStrings(a.ruleId, b.ruleId)),
    findings: inReportOrder(evaluation.findings),
    waivers: evaluation.waivers,
    score,
    ...(input.targets && input.targets.length > 0 ? { targets: input.targets } : {}),
    summary: { findingsBySeverity, waivedFindings: evaluation.findings.filter((f) => f.status === 'waived').length, rulesByStatus },
  };
}

/** The report with a baseline comparison, placed after `waivers` so key order stays fixed. */
export function attachBaseline(report: Report, comparison: BaselineComparison): Report {
  const { score, summary, ...head } = report;
  return { ...head, baseline: comparison, score, summary };
}
