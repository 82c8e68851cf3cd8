import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditSnapshot } from '../../../src/app/audit.js';
import { evaluateGate } from '../../../src/app/gate.js';
import { loadRules } from '../../../src/app/rules.js';
import { analyse } from '../../../src/analysis/index.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { mergeSnapshots } from '../../../src/inventory/merge.js';
import { parseSnapshot } from '../../../src/inventory/snapshot-file.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import type { Report } from '../../../src/model/report.js';
import { jsonReporter } from '../../../src/reporters/json.js';

const renderJson = (report: Report): string => jsonReporter.render(report, { color: false, width: 80 });

const rules = await loadRules({ extraPaths: [] });

function demoFile(name: string): Snapshot {
  return parseSnapshot(readFileSync(new URL(`../../../fixtures/demo/${name}`, import.meta.url), 'utf8'), name);
}

/** A second cluster: the demo's, renamed, whose ClusterRoles and NetworkPolicies could not be listed (403). */
function deniedTwin(cluster: Snapshot): Snapshot {
  const twin = JSON.parse(JSON.stringify(cluster).split('acme-prod').join('acme-stage')) as Snapshot;
  return {
    ...twin,
    coverage: {
      ...twin.coverage,
      'k8s.rbac.clusterRole': { state: 'missing', reason: 'permission_denied', detail: 'clusterroles is forbidden' },
      'k8s.networkPolicy': { state: 'missing', reason: 'permission_denied', detail: 'networkpolicies is forbidden' },
    },
    resources: twin.resources.filter((r) => r.kind !== 'k8s.rbac.clusterRole' && r.kind !== 'k8s.networkPolicy'),
  };
}

const targetOf = (report: Report, source: string) => report.targets?.find((t) => t.source === source);

describe('per-target verdicts and scores', () => {
  const cluster = demoFile('kubernetes.json');
  const merged = mergeSnapshots([cluster, deniedTwin(cluster)]);
  const report = auditSnapshot(merged, rules, 'test');
  const alone = auditSnapshot(cluster, rules, 'test');

  it('one target alone has no targets section (the whole is that target)', () => {
    expect(alone.targets).toBeUndefined();
  });

  it('each target is judged with its own coverage: a gap in one cluster is not a gap in the other', () => {
    const prod = targetOf(report, 'k8s:acme-prod');
    const stage = targetOf(report, 'k8s:acme-stage');
    expect(prod?.incompleteKinds).toEqual([]);
    expect(stage?.incompleteKinds).toEqual(['k8s.networkPolicy', 'k8s.rbac.clusterRole']);
    // The demo cluster alone leaves no rule not evaluated; beside a denied twin it still does not.
    expect(prod?.rulesByStatus.not_evaluated).toBe(0);
    expect(stage?.rulesByStatus.not_evaluated).toBeGreaterThan(0);
    // The whole is judged by the worst: the kind is missing from one target.
    expect(report.inventory.coverage['k8s.rbac.clusterRole']?.state).toBe('missing');
  });

  it("a target's scores equal those of the same target audited alone", () => {
    const prod = targetOf(report, 'k8s:acme-prod');
    expect(prod?.overall.score).toBe(alone.score.overall.score);
    expect(prod?.pillars.map((p) => [p.id, p.stage, p.score])).toEqual(alone.score.pillars.map((p) => [p.id, p.stage, p.score]));
    expect(prod?.findingsBySeverity).toEqual(alone.summary.findingsBySeverity);
    // The cluster alone also counts the other planes' rules (not evaluated there); a target only its own kinds'.
    const { not_evaluated: _, ...decided } = alone.summary.rulesByStatus;
    expect(prod?.rulesByStatus).toEqual({ ...decided, not_evaluated: 0 });
  });

  it("facts derived in a target read only that target's gaps: the other cluster's denied NetworkPolicies leave this one's network facts known", () => {
    const own = (r: Report, source: string) => r.findings.filter((f) => f.resource.source === source && f.status === 'error').map((f) => f.ruleId);
    expect(own(report, 'k8s:acme-prod')).toEqual([]);
    // …while the denied cluster's own workloads read unknown facts.
    expect(own(report, 'k8s:acme-stage').length).toBeGreaterThan(0);
  });

  it("every resource is counted in its own target once: the targets' counts add up to the whole's", () => {
    const demo = mergeSnapshots([demoFile('aws.json'), demoFile('identity.json'), cluster]);
    const inventory = new InventoryIndex(demo);
    const evaluation = evaluate(inventory, analyse(inventory), rules.compiled);
    for (const result of evaluation.ruleResults) {
      const sum = { pass: 0, fail: 0, error: 0, skip: 0 };
      for (const tally of evaluation.byTarget?.values() ?? []) {
        const c = tally.counts.get(result.ruleId);
        if (!c) continue;
        sum.pass += c.pass;
        sum.fail += c.fail;
        sum.error += c.error;
        sum.skip += c.skip;
      }
      expect(sum, result.ruleId).toEqual({ pass: result.counts.pass, fail: result.counts.fail, error: result.counts.error, skip: result.counts.skip });
    }
  });

  it('the JSON report carries the targets, sorted by source, the same bytes every time', () => {
    const json = renderJson(report);
    expect(JSON.parse(json).targets.map((t: { source: string }) => t.source)).toEqual(['k8s:acme-prod', 'k8s:acme-stage']);
    expect(renderJson(auditSnapshot(mergeSnapshots([deniedTwin(cluster), cluster]), rules, 'test'))).toBe(json);
  });
});

