import type { SourceTime } from '../inventory/as-of.js';
import type { InventoryIndex } from '../inventory/index.js';
import { collectorsOf } from '../inventory/kinds/index.js';
import type { Resource } from '../inventory/snapshot.js';
import type { Finding, FindingResource } from '../model/finding.js';
import type { CoverageReason } from '../model/coverage.js';
import type { UnknownFact } from '../model/unknown-fact.js';
import { compareStrings } from '../text/order.js';
import { CelOutcomes } from './cel-outcomes.js';
import type { CompiledRule } from './compile.js';
import { elementsText, findCulprits } from './culprits.js';
import { failFinding, failFindingOnElements, failFindingWithEvidence, findingResource, messageValues, otherFinding } from './findings.js';
import { fingerprintFor, resourceFingerprintKey } from './fingerprint.js';
import { renderMessage } from './message.js';
import type { Outcome } from './outcome.js';
import { fieldPlan, ResourceView, type DerivedParts } from './resource-view.js';
import type { Evaluation } from './results.js';
import type { EvaluationScope } from './scope.js';
import { bothUnknown, judged, unknownReads, unknownTime, type UnknownReads } from './unknown-reads.js';
import { leftOutResult, ruleResult, type Counts } from './verdict.js';

/** The derived facts of each resource (analysis's DerivedFacts). */
export interface DerivedFactsSource {
  partsOf(resource: Resource): DerivedParts;
  /** The resource's derived fields that are unknown (an input was not read completely), by name; undefined when none. */
  unknownsOf?(resource: Resource): Readonly<Record<string, UnknownFact>> | undefined;
}

export interface EvaluateOptions {
  /** Also record passing resources as findings (for JUnit per-resource test cases). */
  readonly includePasses?: boolean;
  /** A scoped run (--rule, --skip-rule, --namespace, --exclude-namespace): the rules and resources it evaluates. */
  readonly scope?: EvaluationScope;
}

/** Resources in id order: as they are when already so (snapshots zt writes are), else a sorted copy. */
function inIdOrder(resources: readonly Resource[]): readonly Resource[] {
  for (let i = 1; i < resources.length; i++) {
    if ((resources[i - 1] as Resource).id > (resources[i] as Resource).id) return [...resources].sort((a, b) => compareStrings(a.id, b.id));
  }
  return resources;
}

/** The fields a kind's rules read together (null: one of them needs all). */
function readsOf(rules: readonly CompiledRule[]): ReadonlySet<string> | null {
  return rules.some((r) => r.reads === null) ? null : new Set(rules.flatMap((r) => [...(r.reads as ReadonlySet<string>)]));
}

/** One rule on one resource, alone (the rule tester's cases): nothing is remembered; unknown facts are judged as in `evaluate`. */
export function evaluateOne(rule: CompiledRule, resource: Resource, derived: DerivedParts, now: Date, unknowns?: Readonly<Record<string, UnknownFact>>): Outcome {
  const run = (): Outcome => rule.program.evaluate(new ResourceView(resource, derived, now, fieldPlan(rule.reads, rule.derivedFields)));
  return unknowns ? judged(run, unknownReads(rule, unknowns)) : run();
}

/** What one source time gives every resource of that source: `now`, and cel-js outcomes remembered at that `now`. */
interface AtTime {
  readonly now: Date;
  readonly remembered: CelOutcomes;
}

/**
 * `now` for a source whose time is unknown: never seen by a rule, because a rule that
 * reads `now` is not evaluated on such a resource (unknownTime) and the others do not read it.
 */
const NO_TIME = new Date(0);

/** What the evaluation of one kind reads and adds to (evaluateKind). */
interface EvaluationState {
  readonly inventory: InventoryIndex;
  readonly facts: DerivedFactsSource;
  /** A source time's `now` and remembered outcomes, made once per source for the whole evaluation. */
  readonly at: (time: SourceTime) => AtTime;
  readonly options: EvaluateOptions;
  readonly findingsOf: Map<CompiledRule, Finding[]>;
  readonly counts: Map<CompiledRule, Counts>;
  /** Why a rule was not evaluated on some resource (the first unknown fact, or the unknown time, it read). */
  readonly unknownReason: Map<CompiledRule, CoverageReason>;
  /** The same counts and reasons per target (provenance source), for per-target verdicts and scores. */
  readonly byTarget: Map<string, TargetTally>;
}

/** One target's counts per rule id, and why a rule was not evaluated on some of its resources. */
export interface TargetTally {
  readonly counts: Map<string, Counts>;
  readonly unknownReason: Map<string, CoverageReason>;
}

/** The tally of one target, made on first use. */
function tallyOf(byTarget: Map<string, TargetTally>, source: string): TargetTally {
  let tally = byTarget.get(source);
  if (!tally) byTarget.set(source, (tally = { counts: new Map(), unknownReason: new Map() }));
  return tally;
}

