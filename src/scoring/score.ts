import type { Finding, RuleResult, RuleStatus } from '../model/finding.js';
import type { Blocker, PillarScore, RankedFix, RowScore, ScoreCard, StageEvidence } from '../model/scorecard.js';
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

/** A row as a part of a roll-up: its own stage is all it proves. */
const asPart = (row: RowScore): RollUpPart => ({ stage: row.stage, possibleStage: row.possibleStage, score: row.score, assessedStage: row.stage });

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A part of a roll-up: a row, or a pillar (itself rolled up from its rows). */
interface RollUpPart {
  readonly stage: AssessedStage;
  readonly possibleStage: AssessedStage;
  readonly score: number | null;
  /** The weakest stage proven beneath it: a row's stage, a pillar's evidence.assessedStage. */
  readonly assessedStage: AssessedStage;
}

interface RolledUp {
  readonly stage: AssessedStage;
  readonly possibleStage: AssessedStage;
  readonly score: number | null;
  readonly evidence: StageEvidence;
}

function weakest(stages: readonly AssessedStage[]): AssessedStage {
  const ordinals = stages.filter((s): s is Stage => s !== 'not_assessed').map(stageOrdinal);
  return ordinals.length === 0 ? 'not_assessed' : (stageOrder[Math.min(...ordinals)] as Stage);
}

/** ceil(share × total), without floating-point noise pushing 0.3 × 10 up to 4. */
function partsRequired(total: number): number {
  return Math.ceil(ztmmModel.minimumEvidence * total - 1e-9);
}

/**
 * The weakest part, and a 0–3 figure: that stage + mean progress of the parts beyond it
 * (docs/scoring.md §3). Minimum evidence: a stage above Traditional is claimed only when
 * at least `minimumEvidence` of the parts have a stage; every assessed row beneath may
 * lower the stage, only enough of them can hold it up. Traditional, the floor, is claimed
 * on any evidence: parts not assessed cannot lower it. Otherwise the stage is withheld
 * (not_assessed, "insufficient evidence") and the score is null.
 */
function rollUp(parts: readonly RollUpPart[], kind: StageEvidence['parts']): RolledUp {
  const withStage = parts.filter((p) => p.stage !== 'not_assessed' && p.score !== null);
  const assessedStage = weakest(parts.map((p) => p.assessedStage));
  const required = partsRequired(parts.length);
  const sufficient = withStage.length >= required;
  const stage: AssessedStage = sufficient || assessedStage === 'traditional' ? assessedStage : 'not_assessed';
  const possibleStage = weakest(parts.map((p) => p.possibleStage));
  const evidence: StageEvidence = { parts: kind, assessed: withStage.length, required, total: parts.length, sufficient, assessedStage };
  if (stage === 'not_assessed') return { stage, possibleStage, score: null, evidence };
  const base = stageOrdinal(stage);
  // A part with evidence but no stage of its own (a pillar short of evidence) counts as no progress:
  // it may hold the roll-up down, never lift it.
  const counted = parts.filter((p) => p.assessedStage !== 'not_assessed');
  const progress = counted.reduce((sum, p) => sum + (p.stage === 'not_assessed' || p.score === null ? 0 : Math.min(1, Math.max(0, p.score - base))), 0);
  return { stage, possibleStage, score: round2(base + progress / counted.length), evidence };
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
    const rolled = rollUp(rows.map(asPart), 'rows');
    return {
      id: pillar.id,
      name: pillar.name,
      stage: rolled.stage,
      possibleStage: rolled.possibleStage,
      score: rolled.score,
      rowsAssessed: rows.filter((r) => r.stage !== 'not_assessed').length,
      rowsTotal: rows.length,
      evidence: rolled.evidence,
      rows,
    };
  });
  const allRows = pillars.flatMap((p) => p.rows);
  const rowsAssessed = allRows.filter((r) => r.stage !== 'not_assessed').length;
  const crossCutting = ztmmModel.crossCutting.map((capability) => {
    const rows = allRows.filter((r) => r.id.endsWith(`.${capability.id}`));
    const { stage, possibleStage, evidence } = rollUp(rows.map(asPart), 'rows');
    return { id: capability.id, name: capability.name, stage, possibleStage, evidence };
  });
  const overall = rollUp(
    pillars.map((p) => ({ stage: p.stage, possibleStage: p.possibleStage, score: p.score, assessedStage: p.evidence.assessedStage })),
    'pillars',
  );
  return {
    model: { id: ztmmModel.id, version: ztmmModel.version },
    overall: {
      stage: overall.stage,
      possibleStage: overall.possibleStage,
      score: overall.score,
      rowsAssessed,
      rowsTotal: allRows.length,
      coverage: round2(rowsAssessed / allRows.length),
      evidence: overall.evidence,
    },
    pillars,
    crossCutting,
    nextSteps: rankNextSteps(allRows),
  };
}
