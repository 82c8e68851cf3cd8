import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { tableReporter } from '../../src/reporters/table.js';
import { sampleReport } from '../support/sample-report.js';

const ESC = '\u001b[';

function render(report: Report, options: { color?: boolean; width?: number; details?: boolean } = {}): string {
  return tableReporter.render(report, { color: options.color ?? false, width: options.width ?? 80, details: options.details ?? false });
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function widest(text: string): number {
  return Math.max(...stripAnsi(text).split('\n').map((line) => [...line].length));
}

/** The table row of a pillar, e.g. "│ Identity │ Traditional │ … │". */
function pillarRow(text: string, pillar: string): string {
  const row = text.split('\n').find((line) => line.startsWith(`│ ${pillar} `));
  if (!row) throw new Error(`no row for ${pillar} in\n${text}`);
  return row;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** A wrapped paragraph's text with its wrapping undone (continuation lines are indented deeper). */
function paragraphStartingWith(text: string, start: string): string {
  const lines = text.split('\n');
  const from = lines.findIndex((line) => line.startsWith(start));
  if (from < 0) throw new Error(`no line starting with ${start} in\n${text}`);
  const first = lines[from] ?? '';
  const parts = [first];
  for (const line of lines.slice(from + 1)) {
    if (line.trim() === '' || indentOf(line) <= indentOf(first)) break;
    parts.push(line.trim());
  }
  return parts.join(' ');
}

function manyFindings(count: number): Report {
  const report = sampleReport();
  const template = report.findings.find((f) => f.ruleId === 'ZT-NET-003' && f.resource.name === 'cart');
  if (!template) throw new Error('sample changed');
  const extra: Finding[] = Array.from({ length: count }, (_, i) => {
    const name = `svc-${String(i).padStart(2, '0')}`;
    return {
      ...template,
      resource: { ...template.resource, id: `k8s://prod/shop/Deployment/${name}`, name },
      message: `${name} accepts traffic from any pod in the cluster`,
      fingerprint: `f${String(i).padStart(31, '0')}`,
    };
  });
  return { ...report, findings: [...report.findings, ...extra] };
}

describe('table reporter', () => {
  it('matches the reviewed snapshot (colour off, 80 columns)', async () => {
    await expect(render(sampleReport())).toMatchFileSnapshot('__snapshots__/table.txt');
  });

  it('emits no ANSI escapes with colour off, and colour never changes the text', () => {
    const plain = render(sampleReport(), { color: false });
    const coloured = render(sampleReport(), { color: true });
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(ESC);
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it('never passes control characters from audited data to the terminal', () => {
    const report = sampleReport();
    const hostile = '\u001b]0;owned\u0007evil\nname\u001b[2J';
    const findings = report.findings.map((f, i) =>
      i === 2 ? { ...f, resource: { ...f.resource, name: hostile }, message: `msg ${hostile}` } : f,
    );
    const text = render({ ...report, findings }, { width: 120 });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('\ufffd]0;owned\ufffdevil name\ufffd[2J');
    // With colour on, the only escapes left are chalk's own colour codes.
    const coloured = render({ ...report, findings }, { width: 120, color: true });
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('colours severities and stages only', () => {
    const coloured = render(sampleReport(), { color: true });
    // chalk level 1: bold red for critical, red for Traditional, grey for Not assessed.
    expect(coloured).toContain(`${ESC}1m${ESC}31mcritical`);
    expect(coloured).toContain(`${ESC}31mTraditional`);
    expect(coloured).toContain(`${ESC}90mNot assessed`);
    // Headers and borders stay plain.
    expect(coloured).toContain('│ Pillar ');
    expect(coloured.split('\n').find((l) => l.includes('Severity'))).not.toContain(ESC);
  });

  it('starts with the tool, model and collection header', () => {
    const lines = render(sampleReport()).split('\n');
    expect(lines[0]).toBe('zt 0.1.0 · CISA ZTMM v2.0 — ZTMM-aligned estimate');
    expect(lines[1]).toBe('Collected 2025-03-01T11:58:30.000Z · 29 resources · 7 rules');
    expect(lines[2]).toMatch(/^Sources: aws:111122223333 \(aws-iam, live\), k8s:prod \(kubernetes, live\),/);
    expect(render(sampleReport())).not.toMatch(/compliant/i);
  });

  it('shows each pillar with its proven stage, a differing possible stage, score and rows', () => {
    const text = render(sampleReport());
    expect(pillarRow(text, 'Identity')).toMatch(/│ Traditional +│ +│ +0\.00 │ +1\/7 │$/);
    expect(pillarRow(text, 'Devices')).toMatch(/│ Not assessed │ +│ +— │ +0\/7 │$/);
    // One row of seven reaches Initial: too little to claim it for the pillar (scoring.md §3).
    expect(pillarRow(text, 'Networks')).toMatch(/│ Insufficient │ Initial +│ +— │ +1\/7 │$/);
    expect(pillarRow(text, 'Applications and Workloads')).toMatch(/│ Traditional +│ Initial +│ +0\.00 │ +1\/8 │$/);
    expect(pillarRow(text, 'Data')).toMatch(/│ Not assessed │ +│ +— │ +0\/8 │$/);
    expect(text).toContain('\nOverall: Traditional · score 0.00 · 3/37 rows assessed (8%)\n');
  });

  it('says why a pillar or the overall has insufficient evidence, under the pillar table', () => {
    const text = render(sampleReport(), { width: 120 });
    expect(paragraphStartingWith(text, 'Insufficient evidence')).toBe(
      'Insufficient evidence: Networks: 1 of 7 rows assessed, reaching Initial; a stage above Traditional needs 4.',
    );
    const report = sampleReport();
    const overall: Report['score']['overall'] = {
      ...report.score.overall,
      stage: 'not_assessed',
      possibleStage: 'advanced',
      score: null,
      evidence: { parts: 'pillars', assessed: 2, required: 3, total: 5, sufficient: false, assessedStage: 'advanced' },
    };
    const withheld = render({ ...report, score: { ...report.score, overall } }, { width: 120 });
    expect(withheld).toContain('\nOverall: Insufficient evidence (possible: Advanced) · score — · 3/37 rows assessed (8%)\n');
    expect(paragraphStartingWith(withheld, 'Insufficient evidence')).toMatch(
      /; overall: 2 of 5 pillars with a stage, reaching Advanced; a stage above Traditional needs 3\.$/,
    );
  });

  it('says nothing about evidence when every stage is claimed', () => {
    const report = sampleReport();
    const pillars = report.score.pillars.map((p) => (p.id === 'networks' ? { ...p, stage: 'initial' as const, score: 1 } : p));
    expect(render({ ...report, score: { ...report.score, pillars } })).not.toMatch(/Insufficient/);
  });

  it('names the possible stage on the overall line when it differs', () => {
    const report = sampleReport();
    const changed: Report = {
      ...report,
      score: { ...report.score, overall: { ...report.score.overall, possibleStage: 'initial' } },
    };
    expect(render(changed)).toContain('Overall: Traditional (possible: Initial) · score 0.00');
  });

  it('lists ranked fixes and, per row, what blocks the next stage', () => {
    const text = render(sampleReport(), { width: 120 });
    expect(text).toContain('To reach the next stage\n  Top fixes, most rows unlocked first:\n');
    expect(paragraphStartingWith(text, '    1. ')).toBe(
      '    1. Fix ZT-APP-004 (Containers do not run privileged): its failures and evaluation errors — unlocks applications.secure_dev_deploy',
    );
    expect(paragraphStartingWith(text, '    2. ')).toBe(
      '    2. Fix ZT-IDN-001 (IAM users with console access have MFA) on every failing resource — unlocks identity.authentication',
    );
    expect(paragraphStartingWith(text, '    4. ')).toBe(
      '    4. Let ZT-NET-011 (Service-to-service traffic requires mutual TLS) run: collect the data it needs — unlocks networks.traffic_encryption',
    );
    expect(text).toContain(
      [
        '    Identity › Authentication: Traditional → Initial',
        '      - ZT-IDN-001 IAM users with console access have MFA',
        '        fail · 60% pass, needs 100% · 2 failing: alice, ci-legacy',
      ].join('\n'),
    );
    // A row blocked only by a check that could not run is listed under what it needs.
    expect(text).not.toContain('Networks › Traffic Encryption');
    expect(text).toContain(
      [
        '  Checks that could not run, by what they need:',
        '    - istio.peerAuthentication is not installed in the source (not installed)',
        '      1 rule: ZT-NET-011 · row: networks.traffic_encryption',
      ].join('\n'),
    );
    // 4/6 is 66.7 %: floored, so it can never read as meeting a threshold it misses.
    expect(text).toContain('fail · 66% pass, needs 75% · 2 failing: web, cart');
    expect(text).toContain('undecided (evaluation errors) · 71% pass, needs 75% · 1 evaluation error · 1 failing: ledger');
  });

  it('names the resource of a single-resource fix and the rows it only helps', () => {
    const report = sampleReport();
    const nextSteps = [
      {
        ruleId: 'ZT-IDN-001',
        resourceId: 'arn:aws:iam::111122223333:user/alice',
        unlocks: ['identity.authentication'],
        contributesTo: ['identity.access_management'],
      },
      { ruleId: 'ZT-NET-003', unlocks: [], contributesTo: ['networks.segmentation'] },
    ];
    const text = render({ ...report, score: { ...report.score, nextSteps } }, { width: 120 });
    expect(paragraphStartingWith(text, '    1. ')).toBe(
      '    1. Fix alice for ZT-IDN-001 (IAM users with console access have MFA) — unlocks identity.authentication; helps identity.access_management',
    );
    expect(paragraphStartingWith(text, '    2. ')).toBe(
      '    2. Fix ZT-NET-003 (Workloads are isolated for ingress by a NetworkPolicy) on every failing resource — helps networks.segmentation',
    );
  });

  it('groups checks that could not run by what they need, across rows', () => {
    const report = sampleReport();
    const awsNeeds = 'AWS IAM data (an account, an authorization-details export, or a snapshot that includes them)';
    const unknown = (ruleId: string) => ({
      ruleId,
      title: `title of ${ruleId}`,
      status: 'not_evaluated' as const,
      stage: 'initial' as const,
      passRate: null,
      threshold: 1,
      failing: [],
      failingCount: 0,
      reason: 'input_missing' as const,
      needs: awsNeeds,
    });
    const pillars = report.score.pillars.map((p) =>
      p.id !== 'identity'
        ? p
        : {
            ...p,
            rows: p.rows.map((r) => ({
              ...r,
              next: { stage: 'initial' as const, blockers: [...(r.next?.blockers ?? []), unknown('ZT-IDN-013'), unknown('ZT-IDN-017')] },
            })),
          },
    );
    const accessManagement = {
      id: 'identity.access_management',
      name: 'Access Management',
      pillar: 'identity' as const,
      stage: 'not_assessed' as const,
      possibleStage: 'initial' as const,
      score: null,
      rules: [],
      next: { stage: 'initial' as const, blockers: [unknown('ZT-IDN-015'), unknown('ZT-IDN-016')] },
    };
    const identity = pillars[0];
    if (!identity) throw new Error('sample changed');
    const withUnknowns: Report = {
      ...report,
      score: { ...report.score, pillars: [{ ...identity, rows: [...identity.rows, accessManagement] }, ...pillars.slice(1)] },
    };
    const text = render(withUnknowns, { width: 120 });
    expect(text).toContain(
      [
        '    Identity › Authentication: Traditional → Initial',
        '      - ZT-IDN-001 IAM users with console access have MFA',
        '        fail · 60% pass, needs 100% · 2 failing: alice, ci-legacy',
        '      - and 2 checks that could not run (below)',
      ].join('\n'),
    );
    expect(text).not.toContain('Identity › Access Management');
    expect(text).toContain(`\n    - ${awsNeeds} (input missing)\n      4 rules: `);
    expect(paragraphStartingWith(text, '      4 rules:')).toBe(
      '      4 rules: ZT-IDN-013, ZT-IDN-015, ZT-IDN-016, ZT-IDN-017 · 2 rows: identity.access_management, identity.authentication',
    );
    // Groups with more rules come first.
    expect(text.indexOf(awsNeeds)).toBeLessThan(text.indexOf('istio.peerAuthentication is not installed'));
  });

  it('caps ranked fixes at 10', () => {
    const report = sampleReport();
    const fix = report.score.nextSteps[0];
    if (!fix) throw new Error('sample changed');
    const nextSteps = Array.from({ length: 12 }, () => fix);
    const text = render({ ...report, score: { ...report.score, nextSteps } }, { width: 120 });
    expect(text).toContain('    10. Fix ZT-APP-004');
    // Continuation lines line up after the number, however wide it is.
    const ten = text.split('\n').findIndex((l) => l.startsWith('    10. '));
    expect(text.split('\n')[ten + 1]).toMatch(/^ {8}\S/);
    expect(text).not.toContain('    11. Fix');
    expect(text).toContain('    … and 2 more fixes');
  });

  it('groups failing findings by rule, most severe first, then most findings, with counts and the first resources', () => {
    const text = render(sampleReport(), { width: 120 });
    expect(text).toContain('Findings by rule (7 failing findings of 4 rules, most severe first)');
    const rows = text.split('\n').filter((l) => /^│ (critical|high|medium|low|info) /.test(l));
    expect(rows.map((r) => r.split('│').slice(1, 4).map((c) => c.trim()))).toEqual([
      ['critical', 'ZT-IDN-001', '2'],
      ['high', 'ZT-APP-004', '2'],
      ['high', 'ZT-NET-003', '2'],
      ['high', 'ZT-IDN-004', '1'],
    ]);
    // An evaluation error is counted, and said.
    expect(text).toMatch(/│ +│ +│ +1 error │/);
    expect(text).toMatch(/│ alice, ci-legacy +│/);
    expect(text).toContain('--details lists every finding with its message.');
  });

  it('--details lists every failing finding most severe first, errors included', () => {
    const text = render(sampleReport(), { width: 120, details: true });
    expect(text).toContain('Findings (7, most severe first)');
    expect(text).not.toContain('Findings by rule');
    const rows = text.split('\n').filter((l) => /^│ (critical|high|medium|low|info) /.test(l));
    expect(rows.map((r) => r.split('│')[2]?.trim())).toEqual([
      'ZT-IDN-001',
      'ZT-IDN-001',
      'ZT-APP-004',
      'ZT-APP-004',
      'ZT-IDN-004',
      'ZT-NET-003',
      'ZT-NET-003',
    ]);
    expect(rows[0]).toContain('│ alice ');
    expect(rows[0]).toContain('alice can sign in to the console without MFA');
    expect(rows[2]).toContain('evaluation error: No such key: securityContext (evaluation_error)');
    // The manifest finding says where it is on disk.
    expect(text).toMatch(/│ +│ +│ deploy\/web\.yaml:12 +│/);
  });

  it('one rule with many findings is one row with its count; --details lists them all', () => {
    const text = render(manyFindings(19));
    expect(text).toMatch(/│ high +│ ZT-NET-003 +│ +21 │/);
    expect(text).toMatch(/web, cart, svc-00, \+18 more/);
    expect(text).not.toContain('svc-01');
    const details = render(manyFindings(19), { details: true });
    expect(details).toContain('Findings (26, most severe first)');
    expect(details).toContain('svc-18');
  });

  it('wraps long identifiers at their separators instead of cutting them, and measures CJK and emoji as two columns', () => {
    const report = sampleReport();
    const long = 'repo:acme-corporation/payments-service-infrastructure:ref:refs/heads/main@token.actions.githubusercontent.com';
    const firstFail = report.findings.findIndex((f) => f.status === 'fail');
    const findings = report.findings.map((f, i) => (i === firstFail ? { ...f, message: `trusts ${long}`, resource: { ...f.resource, name: '山田太郎-管理者アカウント🔑' } } : f));
    const display = (line: string) => [...line].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uffef]|\p{Extended_Pictographic}/u.test(c) ? 2 : 1), 0);
    for (const width of [60, 80, 120]) {
      const text = render({ ...report, findings }, { width, details: true });
      expect(text, `${width}`).not.toMatch(/\w…/);
      const lines = text.split('\n');
      // Every line fits, by display width (a CJK character or an emoji takes two columns).
      expect(Math.max(...lines.map(display)), `${width}`).toBeLessThanOrEqual(width);
      // The identifier is all there, broken only after its separators.
      const first = lines.findIndex((l) => l.startsWith('│') && l.includes('trusts'));
      const cells: string[] = [];
      for (let i = first; i < lines.length && !(lines[i] ?? '').startsWith('├'); i++) cells.push((lines[i] ?? '').split('│')[4]?.trim() ?? '');
      const joined = cells.join('');
      expect(joined, `${width}`).toContain(long);
      for (const cell of cells.slice(0, -1)) expect(cell, `${width}`).toMatch(/[.:/@-]$|^trusts$/);
      // The borders line up on every row, the CJK one included.
      const rows = lines.slice(lines.findIndex((l) => l.startsWith('Findings ('))).filter((l) => l.startsWith('│'));
      expect(new Set(rows.map(display)).size, `${width}`).toBe(1);
    }
  });

  it('shows collection issues and incomplete coverage with their reasons', () => {
    const text = render(sampleReport(), { width: 120 });
    expect(text).toContain('\nCollection issues\n  warning okta: ');
    expect(paragraphStartingWith(text, '  warning okta:')).toBe(
      '  warning okta: GET /api/v1/users/{id}/factors returned 403 for 3 users: the token lacks the okta.users.read scope [ZT_COLLECT_ACCESS_DENIED; kinds: idp.user]',
    );
    expect(text).toContain(
      'Incomplete coverage\n  idp.user: partial (permission denied) — authenticator enrolments of 3 of 7 users could not be read\n',
    );
    // What the source does not run is an answer, not a gap: listed apart, grouped by what the collector said.
    expect(text).toContain('\nNot installed in the source (their rules are not evaluated)\n  istio.peerAuthentication — the PeerAuthentication CRD is not installed in cluster prod\n');
    expect(text).not.toContain('istio.peerAuthentication: missing');
    expect(text).not.toContain('aws.iam.user: complete');
  });

  it('ends with a one-line summary of failing findings and rule statuses', () => {
    const text = render(sampleReport(), { width: 120 });
    expect(text.endsWith(
      'Summary: 6 failing findings (2 critical, 4 high) · 1 evaluation error · rules: 2 pass, 3 fail, 1 error, 1 not evaluated\n',
    )).toBe(true);
    // At 80 columns it wraps, but says the same.
    expect(paragraphStartingWith(render(sampleReport()), 'Summary:')).toBe(
      'Summary: 6 failing findings (2 critical, 4 high) · 1 evaluation error · rules: 2 pass, 3 fail, 1 error, 1 not evaluated',
    );
  });

  it('says so when there is nothing to report', () => {
    const report = sampleReport();
    const clean: Report = {
      ...report,
      findings: [],
      inventory: { ...report.inventory, issues: [], coverage: { 'aws.iam.user': { state: 'complete' } } },
      score: { ...report.score, nextSteps: [], pillars: report.score.pillars.map((p) => ({ ...p, rows: [] })) },
      waivers: { applied: 0, expired: [], unused: [] },
      summary: {
        findingsBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
        waivedFindings: 0,
        rulesByStatus: { pass: 7, fail: 0, error: 0, not_applicable: 0, not_evaluated: 0 },
      },
    };
    const text = render(clean);
    expect(text).toContain('Findings\n  No failing findings.\n');
    expect(text).toContain('  No row has a recorded blocker for its next stage.\n');
    expect(text).toContain('No collection issues; every collected kind is complete.');
    expect(text).toContain('Summary: no failing findings · 0 evaluation errors · rules: 7 pass\n');
  });

  it('names chosen sources that contributed no resources', () => {
    const report = sampleReport();
    const text = render(
      { ...report, inventory: { ...report.inventory, resourcesByCollector: { kubernetes: 17, okta: 7 }, resourcesBySource: { 'k8s:prod': 13, 'manifests:deploy': 4, 'okta:acme.okta.com': 7 } } },
      { width: 120 },
    );
    expect(text).toContain('Sources that returned nothing (the audit is incomplete)\n  error aws:111122223333 (aws-iam, live)\n');
    expect(render(sampleReport())).not.toContain('Sources that returned nothing');
  });

  it.each([60, 80, 100, 120])('fits %i columns', (width) => {
    expect(widest(render(sampleReport(), { width }))).toBeLessThanOrEqual(width + 2);
    expect(widest(render(sampleReport(), { width, color: true }))).toBeLessThanOrEqual(width + 2);
  });

  it('fits 80 columns even with unbreakable names and messages', () => {
    const report = manyFindings(1);
    const long = 'x'.repeat(150);
    const findings = report.findings.map((f, i) =>
      i === 0 ? { ...f, resource: { ...f.resource, name: long, source: long }, message: `${long} ${long}` } : f,
    );
    expect(widest(render({ ...report, findings }))).toBeLessThanOrEqual(82);
  });

  it('uses the whole width of wide terminals up to 120 columns and never less than 60', () => {
    expect(widest(render(sampleReport(), { width: 200 }))).toBeLessThanOrEqual(120);
    expect(widest(render(sampleReport(), { width: 200 }))).toBeGreaterThan(100);
    expect(render(sampleReport(), { width: 20 })).toBe(render(sampleReport(), { width: 60 }));
  });

  it('is byte-identical across renders and ends with one newline', () => {
    const a = render(sampleReport());
    expect(render(sampleReport())).toBe(a);
    expect(a.endsWith('\n')).toBe(true);
    expect(a.endsWith('\n\n')).toBe(false);
    expect(a.split('\n').some((line) => line !== line.trimEnd())).toBe(false);
  });
});