/** Every rule of one kind over every resource of it, in id order. */
function evaluateKind(state: EvaluationState, resources: readonly Resource[], kindRules: readonly CompiledRule[]): void {
  const { inventory, facts, at, options, unknownReason } = state;
  // Each view holds only the fields its kind's rules read (their derived names are the kind's, one set).
  const plan = fieldPlan(readsOf(kindRules), (kindRules[0] as CompiledRule).derivedFields);
  // Looked up once per kind, not once per rule and resource.
  const kindCounts = kindRules.map((rule) => state.counts.get(rule) as Counts);
  const kindFindings = kindRules.map((rule) => state.findingsOf.get(rule) as Finding[]);
  // Unknown facts are rare (incomplete collection): which each rule reads is worked out
  // once per set of unknowns, and the usual path pays one undefined check per resource.
  let unknownsSeen: object | undefined;
  let kindUnknownReads: UnknownReads[] = [];
  // The source time of the resources in hand (they come in runs of one source), and for
  // a source whose time is unknown, what each rule cannot decide there.
  let time: SourceTime | undefined;
  let now = NO_TIME;
  let remembered: CelOutcomes | undefined;
  let timeUnknownReads: UnknownReads[] | undefined;
  // The target of the resources in hand (they come in runs of one source) and its counts per rule.
  let target: string | undefined;
  let targetTally: TargetTally | undefined;
  let targetCounts: Counts[] = [];
  for (const resource of inIdOrder(resources)) {
    if (resource.provenance.source !== target) {
      target = resource.provenance.source;
      targetTally = tallyOf(state.byTarget, target);
      const { counts } = targetTally;
      targetCounts = kindRules.map((rule) => {
        let c = counts.get(rule.definition.id);
        if (!c) counts.set(rule.definition.id, (c = { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 }));
        return c;
      });
    }
    const resourceTime = inventory.timeOf(resource);
    if (resourceTime !== time) {
      time = resourceTime;
      ({ now, remembered } = at(time));
      const label = time.label;
      timeUnknownReads = time.at === null ? kindRules.map((rule) => unknownTime(rule, label)) : undefined;
    }
    const derived = facts.partsOf(resource);
    const view = new ResourceView(resource, derived, now, plan);
    const unknowns = facts.unknownsOf?.(resource);
    if (unknowns !== undefined && unknowns !== unknownsSeen) {
      unknownsSeen = unknowns;
      kindUnknownReads = kindRules.map((rule) => unknownReads(rule, unknowns));
    }
    let shared: FindingResource | undefined;
    let fingerprintKey: string | undefined;
    for (let r = 0; r < kindRules.length; r++) {
      const rule = kindRules[r] as CompiledRule;
      let unknown = unknowns === undefined ? undefined : (kindUnknownReads[r] as UnknownReads);
      if (timeUnknownReads !== undefined) unknown = unknown ? bothUnknown(unknown, timeUnknownReads[r] as UnknownReads) : timeUnknownReads[r];
      const outcome = unknown?.reason ? judged(() => rule.program.evaluate(view, remembered), unknown) : rule.program.evaluate(view, remembered);
      const { status } = outcome;
      (kindCounts[r] as Counts)[status]++;
      (targetCounts[r] as Counts)[status]++;
      if (unknown?.reason && status === 'error' && outcome === (unknown.inWhen ?? unknown.inAssert)) {
        const c = kindCounts[r] as Counts;
        c.unknown = (c.unknown ?? 0) + 1;
        if (!unknownReason.has(rule)) unknownReason.set(rule, unknown.reason);
        const t = targetCounts[r] as Counts;
        t.unknown = (t.unknown ?? 0) + 1;
        const reasons = (targetTally as TargetTally).unknownReason;
        if (!reasons.has(rule.definition.id)) reasons.set(rule.definition.id, unknown.reason);
      }
      if (status === 'pass' ? options.includePasses : status !== 'skip') {
        // One FindingResource per resource, shared by its findings (they are read-only).
        shared ??= findingResource(resource);
        const { definition } = rule;
        const ruleId = definition.id;
        const fingerprint = fingerprintFor(ruleId, (fingerprintKey ??= resourceFingerprintKey(resource.kind, resource.id)));
        let finding: Finding;
        if (status !== 'fail') finding = otherFinding(ruleId, outcome, shared, fingerprint);
        else {
          const values = messageValues(resource, derived);
          const message = renderMessage(definition.message, values);
          const evidence = definition.evidence === undefined ? undefined : values(definition.evidence);
          const elements = rule.culprits ? findCulprits({ program: rule.program, path: rule.culprits, now, plan }, resource, derived) : undefined;
          if (elements) finding = failFindingOnElements(ruleId, shared, message + elementsText(elements), evidence === undefined || evidence === null ? undefined : { [definition.evidence as string]: evidence }, elements, fingerprint);
          else
            finding =
              evidence === undefined || evidence === null
                ? failFinding(ruleId, shared, message, fingerprint)
                : failFindingWithEvidence(ruleId, shared, message, { [definition.evidence as string]: evidence }, fingerprint);
        }
        (kindFindings[r] as Finding[]).push(finding);
      }
    }
  }
}

