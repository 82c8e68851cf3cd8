import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { idpUser } from '../support/snapshots.js';
import { tempTree, validRule } from '../support/temp.js';

// Design §10, time comes from evidence: offline input is judged at the time it was taken
// (a credential report's GeneratedTime, an export's exportedAt, or --as-of), never at the
// audit's wall clock, so the same files give the same bytes whenever they are audited.

const fixtures = fileURLToPath(new URL('../../fixtures/collectors/', import.meta.url));
const aws = (name: string): string => join(fixtures, 'aws-iam', name);
const awsFlags = (report: string): string[] => [
  '--aws-authorization-details', aws('gaad-cli.json'),
  '--aws-credential-report', aws(report),
  '--aws-account-summary', aws('account-summary.json'),
  '--aws-password-policy', aws('password-policy.json'),
  '--aws-virtual-mfa', aws('virtual-mfa.json'),
];

const GENERATED = '2025-05-22T06:00:00Z'; // the fixture report's GeneratedTime
const FOUR_MONTHS_LATER = new Date('2025-09-22T06:00:00Z');

afterEach(() => {
  vi.useRealTimers();
});

/**
 * Runs zt with the clock at `clock`: the Io's (what live collection reads) and the
 * process's Date (anything else that might read the wall clock), so a stray `new Date()`
 * would show in the output.
 */
async function ztAt(clock: Date, argv: string[], cwd = process.cwd()) {
  vi.useFakeTimers({ toFake: ['Date'], now: clock });
  try {
    const io = memoryIo({ columns: 100, cwd, now: () => new Date() });
    const code = await run(argv, io);
    return { code, stdout: io.out(), stderr: io.err() };
  } finally {
    vi.useRealTimers();
  }
}

const zt = (argv: string[], cwd?: string) => ztAt(FOUR_MONTHS_LATER, argv, cwd);
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

interface JsonReport {
  inventory: { collectedAt: string | null; sources: { source: string; asOf?: string | null }[]; issues: { code: string; message: string }[] };
  ruleResults: { ruleId: string; status: string; notEvaluatedReason?: string; counts: { unknown?: number } }[];
  findings: { ruleId: string; status: string; resource: { name: string }; error?: { code: string; message: string } }[];
}

