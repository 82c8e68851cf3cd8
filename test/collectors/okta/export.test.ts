import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { collectWith, context, exportDir } from './support.js';

function copyExport(change: (dir: string) => void = () => {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'zt-okta-export-')), 'export');
  cpSync(exportDir, dir, { recursive: true });
  change(dir);
  return dir;
}

async function zt(argv: string[]) {
  const io = memoryIo({ env: {} });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('Okta offline export (--okta-export)', () => {
  it("an app whose authentication policy is INACTIVE: its rules never match, so its MFA facts are unknown, never vacuously true", async () => {
    const dir = copyExport((d) => {
      const apps = JSON.parse(readFileSync(join(d, 'apps.json'), 'utf8')) as { name: string; _links?: { accessPolicy?: { href: string } } }[];
      const policyId = apps.find((a) => a.name === 'saasure')!._links!.accessPolicy!.href.split('/').pop()!;
      const file = join(d, 'policies-ACCESS_POLICY.json');
      const policies = JSON.parse(readFileSync(file, 'utf8')) as { id: string; status: string }[];
      policies.find((p) => p.id === policyId)!.status = 'INACTIVE';
      writeFileSync(file, JSON.stringify(policies));
    });
    const out = await collectWith({ oktaExport: dir }, context({}));
    const console = out.resources.find((r) => r.kind === 'okta.app' && r.attributes.appName === 'saasure')!.attributes;
    expect(console).toMatchObject({ allowRulesRequireMfa: null, allowRulesRequirePhishingResistant: null, allowRulesRequireManagedDevice: null });
  });

  it('a sign-on rule whose session limits are null (no limit, as Okta sends it) is read as no limit, not refused', async () => {
    const dir = copyExport((d) => {
      const file = join(d, 'policies-OKTA_SIGN_ON.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/"maxSessionIdleMinutes":\s*\d+/g, '"maxSessionIdleMinutes": null').replace(/"maxSessionLifetimeMinutes":\s*\d+/g, '"maxSessionLifetimeMinutes": null'));
    });
    const out = await collectWith({ oktaExport: dir }, context({}));
    const session = out.resources.find((r) => r.id.endsWith('/rule/0pr1sessRule000001'))!.attributes;
    expect(session).toMatchObject({ sessionLifetimeMinutes: null, sessionIdleMinutes: null });
    const { code, stdout } = await zt(['audit', '--okta-export', dir, '-f', 'json', '--fail-on', 'none', '--as-of', '2026-11-05T00:00:00Z']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { ruleResults: { ruleId: string; status: string }[] };
    expect(report.ruleResults.find((r) => r.ruleId === 'ZT-IDN-008')?.status).toBe('fail');
  });

  it('reads a complete export: every kind complete, the org taken from org.json', async () => {
    const out = await collectWith({ oktaExport: exportDir }, context({}));
    expect(out.source).toEqual({ collector: 'okta', source: 'okta:acme.okta.com', mode: 'offline' });
    expect(Object.keys(out.coverage).sort()).toEqual([
      'idp.accessPolicy', 'idp.group', 'idp.user', 'okta.adminRoles', 'okta.app', 'okta.deviceAssurance', 'okta.org', 'okta.passwordPolicy',
    ]);
    expect(Object.values(out.coverage).every((c) => c?.state === 'complete')).toBe(true);
    const kinds = out.resources.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.kind]: (acc[r.kind] ?? 0) + 1 }), {});
    // Salesforce's catch-all rule sits behind "Employees 2FA", which has no conditions: it never applies (Okta: first match wins).
    expect(kinds).toEqual({
      'idp.accessPolicy': 6, 'idp.group': 3, 'idp.user': 7, 'okta.adminRoles': 1, 'okta.app': 4, 'okta.deviceAssurance': 2, 'okta.org': 1, 'okta.passwordPolicy': 1,
    });
    const session = out.resources.find((r) => r.id.endsWith('/rule/0pr1sessRule000001'))!.attributes;
    expect(session).toMatchObject({ appliesToAllUsers: true, requiresMfa: false, sessionLifetimeMinutes: 43200, sessionIdleMinutes: 720, persistentSession: true, excludedUsers: ['00u1breakglass000005'] });
    const admin = out.resources.find((r) => r.id.endsWith('/rule/0pr1admRule0000001'))!.attributes;
    expect(admin).toMatchObject({ requiresMfa: true, requiresPhishingResistantMfa: true, requiresCompliantDevice: true, appliesToAllUsers: false });
    // The INACTIVE sign-on rule is not an enforced policy.
    expect(out.resources.some((r) => r.id.endsWith('/rule/0pr1sessOld0000001'))).toBe(false);
    expect(out.issues.find((i) => i.code === 'ZT_OKTA_RULES_NEVER_APPLY')?.message).toMatch(/Salesforce \/ Catch-all Rule \(always preceded by Salesforce \/ Employees 2FA\)/);
    // Admins reach their own sign-on rule; everyone else falls through to "Everyone anywhere".
    expect(out.resources.find((r) => r.id.endsWith('/rule/0pr1sessAdmins0001'))!.attributes.audience).toBe('group Okta Admins (2 users can reach it)');
    expect(session.audience).toBe('everyone except user breakglass-1@acme.example (3 users can reach it)');
  });

  it("reads each user's manager from the profile: managerId naming a user of the org is that user's login, else the manager's name", async () => {
    const out = await collectWith({ oktaExport: exportDir }, context({}));
    const manager = (login: string) => out.resources.find((r) => r.kind === 'idp.user' && r.attributes.login === login)?.attributes.manager;
    expect(manager('lee.chen@acme.example')).toBe('dana.admin@acme.example');
    // managerId E1042 is an HR number, not an Okta user: the profile's manager (display name) is kept.
    expect(manager('rita.gomez@acme.example')).toBe('Dana Admin');
    expect(manager('dana.admin@acme.example')).toBeNull();
  });

  it('a missing optional file leaves the kinds it feeds missing (input_missing) with an issue naming it', async () => {
    const dir = copyExport((d) => rmSync(join(d, 'policies-ACCESS_POLICY.json')));
    const out = await collectWith({ oktaExport: dir }, context({}));
    expect(out.coverage['idp.accessPolicy']).toMatchObject({ state: 'missing', reason: 'input_missing' });
    expect(out.coverage['okta.app']).toMatchObject({ state: 'missing', reason: 'input_missing' });
    expect(out.coverage['idp.user']).toEqual({ state: 'complete' });
    expect(out.issues.find((i) => i.code === 'ZT_COLLECT_INPUT_MISSING')?.message).toMatch(/policies-ACCESS_POLICY\.json/);
  });

  it('missing factors/ and enrollments/ folders leave idp.user missing, never "no MFA"', async () => {
    const dir = copyExport((d) => rmSync(join(d, 'factors'), { recursive: true }));
    const out = await collectWith({ oktaExport: dir }, context({}));
    expect(out.coverage['idp.user']).toMatchObject({ state: 'missing', reason: 'input_missing' });
  });

  it('reads Identity Engine authenticator enrollments, which win over factors for the same user', async () => {
    const dir = copyExport();
    const enrollments = join(dir, 'enrollments');
    mkdirSync(enrollments, { recursive: true });
    writeFileSync(
      join(enrollments, '00u1lee00chen0000003.json'),
      JSON.stringify([
        { id: 'eae1', key: 'security_key', type: 'security_key', status: 'ACTIVE' },
        { id: 'eae2', key: 'okta_password', type: 'password', status: 'ACTIVE' },
        { id: 'eae3', key: 'phone_number', type: 'phone', status: 'INACTIVE' },
      ]),
    );
    const out = await collectWith({ oktaExport: dir }, context({}));
    const lee = out.resources.find((r) => r.name === 'lee.chen@acme.example')!.attributes;
    expect(lee.factors).toEqual([
      { type: 'sms', strength: 'weak', status: 'inactive' },
      { type: 'u2f', strength: 'phishing_resistant', status: 'active' },
    ]);
    writeFileSync(join(enrollments, '00u1rita0gomez000004.json'), JSON.stringify([{ factorType: 'sms', status: 'ACTIVE' }]));
    const bad = await collectWith({ oktaExport: dir }, context({})).catch((e: { location?: { file: string } }) => e);
    expect((bad as { location?: { file: string } }).location?.file).toMatch(/enrollments\/00u1rita0gomez000004\.json$/);
  });

  it('zt audit --okta-export with a malformed file exits 2 naming the file and line', async () => {
    const dir = copyExport((d) => writeFileSync(join(d, 'apps.json'), '[\n  { "id": "0oa1", "name": "x" },\n  {\n    "id": "0oa2",\n  }\n]\n'));
    const result = await zt(['audit', '--okta-export', dir, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ZT_EXPORT_INVALID/);
    expect(result.stderr).toMatch(/apps\.json/);
    expect(result.stderr).toMatch(/apps\.json:5\b/);
  });

  it('a file in the wrong shape, or no users.json, exits 2 naming the file', async () => {
    const wrong = copyExport((d) => writeFileSync(join(d, 'users.json'), JSON.stringify({ users: [] })));
    const shape = await zt(['audit', '--okta-export', wrong, '--quiet']);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/users\.json:1:1: \(the top level\): .*expected array/);
    const missing = copyExport((d) => rmSync(join(d, 'users.json')));
    const none = await zt(['audit', '--okta-export', missing, '--quiet']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/users\.json: missing/);
    const notADir = await zt(['audit', '--okta-export', join(missing, 'nope'), '--quiet']);
    expect(notADir.code).toBe(2);
  });

  // A field of the wrong type used to reach the mapper and drop the object as a mapping bug
  // (ZT_COLLECT_MALFORMED, exit 0): every file is checked against the shape zt reads first.
  const edit = (file: string, change: (value: any) => void) =>
    copyExport((d) => {
      const value = JSON.parse(readFileSync(join(d, file), 'utf8'));
      change(value);
      writeFileSync(join(d, file), JSON.stringify(value, null, 2));
    });
  it.each<[string, string, (value: any) => void, string, RegExp]>([
    ['a login that is a number', 'users.json', (v) => void (v[1].profile.login = 42), '[1].profile.login', /"login": 42/],
    ['a lastLogin that is not a date-time', 'users.json', (v) => void (v[0].lastLogin = 'yesterday'), '[0].lastLogin', /"lastLogin": "yesterday"/],
    ['a session lifetime given as text', 'policies-OKTA_SIGN_ON.json', (v) => void (v[0].rules[0].actions.signon.session = { maxSessionLifetimeMinutes: '720' }), '[0].rules[0].actions.signon.session.maxSessionLifetimeMinutes', /"maxSessionLifetimeMinutes": "720"/],
    ['a group profile that is a list', 'groups.json', (v) => void (v[0].profile = ['Everyone']), '[0].profile', /"profile": \[/],
    ['a factor without its type', 'factors/00u1dana0admin000001.json', (v) => void delete v[0].factorType, '[0].factorType', /^\s*\{/],
    ['a device assurance flag given as text', 'device-assurances.json', (v) => void (v[0].secureHardwarePresent = 'true'), '[0].secureHardwarePresent', /"secureHardwarePresent": "true"/],
  ])('%s: exit 2 naming the file, line and JSON path', async (_name, file, change, path, atLine) => {
    const dir = edit(file, change);
    const text = readFileSync(join(dir, file), 'utf8');
    const result = await zt(['audit', '--okta-export', dir, '--quiet', '-f', 'json']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/✖ An offline export file is not in the expected shape \(ZT_EXPORT_INVALID\)/);
    const line = text.split('\n').findIndex((l, i) => atLine.test(l) && (path !== '[0].factorType' || i > 0)) + 1;
    expect(result.stderr).toContain(`${dir}/${file}:${line}:`);
    expect(result.stderr).toContain(`: ${path}: `);
    expect(result.stderr).not.toMatch(/ZT_COLLECT_MALFORMED|ZT_COLLECT_CRASHED|ZT_INTERNAL/);
    expect(result.code).toBe(2);
  });

  it.each(['javascript:alert(1)', 'http://acme.okta.com', 'file:///etc/passwd', 'https://acme-admin.okta.com'])('org.json orgUrl %j is exit 2 naming the file and field: only the https org URL', async (orgUrl) => {
    const dir = copyExport((d) => writeFileSync(join(d, 'org.json'), JSON.stringify({ orgUrl }, null, 2)));
    const result = await zt(['audit', '--okta-export', dir, '--quiet']);
    expect(result.stderr).toMatch(/ZT_EXPORT_INVALID/);
    expect(result.stderr).toContain(`${dir}/org.json:2:13: orgUrl: ${JSON.stringify(orgUrl)} is`);
    expect(result.code).toBe(2);
    const flag = await zt(['audit', '--okta', orgUrl, '--quiet']);
    expect(flag.stderr).toMatch(/ZT_USAGE[\s\S]*--okta /);
    expect(flag.code).toBe(2);
  });

  it('zt audit --okta-export runs the Okta rules end to end', async () => {
    const result = await zt(['audit', '--okta-export', exportDir, '--format', 'json', '--fail-on', 'none', '--quiet']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const failing = new Set(report.findings.filter((f: { status: string }) => f.status === 'fail').map((f: { ruleId: string }) => f.ruleId));
    expect(failing.has('ZT-IDN-001')).toBe(true); // rita (SMS only) and jo (email + question)
    expect(failing.has('ZT-IDN-012')).toBe(true); // no active log stream
  });
});