/**
 * Runs every rule over the resources of its kind. Never throws for a rule or a
 * resource: an expression that cannot be evaluated is an `error` finding. "now" is the
 * as-of time of the resource's source (inventory/as-of.ts: the time the evidence was
 * taken, never the wall clock), so results do not depend on when the audit runs; a rule
 * that reads `now` on a resource whose source's time is unknown is not evaluated there.
 * Findings are pass (when asked for), fail and error: waivers are the caller's (waivers/apply.ts).
 */
export function evaluate(inventory: InventoryIndex, facts: DerivedFactsSource, rules: readonly CompiledRule[], options: EvaluateOptions = {}): Evaluation {
  const steps = evaluation(inventory, facts, rules, options);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** `evaluate`, waiting for `turn` after each kind, so a signal (Ctrl-C) is handled within one kind's time. */
export async function evaluateInTurns(
  inventory: InventoryIndex,
  facts: DerivedFactsSource,
  rules: readonly CompiledRule[],
  options: EvaluateOptions,
  turn: () => Promise<void>,
): Promise<Evaluation> {
  const steps = evaluation(inventory, facts, rules, options);
  let step = steps.next();
  while (!step.done) {
    await turn();
    step = steps.next();
  }
  return step.value;
}

/** The evaluation, a kind at a time: it yields after each kind. */
function* evaluation(inventory: InventoryIndex, facts: DerivedFactsSource, rules: readonly CompiledRule[], options: EvaluateOptions): Generator<void, Evaluation> {
  const sources = new Set(inventory.snapshot.sources.map((s) => s.collector));
  // Resolved once per source, not per resource: the Date and the outcomes remembered at it.
  const atTime = new Map<SourceTime, AtTime>();
  // Findings are kept per rule and joined in rule-id order at the end; with each kind's
  // resources visited in id order, that is the report's order and it needs no sort.
  const state: EvaluationState = {
    inventory,
    facts,
    at: (time) => {
      let entry = atTime.get(time);
      if (!entry) atTime.set(time, (entry = { now: time.at ?? NO_TIME, remembered: new CelOutcomes() }));
      return entry;
    },
    options,
    findingsOf: new Map<CompiledRule, Finding[]>(rules.map((rule) => [rule, []])),
    counts: new Map<CompiledRule, Counts>(rules.map((rule) => [rule, { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 }])),
    unknownReason: new Map<CompiledRule, CoverageReason>(),
    byTarget: new Map<string, TargetTally>(),
  };
  const { counts, findingsOf, unknownReason, byTarget } = state;

  // Rules are grouped by kind and each resource is visited once: its view is built once,
  // serves every rule of its kind, and is dropped right after, so memory does not grow
  // with a copy of the whole inventory.
  const { scope } = options;
  const inScope = scope ? new Set(rules.filter((rule) => scope.ruleInScope(rule.definition.id))) : undefined;
  const byKind = new Map<string, CompiledRule[]>();
  for (const rule of inScope ?? rules) {
    const list = byKind.get(rule.definition.kind) ?? [];
    list.push(rule);
    byKind.set(rule.definition.kind, list);
  }
  for (const [kind, kindRules] of byKind) {
    const resources = inventory.ofKind(kind as Resource['kind']);
    evaluateKind(state, scope ? resources.filter((r) => scope.resourceInScope(r)) : resources, kindRules);
    yield;
  }
  const ruleResults = rules.map((rule) => {
    const { kind } = rule.definition;
    const coverage = inventory.snapshot.coverage[kind];
    const held = inventory.ofKind(kind).length > 0;
    if (inScope && !inScope.has(rule)) return leftOutResult(rule.definition, coverage?.state ?? (held ? 'complete' : 'missing'));
    const sourceChosen = sources.size === 0 || collectorsOf(kind).some((c) => sources.has(c));
    return ruleResult(rule.definition, counts.get(rule) as Counts, coverage, held, sourceChosen, unknownReason.get(rule));
  });
  const findings = [...rules]
    .sort((a, b) => compareStrings(a.definition.id, b.definition.id))
    .flatMap((rule) => findingsOf.get(rule) as Finding[]);
  if (!scope) return { findings, ruleResults, byTarget };
  const rulesLeftOut = rules.filter((rule) => !inScope?.has(rule)).map((rule) => rule.definition.id);
  let resourcesLeftOut = 0;
  for (const resource of inventory.snapshot.resources) if (!scope.resourceInScope(resource)) resourcesLeftOut++;
  return { findings, ruleResults, byTarget, scoped: { rulesLeftOut, resourcesLeftOut } };
}
