import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Analyser } from '../../../src/analysis/analyser.js';
import { derivedFieldNames, derivedFields } from '../../../src/analysis/derived-fields.js';
import { analysers } from '../../../src/analysis/index.js';
import { demoSnapshotFiles } from '../../../src/app/inputs.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { allKinds } from '../../../src/inventory/kinds/index.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { readSnapshotFile } from '../../../src/inventory/snapshot-file.js';

// An analyser's output schema declares its fields (rules may read only those, and
// evaluation looks for a derived field only among the analysers that declare it:
// engine/resource-view.ts fieldPlan) and types what derive() returns. Nothing checks it at run
// time, so here every analyser's output on the demo must match its schema exactly:
// declared fields only, each of its declared type.
describe('analysers emit what their output schemas declare', async () => {
  const snapshot = mergeSnapshots(await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f))));
  const inventory = new InventoryIndex(snapshot);
  const named = analysers.map((a, i) => [`${i} ${a.kind} (${Object.keys(a.output.shape).slice(0, 2).join(', ')}…)`, a] as const);
  const problemsOf = (analyser: Analyser, facts: unknown): string[] => {
    const result = z.strictObject(analyser.output.shape).safeParse(facts);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`);
  };
  const sample = (analyser: Analyser): Record<string, unknown> => {
    const first = analyser.derive(inventory).values().next();
    if (first.done) throw new Error(`${analyser.kind}: no output on the demo`);
    return { ...first.value };
  };

  it.each(named)('%s', (_name, analyser) => {
    const problems: string[] = [];
    for (const [id, facts] of analyser.derive(inventory)) problems.push(...problemsOf(analyser, facts).map((p) => `${id} ${p}`));
    expect(problems).toEqual([]);
  });

  it('sees output from every analyser on the demo (the check above is not vacuous)', () => {
    const silent = analysers.filter((a) => a.derive(inventory).size === 0).map((a) => `${a.kind} (${Object.keys(a.output.shape)[0]})`);
    expect(silent, 'analysers with no output on the demo').toEqual([]);
  });

  it.each(named)('%s: the check rejects an undeclared field, a missing required one and a value of another type', (_name, analyser) => {
    const facts = sample(analyser);
    expect(problemsOf(analyser, { ...facts, undeclaredField: true })).not.toEqual([]);
    for (const [field, schema] of Object.entries(analyser.output.shape)) {
      // Every field constrains its value: none is declared as unknown or any.
      expect(problemsOf(analyser, { ...facts, [field]: Symbol('not a fact') }), field).not.toEqual([]);
      const { [field]: _left, ...without } = facts;
      if (schema.safeParse(undefined).success) expect(problemsOf(analyser, without), `${field} is optional`).toEqual([]);
      else expect(problemsOf(analyser, without), `${field} is required`).not.toEqual([]);
    }
  });

  it.each(named)('%s: describes every field in one line', (_name, analyser) => {
    for (const [field, schema] of Object.entries(analyser.output.shape)) {
      expect(schema.description, field).toMatch(/^[^\n]+$/);
    }
  });
});

describe('derived fields come from the output schemas', () => {
  it('lists every analyser field of a kind with its description (zt rules kinds), and their names sorted', () => {
    for (const kind of allKinds) {
      const declared = analysers.filter((a) => a.kind === kind).flatMap((a) => Object.entries(a.output.shape).map(([name, s]) => [name, s.description] as const));
      expect(Object.keys(derivedFields(kind)).sort(), kind).toEqual([...new Set(declared.map(([name]) => name))].sort());
      for (const [name, text] of declared) expect(Object.values(derivedFields(kind)), `${kind}.${name}`).toContain(text);
      expect(derivedFieldNames(kind), kind).toEqual(Object.keys(derivedFields(kind)).sort());
    }
    expect(derivedFields('k8s.workload').ingressIsolated).toBe('A NetworkPolicy of type Ingress selects the pods, so only allowed traffic reaches them.');
    expect(derivedFields('k8s.node')).not.toHaveProperty('ingressIsolated');
  });
});
