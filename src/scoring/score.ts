import type { Finding, RuleResult, RuleStatus } from '../model/finding.js';
import type { Blocker, PillarScore, RankedFix, RowScore, ScoreCard } from '../model/scorecard.js';
import { ztmmModel } from '../model/ztmm-v2.js';
import { gateStages, type pillarIds, stageOrder, stageOrdinal, type GateStage, type Stage, type AssessedStage } from '../model/ztmm.js';
import type { RuleDefinition } from '../ruleset/rule.js';
import { needsFor } from './needs.js';

const MAX_FAILING_LISTED = 10;
const MAX_NEXT_STEPS = 25;

/** One gate of one rule, as the roll-up sees it. */
interface GateView {
  readonly rule: RuleDefinition;
  readonly result: RuleResult;
  readonly stage: GateStage;
  readonly status: RuleStatus;
  readonly threshold: number;
}

type Reading = 'pass' | 'fail' | 'unknown' | 'neutral';

/**
 * How a gate reads. A pass on partially collected data is unknown (the unseen part
 * might fail); errors and checks that could not run are unknown; not_applicable is
 * neutral: it neither blocks nor proves a stage.
 */
function reading(gate: GateView): Reading {
  switch (gate.status) {
    case 'pass':
      return gate.result.coverage === 'complete' ? 'pass' : 'unknown';
    case 'fail':
      return 'fail';
    case 'error':
      return 'unknown';
    case 'not_evaluated':
      // A system the audit did not include is out of scope, not missing evidence.
      return gate.result.notEvaluatedReason === 'collector_disabled' ? 'neutral' : 'unknown';
    case 'not_applicable':
      return 'neutral';
    default:
      return gate.status satisfies never;
  }
}

/**
 * Cumulative gate: stage S is reached when every gate at initial..S holds and S itself
 * has at least one gate that holds (a stage with no evidence is never claimed).
 * `optimistic` counts unknowns as holding (the possible stage); otherwise as failing.
 */
function reachedStage(gates: readonly GateView[], optimistic: boolean): Stage {
  let reached: Stage = 'traditional';
  for (const stage of gateStages) {
    const atStage = gates.filter((g) => g.stage === stage).map(reading);
    const holds = (r: Reading) => r === 'pass' || r === 'neutral' || (optimistic && r === 'unknown');
    const evidence = (r: Reading) => r === 'pass' || (optimistic && r === 'unknown');
    if (!atStage.every(holds) || !atStage.some(evidence)) break;
    reached = stage;
  }
  return reached;
}

function nextStageOf(stage: AssessedStage): GateStage | undefined {
  const index = stage === 'not_assessed' ? 0 : stageOrdinal(stage);
  return gateStages.find((s) => stageOrdinal(s) === index + 1);
}

function blockerOf(gate: GateView, failingByRule: ReadonlyMap<string, string[]>): Blocker {
  const r = reading(gate);
  const failing = failingByRule.get(gate.rule.id) ?? [];
  const unknown = r === 'unknown' && gate.status !== 'error';
  return {
    ruleId: gate.rule.id,
    title: gate.rule.title,
    status: gate.status === 'pass' ? 'not_evaluated' : (gate.status as Blocker['status']),
    stage: gate.stage,
    passRate: gate.result.passRate,
    threshold: gate.threshold,
    failing: failing.slice(0, MAX_FAILING_LISTED),
    failingCount: gate.result.counts.fail + gate.result.counts.error,
    ...(unknown
      ? {
          reason: gate.result.notEvaluatedReason ?? 'input_missing',
          needs:
            gate.result.coverage === 'partial'
              ? `complete data for ${gate.rule.kind} (only part of it could be read)`
              : needsFor(gate.rule.kind, gate.result.notEvaluatedReason),
        }
      : {}),
  };
}

