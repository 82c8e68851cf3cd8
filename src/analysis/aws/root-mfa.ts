import { z } from 'zod';
import { UnknownFact } from '../../model/unknown-fact.js';
import { analyser } from '../analyser.js';

/**
 * Whether the AWS root user has MFA, from the evidence that says so — the account summary
 * (GetAccountSummary `AccountMFAEnabled`), the credential report's `<root_account>` row
 * (`mfa_active`) and the virtual MFA devices (a device assigned to root says yes; none
 * assigned says nothing, root may hold a hardware key) — read together:
 *
 *  - two sources disagree (summary against report, or a virtual device against a "no") →
 *    unknown, the contradiction named (a report generated at another time than the
 *    summary was read, or a wrong file); never a pass;
 *  - otherwise a "no" from either is false (a "no" needs no confirmation);
 *  - two sources saying yes → true;
 *  - one source alone saying yes → unknown: one file is not enough to pass root's MFA.
 *
 * Hardware MFA (`rootHardwareMfa`): a virtual device assigned to root → false; MFA known
 * absent → false; MFA known present and the device list read without a root device →
 * true; otherwise unknown.
 */

export interface RootMfaAnswer {
  readonly enabled: boolean | null;
  readonly hardware: boolean | null;
  readonly evidence: string;
}

interface Evidence {
  readonly summary?: Record<string, number> | null;
  readonly rootCredentials?: { readonly mfaActive: boolean } | null;
  readonly rootHasVirtualMfa?: boolean | null;
}

export function rootMfaAnswer(account: Evidence): RootMfaAnswer {
  const summary = account.summary && 'AccountMFAEnabled' in account.summary ? account.summary.AccountMFAEnabled === 1 : null;
  const report = account.rootCredentials ? account.rootCredentials.mfaActive : null;
  const virtual = account.rootHasVirtualMfa ?? null;
  const said = [
    summary === null ? 'the account summary does not say (not read)' : `the account summary says AccountMFAEnabled ${summary ? 1 : 0}`,
    report === null ? 'the credential report does not say (not read)' : `the credential report says mfa_active ${String(report)}`,
    virtual === null ? 'the virtual MFA devices were not read' : virtual ? 'a virtual MFA device is assigned to root' : 'no virtual MFA device is assigned to root',
  ].join('; ');
  const yes = [summary === true, report === true, virtual === true].filter(Boolean).length;
  const no = [summary === false, report === false].filter(Boolean).length;
  let enabled: boolean | null;
  let evidence = said;
  if (yes > 0 && no > 0) {
    enabled = null;
    evidence = `the evidence disagrees: ${said}`;
  } else if (no > 0) enabled = false;
  else if (yes >= 2) enabled = true;
  else {
    enabled = null;
    if (yes === 1) evidence = `only one source shows it: ${said}`;
  }
  const hardware = virtual === true ? false : enabled === false ? false : enabled === true && virtual === false ? true : null;
  return { enabled, hardware, evidence };
}

const output = z.object({
  rootMfaEnabled: z
    .boolean()
    .describe(
      'The root user has MFA: two of the account summary (AccountMFAEnabled), the credential report (mfa_active) and a virtual MFA device assigned to root say so and none says no; false when one says no and none yes. Unknown when they disagree, or when only one says yes.',
    ),
  rootHardwareMfa: z
    .boolean()
    .describe(
      'The root user has MFA (rootMfaEnabled) and no virtual MFA device is assigned to it (a hardware key or FIDO2 device); false when a virtual device is, or when it has no MFA. Unknown when the MFA evidence is, or when the virtual MFA devices were not read.',
    ),
  rootMfaEvidence: z.string().describe('What the account summary, the credential report and the virtual MFA devices say about the root user\'s MFA, in words.'),
});

const unknown = (why: string) => new UnknownFact({ kind: 'aws.account', state: 'partial', reason: 'input_missing' }, `root MFA cannot be decided: ${why}`);

export const rootMfaAnalyser = analyser({
  kind: 'aws.account',
  inputs: [],
  output,
  derive(inventory) {
    const out = new Map<string, z.output<typeof output>>();
    for (const account of inventory.ofKind('aws.account')) {
      const answer = rootMfaAnswer(account.attributes);
      out.set(account.id, { rootMfaEnabled: answer.enabled ?? false, rootHardwareMfa: answer.hardware ?? false, rootMfaEvidence: answer.evidence });
    }
    return out;
  },
  unknowns(inventory) {
    const out = new Map<string, { rootMfaEnabled?: UnknownFact; rootHardwareMfa?: UnknownFact }>();
    for (const account of inventory.ofKind('aws.account')) {
      const answer = rootMfaAnswer(account.attributes);
      if (answer.enabled === null || answer.hardware === null) {
        out.set(account.id, {
          ...(answer.enabled === null ? { rootMfaEnabled: unknown(answer.evidence) } : {}),
          ...(answer.hardware === null ? { rootHardwareMfa: unknown(answer.evidence) } : {}),
        });
      }
    }
    return out;
  },
});
