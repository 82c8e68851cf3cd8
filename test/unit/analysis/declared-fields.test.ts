import { describe, expect, it } from 'vitest';
import { analysers } from '../../../src/analysis/index.js';
import { demoSnapshotFiles } from '../../../src/app/inputs.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { readSnapshotFile } from '../../../src/inventory/snapshot-file.js';

// Evaluation looks for a derived field only among the analysers that declare it
// (engine/resource-view.ts fieldPlan), and rules may only read declared fields: an analyser
// must emit nothing else.
describe('analysers emit only the fields they declare', async () => {
  const snapshot = mergeSnapshots(await Promise.all((await demoSnapshotFiles()).map((f) => readSnapshotFile(f))));
  const inventory = new InventoryIndex(snapshot);
  it.each(analysers.map((a, i) => [`${i} ${a.kind} (${Object.keys(a.fields).slice(0, 2).join(', ')}…)`, a] as const))('%s', (_name, analyser) => {
    const declared = new Set(Object.keys(analyser.fields));
    for (const [id, fields] of analyser.derive(inventory)) {
      const undeclared = Object.keys(fields).filter((k) => !declared.has(k));
      expect(undeclared, `${id}`).toEqual([]);
    }
  });

  it('sees output from every analyser on the demo (the check above is not vacuous)', () => {
    const silent = analysers.filter((a) => a.derive(inventory).size === 0).map((a) => `${a.kind} (${Object.keys(a.fields)[0]})`);
    expect(silent, 'analysers with no output on the demo').toEqual([]);
  });
});
