import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { endpoints } from '../../../src/collectors/entra/endpoints.js';

// Missing evidence is never a pass. Each offline export is audited whole, then with each of
// its files (or folders) removed in turn: no rule may pass that did not pass on the whole
// export, no resource that was still read (passes are listed too) may lose a failure it had (the rule must say
// not evaluated instead), and the audit is incomplete (exit 3).

interface Report {
  ruleResults: { ruleId: string; status: string }[];
  findings: { ruleId: string; status: string; resource: { id: string } }[];
}

const fixtures = join(process.cwd(), 'fixtures', 'collectors');
const optionalEntraFiles = new Set(Object.values(endpoints).filter((e) => e.optional && e.kinds.every((k) => k === 'idp.user')).map((e) => e.file));
/** Okta export entries no rule reads (group owners, for the access review's reviewers). */
const optionalOktaEntries = new Set(['group-owners']);

async function audit(flags: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const io = memoryIo();
  const code = await run(['audit', ...flags, '-f', 'json', '-q', '--fail-on', 'none', '--include-passes'], io);
  return { code, report: (code === 2 ? { ruleResults: [], findings: [] } : JSON.parse(io.out())) as Report, stderr: io.err() };
}

/** Files an export cannot do without (they say whose export it is): refused, exit 2, naming what is missing. */
const required: Record<string, readonly string[]> = { okta: ['org.json', 'users.json'], entra: ['organization.json'], aws: ['gaad'] };

function copyOf(folder: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-missing-'));
  cpSync(folder, dir, { recursive: true });
  return dir;
}

const awsFiles: Record<string, string> = {
  gaad: 'gaad-cli.json',
  'credential-report': 'credential-report.json',
  'account-summary': 'account-summary.json',
  'password-policy': 'password-policy.json',
  'virtual-mfa': 'virtual-mfa.json',
};
const awsFlags = (dir: string): string[] =>
  Object.entries(awsFiles).flatMap(([flag, file]) => (existsSync(join(dir, file)) ? [`--aws-${flag === 'gaad' ? 'authorization-details' : flag}`, join(dir, file)] : []));

const exports = [
  { name: 'okta', folder: join(fixtures, 'okta', 'export'), entries: undefined, flags: (dir: string) => ['--okta-export', dir] },
  { name: 'entra', folder: join(fixtures, 'entra', 'contoso'), entries: undefined, flags: (dir: string) => ['--entra-export', dir, '--config', join(fixtures, 'entra', 'contoso-config.yaml')] },
  { name: 'aws', folder: join(fixtures, 'aws-iam'), entries: Object.values(awsFiles), flags: awsFlags },
];

describe.each(exports)('$name export with a file missing', ({ name, folder, entries, flags }) => {
  it.each(entries ?? readdirSync(folder).sort())('without %s: no new pass, no failure lost on what was read, exit 3', async (entry) => {
    const whole = await audit(flags(folder));
    const dir = copyOf(folder);
    rmSync(join(dir, entry), { recursive: statSync(join(folder, entry)).isDirectory() });
    const { code, report, stderr } = await audit(flags(dir));
    if ((required[name] ?? []).some((r) => entry === r || entry === awsFiles[r])) {
      if (name !== 'aws') {
        expect(code).toBe(2);
        expect(stderr).toMatch(/✖ .*\(ZT_/);
      }
      return;
    }
    const before = new Map(whole.report.ruleResults.map((r) => [r.ruleId, r.status]));
    const newPasses = report.ruleResults.filter((r) => r.status === 'pass' && before.get(r.ruleId) !== 'pass').map((r) => `${r.ruleId}: ${before.get(r.ruleId)} → pass`);
    expect(newPasses).toEqual([]);
    const stillThere = new Set(report.findings.map((f) => f.resource.id));
    const now = new Map(report.findings.map((f) => [`${f.ruleId} ${f.resource.id}`, f.status]));
    const lost = whole.report.findings
      .filter((f) => f.status === 'fail' && stillThere.has(f.resource.id))
      .filter((f) => {
        const status = now.get(`${f.ruleId} ${f.resource.id}`);
        const rule = report.ruleResults.find((r) => r.ruleId === f.ruleId)?.status;
        return status !== 'fail' && status !== 'error' && rule !== 'not_evaluated';
      })
      .map((f) => `${f.ruleId} ${f.resource.id}`);
    expect(lost).toEqual([]);
    // An optional read no rule uses (Entra's users' managers, Okta's group owners, for the access review) leaves the audit complete.
    expect(code).toBe((name === 'entra' && optionalEntraFiles.has(entry)) || (name === 'okta' && optionalOktaEntries.has(entry)) ? 0 : 3);
  });
});

describe('the Entra export fixture', () => {
  it('holds every file the collector reads, so each one is removed in turn above', () => {
    // roleAssignments.json is read only instead of the PIM instances (tenants without P2).
    const read = new Set(Object.values(endpoints).map((e) => e.file));
    read.delete(endpoints.roleAssignments.file);
    expect(readdirSync(join(fixtures, 'entra', 'contoso')).sort()).toEqual([...read].sort());
    expect(read).toContain('domains.json');
  });
});

describe('an Entra export whose groups.json lacks a group that holds a directory role', () => {
  it('its members are not taken for non-administrators: idp.user partial (adminRoles, privileged unknown), no new pass, exit 3', async () => {
    const folder = join(fixtures, 'entra', 'contoso');
    const config = ['--config', join(fixtures, 'entra', 'contoso-config.yaml')];
    const whole = await audit(['--entra-export', folder, ...config]);
    const dir = copyOf(folder);
    const groups = JSON.parse(readFileSync(join(dir, 'groups.json'), 'utf8')) as { value: { displayName: string }[] };
    groups.value = groups.value.filter((g) => g.displayName !== 'Helpdesk Leads'); // the role-holding group
    writeFileSync(join(dir, 'groups.json'), JSON.stringify(groups));
    const io = memoryIo();
    const code = await run(['collect', '--entra-export', dir, ...config, '-q', '--out', join(dir, 'snapshot.json')], io);
    expect(code).toBe(3);
    const snapshot = JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')) as { coverage: Record<string, { state: string; unknownFields?: string[] }>; issues: { code: string; message: string }[] };
    expect(snapshot.coverage['idp.user']).toMatchObject({ state: 'partial', unknownFields: ['adminRoles', 'privileged'] });
    expect(snapshot.issues).toContainEqual(expect.objectContaining({ code: 'ZT_COLLECT_INPUT_MISSING', message: expect.stringMatching(/groups\.json has no group \S+, to which a directory role is assigned/) }));
    const { code: auditCode, report } = await audit(['--snapshot', join(dir, 'snapshot.json')]);
    const before = new Map(whole.report.ruleResults.map((r) => [r.ruleId, r.status]));
    expect(report.ruleResults.filter((r) => r.status === 'pass' && before.get(r.ruleId) !== 'pass')).toEqual([]);
    expect(auditCode).toBe(3);
  });
});
