import { z } from 'zod';
import { UnknownFact } from '../../model/unknown-fact.js';
import { analyser } from '../analyser.js';

const output = z.object({
  fido2Mfa: z.boolean().describe('The user has a FIDO2 security key (U2F/passkey) among its MFA devices; unknown when its devices were not listed.'),
});

// The credential report says whether MFA is active, not which device. Without the device
// list (an offline export without it, a failed ListMFADevices) a user with active MFA may or
// may not hold a security key: unknown, never "no FIDO2".
const devicesNotListed = new UnknownFact(
  { kind: 'aws.iam.user', state: 'partial', reason: 'input_missing' },
  "the user's MFA devices were not listed (the credential report says only whether MFA is active): collect live, where zt lists each user's devices",
);

/** Whether an IAM user holds a phishing-resistant (FIDO2) MFA device. */
export const userMfaAnalyser = analyser({
  kind: 'aws.iam.user',
  inputs: [],
  output,
  derive(inventory) {
    const out = new Map<string, z.output<typeof output>>();
    for (const user of inventory.ofKind('aws.iam.user')) {
      const devices = user.attributes.mfaDevices;
      if (devices) out.set(user.id, { fido2Mfa: devices.some((d) => d.type === 'u2f') });
    }
    return out;
  },
  unknowns(inventory) {
    const out = new Map<string, { fido2Mfa: UnknownFact }>();
    for (const user of inventory.ofKind('aws.iam.user')) if (user.attributes.mfaDevices === null) out.set(user.id, { fido2Mfa: devicesNotListed });
    return out;
  },
});
