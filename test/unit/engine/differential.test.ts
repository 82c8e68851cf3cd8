import { afterAll, describe, expect, it, vi } from 'vitest';
import { analyse } from '../../../src/analysis/index.js';
import { demoSnapshotFiles } from '../../../src/app/inputs.js';
import { caseSnapshot, casesFileFor, type AnyCase } from '../../../src/app/rule-tester.js';
import { loadRules } from '../../../src/app/rules.js';
import { CelOutcomes } from '../../../src/engine/cel-outcomes.js';
import type { CompiledRule } from '../../../src/engine/compile.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import type { Evaluation } from '../../../src/engine/results.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { readSnapshotFile } from '../../../src/inventory/snapshot-file.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import { readRuleCases } from '../../../src/ruleset/cases.js';
// @ts-expect-error bench/synth.js is plain JavaScript, without type declarations
import { synthSnapshot } from '../../../bench/synth.js';

// Every bundled rule, run by the default engine (fast path → remembered outcomes → cel-js)
// and by cel-js alone (ZT_ENGINE=cel), must give the same findings and rule results on
// every input below: the fast path and the remembered outcomes may only ever answer as
// cel-js would.
const [defaultRules, celRules] = await Promise.all([loadRules({ extraPaths: [] }), loadRules({ extraPaths: [], engine: 'cel' })]);

/** A finding as a line, so a difference reads as one. */
const line = (f: Evaluation['findings'][number]): string =>
  [f.ruleId, f.resource.id, f.status, f.message ?? '', f.error ? `${f.error.code}: ${f.error.message}` : '', f.fingerprint].join(' | ');

function bothWays(snapshot: Snapshot, fast: readonly CompiledRule[], cel: readonly CompiledRule[]): { fast: Evaluation; cel: Evaluation } {
  const inventory = new InventoryIndex(snapshot);
  const facts = analyse(inventory);
  return {
    fast: evaluate(inventory, facts, fast, { includePasses: true }),
    cel: evaluate(inventory, facts, cel, { includePasses: true }),
  };
}

function expectSame(snapshot: Snapshot, fast: readonly CompiledRule[], cel: readonly CompiledRule[], what: string): Evaluation {
  const both = bothWays(snapshot, fast, cel);
  expect(both.fast.findings.map(line), what).toEqual(both.cel.findings.map(line));
  expect(both.fast.ruleResults, what).toEqual(both.cel.ruleResults);
  return both.fast;
}

const statusesSeen = (evaluation: Evaluation): string[] => [...new Set(evaluation.findings.map((f) => f.status))].sort();

describe('default engine and cel-js alone agree', () => {
  // Remembered outcomes that were used: each comparison below must have used some.
  const recalled = vi.spyOn(CelOutcomes.prototype, 'get');
  const recalls = () => recalled.mock.results.filter((r) => r.value !== undefined).length;
  afterAll(() => recalled.mockRestore());

  it('chose its strategy at compile time: cel-js alone for ZT_ENGINE=cel, mostly the fast path by default', () => {
    expect(celRules.compiled.map((r) => r.program.strategy).every((s) => s === 'cel')).toBe(true);
    const fast = defaultRules.compiled.filter((r) => r.program.strategy.startsWith('fast'));
    expect(fast.length / defaultRules.compiled.length).toBeGreaterThan(0.8);
    expect(defaultRules.compiled.some((r) => r.program.strategy.includes('remembered'))).toBe(true);
    expect(celRules.compiled.map((r) => r.definition.id)).toEqual(defaultRules.compiled.map((r) => r.definition.id));
  });

  it('on every case of every rule (rule cases files)', async () => {
    const statuses = new Set<string>();
    let cases = 0;
    for (const [i, rule] of defaultRules.compiled.entries()) {
      const celRule = celRules.compiled[i] as CompiledRule;
      const file = casesFileFor(rule.definition.source.file);
      expect(file, rule.definition.id).toBeDefined();
      const ruleCases = await readRuleCases(file as string);
      const all: AnyCase[] = [...ruleCases.valid, ...ruleCases.invalid, ...(ruleCases.errors ?? [])];
      for (const testCase of all) {
        const built = caseSnapshot(rule, ruleCases, testCase);
        if (typeof built === 'string') continue; // a broken case: rule-cases.test.ts reports it
        const evaluation = expectSame(built.snapshot, [rule], [celRule], `${rule.definition.id} › ${testCase.name}`);
        for (const s of statusesSeen(evaluation)) statuses.add(s);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(500);
    expect([...statuses].sort()).toEqual(['error', 'fail', 'pass']);
  });

  it('on the demo organisation', async () => {
    const snapshot = mergeSnapshots(await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f))));
    const evaluation = expectSame(snapshot, defaultRules.compiled, celRules.compiled, 'demo');
    expect(statusesSeen(evaluation)).toEqual(['fail', 'pass']);
  });

  it('on a synthetic estate of 2,000 resources (bench/synth.js), where outcomes are remembered', () => {
    const before = recalls();
    // ClusterRoleBindings not read: serviceAccountRoles is null (and unknown), which only
    // cel-js answers, so the estate exercises remembered outcomes as well as the fast path.
    const estate = synthSnapshot(2000) as Snapshot;
    const { 'k8s.rbac.clusterRoleBinding': _unread, ...coverage } = estate.coverage;
    const evaluation = expectSame({ ...estate, coverage }, defaultRules.compiled, celRules.compiled, 'synthetic');
    expect(evaluation.findings.length).toBeGreaterThan(10_000);
    expect(recalls() - before).toBeGreaterThan(100);
  });
});
