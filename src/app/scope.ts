import { unmatchedRulePatterns } from '../engine/scope.js';
import { isScoped, type ScopePatterns } from '../model/scope.js';
import { ZtError } from '../errors/zt-error.js';
import type { Evaluation } from '../engine/results.js';
import { withScope, type Report, type ReportScope } from '../model/report.js';
import { severityRank, type Severity } from '../model/severity.js';
import { didYouMean } from '../text/did-you-mean.js';

/**
 * A --rule or --skip-rule pattern naming no loaded rule is a typo until shown otherwise:
 * `--rule ZT-IDN-01` evaluating nothing would read as a clean run. Exit 2, before any input is read.
 */
export function checkRulePatterns(patterns: ScopePatterns, ruleIds: readonly string[]): void {
  const problems = [
    ...unmatchedRulePatterns(patterns.rules, ruleIds).map((p) => ({ flag: '--rule', pattern: p })),
    ...unmatchedRulePatterns(patterns.skipRules, ruleIds).map((p) => ({ flag: '--skip-rule', pattern: p })),
  ];
  const first = problems[0];
  if (!first) return;
  const text = problems.map((p) => `${p.flag} ${p.pattern}${didYouMean(p.pattern, ruleIds)}`).join('; ');
  throw new ZtError('ZT_USAGE', `${problems.length === 1 ? 'a rule pattern matches' : 'rule patterns match'} no rule: ${text}`, {
    hint: 'Rule ids are listed by `zt rules list`; a pattern is an id or a glob such as ZT-IDN-* (case-insensitive).',
  });
}

/** The report's `scope` for a scoped evaluation; undefined when the run was not scoped (the report is then unchanged, byte for byte). */
export function scopeOf(patterns: ScopePatterns, evaluation: Pick<Evaluation, 'scoped'>): ReportScope | undefined {
  if (!isScoped(patterns) || !evaluation.scoped) return undefined;
  return {
    rules: patterns.rules,
    skipRules: patterns.skipRules,
    namespaces: patterns.namespaces,
    excludeNamespaces: patterns.excludeNamespaces,
    rulesLeftOut: evaluation.scoped.rulesLeftOut,
    resourcesLeftOut: evaluation.scoped.resourcesLeftOut,
    severity: null,
    findingsNotListed: 0,
  };
}

/**
 * --severity: the report as shown, its findings limited to rules of that severity or higher.
 * What was evaluated, scored and gated is unchanged (the gate reads the whole report, with
 * --fail-on): `summary` still counts every failing finding, and `scope` says how many are not listed.
 */
export function listOnly(report: Report, severity: Severity | undefined): Report {
  if (severity === undefined) return report;
  const severityOf = new Map(report.rules.map((r) => [r.id, r.severity]));
  const limit = severityRank(severity);
  const findings = report.findings.filter((f) => {
    const s = severityOf.get(f.ruleId);
    return s !== undefined && severityRank(s) <= limit;
  });
  const scope: ReportScope = report.scope ?? {
    rules: [],
    skipRules: [],
    namespaces: [],
    excludeNamespaces: [],
    rulesLeftOut: [],
    resourcesLeftOut: 0,
    severity: null,
    findingsNotListed: 0,
  };
  return withScope({ ...report, findings }, { ...scope, severity, findingsNotListed: report.findings.length - findings.length });
}
