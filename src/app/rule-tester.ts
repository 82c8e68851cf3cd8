import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse } from '../analysis/index.js';
import type { CompiledRule } from '../engine/compile.js';
import { findCulprits } from '../engine/culprits.js';
import { evaluateOne } from '../engine/evaluate.js';
import { fieldPlan } from '../engine/resource-view.js';
import type { FindingElement } from '../model/finding.js';
import { messageValues } from '../engine/findings.js';
import { renderMessage } from '../engine/message.js';
import { InventoryIndex } from '../inventory/index.js';
import { isKind, knownKinds, schemaOf } from '../inventory/kinds/index.js';
import type { KindCoverage } from '../model/coverage.js';
import { SNAPSHOT_SCHEMA_VERSION, type Resource, type Snapshot } from '../inventory/snapshot.js';
import { messagePattern, type ExpectedElement, type RuleCases } from '../ruleset/cases.js';
import { bundledRulesDir } from '../ruleset/load.js';
import { formatZodPath } from '../text/zod-problems.js';

export const DEFAULT_CASE_TIME = '2026-01-01T00:00:00Z';
const bundledCasesDir = fileURLToPath(new URL('../../fixtures/rules', import.meta.url));

/**
 * Where a rule's cases live: beside the rule, or for bundled rules in fixtures/rules/ (same
 * relative path). `ruleFile` is the rule's path on this machine (RuleSource.path), so this
 * works from any folder, not only from zt's own.
 */
export function casesFileFor(ruleFile: string): string | undefined {
  const sibling = ruleFile.replace(/\.ya?ml$/, '.cases.yaml');
  if (existsSync(sibling)) return sibling;
  const rel = relative(bundledRulesDir, ruleFile);
  if (!rel.startsWith('..')) {
    const mirrored = join(bundledCasesDir, rel.replace(/\.ya?ml$/, '.cases.yaml'));
    if (existsSync(mirrored)) return mirrored;
  }
  return undefined;
}

export interface CaseOutcome {
  readonly group: 'valid' | 'invalid' | 'errors';
  readonly name: string;
  readonly ok: boolean;
  /** What went wrong, in words a rule author can act on. */
  readonly problem?: string;
}

export type AnyCase = RuleCases['valid'][number] | RuleCases['invalid'][number] | NonNullable<RuleCases['errors']>[number];

function buildResource(rule: CompiledRule, kind: string, data: { id?: string | undefined; name: string; attributes: Record<string, unknown> }, validate: boolean): Resource | string {
  if (!isKind(kind)) return `unknown kind "${kind}"`;
  if (validate) {
    const checked = schemaOf(kind).safeParse(data.attributes);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return `${data.name}: attributes do not match the ${kind} schema: ${formatZodPath(issue?.path ?? [])}: ${issue?.message}`;
    }
  }
  return {
    kind,
    id: data.id ?? `case://${rule.definition.id}/${kind}/${data.name}`,
    name: data.name,
    attributes: data.attributes,
    provenance: { collector: 'rule-cases', source: 'cases' },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function matches(expected: string, actual: string): boolean {
  const pattern = messagePattern(expected);
  // Invalid patterns are refused when the cases file is read.
  return pattern instanceof RegExp ? pattern.test(actual) : expected === actual;
}

/** The small snapshot a case describes: the rule's resource (the target) and the related ones; or what is wrong with them. */
export function caseSnapshot(rule: CompiledRule, cases: RuleCases, testCase: AnyCase): { snapshot: Snapshot; target: Resource } | string {
  const validate = !('validateSchema' in testCase && testCase.validateSchema === false);
  const target = buildResource(rule, rule.definition.kind, testCase.resource, validate);
  if (typeof target === 'string') return target;
  const related: Resource[] = [];
  for (const other of testCase.related ?? []) {
    const built = buildResource(rule, other.kind, other, true);
    if (typeof built === 'string') return `related ${built}`;
    related.push(built);
  }
  const coverage: Record<string, KindCoverage> = completeCoverage();
  for (const kind of testCase.notCollected ?? []) {
    if (!isKind(kind)) return `notCollected: unknown kind ${kind} (see \`zt rules kinds\`)`;
    coverage[kind] = { state: 'missing', reason: 'permission_denied' };
  }
  const snapshot: Snapshot = deepFreeze({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: cases.collectedAt ?? DEFAULT_CASE_TIME,
    sources: [{ collector: 'rule-cases', source: 'cases', mode: testCase.collection ?? 'offline' }],
    // A case is a whole small world: every kind was read (unless it says notCollected), and holds what the case lists.
    coverage,
    issues: [],
    resources: [target, ...related],
  });
  return { snapshot, target };
}

/** Every kind of this run (plugin kinds too) read completely: a case's starting coverage. */
const completeCoverage = (): Record<string, KindCoverage> => Object.fromEntries(knownKinds().map((kind) => [kind, { state: 'complete' }]));

/** Runs one case through the real pipeline (analysis + evaluation) on a small inventory. */
export function runCase(rule: CompiledRule, cases: RuleCases, group: CaseOutcome['group'], testCase: AnyCase): CaseOutcome {
  const fail = (problem: string): CaseOutcome => ({ group, name: testCase.name, ok: false, problem });
  const built = caseSnapshot(rule, cases, testCase);
  if (typeof built === 'string') return fail(built);
  const { snapshot, target } = built;
  const facts = analyse(new InventoryIndex(snapshot));
  const derived = facts.partsOf(target);
  const outcome = evaluateOne(rule, target, derived, new Date(snapshot.collectedAt ?? DEFAULT_CASE_TIME), facts.unknownsOf(target));
  const rendered = renderMessage(rule.definition.message, messageValues(target, derived));

  if (group === 'valid') {
    const expected = 'expect' in testCase && testCase.expect ? testCase.expect : 'pass';
    if (outcome.status !== expected) {
      return fail(`expected ${expected}, got ${outcome.status}${outcome.error ? ` (${outcome.error.code}: ${outcome.error.message})` : ''}`);
    }
  } else if (group === 'invalid') {
    if (outcome.status !== 'fail') {
      return fail(`expected fail, got ${outcome.status}${outcome.error ? ` (${outcome.error.code}: ${outcome.error.message})` : ''}`);
    }
    const expected = (testCase as RuleCases['invalid'][number]).message;
    if (!matches(expected, rendered)) return fail(`message was\n      ${rendered}\n    expected\n      ${expected}`);
    if (/\{\{.*\}\}/.test(rendered)) return fail(`message still has a placeholder: ${rendered}`);
    const expectedElements = (testCase as RuleCases['invalid'][number]).elements;
    if (expectedElements !== undefined) {
      const found = rule.culprits ? findCulprits({ program: rule.program, path: rule.culprits, now: new Date(snapshot.collectedAt ?? DEFAULT_CASE_TIME), plan: fieldPlan(rule.reads, rule.derivedFields) }, target, derived) : undefined;
      const actual = elementsAsWritten(found ?? []);
      const wanted = expectedElements.map(normalised);
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        return fail(`the finding names ${describeElements(actual)}, expected ${describeElements(wanted)}${rule.culprits ? '' : ' (this rule does not judge a list element by element, so its findings name none)'}`);
      }
    }
  } else {
    const code = (testCase as NonNullable<RuleCases['errors']>[number]).code;
    if (outcome.status !== 'error') return fail(`expected an evaluation error (${code}), got ${outcome.status}`);
    if (outcome.error?.code !== code) return fail(`expected error code ${code}, got ${outcome.error?.code}: ${outcome.error?.message}`);
  }
  return { group, name: testCase.name, ok: true };
}