function scoreRow(
  row: (typeof ztmmModel.pillars)[number]['rows'][number],
  pillar: (typeof pillarIds)[number],
  rules: readonly RuleDefinition[],
  results: ReadonlyMap<string, RuleResult>,
  failingByRule: ReadonlyMap<string, string[]>,
): RowScore {
  const rowRules = rules.filter((r) => r.row === row.id);
  const gates: GateView[] = rowRules
    .filter((r) => !r.supporting)
    .flatMap((rule) => {
      const result = results.get(rule.id);
      if (!result) return [];
      return result.gates.map((g) => ({ rule, result, stage: g.stage, status: g.status, threshold: g.threshold }));
    });
  const assessed = gates.some((g) => g.status === 'pass' || g.status === 'fail' || g.status === 'error');
  const proven = reachedStage(gates, false);
  const possible = reachedStage(gates, true);
  const canReachAnything = gates.some((g) => reading(g) !== 'neutral');
  const stage: AssessedStage = assessed ? proven : 'not_assessed';
  const possibleStage: AssessedStage = assessed || canReachAnything ? possible : 'not_assessed';

  const next = nextStageOf(stage);
  let score: number | null = null;
  if (assessed) {
    const nextGates = next ? gates.filter((g) => g.stage === next && reading(g) !== 'neutral') : [];
    const progress = nextGates.length === 0 ? 0 : nextGates.filter((g) => reading(g) === 'pass').length / nextGates.length;
    score = round2(stageOrdinal(proven) + progress);
  }
  const blockingGates = next
    ? gates.filter((g) => stageOrdinal(g.stage) <= stageOrdinal(next) && reading(g) !== 'pass' && reading(g) !== 'neutral')
    : [];
  const hasNextGates = next !== undefined && gates.some((g) => g.stage === next && reading(g) !== 'neutral');
  return {
    id: row.id,
    name: row.name,
    pillar,
    stage,
    possibleStage,
    score,
    rules: rowRules.map((r) => ({ ruleId: r.id, status: results.get(r.id)?.status ?? 'not_evaluated', gating: !r.supporting })),
    ...(next && hasNextGates ? { next: { stage: next, blockers: blockingGates.map((g) => blockerOf(g, failingByRule)) } } : {}),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The weakest of several stages, and a 0–3 figure: that stage + mean progress of the parts beyond it. */
function rollUp(parts: readonly { stage: AssessedStage; possibleStage: AssessedStage; score: number | null }[]): {
  stage: AssessedStage;
  possibleStage: AssessedStage;
  score: number | null;
} {
  const assessed = parts.filter((p) => p.stage !== 'not_assessed' && p.score !== null);
  const weakest = (stages: Stage[]): AssessedStage =>
    stages.length === 0 ? 'not_assessed' : (stageOrder[Math.min(...stages.map(stageOrdinal))] as Stage);
  const stage = weakest(assessed.map((p) => p.stage as Stage));
  const possibleStage = weakest(parts.filter((p) => p.possibleStage !== 'not_assessed').map((p) => p.possibleStage as Stage));
  if (stage === 'not_assessed') return { stage, possibleStage, score: null };
  const base = stageOrdinal(stage);
  const progress = assessed.reduce((sum, p) => sum + Math.min(1, Math.max(0, (p.score as number) - base)), 0) / assessed.length;
  return { stage, possibleStage, score: round2(base + progress) };
}

function rankNextSteps(rows: readonly RowScore[]): RankedFix[] {
  const byRule = new Map<string, { unlocks: Set<string>; contributes: Set<string> }>();
  const byResource = new Map<string, { ruleId: string; rows: Set<string>; unlocks: Set<string> }>();
  for (const row of rows) {
    const blockers = row.next?.blockers ?? [];
    // Only evidence-backed blockers are fixes; checks that could not run are listed per
    // row with what they need, not ranked as fixes.
    for (const blocker of blockers.filter((b) => b.status !== 'not_evaluated')) {
      const entry = byRule.get(blocker.ruleId) ?? { unlocks: new Set<string>(), contributes: new Set<string>() };
      (blockers.length === 1 ? entry.unlocks : entry.contributes).add(row.id);
      byRule.set(blocker.ruleId, entry);
      for (const resourceId of blocker.failing) {
        const key = `${blocker.ruleId}\u0000${resourceId}`;
        const r = byResource.get(key) ?? { ruleId: blocker.ruleId, rows: new Set<string>(), unlocks: new Set<string>() };
        r.rows.add(row.id);
        if (blockers.length === 1 && blocker.failingCount === 1) r.unlocks.add(row.id);
        byResource.set(key, r);
      }
    }
  }
  const fixes: RankedFix[] = [...byRule].map(([ruleId, e]) => ({
    ruleId,
    unlocks: [...e.unlocks].sort(),
    contributesTo: [...e.contributes].sort(),
  }));
  // A single resource is worth listing on its own when fixing it alone unlocks a row.
  for (const [key, r] of byResource) {
    if (r.unlocks.size === 0) continue;
    fixes.push({
      ruleId: r.ruleId,
      resourceId: key.split('\u0000')[1],
      unlocks: [...r.unlocks].sort(),
      contributesTo: [...r.rows].filter((id) => !r.unlocks.has(id)).sort(),
    });
  }
  return fixes
    .sort(
      (a, b) =>
        b.unlocks.length - a.unlocks.length ||
        b.contributesTo.length - a.contributesTo.length ||
        (a.resourceId === undefined ? 0 : 1) - (b.resourceId === undefined ? 0 : 1) ||
        (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
        ((a.resourceId ?? '') < (b.resourceId ?? '') ? -1 : 1),
    )
    .slice(0, MAX_NEXT_STEPS);
}

/** Rolls rule results up to ZTMM rows, pillars and overall (design §7). */
export function score(rules: readonly RuleDefinition[], ruleResults: readonly RuleResult[], findings: readonly Finding[]): ScoreCard {
  const results = new Map(ruleResults.map((r) => [r.ruleId, r]));
  const failingByRule = new Map<string, string[]>();
  // Indexed: runs once over every finding (for…of would allocate per element before optimisation).
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as Finding;
    if (finding.status !== 'fail') continue;
    const list = failingByRule.get(finding.ruleId) ?? [];
    list.push(finding.resource.id);
    failingByRule.set(finding.ruleId, list);
  }
  for (const list of failingByRule.values()) list.sort();

  const pillars: PillarScore[] = ztmmModel.pillars.map((pillar) => {
    const rows = pillar.rows.map((row) => scoreRow(row, pillar.id, rules, results, failingByRule));
    const rolled = rollUp(rows);
    return {
      id: pillar.id,
      name: pillar.name,
      ...rolled,
      rowsAssessed: rows.filter((r) => r.stage !== 'not_assessed').length,
      rowsTotal: rows.length,
      rows,
    };
  });
  const allRows = pillars.flatMap((p) => p.rows);
  const rowsAssessed = allRows.filter((r) => r.stage !== 'not_assessed').length;
  const crossCutting = ztmmModel.crossCutting.map((capability) => {
    const rows = allRows.filter((r) => r.id.endsWith(`.${capability.id}`));
    return { id: capability.id, name: capability.name, stage: rollUp(rows).stage };
  });
  return {
    model: { id: ztmmModel.id, version: ztmmModel.version },
    overall: {
      ...rollUp(pillars),
      rowsAssessed,
      rowsTotal: allRows.length,
      coverage: round2(rowsAssessed / allRows.length),
    },
    pillars,
    crossCutting,
    nextSteps: rankNextSteps(allRows),
  };
}