describe('--gate-per-target', () => {
  const demo = mergeSnapshots([demoFile('aws.json'), demoFile('identity.json'), demoFile('kubernetes.json')]);
  const report = auditSnapshot(demo, rules, 'test');
  const base = { failOn: 'none' as const, minCoverage: undefined };

  it('holds --min-stage for every target on its own, naming the target', () => {
    const outcome = evaluateGate(report, { ...base, minStages: [{ target: 'networks', stage: 'initial' }], perTarget: true });
    const perTarget = outcome.stageShortfalls.filter((s) => s.source !== undefined);
    // Only the cluster has network evidence: the accounts and tenants are outside that pillar.
    expect(perTarget.map((s) => [s.source, s.target])).toEqual([['k8s:acme-prod', 'networks']]);
  });

  it('a pillar the target could not assess (data denied) is a shortfall, never skipped: only pillars no rule of its kinds evidences are outside it', () => {
    const denied: Report = {
      ...report,
      targets: report.targets?.map((t) =>
        t.source === 'k8s:acme-prod'
          ? { ...t, pillars: t.pillars.map((p) => (p.id === 'networks' ? { ...p, stage: 'not_assessed', assessedStage: 'not_assessed', score: null, rowsAssessed: 0 } : p)) }
          : t,
      ),
    };
    const outcome = evaluateGate(denied, { ...base, minStages: [{ target: 'networks', stage: 'traditional' }], perTarget: true });
    expect(outcome.stageShortfalls.filter((s) => s.source !== undefined).map((s) => [s.source, s.actual])).toEqual([['k8s:acme-prod', 'not_assessed']]);
    expect(report.targets?.find((t) => t.source === 'aws:111122223333')?.pillars.find((p) => p.id === 'networks')?.rowsInScope).toBe(0);
  });

  it('without the flag only the whole is gated', () => {
    const outcome = evaluateGate(report, { ...base, minStages: [{ target: 'networks', stage: 'initial' }] });
    expect(outcome.stageShortfalls.every((s) => s.source === undefined)).toBe(true);
  });

  it('a target meeting the stage is not a shortfall', () => {
    const outcome = evaluateGate(report, { ...base, minStages: [{ target: 'identity', stage: 'traditional' }], perTarget: true });
    expect(outcome.stageShortfalls).toEqual([]);
  });
});
