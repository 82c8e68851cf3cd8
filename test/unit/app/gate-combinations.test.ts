import { describe, expect, it } from 'vitest';
import { evaluateGate, gateFailed, gateIncomplete, gateInternal, type GateThresholds } from '../../../src/app/gate.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';
import type { Report } from '../../../src/model/report.js';
import { sampleReport } from '../../support/sample-report.js';

// The exit-code contract for every combination of the CI options, on one report:
// 2 critical + 4 high failing findings; identity proven at "traditional"; networks short of
// evidence (one row of seven); coverage 8 %.
// `partial` is the sample as collected (Okta factors denied for 3 users); `report` is it
// with collection complete, for the finding and stage gates.
const partial = sampleReport();
const report: Report = {
  ...partial,
  inventory: { ...partial.inventory, coverage: { ...partial.inventory.coverage, 'idp.user': { state: 'complete' } }, issues: [] },
};
const failing = report.findings.filter((f) => f.status === 'fail');
const critical = failing.find((f) => f.ruleId === 'ZT-IDN-001')!;
const withBaseline = (newFindings: string[], regressions = false): Report => ({
  ...report,
  baseline: {
    file: '.zt/baseline.json',
    collectedAt: '2026-01-01T00:00:00Z',
    newFindings,
    resolved: [],
    stageRegressions: regressions ? [{ level: 'pillar', id: 'identity', from: 'initial', to: 'traditional' }] : [],
  },
});

function exitCode(r: Report, thresholds: Partial<GateThresholds>): number {
  const outcome = evaluateGate(r, { failOn: 'high', minStages: [], minCoverage: undefined, ...thresholds });
  return exitCodeFor({ kind: 'completed', internal: gateInternal(outcome), incomplete: gateIncomplete(outcome), gateFailed: gateFailed(outcome) });
}

describe('gate options combined', () => {
  it.each<[string, Report, Partial<GateThresholds>, number]>([
    ['defaults: high findings fail', report, {}, 1],
    ['--fail-on none', report, { failOn: 'none' }, 0],
    ['--fail-on critical (2 critical)', report, { failOn: 'critical' }, 1],
    ['--fail-on none --min-stage identity=traditional (met)', report, { failOn: 'none', minStages: [{ target: 'identity', stage: 'traditional' }] }, 0],
    ['--fail-on none --min-stage identity=initial (not met)', report, { failOn: 'none', minStages: [{ target: 'identity', stage: 'initial' }] }, 1],
    ['--fail-on none --min-stage devices=traditional on an unassessed pillar', report, { failOn: 'none', minStages: [{ target: 'devices', stage: 'traditional' }] }, 1],
    ['--fail-on none --min-stage networks=traditional on a pillar with insufficient evidence (1 row of 7): the floor is met', report, { failOn: 'none', minStages: [{ target: 'networks', stage: 'traditional' }] }, 0],
    ['--fail-on none --min-stage networks=initial on a pillar with insufficient evidence (its row reaches Initial)', report, { failOn: 'none', minStages: [{ target: 'networks', stage: 'initial' }] }, 1],
    ['--min-coverage above coverage: incomplete beats findings', report, { minCoverage: 0.5 }, 3],
    ['--fail-on none --min-coverage met', report, { failOn: 'none', minCoverage: 0.05 }, 0],
    ['--baseline with no new findings', withBaseline([]), {}, 0],
    ['--baseline with a new critical finding', withBaseline([critical.fingerprint]), {}, 1],
    ['--baseline with a new finding below --fail-on', withBaseline([critical.fingerprint]), { failOn: 'none' }, 0],
    ['--baseline with a stage regression, even with --fail-on none', withBaseline([], true), { failOn: 'none' }, 1],
    ['--baseline, no new findings, --min-stage not met', withBaseline([]), { minStages: [{ target: 'overall', stage: 'advanced' }] }, 1],
    ['--baseline, regression, --min-coverage not met: incomplete wins', withBaseline([], true), { minCoverage: 0.9 }, 3],
    ['a partial collection is incomplete, even with --fail-on none', partial, { failOn: 'none' }, 3],
    ['a partial collection is incomplete before the finding gate', partial, {}, 3],
    ['--allow-incomplete accepts a partial collection', partial, { failOn: 'none', allowIncomplete: true }, 0],
    ['--allow-incomplete leaves the finding gate as it is', partial, { allowIncomplete: true }, 1],
    ['--allow-incomplete does not accept --min-coverage not met', partial, { failOn: 'none', allowIncomplete: true, minCoverage: 0.5 }, 3],
    ['a kind not installed, or not opted in, is not a gap', { ...report, inventory: { ...report.inventory, coverage: { ...report.inventory.coverage, 'k8s.secret': { state: 'missing', reason: 'collector_disabled' } } } }, { failOn: 'none' }, 0],
    ['an info issue is not a gap', { ...report, inventory: { ...report.inventory, issues: [{ collector: 'kubernetes', severity: 'info', code: 'ZT_COLLECT_INPUT_SKIPPED', message: 'unrecognised kinds not audited: Foo', kinds: [] }] } }, { failOn: 'none' }, 0],
    ['a warning issue of an exit-3 code is a gap, even with every kind complete', { ...report, inventory: { ...report.inventory, issues: [{ collector: 'kubernetes', severity: 'warning', code: 'ZT_COLLECT_INPUT_SKIPPED', message: 'a.yaml skipped', kinds: [] }] } }, { failOn: 'none' }, 3],
  ])('%s → exit %i', (_name, r, thresholds, code) => {
    expect(exitCode(r, thresholds)).toBe(code);
  });

  it('a source that contributed nothing makes the audit incomplete whatever the other options', () => {
    const empty: Report = { ...report, inventory: { ...report.inventory, resourcesByCollector: { okta: 7, kubernetes: 17 }, resourcesBySource: { 'k8s:prod': 13, 'manifests:deploy': 4, 'okta:acme.okta.com': 7 } } };
    expect(exitCode(empty, { failOn: 'none' })).toBe(3);
    expect(exitCode(empty, {})).toBe(3);
  });

  it('a collection issue the catalogue classes internal (a collector crashed, a mapping broke its schema) is exit 4, whatever else', () => {
    for (const code of ['ZT_COLLECT_CRASHED', 'ZT_COLLECT_MALFORMED']) {
      const issue = { collector: 'aws-iam', severity: 'error' as const, code, message: 'collector failed unexpectedly: x is not a function', kinds: [] };
      const crashed: Report = { ...report, inventory: { ...report.inventory, issues: [...report.inventory.issues, issue], resourcesByCollector: { okta: 7, kubernetes: 17 }, resourcesBySource: { 'k8s:prod': 13, 'manifests:deploy': 4, 'okta:acme.okta.com': 7 } } };
      expect(exitCode(crashed, { failOn: 'none' }), code).toBe(4);
      expect(exitCode(crashed, { minCoverage: 0.9 }), code).toBe(4);
    }
    // Warnings and informational codes outside the catalogue do not change the exit code.
    const noted: Report = { ...report, inventory: { ...report.inventory, issues: [{ collector: 'okta', severity: 'info', code: 'ZT_OKTA_FASTPASS', message: 'x', kinds: [] }] } };
    expect(exitCode(noted, { failOn: 'none' })).toBe(0);
  });
});