/** An expected element in one shape: `{ name }` or `{ name, elements }`. */
function normalised(expected: ExpectedElement): { name: string; elements?: string[] } {
  return typeof expected === 'string' ? { name: expected } : { name: expected.name, elements: expected.elements };
}

/** A finding's elements as a cases file writes them (names; lines are the manifest's, not the case's). */
function elementsAsWritten(elements: readonly FindingElement[]): { name: string; elements?: string[] }[] {
  return elements.map((e) => (e.elements === undefined ? { name: e.name } : { name: e.name, elements: e.elements.map((inner) => inner.name) }));
}

function describeElements(elements: readonly { name: string; elements?: string[] }[]): string {
  if (elements.length === 0) return 'no elements';
  return elements.map((e) => (e.elements === undefined ? JSON.stringify(e.name) : `${JSON.stringify(e.name)} (${e.elements.join(', ')})`)).join(', ');
}

/** Checks a cases file as a whole (unique names, no duplicate cases, rule id) and runs every case. */
export function runRuleCases(rule: CompiledRule, cases: RuleCases): CaseOutcome[] {
  const outcomes: CaseOutcome[] = [];
  if (cases.rule !== rule.definition.id) {
    outcomes.push({ group: 'valid', name: '(cases file)', ok: false, problem: `cases are for ${cases.rule}, not ${rule.definition.id}` });
  }
  const all: [CaseOutcome['group'], AnyCase][] = [
    ...cases.valid.map((c) => ['valid', c] as [CaseOutcome['group'], AnyCase]),
    ...cases.invalid.map((c) => ['invalid', c] as [CaseOutcome['group'], AnyCase]),
    ...(cases.errors ?? []).map((c) => ['errors', c] as [CaseOutcome['group'], AnyCase]),
  ];
  const names = new Set<string>();
  const shapes = new Set<string>();
  for (const [group, testCase] of all) {
    if (names.has(testCase.name)) outcomes.push({ group, name: testCase.name, ok: false, problem: 'two cases share this name' });
    names.add(testCase.name);
    const shape = JSON.stringify({ r: testCase.resource.attributes, rel: testCase.related ?? [] });
    if (shapes.has(shape)) outcomes.push({ group, name: testCase.name, ok: false, problem: 'same resource as another case' });
    shapes.add(shape);
    outcomes.push(runCase(rule, cases, group, testCase));
  }
  return outcomes;
}
