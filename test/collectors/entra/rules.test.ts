import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';
import { fixtureDir } from './support.js';

// The Entra rules over what the collector really produces (the Contoso export), with the
// coverage figures and their denominators computed by the tenant analyser.
describe('Entra rules on the Contoso export', async () => {
  const config = `${fixtureDir}/../contoso-config.yaml`;
  const io = memoryIo({ columns: 120 });
  const code = await run(['audit', '--entra-export', fixtureDir, '--config', config, '-f', 'json', '--fail-on', 'none'], io);
  const report = JSON.parse(io.out()) as {
    ruleResults: { ruleId: string; status: string; counts: Record<string, number> }[];
    findings: { ruleId: string; status: string; message: string; resource: { name: string } }[];
  };
  const status = (id: string) => report.ruleResults.find((r) => r.ruleId === id)?.status;
  const messages = (id: string) => report.findings.filter((f) => f.ruleId === id).map((f) => f.message).sort();

  it('runs', () => expect(code).toBe(0));

  it('states MFA and phishing-resistant coverage with the denominator (break-glass, service, guest and disabled accounts excluded)', () => {
    expect(messages('ZT-IDN-302')).toEqual(['Entra tenant c0ffee00-0000-4000-8000-00000000c001: only 3 of 4 human users (75 %) have an MFA method registered']);
    expect(messages('ZT-IDN-303')).toEqual([
      'Entra tenant c0ffee00-0000-4000-8000-00000000c001: only 1 of 4 human users (25 %) have a phishing-resistant method registered (advanced needs 75 %)',
    ]);
  });

  it('judges the conditional access set as a whole', () => {
    expect(status('ZT-IDN-300')).toBe('pass'); // CA001: MFA for all users, all apps
    expect(status('ZT-IDN-301')).toBe('pass'); // CA002 blocks legacy clients
    expect(status('ZT-IDN-305')).toBe('pass'); // CA001 covers administrators too
    expect(messages('ZT-IDN-306')[0]).toMatch(/phishing-resistant authentication strength for \["Privileged Authentication Administrator",/);
    // CA001 exempts the break-glass account and a group holding only it; CA004 exempts ops.admin.
    expect(messages('ZT-IDN-009')).toEqual(['CA004 Compliant device or MFA (entra) exempts accounts that are not break-glass: ["user ops.admin@contoso.example"]']);
    expect(status('ZT-DEV-300')).toBe('pass'); // CA005: security key AND compliant device
    expect(messages('ZT-APP-300')[0]).toMatch(/sign-in frequency to 24 hours/); // CA003 is report-only, CA005 allows 7 days
  });

  it('flags standing privilege except break-glass, and synced admins', () => {
    expect(messages('ZT-IDN-309')).toEqual([
      'Helpdesk Leads holds User Administrator permanently (standing assignment with no end date or one over a year after its start; ends: (none))',
      'ops.admin@contoso.example holds Global Administrator permanently (standing assignment with no end date or one over a year after its start; ends: (none))',
    ]);
    expect(messages('ZT-IDN-310')).toEqual(['ops.admin@contoso.example holds Global Administrator with an account synced from on-premises Active Directory (synced: true)']);
    expect(messages('ZT-IDN-311')).toEqual(['lee.member@contoso.example is permanently eligible for Privileged Role Administrator (no expiry, so it is never re-approved)']);
    expect(status('ZT-IDN-308')).toBe('pass'); // 3 active Global Administrators
  });

  it('flags tenant settings', () => {
    expect(messages('ZT-IDN-307')[0]).toMatch(/enabled: \["Fido2","MicrosoftAuthenticator","Sms","SoftwareOath"\]/);
    expect(status('ZT-IDN-312')).toBe('fail');
    expect(status('ZT-IDN-313')).toBe('pass');
    expect(status('ZT-IDN-314')).toBe('pass');
    expect(status('ZT-IDN-010')).toBe('fail'); // user consent (legacy default) and app registration allowed
  });

  it('flags managed domains whose passwords expire; federated and unverified domains are not judged', () => {
    // contoso.onmicrosoft.com never expires; contoso.example leaves the period unset (90 days).
    expect(messages('ZT-IDN-315')).toEqual([
      "Domain contoso.example of Entra tenant c0ffee00-0000-4000-8000-00000000c001 makes passwords expire every 90 days (passwordValidityPeriodInDays: (none); not set means Entra's default of 90)",
    ]);
    // corp.contoso.example is federated, contoso-labs.example unverified: both out of scope.
    expect(report.ruleResults.find((r) => r.ruleId === 'ZT-IDN-315')?.counts).toMatchObject({ pass: 1, fail: 1, skip: 2 });
  });
});
