import { z } from 'zod';
import { analyser } from '../analyser.js';

const rank = { none: 0, weak: 1, mfa: 2, phishing_resistant: 3 } as const;
type Strength = keyof typeof rank;

const output = z.object({
  mfaStrength: z
    .enum(['phishing_resistant', 'mfa', 'weak', 'none'])
    .describe('Strongest active factor: phishing_resistant, mfa, weak (SMS, voice, email, security question) or none.'),
});

/** The strongest active authenticator a user has enrolled. */
export const factorStrengthAnalyser = analyser({
  kind: 'idp.user',
  inputs: [],
  output,
  derive(inventory) {
    const out = new Map<string, z.output<typeof output>>();
    for (const user of inventory.ofKind('idp.user')) {
      const factors = user.attributes.factors;
      if (!Array.isArray(factors)) continue; // unknown factors: no strength, never "none"
      let best: Strength = 'none';
      for (const factor of factors) {
        if (factor.status === 'active' && rank[factor.strength] > rank[best]) best = factor.strength;
      }
      out.set(user.id, { mfaStrength: best });
    }
    return out;
  },
});
