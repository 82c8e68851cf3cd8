import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempTree } from '../support/temp.js';

// Issue #23 item 3: auditing only a folder of Deployment manifests showed Data "Optimal 3.00"
// (1/8 rows) — the two "no secrets in env" rules passed, nothing else in the pillar was assessed.
// With the bundled rules, as the issue ran it.
const manifests = tempTree({
  'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          env:
            - name: LOG_LEVEL
              value: info
`,
});

async function zt(argv: string[]) {
  // Manifests are read "now": a fixed clock makes reruns comparable byte for byte.
  const io = memoryIo({ columns: 120, cwd: manifests, now: () => new Date('2026-05-01T00:00:00Z') });
  const code = await run(['audit', '--manifests', manifests, ...argv], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('minimum evidence: a Deployment folder alone (issue #23 item 3)', () => {
  it('no longer reads Data as Optimal: its one row is insufficient evidence, Optimal only possible', async () => {
    const { code, stdout } = await zt(['-f', 'json', '--fail-on', 'none']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const status = (id: string) => report.ruleResults.find((r: { ruleId: string }) => r.ruleId === id)?.status;
    // The evidence: the secrets-in-env rules pass, and their row reaches Optimal.
    expect([status('ZT-DAT-020'), status('ZT-DAT-021')]).toEqual(['pass', 'pass']);
    const data = report.score.pillars.find((p: { id: string }) => p.id === 'data');
    expect(data.rows.find((r: { id: string }) => r.id === 'data.encryption').stage).toBe('optimal');
    expect(data).toMatchObject({
      stage: 'not_assessed',
      possibleStage: 'optimal',
      score: null,
      rowsAssessed: 1,
      rowsTotal: 8,
      evidence: { parts: 'rows', assessed: 1, required: 4, total: 8, sufficient: false, assessedStage: 'optimal' },
    });
    // No pillar and not the overall reads above what enough evidence supports.
    for (const pillar of report.score.pillars) {
      if (pillar.stage !== 'not_assessed' && pillar.stage !== 'traditional') expect(pillar.evidence.sufficient, pillar.id).toBe(true);
    }
    expect(report.score.overall.stage).toBe('traditional'); // a workload fails Initial elsewhere: Traditional needs no more
    expect(report.score.overall.evidence).toMatchObject({ parts: 'pillars', total: 5, required: 3 });
  });

  it('every reporter says "insufficient evidence" for Data', async () => {
    const table = await zt(['--fail-on', 'none']);
    expect(table.stdout).toMatch(/^│ Data +│ Insufficient │ Optimal +│ +— │ +1\/8 │$/m);
    expect(table.stdout).toContain('Insufficient evidence: Data: 1 of 8 rows assessed, reaching Optimal; a stage above Traditional needs 4.');
    const markdown = await zt(['-f', 'markdown', '--fail-on', 'none']);
    expect(markdown.stdout).toContain('| Data | Insufficient evidence | Optimal | — | 1/8 |');
    const html = await zt(['-f', 'html', '--fail-on', 'none']);
    expect(html.stdout).toContain('<g data-pillar="Data" data-stage="not_assessed" data-evidence="insufficient">');
    const sarif = JSON.parse((await zt(['-f', 'sarif', '--fail-on', 'none'])).stdout);
    const data = sarif.runs[0].properties.ztmm.pillars.find((p: { id: string }) => p.id === 'data');
    expect(data).toMatchObject({ stage: 'not_assessed', possibleStage: 'optimal', evidence: { assessed: 1, required: 4, sufficient: false } });
  });

  it('--min-stage holds insufficient evidence at Traditional, never above, and says why', async () => {
    const data = await zt(['--fail-on', 'none', '--min-stage', 'data=initial']);
    expect(data.code).toBe(1);
    expect(data.stderr).toContain(
      '✖ gate: data has insufficient evidence (1 of 8 rows assessed, reaching Optimal; a stage above Traditional needs 4), below --min-stage data=initial (exit 1)',
    );
    // One row proves the floor: Traditional is met (a Data row moving up never fails the gate).
    expect((await zt(['--fail-on', 'none', '--min-stage', 'data=traditional'])).code).toBe(0);
    expect((await zt(['--fail-on', 'none', '--min-stage', 'overall=traditional'])).code).toBe(0);
  });

  it('JSON and SARIF stay byte-deterministic', async () => {
    for (const format of ['json', 'sarif']) {
      const a = await zt(['-f', format, '--fail-on', 'none']);
      const b = await zt(['-f', format, '--fail-on', 'none']);
      expect(b.stdout, format).toBe(a.stdout);
    }
  });
});
