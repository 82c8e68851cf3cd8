import type { DerivedFacts } from '../analysis/index.js';
import type { InventoryIndex } from '../inventory/index.js';
import { collectorsOf } from '../inventory/kinds/index.js';
import type { Resource } from '../inventory/snapshot.js';
import type { CompiledRule } from './compile.js';
import { findingFingerprint } from './fingerprint.js';
import { renderMessage } from './message.js';
import type { EvaluationResult, Finding, FindingResource, FindingStatus } from './results.js';
import { toCelValue } from './values.js';
import { WaiverSet } from '../waivers/apply.js';
import { waiverRef } from '../waivers/waiver.js';
import { ruleResult, type Counts } from './verdict.js';

interface CelFailure {
  readonly code?: string;
  readonly message?: string;
}

function describeError(error: unknown): { code: string; message: string } {
  const failure = error as CelFailure;
  return { code: failure.code ?? 'evaluation_error', message: (failure.message ?? String(error)).split('\n')[0] ?? '' };
}

function findingResource(resource: Resource): FindingResource {
  const { file, line } = resource.provenance;
  return {
    kind: resource.kind,
    id: resource.id,
    name: resource.name,
    source: resource.provenance.source,
    ...(file !== undefined ? { file } : {}),
    ...(line !== undefined ? { line } : {}),
  };
}

/**
 * One rule on one resource. Never throws: an expression that cannot be evaluated, or
 * that does not return a bool, is an `error` (a non-bool `when` must not become a
 * silent skip).
 */
export function evaluateResource(
  rule: CompiledRule,
  bindings: Record<string, unknown>,
): { status: FindingStatus; error?: { code: string; message: string } } {
  try {
    const applies = rule.when ? rule.when(bindings) : true;
    if (typeof applies !== 'boolean') return { status: 'error', error: { code: 'not_bool', message: `when returned ${typeof applies}, not bool` } };
    if (!applies) return { status: 'skip' };
    const value = rule.assert(bindings);
    if (typeof value !== 'boolean') return { status: 'error', error: { code: 'not_bool', message: `assert returned ${typeof value}, not bool` } };
    return { status: value ? 'pass' : 'fail' };
  } catch (caught) {
    return { status: 'error', error: describeError(caught) };
  }
}

/** The CEL bindings of one resource: attributes plus derived facts, converted to CEL values. */
export function celBindings(resource: Resource, derived: Readonly<Record<string, unknown>> | undefined, now: Date): Record<string, unknown> {
  return {
    resource: toCelValue(derived ? { ...resource.attributes, ...derived } : resource.attributes),
    meta: { kind: resource.kind, id: resource.id, name: resource.name, source: resource.provenance.source },
    now,
  };
}

/** The values a message template can use: meta fields, attributes and derived facts. */
export function messageValues(resource: Resource, derived: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  return { ...resource.attributes, ...derived, name: resource.name, id: resource.id, kind: resource.kind, source: resource.provenance.source };
}

/**
 * Runs every rule over the resources of its kind. Never throws for a rule or a
 * resource: an expression that cannot be evaluated is an `error` finding. "now" is the
 * snapshot's collectedAt, so results do not depend on when the audit runs.
 */
export interface EvaluateOptions {
  readonly waivers?: WaiverSet;
  /** Also record passing resources as findings (for JUnit per-resource test cases). */
  readonly includePasses?: boolean;
}

export function evaluate(
  inventory: InventoryIndex,
  facts: DerivedFacts,
  rules: readonly CompiledRule[],
  options: EvaluateOptions = {},
): EvaluationResult {
  const waivers = options.waivers ?? new WaiverSet([], inventory.snapshot.collectedAt);
  const now = new Date(inventory.snapshot.collectedAt);
  // Each resource is converted to CEL values once, however many rules read it.
  const celViews = new Map<string, Record<string, unknown>>();
  const bindingsFor = (resource: Resource): Record<string, unknown> => {
    let view = celViews.get(resource.id);
    if (!view) {
      view = celBindings(resource, facts.get(resource.id), now);
      celViews.set(resource.id, view);
    }
    return view;
  };

  const findings: Finding[] = [];
  const sources = new Set(inventory.snapshot.sources.map((s) => s.collector));
  const ruleResults = rules.map((rule) => {
    const { definition } = rule;
    const counts: Counts = { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 };
    const resources = inventory.ofKind(definition.kind);
    for (const resource of resources) {
      const bindings = bindingsFor(resource);
      const outcome = evaluateResource(rule, bindings);
      const waiver = outcome.status === 'fail' ? waivers.match(definition.id, resource.id) : undefined;
      const status: FindingStatus = waiver ? 'waived' : outcome.status;
      counts[status]++;
      if (status === 'fail' || status === 'error' || status === 'waived' || (status === 'pass' && options.includePasses)) {
        findings.push({
          ruleId: definition.id,
          status,
          resource: findingResource(resource),
          ...(status === 'fail' || status === 'waived'
            ? { message: renderMessage(definition.message, messageValues(resource, facts.get(resource.id))) }
            : {}),
          ...(outcome.error ? { error: outcome.error } : {}),
          ...(waiver ? { waiver: waiverRef(waiver) } : {}),
          fingerprint: findingFingerprint(definition.id, resource.kind, resource.id),
        });
      }
    }
    const inScope = sources.size === 0 || collectorsOf(definition.kind).some((c) => sources.has(c));
    return ruleResult(definition, counts, inventory.snapshot.coverage[definition.kind], resources.length > 0, inScope);
  });
  return { findings, ruleResults, waivers: waivers.summary() };
}