const failing = (report: JsonReport, ruleId: string): string[] =>
  report.findings.filter((f) => f.ruleId === ruleId && f.status === 'fail').map((f) => f.resource.name).sort();

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "registry.example/web:1.2.3" }] }
`;

/** One input of every offline kind: AWS exports (JSON report: dated), manifests, an Okta export, a dated Entra export. */
function offlineInputs(): { cwd: string; flags: string[] } {
  const cwd = mkdtempSync(join(tmpdir(), 'zt-as-of-cli-'));
  cpSync(join(fixtures, 'okta', 'export'), join(cwd, 'okta'), { recursive: true });
  cpSync(join(fixtures, 'entra', 'contoso'), join(cwd, 'entra'), { recursive: true });
  writeFileSync(join(cwd, 'entra', 'export.json'), JSON.stringify({ exportedAt: '2026-11-23T12:00:00Z' }));
  writeFileSync(join(cwd, 'web.yaml'), deployment);
  return { cwd, flags: [...awsFlags('credential-report.json'), '--manifests', 'web.yaml', '--okta-export', 'okta', '--entra-export', 'entra'] };
}

describe('the same offline input gives the same bytes, whenever it is audited', () => {
  const clocks = [new Date('2026-01-15T08:00:00Z'), new Date('2031-07-01T23:59:59Z')];

  it('zt audit: JSON, SARIF, JUnit, Markdown, HTML and table are byte-identical under two clocks, with and without --as-of', async () => {
    const { cwd, flags } = offlineInputs();
    for (const asOf of [[], ['--as-of', '2026-11-02T09:00:00Z']]) {
      for (const format of ['json', 'sarif', 'junit', 'markdown', 'html', 'table']) {
        const argv = ['audit', ...flags, ...asOf, '-f', format, '--fail-on', 'none', '--allow-incomplete'];
        const [a, b] = [await ztAt(clocks[0]!, argv, cwd), await ztAt(clocks[1]!, argv, cwd)];
        expect(a.code, `${format} ${a.stderr}`).toBe(0);
        expect(a.stdout.length).toBeGreaterThan(500);
        expect(b.stdout, `${format} ${asOf.join(' ')}`).toBe(a.stdout);
        expect(b.stderr).toBe(a.stderr);
        // Neither clock appears anywhere.
        for (const clock of clocks) expect(a.stdout).not.toContain(clock.toISOString().slice(0, 10));
      }
    }
  });

  it('zt collect writes the same snapshot, and zt access-review the same review, under two clocks', async () => {
    const { cwd, flags } = offlineInputs();
    const snapshots: string[] = [];
    for (const [i, clock] of clocks.entries()) {
      const out = join(cwd, `snap-${i}.json`);
      const { code, stderr } = await ztAt(clock, ['collect', ...flags, '--as-of', '2026-11-02T09:00:00Z', '--out', out, '--allow-incomplete'], cwd);
      expect(code, stderr).toBe(0);
      snapshots.push(readFileSync(out, 'utf8'));
    }
    expect(snapshots[1]).toBe(snapshots[0]);
    const snapshot = JSON.parse(snapshots[0]!) as { collectedAt: string; sources: { source: string; asOf: string }[] };
    // Each source its own time: the report's GeneratedTime, the Entra export's exportedAt, --as-of for the rest.
    expect(snapshot.sources.map((s) => [s.source.replace(/^manifests:.*/, 'manifests').replace(/^entra:.*/, 'entra'), s.asOf])).toEqual([
      ['aws:111122223333', '2025-05-22T06:00:00.000Z'],
      ['entra', '2026-11-23T12:00:00.000Z'],
      ['manifests', '2026-11-02T09:00:00.000Z'],
      ['okta:acme.okta.com', '2026-11-02T09:00:00.000Z'],
    ]);
    expect(snapshot.collectedAt).toBe('2026-11-23T12:00:00.000Z');

    for (const format of ['json', 'markdown', 'csv', 'html']) {
      const argv = ['access-review', ...flags, '-f', format];
      const [a, b] = [await ztAt(clocks[0]!, argv, cwd), await ztAt(clocks[1]!, argv, cwd)];
      expect(a.code, a.stderr).toBe(0);
      expect(b.stdout, format).toBe(a.stdout);
    }
  });
});

describe('a credential report four months old is judged at its own time', () => {
  it("as of its GeneratedTime: the root user's use 50 days before fails, alice's sign-in 2 days before passes", async () => {
    const { code, stdout, stderr } = await zt(['audit', ...awsFlags('credential-report.json'), '-f', 'json', '--fail-on', 'none']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.sources).toEqual([expect.objectContaining({ source: 'aws:111122223333', asOf: '2025-05-22T06:00:00.000Z' })]);
    expect(report.inventory.collectedAt).toBe('2025-05-22T06:00:00.000Z');
    // ZT-IDN-016: root used within 90 days of the report (it was not within 90 days of the clock).
    expect(failing(report, 'ZT-IDN-016')).toEqual(['111122223333']);
    // ZT-IDN-026: alice and carol signed in days before the report (months before the clock).
    expect(failing(report, 'ZT-IDN-026')).not.toContain('alice');
    expect(failing(report, 'ZT-IDN-026')).not.toContain('carol');
    expect(stderr).not.toMatch(/time unknown/);
  });

  it('judged at the clock instead (the CSV dated four months later with --as-of), both verdicts flip', async () => {
    const { stdout } = await zt(['audit', ...awsFlags('credential-report.csv'), '--as-of', FOUR_MONTHS_LATER.toISOString(), '-f', 'json', '--fail-on', 'none']);
    const report = JSON.parse(stdout) as JsonReport;
    expect(failing(report, 'ZT-IDN-016')).toEqual([]);
    expect(failing(report, 'ZT-IDN-026')).toEqual(expect.arrayContaining(['alice', 'carol']));
    // And the CSV dated at the report's own time gives the JSON report's verdicts.
    const atGeneration = JSON.parse((await zt(['audit', ...awsFlags('credential-report.csv'), '--as-of', GENERATED, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
    const own = JSON.parse((await zt(['audit', ...awsFlags('credential-report.json'), '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
    const verdicts = (r: JsonReport) => r.findings.map((f) => `${f.ruleId} ${f.resource.name} ${f.status}`);
    expect(verdicts(atGeneration)).toEqual(verdicts(own));
  });

  it('the access review measures key and password ages from the GeneratedTime too', async () => {
    const { stdout } = await zt(['access-review', ...awsFlags('credential-report.json'), '-f', 'json']);
    const review = JSON.parse(stdout) as { principals: { name: string; flags: string[]; credentials?: { kind: string; ageDays: number | null }[] }[] };
    const alice = review.principals.find((p) => p.name === 'alice');
    // Signed in two days before the report: not stale (it would be four months later).
    expect(alice?.flags).not.toContain('stale');
    const uploader = review.principals.find((p) => p.name === 'ci-uploader');
    // Key 2 was rotated 2024-11-11T11:11:11Z: 191 whole days before the report (the clock would say 314).
    expect(uploader?.credentials?.find((c) => c.kind === 'access key 2')?.ageDays).toBe(191);
  });
});

describe('where no time is known', () => {
  it('the CSV credential report without --as-of: the user is told, and the rules that measure time are not evaluated on it', async () => {
    const { code, stdout, stderr } = await zt(['audit', ...awsFlags('credential-report.csv'), '-f', 'json', '--fail-on', 'none']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/! time unknown: aws:111122223333 does not say when it was taken, so ages cannot be measured from it \(\d+ rule\(s\) not evaluated\); give --as-of <date-time>/);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.inventory.collectedAt).toBeNull();
    expect(report.inventory.sources).toEqual([expect.objectContaining({ asOf: null })]);
    expect(report.inventory.issues.map((i) => i.code)).toContain('ZT_AS_OF_UNKNOWN');
    for (const ruleId of ['ZT-IDN-016', 'ZT-IDN-026', 'ZT-DAT-001']) {
      expect(report.ruleResults.find((r) => r.ruleId === ruleId)).toMatchObject({ status: 'not_evaluated', notEvaluatedReason: 'as_of_unknown' });
      expect(failing(report, ruleId)).toEqual([]);
    }
    const error = report.findings.find((f) => f.ruleId === 'ZT-IDN-016');
    expect(error?.error).toEqual({ code: 'ZT_FACT_UNKNOWN', message: expect.stringContaining('aws:111122223333 does not say when its data was taken (give --as-of)') as unknown });
    // Rules that do not measure time are evaluated as usual.
    expect(failing(report, 'ZT-IDN-013')).toEqual(['111122223333']);
  });

  it('a snapshot collected without a time can be dated when audited: the same verdicts as dating the input itself', async () => {
    const dir = tempTree({});
    const out = join(dir, 'snap.json');
    const collected = await zt(['collect', ...awsFlags('credential-report.csv'), '--out', out]);
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/! aws-iam: aws:111122223333: the input does not say when it was taken/);
    const later = await zt(['audit', '--snapshot', out, '--as-of', GENERATED, '-f', 'json', '--fail-on', 'none']);
    const direct = await zt(['audit', ...awsFlags('credential-report.csv'), '--as-of', GENERATED, '-f', 'json', '--fail-on', 'none']);
    const fromSnapshot = JSON.parse(later.stdout) as JsonReport;
    expect(fromSnapshot.inventory.sources).toEqual([expect.objectContaining({ asOf: '2025-05-22T06:00:00.000Z' })]);
    expect(fromSnapshot.inventory.issues.map((i) => i.code)).not.toContain('ZT_AS_OF_UNKNOWN');
    expect(later.stderr).toBe('');
    const verdicts = (r: JsonReport) => r.findings.map((f) => `${f.ruleId} ${f.resource.name} ${f.status}`);
    expect(verdicts(fromSnapshot)).toEqual(verdicts(JSON.parse(direct.stdout) as JsonReport));
  });

  it('--as-of given to input that records its own time dates nothing, and says so', async () => {
    const { code, stderr } = await zt(['audit', ...awsFlags('credential-report.json'), '--as-of', '2026-01-01T00:00:00Z', '-f', 'json', '--fail-on', 'none']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/note: --as-of dated nothing: every input records when it was taken, and keeps that time/);
  });
});

describe('--as-of: bad values are exit 2 naming the option, no stack trace', () => {
  it.each([['yesterday'], ['2026-03-01'], ['2026-03-01T09:00:00'], ['2026-02-30T09:00:00Z'], ['1767225600']])('%s', async (value) => {
    for (const command of [['audit'], ['collect', '--out', join(tempTree({}), 's.json')], ['access-review']]) {
      const { code, stdout, stderr } = await zt([...command, ...awsFlags('credential-report.csv'), '--as-of', value]);
      expect(code, command[0]).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`Invalid command line (ZT_USAGE)\n  --as-of ${JSON.stringify(value)}: expected an ISO 8601 date-time with a time zone, e.g. 2026-03-01T09:00:00Z`);
      noStack(stderr);
    }
  });

  it('with nothing to date (the demo, live sources only) it is refused before anything is collected', async () => {
    for (const command of ['audit', 'access-review']) {
      const { code, stderr } = await zt([command, '--demo', '--as-of', '2026-01-01T00:00:00Z']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--as-of dates offline input \(exports, manifests, a credential report, a --snapshot of them\), and none was given/);
      noStack(stderr);
    }
  });
});

describe('every age is measured from its own source time', () => {
  const recent = `id: ACME-IDN-2
