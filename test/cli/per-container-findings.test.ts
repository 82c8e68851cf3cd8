import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

/**
 * Findings of container rules name the containers (and env vars) they fail on, SARIF points
 * at their lines, and a baseline written by zt before findings named containers
 * (`baseline-before-elements.json`, made from shop.yaml by the commit before this change)
 * still matches every finding: fingerprints did not change.
 */

const dir = fileURLToPath(new URL('./fixtures/per-container/', import.meta.url));
const flags = ['--manifests', 'shop.yaml', '--as-of', '2026-12-01T00:00:00Z', '--fail-on', 'none', '-q'];

async function zt(argv: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

interface Element {
  field: string;
  name: string;
  line?: number;
  column?: number;
  elements?: Element[];
}
interface Finding {
  ruleId: string;
  status: string;
  resource: { id: string };
  message?: string;
  elements?: Element[];
  fingerprint: string;
}

const WEB = 'k8s://manifests/shop/Deployment/web';
const WORKER = 'k8s://manifests/shop/Deployment/worker';

describe('per-container findings', () => {
  it('name the failing containers and env vars, with their manifest lines', async () => {
    const { code, stdout } = await zt(['audit', ...flags, '-f', 'json']);
    expect(code).toBe(0);
    const findings = (JSON.parse(stdout) as { findings: Finding[] }).findings;
    const privileged = findings.find((f) => f.ruleId === 'ZT-APP-020' && f.resource.id === WEB);
    // web is privileged (line 31); metrics and the migrate init container are not.
    expect(privileged?.elements).toEqual([{ field: 'allContainers', name: 'web', line: 31, column: 9 }]);
    expect(privileged?.message).toMatch(/\(container "web"\)$/);
    const literal = findings.find((f) => f.ruleId === 'ZT-DAT-021' && f.resource.id === WEB);
    // LOG_LEVEL is not credential-like; DB_PASSWORD (line 41) and METRICS_API_TOKEN (line 46) are.
    expect(literal?.elements).toEqual([
      { field: 'allContainers', name: 'web', line: 31, column: 9, elements: [{ field: 'env', name: 'DB_PASSWORD', line: 41, column: 13 }] },
      { field: 'allContainers', name: 'metrics', line: 43, column: 9, elements: [{ field: 'env', name: 'METRICS_API_TOKEN', line: 46, column: 11 }] },
    ]);
    expect(literal?.message).toMatch(/\(container "web": env var DB_PASSWORD; container "metrics": env var METRICS_API_TOKEN\)$/);
    // A pod-level rule (host namespaces, service account) names no container.
    expect(findings.filter((f) => f.ruleId === 'ZT-APP-032').every((f) => f.elements === undefined)).toBe(true);
  });

  it('SARIF puts the result at the first failing container and the others in relatedLocations', async () => {
    const { stdout } = await zt(['audit', ...flags, '-f', 'sarif']);
    const results = (JSON.parse(stdout) as { runs: { results: Record<string, any>[] }[] }).runs[0]!.results;
    const literal = results.find((r) => r.ruleId === 'ZT-DAT-021' && r.properties.resourceId === WEB)!;
    expect(literal.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'shop.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 41, startColumn: 13 } });
    expect(literal.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: 'shop.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 46, startColumn: 11 } }, message: { text: 'metrics: METRICS_API_TOKEN' } },
    ]);
    const worker = results.find((r) => r.ruleId === 'ZT-APP-020' && r.properties.resourceId === WORKER)!;
    // `- name: worker` at the key's own indentation (kubectl's style) is found too.
    expect(worker.locations[0].physicalLocation.region).toEqual({ startLine: 72, startColumn: 7 });
    expect(worker.relatedLocations).toBeUndefined();
  });

  it('a baseline written before findings named containers still matches them', async () => {
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline-before-elements.json'), 'utf8')) as { findings: { fingerprint: string; ruleId: string }[] };
    const { stdout } = await zt(['audit', ...flags, '-f', 'json', '--baseline', 'baseline-before-elements.json']);
    const report = JSON.parse(stdout) as { findings: Finding[]; baseline: { newFindings: string[]; resolved: unknown[] } };
    expect(report.baseline.resolved).toEqual([]);
    const failing = new Map(report.findings.filter((f) => f.status === 'fail').map((f) => [f.fingerprint, f]));
    for (const old of baseline.findings) expect(failing.get(old.fingerprint)?.ruleId).toBe(old.ruleId);
    // Only rules added after the baseline was written can make new findings.
    const rulesBefore = new Set(baseline.findings.map((f) => f.ruleId));
    const newRules = report.baseline.newFindings.map((fp) => failing.get(fp)!.ruleId);
    expect(newRules.filter((id) => rulesBefore.has(id))).toEqual([]);
  });

  // kubectl get -o yaml / -o json give a List; two of its Deployments have a container named `app`.
  it.each([
    ['a YAML List', 'list.yaml', { api: { line: 18, column: 9 }, cart: { line: 40, column: 9 } }],
    ['a pretty-printed JSON List (kubectl get -o json)', 'list.json', { api: { line: 26, column: 29 }, cart: { line: 69, column: 29 } }],
    ['a JSON List on one line', 'list-compact.json', { api: { line: 1, column: 251 }, cart: { line: 1, column: 718 } }],
  ])('%s: each item\'s containers at their own line and column, in the JSON report and SARIF', async (_name, file, expected) => {
    const args = ['--manifests', file, '--as-of', '2026-12-01T00:00:00Z', '--fail-on', 'none', '-q'];
    const findings = (JSON.parse((await zt(['audit', ...args, '-f', 'json'])).stdout) as { findings: Finding[] }).findings;
    const results = (JSON.parse((await zt(['audit', ...args, '-f', 'sarif'])).stdout) as { runs: { results: Record<string, any>[] }[] }).runs[0]!.results;
    for (const [workload, at] of Object.entries(expected)) {
      const id = `k8s://manifests/shop/Deployment/${workload}`;
      expect(findings.find((f) => f.ruleId === 'ZT-APP-020' && f.resource.id === id)?.elements).toEqual([{ field: 'allContainers', name: 'app', ...at }]);
      const result = results.find((r) => r.ruleId === 'ZT-APP-020' && r.properties.resourceId === id)!;
      expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' }, region: { startLine: at.line, startColumn: at.column } });
    }
  });
});
