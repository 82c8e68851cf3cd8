import { z } from 'zod';
import { analyser } from '../analyser.js';
import { exclusionsOutsideBreakGlass } from './break-glass-exclusions.js';

/**
 * Which exclusions of an access policy are not break-glass accounts (resolved in
 * break-glass-exclusions.ts, shared with the Entra tenant's all-users facts). A group is
 * a legitimate exclusion only when every member is a break-glass account. Anything that
 * cannot be resolved is listed as unknown: an exclusion nobody can see is never assumed
 * to be harmless.
 */
const output = z.object({
  exclusionsOutsideBreakGlass: z
    .array(z.string())
    .describe(
      'Excluded users, groups and roles that are not break-glass accounts (a group counts when any member is not break-glass; a role always counts); unresolvable exclusions are listed as unknown.',
    ),
});

export const policyExclusionsAnalyser = analyser({
  kind: 'idp.accessPolicy',
  inputs: ['idp.user', 'idp.group'],
  output,
  derive(inventory) {
    const outsideOf = exclusionsOutsideBreakGlass(inventory);
    const out = new Map<string, z.output<typeof output>>();
    for (const policy of inventory.ofKind('idp.accessPolicy')) {
      const outside = outsideOf(policy);
      // Malformed input gets no derived field, so a rule reading it errors instead of passing.
      if (outside) out.set(policy.id, { exclusionsOutsideBreakGlass: [...outside] });
    }
    return out;
  },
});
