import { describe, expect, it } from 'vitest';
import { auditSnapshot } from '../../src/app/audit.js';
import { demoSnapshotFiles, loadInputs } from '../../src/app/inputs.js';
import { loadRules } from '../../src/app/rules.js';

// The demo organisation is the e2e fixture: it must load (every resource valid against
// its kind schema), cover all three planes, and give a meaningful ZTMM picture.
describe('demo organisation', async () => {
  const snapshot = await loadInputs({ demo: true, snapshots: [] });
  const rules = await loadRules({ extraPaths: [] });
  const report = auditSnapshot(snapshot, rules, '0.0.0-test');

  it('has one snapshot file per plane', async () => {
    const files = (await demoSnapshotFiles()).map((f) => f.split('/').pop());
    expect(files).toEqual(expect.arrayContaining(['aws.json', 'identity.json', 'kubernetes.json']));
  });

  it('evaluates every bundled rule (none left not_evaluated for lack of demo data)', () => {
    const notEvaluated = report.ruleResults.filter((r) => r.status === 'not_evaluated').map((r) => r.ruleId);
    expect(notEvaluated).toEqual([]);
  });

  it('has a mix of passing and failing rules', () => {
    expect(report.summary.rulesByStatus.pass).toBeGreaterThan(3);
    expect(report.summary.rulesByStatus.fail).toBeGreaterThan(3);
    expect(report.summary.rulesByStatus.error).toBe(0);
  });

  it('shows a stage for every pillar', () => {
    for (const pillar of report.score.pillars) {
      expect(pillar.stage, pillar.id).not.toBe('not_assessed');
    }
  });

  it('gives next-stage guidance', () => {
    expect(report.score.nextSteps.length).toBeGreaterThan(0);
  });
});
