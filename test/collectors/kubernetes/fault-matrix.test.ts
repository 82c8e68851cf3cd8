import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import type { Snapshot } from '../../../src/inventory/snapshot.js';
import { startFakeKube, writeKubeconfig, type Fault } from '../../support/fake-kube-api.js';
import { tempTree } from '../../support/temp.js';
import { builtinListPaths, istioGroups, listsOf, liveOnlyObjects, objects } from './fixtures.js';
import { live, snapshotOf } from './helpers.js';

// The fault matrix at the wire: every list the collector reads, each failing in the ways
// servers and proxies fail. Whatever fails, no resource that was read may pass a rule it
// fails when nothing fails (a derived fact over a list that did not load is unknown, and
// the rule reading it is not evaluated), a rule passing only because of the fault must
// say its data was partial, and the audit must exit 3 (incomplete).

interface Report {
  findings: { ruleId: string; status: string; resource: { id: string }; error?: { code: string } }[];
  ruleResults: { ruleId: string; status: string; coverage: string; notEvaluatedReason?: string; counts: Record<string, number> }[];
}

const faults: Record<string, Fault> = {
  'HTTP 403': { status: 403 },
  'HTTP 500': { status: 500 },
  'a 200 that is not a list': { body: '{}' },
  'a dropped connection': { drop: true },
};

const folder = tempTree({});

async function auditWith(name: string, faultsByPath: Record<string, Fault[]>): Promise<{ code: number; report: Report; snapshot: Snapshot; paths: string[] }> {
  const server = await startFakeKube({ lists: listsOf([...objects, ...liveOnlyObjects]), groups: istioGroups, faults: faultsByPath });
  try {
    const kubeconfig = writeKubeconfig(server.kubeconfig({ context: 'prod' }));
    const snapshot = await snapshotOf([live(kubeconfig, { maxAttempts: 2 })]);
    const file = join(folder, `${name.replace(/[^a-z0-9]+/gi, '-')}.json`);
    writeFileSync(file, JSON.stringify(snapshot));
    const io = memoryIo();
    const code = await run(['audit', '--snapshot', file, '-f', 'json', '-q', '--fail-on', 'none'], io);
    return { code, report: JSON.parse(io.out()) as Report, snapshot, paths: [...new Set(server.requests.map((r) => r.path))].sort() };
  } finally {
    await server.close();
  }
}

// Without faults: the verdicts to compare with, and every path the collector asks for.
const clean = await auditWith('baseline', {});
const baseline = clean.report;

describe('Kubernetes fault matrix: no fault turns a failure into a pass', () => {
  it('the clean run is complete and exits 0, reading every list of the fixture', () => {
    expect(clean.code).toBe(0);
    expect(clean.paths).toEqual(expect.arrayContaining(builtinListPaths.filter((p) => p !== '/api/v1/secrets' && p !== '/api/v1/configmaps')));
  });

  const cases = clean.paths.flatMap((path) => Object.entries(faults).map(([what, fault]) => [path, what, fault] as const));
  it.each(cases)('%s answering %s', async (path, what, fault) => {
    const { code, report, snapshot } = await auditWith(`${path}-${what}`, { [path]: [fault] });
    const read = new Set(snapshot.resources.map((r) => r.id));
    const now = new Map(report.findings.map((f) => [`${f.ruleId} ${f.resource.id}`, f.status]));
    const turned = baseline.findings
      .filter((f) => f.status === 'fail' && read.has(f.resource.id))
      .filter((f) => {
        const status = now.get(`${f.ruleId} ${f.resource.id}`);
        return status !== 'fail' && status !== 'error';
      })
      .map((f) => `${f.ruleId} ${f.resource.id}`);
    expect(turned).toEqual([]);
    const wasPass = new Set(baseline.ruleResults.filter((r) => r.status === 'pass').map((r) => r.ruleId));
    const newPassOnComplete = report.ruleResults.filter((r) => r.status === 'pass' && !wasPass.has(r.ruleId) && r.coverage === 'complete');
    expect(newPassOnComplete).toEqual([]);
    // The list that failed left its kind incomplete (or, for /version, nothing was read):
    // the audit is incomplete whatever --fail-on says.
    const gap = Object.values(snapshot.coverage).some((c) => c.state !== 'complete' && c.reason !== 'not_installed' && c.reason !== 'collector_disabled');
    expect(gap || snapshot.resources.length === 0).toBe(true);
    expect(code).toBe(3);
  });
});

describe('three-valued facts: a fact over a list that did not load is unknown', () => {
  const rules = tempTree({
    'scope-unknown.yaml': `id: TEST-NET-1
title: scope reads an unknown fact
kind: k8s.workload
severity: low
ztmm: { row: networks.segmentation, stage: initial }
when: resource.networkPolicyEnforcement == "enforced"
assert: "true"
message: "{{name}}"
remediation: none
references: [test]
`,
    'out-of-scope.yaml': `id: TEST-NET-2
title: known scope, unknown assert
kind: k8s.workload
severity: low
ztmm: { row: networks.segmentation, stage: initial }
when: resource.namespace == "no-such-namespace"
assert: resource.networkPolicyEnforcement == "enforced"
message: "{{name}}"
remediation: none
references: [test]
`,
  });

  it('pods denied: rules reading NetworkPolicy enforcement are not evaluated, rules reading known facts still are', async () => {
    const server = await startFakeKube({ lists: listsOf([...objects, ...liveOnlyObjects]), groups: istioGroups, faults: { '/api/v1/pods': [{ status: 403 }] } });
    try {
      const kubeconfig = writeKubeconfig(server.kubeconfig({ context: 'prod' }));
      const file = join(folder, 'pods-denied.json');
      writeFileSync(file, JSON.stringify(await snapshotOf([live(kubeconfig, { maxAttempts: 2 })])));
      const io = memoryIo();
      const code = await run(['audit', '--snapshot', file, '--rules', rules, '-f', 'json', '-q', '--fail-on', 'none'], io);
      expect(code).toBe(3);
      const report = JSON.parse(io.out()) as Report;
      const web = report.findings.find((f) => f.ruleId === 'ZT-NET-020' && f.resource.id.endsWith('/Deployment/web'));
      expect(web).toMatchObject({ status: 'error', error: { code: 'ZT_FACT_UNKNOWN', message: expect.stringContaining('resource.ingressOpenToAllPods is unknown: k8s.workload was partially collected (permission_denied)') } });
      const net020 = report.ruleResults.find((r) => r.ruleId === 'ZT-NET-020');
      expect(net020).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'permission_denied', counts: { pass: 0, fail: 0 } });
      expect(net020?.counts.unknown).toBe(net020?.counts.error);
      // A `when` that reads an unknown leaves the scope undecided; one that reads known facts still skips.
      expect(report.ruleResults.find((r) => r.ruleId === 'TEST-NET-1')).toMatchObject({ status: 'not_evaluated' });
      expect(report.ruleResults.find((r) => r.ruleId === 'TEST-NET-2')).toMatchObject({ status: 'not_applicable', counts: { error: 0 } });
      // Workload facts with inputs that did load stay known: isolation by NetworkPolicy is still judged.
      const isolation = report.ruleResults.find((r) => r.ruleId === 'ZT-NET-001');
      expect(isolation?.status).not.toBe('not_evaluated');
    } finally {
      await server.close();
    }
  });
});
