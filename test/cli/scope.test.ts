import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { stageOrder } from '../../src/model/ztmm.js';

async function zt(argv: string[]) {
  const io = memoryIo({ columns: 100 });
  const code = await run(['audit', '--demo', '-q', ...argv], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

interface Json {
  scope?: Record<string, unknown>;
  rules: { id: string; severity: string }[];
  ruleResults: { ruleId: string; status: string; notEvaluatedReason?: string }[];
  findings: { ruleId: string; status: string; resource: { kind: string; id: string; name: string } }[];
  score: { overall: { stage: string }; pillars: { id: string; stage: string; rows: { id: string; stage: string }[] }[] };
  summary: { findingsBySeverity: Record<string, number> };
}
const json = async (...argv: string[]): Promise<Json> => JSON.parse((await zt(['-f', 'json', '--fail-on', 'none', ...argv])).stdout) as Json;
/** Ranks assessed stages, "not assessed" lowest: a scoped run must never rank above the whole. */
const rank = (stage: string) => (stage === 'not_assessed' ? -1 : stageOrder.indexOf(stage as (typeof stageOrder)[number]));

/** The namespace of a Kubernetes-plane finding's resource (ids are k8s://<cluster>/<namespace or _cluster>/<kind>/<name>, Istio's and Cilium's too). */
function namespaceOf(resource: { kind: string; id: string; name: string }): string | undefined {
  if (!resource.id.startsWith('k8s://')) return undefined;
  if (resource.kind === 'k8s.namespace') return resource.name;
  const ns = resource.id.split('/')[3];
  return ns === '_cluster' ? undefined : ns;
}

describe('zt audit scoping: --rule, --skip-rule, --namespace, --exclude-namespace, --severity', () => {
  it('an unscoped report has no scope key (JSON unchanged)', async () => {
    expect('scope' in (await json())).toBe(false);
  });

  it('--rule keeps only matching rules; the rest are not evaluated (out_of_scope) and no proven stage rises', async () => {
    const whole = await json();
    const scoped = await json('--rule', 'zt-idn-*');
    const identity = whole.rules.filter((r) => r.id.startsWith('ZT-IDN-')).map((r) => r.id);
    expect(identity.length).toBeGreaterThan(5);
    const leftOut = whole.rules.map((r) => r.id).filter((id) => !identity.includes(id));
    expect(scoped.scope).toMatchObject({ rules: ['zt-idn-*'], skipRules: [], rulesLeftOut: leftOut, resourcesLeftOut: 0, severity: null });
    for (const r of scoped.ruleResults) {
      if (identity.includes(r.ruleId)) expect(r.notEvaluatedReason, r.ruleId).not.toBe('out_of_scope');
      else expect(r, r.ruleId).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'out_of_scope' });
    }
    expect(scoped.findings.every((f) => f.ruleId.startsWith('ZT-IDN-'))).toBe(true);
    expect(scoped.findings).toEqual(whole.findings.filter((f) => f.ruleId.startsWith('ZT-IDN-')));
    expect(rank(scoped.score.overall.stage)).toBeLessThanOrEqual(rank(whole.score.overall.stage));
  });

  it('--skip-rule of every failing rule of a row does not lift its proven stage', async () => {
    const whole = await json();
    const failingRules = [...new Set(whole.findings.filter((f) => f.status === 'fail').map((f) => f.ruleId))];
    const scoped = await json(...failingRules.flatMap((id) => ['--skip-rule', id]));
    expect((scoped.scope as { rulesLeftOut: string[] }).rulesLeftOut).toEqual([...failingRules].sort());
    expect(scoped.findings.filter((f) => f.status === 'fail')).toEqual([]);
    for (const pillar of scoped.score.pillars) {
      const before = whole.score.pillars.find((p) => p.id === pillar.id);
      expect(rank(pillar.stage), pillar.id).toBeLessThanOrEqual(rank(before?.stage ?? 'not_assessed'));
      for (const row of pillar.rows) {
        const was = before?.rows.find((r) => r.id === row.id)?.stage ?? 'not_assessed';
        expect(rank(row.stage), row.id).toBeLessThanOrEqual(rank(was));
      }
    }
  });

  it('--namespace and --exclude-namespace (globs) scope namespaced Kubernetes objects only', async () => {
    const whole = await json();
    const shop = await json('--namespace', 'sh*');
    const namespaced = shop.findings.map((f) => namespaceOf(f.resource)).filter((n) => n !== undefined);
    expect(namespaced.length).toBeGreaterThan(0);
    expect(new Set(namespaced)).toEqual(new Set(['shop']));
    // Cluster-scoped objects and the other planes are not namespace-scoped.
    const outside = (f: Json['findings'][number]) => namespaceOf(f.resource) === undefined;
    expect(shop.findings.filter(outside)).toEqual(whole.findings.filter(outside));
    expect((shop.scope as { resourcesLeftOut: number }).resourcesLeftOut).toBeGreaterThan(0);

    const noSystem = await json('--exclude-namespace', 'kube-*', '--exclude-namespace', 'legacy');
    const left = new Set(noSystem.findings.map((f) => namespaceOf(f.resource)).filter((n) => n !== undefined));
    expect(left.has('kube-system') || left.has('legacy')).toBe(false);
    expect(left.has('shop')).toBe(true);
  });

  it('--severity lists fewer findings but scores, summary and the gate are those of the whole', async () => {
    const whole = await json();
    const high = await json('--severity', 'high');
    const severityOf = new Map(whole.rules.map((r) => [r.id, r.severity]));
    expect(high.findings.every((f) => ['critical', 'high'].includes(severityOf.get(f.ruleId) ?? ''))).toBe(true);
    expect(high.findings).toEqual(whole.findings.filter((f) => ['critical', 'high'].includes(severityOf.get(f.ruleId) ?? '')));
    expect(high.summary).toEqual(whole.summary);
    expect(high.score).toEqual(whole.score);
    expect(high.scope).toMatchObject({ severity: 'high', findingsNotListed: whole.findings.length - high.findings.length, rulesLeftOut: [] });
    // A medium finding still fails --fail-on medium, though it is not listed.
    const gate = await zt(['--severity', 'critical', '--fail-on', 'medium']);
    const plain = await zt(['--fail-on', 'medium']);
    expect(gate.code).toBe(plain.code);
    expect(gate.code).toBe(1);
  });

  it('every human format says the audit was scoped, and so does stderr', async () => {
    const table = await zt(['--fail-on', 'none', '--rule', 'ZT-IDN-*', '--severity', 'high']);
    expect(table.stdout).toMatch(/Scoped audit — not the whole posture\n {2}- \d+ of \d+ rules left out by --rule ZT-IDN-\*/);
    expect(table.stderr).toMatch(/^! scoped: \d+ of \d+ rules left out by --rule ZT-IDN-\*/m);
    expect(table.stderr).toMatch(/^! scoped: \d+ finding\(s\) of rules below --severity high not listed/m);
    const markdown = await zt(['--fail-on', 'none', '--namespace', 'shop', '-f', 'markdown']);
    expect(markdown.stdout).toMatch(/> \*\*Scoped audit, not the whole posture:\*\* \d+ Kubernetes namespaced resource/);
    const html = await zt(['--fail-on', 'none', '--skip-rule', 'ZT-IDN-001', '-f', 'html']);
    expect(html.stdout).toContain('<p class="scoped"><b>Scoped audit, not the whole posture:</b> 1 of ');
  });

  it('a rule pattern that matches nothing is exit 2 with a suggestion, before any input is read', async () => {
    const typo = await zt(['--rule', 'ZT-IDN-01', '--skip-rule', 'nothing-*']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/rule patterns match no rule: --rule ZT-IDN-01; did you mean "ZT-IDN-001"\?; --skip-rule nothing-\*/);
    const bad = await zt(['--severity', 'hgh']);
    expect(bad.code).toBe(2);
  });
});
