import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

// deploy/kubernetes (docs/fan-out.md): the read access is exactly the documented one, and zt
// finds nothing wrong with its own CronJob beyond what a user must fill in (their image by
// digest from their registry) or add (a service mesh). The real kube-apiserver accepts the
// manifests (test/integration/k8s/deploy-manifests.test.ts).

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('deploy/kubernetes', () => {
  it('rbac.yaml is the least-privilege access of docs/kubernetes.md', () => {
    const docs = read('docs/kubernetes.md');
    const block = /```yaml\n([\s\S]*?)```/.exec(docs.slice(docs.indexOf('### Least-privilege ClusterRole')))?.[1] ?? '';
    expect(yaml.loadAll(read('deploy/kubernetes/rbac.yaml'))).toEqual(yaml.loadAll(block));
  });

  // Pinning the image by digest (ZT-APP-041) also settles its pull policy (ZT-APP-039: a tag
  // with IfNotPresent); the registry (ZT-DEV-030) and the mesh are the user's.
  it("zt's own audit of the CronJob fails only on the image the user must pin and on the mesh", async () => {
    const io = memoryIo({ env: {} });
    const code = await run(['audit', '--manifests', 'deploy/kubernetes', '-f', 'json', '--fail-on', 'none', '--as-of', '2026-01-01T00:00:00Z'], io);
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as { findings: { ruleId: string; status: string }[] };
    const failing = [...new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.ruleId))].sort();
    expect(failing).toEqual(['ZT-APP-039', 'ZT-APP-041', 'ZT-DEV-030', 'ZT-NET-010', 'ZT-NET-011']);
  });
});
