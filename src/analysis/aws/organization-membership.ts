import { z } from 'zod';
import { UnknownFact } from '../../model/unknown-fact.js';
import { analyser } from '../analyser.js';
import { inputGap } from '../input-gaps.js';

const output = z.object({
  inOrganization: z
    .boolean()
    .describe("The role's account is an account of an AWS Organization zt read (zt audit --org, or --aws-organization); false when no organisation was read."),
});

/**
 * Whether a role's account belongs to an organisation this audit read: the scope of the
 * rules about trust outside the organisation. An audit that read no organisation (the user
 * did not ask) leaves them not applicable rather than unknown on every role; an organisation
 * read in part leaves membership unknown, since the missing part may hold the account.
 */
export const organizationMembershipAnalyser = analyser({
  kind: 'aws.iam.role',
  inputs: [],
  judges: ['aws.organization.account'],
  output,
  derive(inventory) {
    const members = new Set(inventory.ofKind('aws.organization.account').map((a) => a.attributes.accountId));
    const out = new Map<string, z.output<typeof output>>();
    for (const role of inventory.ofKind('aws.iam.role')) out.set(role.id, { inOrganization: members.has(role.attributes.accountId) });
    return out;
  },
  unknowns(inventory) {
    const coverage = inventory.snapshot.coverage['aws.organization.account'];
    const gap = coverage ? inputGap(inventory, 'aws.organization.account') : null;
    const out = new Map<string, { inOrganization: UnknownFact }>();
    if (!gap) return out;
    const fact = new UnknownFact(gap);
    for (const role of inventory.ofKind('aws.iam.role')) out.set(role.id, { inOrganization: fact });
    return out;
  },
});
