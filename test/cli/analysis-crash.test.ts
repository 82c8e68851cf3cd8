import { afterEach, describe, expect, it, vi } from 'vitest';
import { workloadNetworkAnalyser } from '../../src/analysis/kubernetes/workload-network.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree } from '../support/temp.js';

// An analyser that throws is a bug in zt. It must not crash the audit, must not go
// unnoticed (it used to leave its fields absent, silently), and must never turn into a pass:
// its facts are unknown, the rules reading them not evaluated, and the run exits 4 naming it.
const manifests = tempTree({
  'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: registry.example.com/web@sha256:${'a'.repeat(64)}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
});

interface Audited {
  code: number;
  stderr: string;
  report: {
    inventory: { issues: { code: string; collector: string; kinds: string[]; message: string }[] };
    ruleResults: { ruleId: string; status: string }[];
  };
}

async function audit(): Promise<Audited> {
  const io = memoryIo({ columns: 120, cwd: manifests, now: () => new Date('2026-05-01T00:00:00Z') });
  const code = await run(['audit', '--manifests', manifests, '-f', 'json', '--fail-on', 'none'], io);
  return { code, stderr: io.err(), report: JSON.parse(io.out()) as Audited['report'] };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an analyser that throws', () => {
  it('is an internal issue naming it (exit 4), and no rule reading its facts passes', async () => {
    const intact = await audit();
    expect(intact.code).toBe(0);
    const passedIntact = new Set(intact.report.ruleResults.filter((r) => r.status === 'pass').map((r) => r.ruleId));

    vi.spyOn(workloadNetworkAnalyser, 'derive').mockImplementation(() => {
      throw new TypeError('boom in the network analysis');
    });
    const broken = await audit();
    expect(broken.code).toBe(4);
    const issue = broken.report.inventory.issues.find((i) => i.code === 'ZT_ANALYSIS_CRASHED');
    expect(issue?.collector).toBe('analysis');
    expect(issue?.kinds).toEqual(['k8s.workload']);
    expect(issue?.message).toContain('ingressIsolated');
    expect(issue?.message).toContain('boom in the network analysis');
    expect(broken.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug

    const fields = Object.keys(workloadNetworkAnalyser.output.shape);
    expect(fields).toContain('ingressIsolated');
    // The network rules passed on the intact input; now none of them passes (not evaluated instead).
    const lost = intact.report.ruleResults.filter((r) => r.status === 'pass' && /^ZT-NET-00[12]$/.test(r.ruleId));
    expect(lost.length).toBeGreaterThan(0);
    for (const result of broken.report.ruleResults) {
      if (!passedIntact.has(result.ruleId)) expect(result.status, result.ruleId).not.toBe('pass');
    }
    for (const { ruleId } of lost) expect(broken.report.ruleResults.find((r) => r.ruleId === ruleId)?.status).toBe('not_evaluated');
  });
});