title: Users signed in within 30 days
kind: idp.user
severity: high
ztmm: { row: identity.authentication, stage: initial }
assert: resource.lastSignInAt != null && now - timestamp(resource.lastSignInAt) < duration("720h")
message: "{{login}} has not signed in for 30 days"
remediation: Remove the account.
references: [test]
`;
  const user = (login: string, source: string) => {
    const u = idpUser(login, []);
    return { ...u, id: `okta://${source}/user/${login}`, provenance: { collector: 'okta', source } };
  };

  it('in one merged snapshot: the same sign-in date passes at one source time, fails at a later one, and is not evaluated where the time is unknown', async () => {
    // Every user signed in on 2026-10-01 (support/snapshots.ts).
    const snapshot = {
      schemaVersion: 1,
      collectedAt: '2027-01-01T00:00:00Z',
      sources: [
        { collector: 'okta', source: 'okta:early', mode: 'offline', asOf: '2026-10-15T00:00:00Z' },
        { collector: 'okta', source: 'okta:late', mode: 'offline', asOf: '2027-01-01T00:00:00Z' },
        { collector: 'okta', source: 'okta:undated', mode: 'offline', asOf: null },
      ],
      coverage: { 'idp.user': { state: 'complete' } },
      issues: [],
      resources: [user('a@example.com', 'okta:early'), user('b@example.com', 'okta:late'), user('c@example.com', 'okta:undated')],
    };
    const dir = tempTree({ 'snap.json': JSON.stringify(snapshot), 'rules/recent.yaml': recent, 'rules/mfa.yaml': validRule('ACME-IDN-1') });
    const argv = ['audit', '--snapshot', join(dir, 'snap.json'), '--rules', join(dir, 'rules'), '--only-rules', '-f', 'json', '--fail-on', 'none', '--include-passes'];
    const { stdout, stderr } = await zt(argv);
    const report = JSON.parse(stdout) as JsonReport;
    const outcome = (ruleId: string) => Object.fromEntries(report.findings.filter((f) => f.ruleId === ruleId).map((f) => [f.resource.name, f.error ? f.error.code : f.status]));
    expect(outcome('ACME-IDN-2')).toEqual({ 'a@example.com': 'pass', 'b@example.com': 'fail', 'c@example.com': 'ZT_FACT_UNKNOWN' });
    expect(report.ruleResults.find((r) => r.ruleId === 'ACME-IDN-2')?.counts.unknown).toBe(1);
    // A rule that does not measure time is evaluated everywhere.
    expect(outcome('ACME-IDN-1')).toEqual({ 'a@example.com': 'fail', 'b@example.com': 'fail', 'c@example.com': 'fail' });
    expect(stderr).toMatch(/! time unknown: okta:undated does not say when it was taken/);
    // The warning is derived from the sources, so the snapshot need not carry it.
    expect(report.inventory.issues.map((i) => [i.code, i.message.split(':').slice(0, 2).join(':')])).toEqual([['ZT_AS_OF_UNKNOWN', 'okta:undated']]);
    // --as-of dates the unknown one only.
    const dated = JSON.parse((await zt([...argv, '--as-of', '2026-10-20T00:00:00Z'])).stdout) as JsonReport;
    expect(Object.fromEntries(dated.findings.filter((f) => f.ruleId === 'ACME-IDN-2').map((f) => [f.resource.name, f.status]))).toEqual({
      'a@example.com': 'pass',
      'b@example.com': 'fail',
      'c@example.com': 'pass',
    });
    expect(dated.inventory.issues).toEqual([]);
  });
});
