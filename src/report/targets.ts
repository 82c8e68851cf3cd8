import type { EvaluationResult } from '../engine/results.js';
import { leftOutResult, ruleResult, withWaived, type Counts } from '../engine/verdict.js';
import { kindsProducedBy, type CollectorId, type Kind } from '../inventory/kinds/index.js';
import type { Snapshot } from '../inventory/snapshot.js';
import type { CoverageReason, KindCoverage } from '../model/coverage.js';
import type { Finding, RuleResult } from '../model/finding.js';
import { severities, type Severity } from '../model/severity.js';
import type { TargetScore } from '../model/target-score.js';
import type { RuleDefinition } from '../ruleset/rule.js';
import { score } from '../scoring/score.js';
import { compareStrings } from '../text/order.js';

const NO_COUNTS: Counts = Object.freeze({ pass: 0, fail: 0, error: 0, skip: 0, waived: 0 });

/**
 * What one source read of each kind: its own entry when the snapshot keeps coverage per
 * source, the snapshot's when it has that one source only, else the snapshot's worst over
 * every source (never better than the truth).
 */
export function coverageOfSource(snapshot: Snapshot, source: string): Readonly<Partial<Record<Kind, KindCoverage>>> {
  return snapshot.coverageBySource?.[source] ?? snapshot.coverage;
}

/** Per source, how many resources of each kind it holds. */
function resourcesPerSource(snapshot: Snapshot): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (let i = 0; i < snapshot.resources.length; i++) {
    const resource = snapshot.resources[i] as Snapshot['resources'][number];
    let kinds = out.get(resource.provenance.source);
    if (!kinds) out.set(resource.provenance.source, (kinds = new Map<string, number>()));
    kinds.set(resource.kind, (kinds.get(resource.kind) ?? 0) + 1);
  }
  return out;
}

/** Findings by the source of their resource. */
function findingsPerSource(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as Finding;
    let list = out.get(finding.resource.source);
    if (!list) out.set(finding.resource.source, (list = []));
    list.push(finding);
  }
  return out;
}

/**
 * The rule results of one target: its counts judged with its own coverage (a kind it did
 * not read is not evaluated there, whatever other targets read), then its waived fails
 * taken out, as for the whole.
 */
export function judgeTarget(
  rules: readonly RuleDefinition[],
  tally: { readonly counts: ReadonlyMap<string, Counts>; readonly unknownReason: ReadonlyMap<string, CoverageReason> } | undefined,
  coverage: Readonly<Partial<Record<Kind, KindCoverage>>>,
  held: ReadonlyMap<string, number>,
  findings: readonly Finding[],
  leftOut: ReadonlySet<string> = new Set(),
): RuleResult[] {
  const waived = new Map<string, number>();
  for (const f of findings) if (f.status === 'waived') waived.set(f.ruleId, (waived.get(f.ruleId) ?? 0) + 1);
  return rules.map((rule) => {
    // Left out by a scoped run: unknown here as for the whole, never read as not applicable.
    if (leftOut.has(rule.id)) return leftOutResult(rule, coverage[rule.kind]?.state ?? ((held.get(rule.kind) ?? 0) > 0 ? 'complete' : 'missing'));
    const counts = tally?.counts.get(rule.id) ?? NO_COUNTS;
    const result = ruleResult(rule, { ...counts }, coverage[rule.kind], (held.get(rule.kind) ?? 0) > 0, true, tally?.unknownReason.get(rule.id));
    return withWaived(rule, result, waived.get(rule.id) ?? 0);
  });
}

/**
 * Every target's own verdicts and scores, sorted by source. A target is judged on its
 * resources alone, with its own coverage: a gap in one account is not a gap in another,
 * and one cluster's failures do not pull down the next. Rules of kinds the target's
 * collector does not produce are outside it. Empty with fewer than two targets (the
 * whole is then that target).
 */
export function targetScores(snapshot: Snapshot, rules: readonly RuleDefinition[], evaluation: EvaluationResult): TargetScore[] {
  if (snapshot.sources.length < 2 || !evaluation.byTarget) return [];
  const byTarget = evaluation.byTarget;
  const resources = resourcesPerSource(snapshot);
  const findings = findingsPerSource(evaluation.findings);
  const severityOf = new Map(rules.map((r) => [r.id, r.severity]));
  const leftOut = new Set(evaluation.scoped?.rulesLeftOut ?? []);
  return [...snapshot.sources]
    .sort((a, b) => compareStrings(a.source, b.source))
    .map((target) => {
      const kinds = new Set<string>(kindsProducedBy(target.collector as CollectorId));
      const own = rules.filter((rule) => kinds.has(rule.kind));
      const coverage = coverageOfSource(snapshot, target.source);
      const held = resources.get(target.source) ?? new Map<string, number>();
      const tally = byTarget.get(target.source);
      const targetFindings = findings.get(target.source) ?? [];
      const results = judgeTarget(own, tally, coverage, held, targetFindings, leftOut);
      const card = score(own, results, targetFindings);
      const rowsInScope = new Map<string, Set<string>>();
      for (const rule of own) {
        let rows = rowsInScope.get(rule.pillar);
        if (!rows) rowsInScope.set(rule.pillar, (rows = new Set()));
        rows.add(rule.row);
      }
      const findingsBySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
      for (const f of targetFindings) {
        const severity = f.status === 'fail' ? severityOf.get(f.ruleId) : undefined;
        if (severity) findingsBySeverity[severity]++;
      }
      const rulesByStatus: Record<string, number> = { pass: 0, fail: 0, error: 0, not_applicable: 0, not_evaluated: 0 };
      for (const r of results) rulesByStatus[r.status] = (rulesByStatus[r.status] ?? 0) + 1;
      let resourceCount = 0;
      for (const n of held.values()) resourceCount += n;
      return {
        source: target.source,
        collector: target.collector,
        asOf: target.asOf ?? null,
        resourceCount,
        overall: {
          stage: card.overall.stage,
          possibleStage: card.overall.possibleStage,
          assessedStage: card.overall.evidence.assessedStage,
          score: card.overall.score,
          rowsAssessed: card.overall.rowsAssessed,
        },
        pillars: card.pillars.map((p) => ({
          id: p.id,
          stage: p.stage,
          possibleStage: p.possibleStage,
          assessedStage: p.evidence.assessedStage,
          score: p.score,
          rowsAssessed: p.rowsAssessed,
          rowsTotal: p.rowsTotal,
          rowsInScope: rowsInScope.get(p.id)?.size ?? 0,
        })),
        findingsBySeverity,
        rulesByStatus,
        incompleteKinds: Object.entries(coverage)
          .filter(([kind, c]) => kinds.has(kind) && c !== undefined && c.state !== 'complete' && c.reason !== 'not_installed')
          .map(([kind]) => kind)
          .sort(),
      };
    });
}
