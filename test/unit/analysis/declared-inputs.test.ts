import { describe, expect, it } from 'vitest';
import type { Analyser } from '../../../src/analysis/analyser.js';
import { analysers } from '../../../src/analysis/index.js';
import { demoSnapshotFiles } from '../../../src/app/inputs.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { readSnapshotFile } from '../../../src/inventory/snapshot-file.js';

// Three-valued facts rest on each analyser declaring what it reads: a fact is unknown
// when one of its inputs was not read completely (analysis/input-gaps.ts). A kind read
// but not declared would let a fact over a failed list pass for known. So every analyser
// runs on the demo against an inventory that records the kinds it touches (through the
// index or its coverage), and each must be declared as an input, a field input or a
// kind it judges itself; its own kind is its subject.
function recordingInventory(inventory: InventoryIndex, seen: Set<string>): InventoryIndex {
  const coverage = new Proxy(inventory.snapshot.coverage, {
    get(target, kind) {
      if (typeof kind === 'string') seen.add(kind);
      return Reflect.get(target, kind) as unknown;
    },
  });
  const snapshot = { ...inventory.snapshot, coverage };
  return new Proxy(inventory, {
    get(target, property) {
      if (property === 'snapshot') return snapshot;
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'ofKind' || property === 'bySource' || property === 'byNamespace') seen.add(String(args[0]));
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (property === 'byId') {
          if (args[1] !== undefined) seen.add(args[1] as string);
          else if (result && typeof result === 'object' && 'kind' in result) seen.add(String(result.kind));
        }
        return result;
      };
    },
  });
}

const declared = (a: Analyser): Set<string> =>
  new Set([a.kind, ...a.inputs, ...(a.judges ?? []), ...Object.values<readonly string[] | undefined>(a.fieldInputs ?? {}).flatMap((k) => k ?? [])]);

describe('analysers declare every kind they read', async () => {
  const snapshot = mergeSnapshots(await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f))));
  const named = analysers.map((a, i) => [`${i} ${a.kind} (${Object.keys(a.output.shape).slice(0, 2).join(', ')}…)`, a] as const);

  it.each(named)('%s', (_name, analyser) => {
    const seen = new Set<string>();
    analyser.derive(recordingInventory(new InventoryIndex(snapshot), seen));
    const undeclared = [...seen].filter((kind) => !declared(analyser).has(kind)).sort();
    expect(undeclared).toEqual([]);
  });

  it('field inputs name declared fields only', () => {
    for (const a of analysers) {
      for (const field of Object.keys(a.fieldInputs ?? {})) expect(Object.keys(a.output.shape), `${a.kind}.${field}`).toContain(field);
    }
  });

  it('the recorder sees reads (the check above is not vacuous)', () => {
    const seen = new Set<string>();
    const workloadNetwork = analysers.find((a) => Object.hasOwn(a.output.shape, 'blastRadius')) as Analyser;
    workloadNetwork.derive(recordingInventory(new InventoryIndex(snapshot), seen));
    expect([...seen]).toEqual(expect.arrayContaining(['k8s.networkPolicy', 'k8s.namespace', 'k8s.service', 'k8s.ingress']));
  });
});
