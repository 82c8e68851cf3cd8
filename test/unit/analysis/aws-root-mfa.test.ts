import { describe, expect, it } from 'vitest';
import { rootMfaAnswer } from '../../../src/analysis/aws/root-mfa.js';

const summary = (mfa: 0 | 1 | null) => (mfa === null ? null : { AccountMFAEnabled: mfa });
const report = (mfa: boolean | null) => (mfa === null ? null : { mfaActive: mfa });

describe("root MFA from the account summary, the credential report and the virtual devices, read together", () => {
  it.each([
    // summary, report, virtual device on root → enabled, hardware
    [1, true, false, true, true],
    [1, true, true, true, false],
    [1, true, null, true, null],
    [0, false, false, false, false],
    [0, false, null, false, false],
    // Contradictions are never a pass.
    [1, false, false, null, null],
    [0, true, false, null, null],
    [0, false, true, null, false],
    // One "no" is enough to fail; one "yes" alone is not enough to pass.
    [0, null, null, false, false],
    [null, false, null, false, false],
    [1, null, false, null, null],
    [null, true, false, null, null],
    [null, true, true, true, false],
    [null, null, null, null, null],
  ] as const)('summary %s, report %s, virtual %s → enabled %s, hardware %s', (s, r, v, enabled, hardware) => {
    const answer = rootMfaAnswer({ summary: summary(s), rootCredentials: report(r), rootHasVirtualMfa: v });
    expect({ enabled: answer.enabled, hardware: answer.hardware }).toEqual({ enabled, hardware });
  });

  it('says what each source says, and that they disagree', () => {
    expect(rootMfaAnswer({ summary: summary(0), rootCredentials: report(true), rootHasVirtualMfa: false }).evidence).toBe(
      'the evidence disagrees: the account summary says AccountMFAEnabled 0; the credential report says mfa_active true; no virtual MFA device is assigned to root',
    );
    expect(rootMfaAnswer({ summary: summary(1), rootCredentials: null, rootHasVirtualMfa: null }).evidence).toMatch(/^only one source shows it: /);
  });
});
