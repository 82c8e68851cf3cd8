import { analyse, analyseInTurns, type AnalysisFailure } from '../analysis/index.js';
import { analysisFailureIssues } from './analysis-issues.js';
import { readBaseline } from '../baseline/baseline.js';
import { compareToBaseline } from '../baseline/compare.js';
import type { CompiledRule } from '../engine/compile.js';
import { evaluate, evaluateInTurns } from '../engine/evaluate.js';
import type { Evaluation, EvaluationResult } from '../engine/results.js';
import { withWaived } from '../engine/verdict.js';
import { InventoryIndex } from '../inventory/index.js';
import type { Snapshot } from '../inventory/snapshot.js';
import { withScope, type Report } from '../model/report.js';
import { evaluationScope } from '../engine/scope.js';
import { isScoped, noScopePatterns, type ScopePatterns } from '../model/scope.js';
import { checkRulePatterns, scopeOf } from './scope.js';
import type { Waiver } from '../model/waiver.js';
import { attachBaseline, buildReport } from '../report/build.js';
import { targetScores } from '../report/targets.js';
import { score } from '../scoring/score.js';
import { applyWaivers, WaiverSet } from '../waivers/apply.js';
import { readWaivers } from '../waivers/load.js';
import { loadInputs, prefetchSnapshots, type InputSelection } from './inputs.js';
import { loadRules, type LoadedRules, type RuleSelection } from './rules.js';

/** A file to read, and how reports name it (relative to the working directory, so reports do not depend on the machine). */
export interface FileRef {
  readonly path: string;
  readonly display: string;
}

export interface AuditOptions {
  readonly rules: RuleSelection;
  readonly inputs: InputSelection;
  /** Waivers file (path to read, and the name reports show); undefined for none. */
  readonly waivers?: FileRef | undefined;
  /** Baseline file: only new findings and stage regressions then fail the gate. */
  readonly baseline?: FileRef | undefined;
  readonly includePasses?: boolean;
  /** A scoped run (--rule, --skip-rule, --namespace, --exclude-namespace); the report's `scope` says what it left out. */
  readonly scope?: ScopePatterns;
  readonly toolVersion: string;
  readonly progress?: (message: string) => void;
}

/** The evaluation with waivers applied: waived fails leave their rules' denominators, so those rules are judged again. */
function waive(evaluation: Evaluation, rules: readonly CompiledRule[], waivers: WaiverSet): EvaluationResult {
  const { findings, waivedByRule } = applyWaivers(evaluation.findings, waivers);
  // ruleResults are in the order of the rules evaluated.
  const ruleResults = evaluation.ruleResults.map((result, i) => withWaived((rules[i] as CompiledRule).definition, result, waivedByRule.get(result.ruleId) ?? 0));
  return { findings, ruleResults, ...(evaluation.byTarget ? { byTarget: evaluation.byTarget } : {}), waivers: waivers.summary() };
}

type WaiverInput = { readonly list: readonly Waiver[]; readonly file?: string };

/** The snapshot with an internal issue per analyser that threw, so the report names it and zt exits 4. */
function withAnalysisFailures(snapshot: Snapshot, failures: readonly AnalysisFailure[]): Snapshot {
  if (failures.length === 0) return snapshot;
  return { ...snapshot, issues: [...snapshot.issues, ...analysisFailureIssues(failures)] };
}

/** waivers → score → report, once the rules were evaluated. */
function reportOf(snapshot: Snapshot, rules: LoadedRules, toolVersion: string, waivers: WaiverInput, evaluated: Evaluation, scope: ScopePatterns = noScopePatterns): Report {
  const evaluation = waive(evaluated, rules.compiled, new WaiverSet(waivers.list, snapshot.collectedAt, waivers.file));
  const scorecard = score(rules.definitions, evaluation.ruleResults, evaluation.findings);
  const targets = targetScores(snapshot, rules.definitions, evaluation);
  const report = buildReport({ snapshot, rules: rules.definitions, evaluation, score: scorecard, targets, toolVersion });
  const scoped = scopeOf(scope, evaluated);
  return scoped ? withScope(report, scoped) : report;
}

/** Evaluates loaded rules over a snapshot: analyse → evaluate → waivers → score → report. Pure. */
export function auditSnapshot(snapshot: Snapshot, rules: LoadedRules, toolVersion: string, waivers: WaiverInput = { list: [] }, includePasses = false): Report {
  const inventory = new InventoryIndex(snapshot);
  const facts = analyse(inventory);
  return reportOf(withAnalysisFailures(snapshot, facts.failures), rules, toolVersion, waivers, evaluate(inventory, facts, rules.compiled, { includePasses }));
}

/** The next turn of the event loop: a pending signal (Ctrl-C) is handled there, between the steps of a long audit. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `auditSnapshot` with a turn of the event loop between analysers and between kinds, so Ctrl-C stops it promptly. */
async function auditInTurns(
  snapshot: Snapshot,
  rules: LoadedRules,
  toolVersion: string,
  waivers: WaiverInput,
  includePasses: boolean,
  scope: ScopePatterns,
  progress: (message: string) => void,
): Promise<Report> {
  const inventory = new InventoryIndex(snapshot);
  progress(`Analysing ${plural(snapshot.resources.length, 'resource')}`);
  await nextTurn();
  const facts = await analyseInTurns(inventory, nextTurn);
  const options = isScoped(scope) ? { includePasses, scope: evaluationScope(scope) } : { includePasses };
  const evaluating = isScoped(scope) ? rules.compiled.filter((r) => options.scope?.ruleInScope(r.definition.id)).length : rules.compiled.length;
  progress(`Evaluating ${plural(evaluating, 'rule')} over ${plural(snapshot.resources.length, 'resource')}`);
  const evaluated = await evaluateInTurns(inventory, facts, rules.compiled, options, nextTurn);
  progress('Scoring against CISA ZTMM v2.0');
  await nextTurn();
  return reportOf(withAnalysisFailures(snapshot, facts.failures), rules, toolVersion, waivers, evaluated, scope);
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The audit use-case: rules first (all errors before any input is read), then inputs, then the pipeline. */
export async function audit(options: AuditOptions): Promise<Report> {
  const progress = options.progress ?? (() => {});
  const inputs = prefetchSnapshots(options.inputs);
  progress('Loading rules');
  const rules = await loadRules(options.rules);
  const scope = options.scope ?? noScopePatterns;
  checkRulePatterns(scope, rules.definitions.map((r) => r.id));
  const waivers = options.waivers ? await readWaivers(options.waivers.path, options.waivers.display, rules.definitions.map((r) => r.id)) : [];
  const baseline = options.baseline ? await readBaseline(options.baseline.path) : undefined;
  // The collectors say what they read as they go (their own progress lines).
  const collectors = inputs.collectors ?? [];
  progress(collectors.length > 0 ? `Collecting: ${collectors.map((c) => c.description).join(', ')}` : 'Reading inputs');
  const snapshot = await loadInputs(inputs);
  const report = await auditInTurns(
    snapshot,
    rules,
    options.toolVersion,
    { list: waivers, ...(options.waivers ? { file: options.waivers.display } : {}) },
    options.includePasses === true,
    scope,
    progress,
  );
  return baseline && options.baseline ? attachBaseline(report, compareToBaseline(report, baseline, options.baseline.display)) : report;
}
