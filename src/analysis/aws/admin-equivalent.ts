import { z } from 'zod';
import { type Analyser, analyser, type DerivedRecord } from '../analyser.js';
import type { PolicyDocument } from '../../inventory/kinds/common.js';
import { ADMIN_PROBES } from './escalation-methods.js';
import { analyseIam } from './iam-analysis.js';
import type { UnknownFields } from './iam-analysis/unknown-facts.js';
import type { InventoryIndex } from '../../inventory/index.js';
import { ALL_RESOURCES, compilePolicy, evaluate } from './policy-evaluator.js';

/**
 * AWS IAM facts for rules, from zt's policy evaluator (see docs/aws-analysis.md):
 * effective administrator access (respecting Deny and permissions boundaries),
 * privilege escalation (single step and through role chains) and trust-policy risks.
 */

/**
 * A single document that, on its own and unconditionally, grants IAM administration on
 * every resource (`*`, `*:*`, `iam:*`, or a NotAction list that leaves IAM in).
 */
export function documentGrantsAdmin(document: PolicyDocument): boolean {
  const set = { identity: [compilePolicy(document, 'document')] };
  return ADMIN_PROBES.every((action) => evaluate(set, { action, resource: ALL_RESOURCES }).decision === 'allowed');
}

const names = z.array(z.string());
const count = z.number().int();

const adminOutput = z.object({
  adminEquivalent: z
    .boolean()
    .nullable()
    .describe(
      'Holds administrator-equivalent permissions (can grant any IAM permission on every resource: AdministratorAccess, IAMFullAccess, Allow */iam:*/NotAction), directly or through a group, after Deny statements and the permissions boundary; true also when only conditions (such as MFA) stand in the way; null when a policy document was not collected.',
    ),
  adminGrants: names.describe('Where the admin permissions come from, e.g. "group admins → managed policy AdministratorAccess".'),
  adminConditions: names.describe('Condition keys the administrator access depends on (e.g. aws:MultiFactorAuthPresent); empty when unconditional.'),
  adminSummary: z
    .string()
    .nullable()
    .describe(
      'The administrator grant in words: the policies it comes through, then "(unconditional)" or "[conditional: …]" with the exact conditions it holds under (e.g. holds only with MFA); null when not administrator.',
    ),
  adminBlockedByScp: names.describe(
    'The service control policies that keep this principal from the administrator access its own policies grant: each SCP whose Deny applies ("SCP <name> at <level>"), or each level of the root → OU → account hierarchy where no SCP allows it; empty when none do. Unknown when the organisation\'s SCPs were not read (zt audit --org, or --aws-organization).',
  ),
});

const pathStep = z.strictObject({
  principal: z.string(),
  method: z.string(),
  actions: names,
  target: z.string(),
  outcome: z.enum(['allowed', 'conditional']),
  conditions: names,
  detail: z.string().nullable(),
  assumption: z.string().nullable(),
});

const escalationPath = z.strictObject({
  method: z.string(),
  actions: names,
  via: names,
  target: z.string(),
  conditionKeys: names,
  conditional: z.boolean(),
  conditions: names,
  assumptions: names,
  steps: z.array(pathStep),
  path: z.string(),
});

const escalationFields = {
  canBecomeAdmin: z
    .boolean()
    .nullable()
    .describe(
      'Is, or can become, administrator-equivalent: single-step escalation (PassRole + new compute, changing existing compute, CreatePolicyVersion, SetDefaultPolicyVersion, Attach/Put*Policy, AddUserToGroup, UpdateAssumeRolePolicy, CreateAccessKey/LoginProfile on an admin user, …) or a chain of sts:AssumeRole / PassRole / compute hops; for a group, what its own policies let any member do; null when unknown.',
    ),
  privilegeEscalation: z
    .array(escalationPath)
    .describe(
      'Escalation paths, shortest first (at most 10): {method, actions, via: [role ARNs], target, conditionKeys, conditional, conditions (exact, readable), assumptions, steps: [{principal, method, actions, target, outcome (allowed/conditional), conditions, detail, assumption}], path}.',
    ),
  escalationSummary: z
    .string()
    .nullable()
    .describe(
      'The shortest escalation path as one line, e.g. "user/ci → sts:AssumeRole role/deploy → administrator", ending with "[conditional: …]" when a step holds only under conditions; null when there is none.',
    ),
  escalationPath: escalationPath
    .nullable()
    .describe('The shortest escalation path, structured (the first of privilegeEscalation): what rules carry as evidence; null when there is none.'),
  computeEscalationPath: escalationPath
    .nullable()
    .describe('The path computeEscalation describes, structured; null when none is listed.'),
  escalationBlockedByScp: names.describe(
    'Escalation the principal\'s own policies allow but the service control policies stop: its shortest such path, then "— blocked by" the SCP (or the level of the hierarchy without an Allow) that stops a step; empty when none. Unknown when the organisation\'s SCPs were not read (zt audit --org, or --aws-organization).',
  ),
  escalationUndecided: names.describe(
    'Escalation methods the snapshot cannot decide for this principal (e.g. iam:SetDefaultPolicyVersion on a policy whose other versions were not collected); canBecomeAdmin is null when one is and no path was found.',
  ),
  computeEscalation: z
    .string()
    .nullable()
    .describe(
      'The shortest listed escalation path with a step that runs code as a role through a compute service (iam:PassRole to new compute, or changing compute that already runs as the role), as one line; null when none is listed.',
    ),
  assumeRoleAnywhere: z
    .boolean()
    .nullable()
    .describe('sts:AssumeRole is allowed on every resource (Resource "*"): any role whose trust policy admits the account can be assumed, including roles created later; null when a document was not collected.'),
};

const principalOutput = adminOutput.extend({
  iamFullAccess: z.boolean().nullable().describe('Every IAM action in the AWS catalogue (iam:*) is allowed on every resource; null when a document was not collected.'),
  dataReadEverywhere: names.describe(
    'Data reads allowed on every resource (of s3:GetObject, secretsmanager:GetSecretValue, kms:Decrypt, ssm:GetParameter, dynamodb:Scan), after Deny and boundary.',
  ),
  ...escalationFields,
  assumableRoles: names.describe('Roles this principal can assume (trust policy admits it and its own policies allow it), sorted, at most 50.'),
  assumableRoleCount: count.describe('How many roles this principal can assume.'),
});

const groupOutput = adminOutput.extend({
  ...escalationFields,
  members: names.describe('Member users of the group, sorted, at most 50 (they inherit its admin and escalation facts).'),
  memberCount: count.describe('How many users of the snapshot belong to the group.'),
});

const roleOutput = principalOutput.extend({
  trustPublic: z
    .boolean()
    .describe('The trust policy lets any AWS principal assume the role with no condition pinning account, organisation, source, external id or OIDC subject.'),
  trustedAccounts: names.describe('Other AWS account ids (or "*") the trust policy admits.'),
  crossAccountWithoutExternalId: names.describe('Those of trustedAccounts admitted without a non-IfExists sts:ExternalId or aws:PrincipalOrgID condition.'),
  trustedAccountsOutsideOrganization: names.describe(
    'Those of trustedAccounts that are not accounts of the role\'s own AWS Organization ("*" included): trust of strangers, worse than trust between the organisation\'s accounts. Unknown when the organisation was not read (zt audit --org, or --aws-organization).',
  ),
  federatedProviders: names.describe('Federated principals (OIDC hosts, SAML provider ARNs) the trust policy admits.'),
  oidcSubjectUnpinned: names.describe(
    'OIDC providers trusted without a pinned <provider>:sub (missing, IfExists, or a wildcard; GitHub may wildcard after repo:<owner>/<repo>:; Cognito is pinned by :aud).',
  ),
  trustedServices: names.describe('Service principals (e.g. lambda.amazonaws.com) that may assume the role.'),
  assumableBy: names.describe('IAM users and roles of the snapshot that can assume this role, sorted, at most 50.'),
  assumableByCount: count.describe('How many IAM users and roles of the snapshot can assume this role.'),
  assumableByNonAdmins: names.describe('Those of assumableBy that are not themselves administrators (for whom assuming this role is a gain), sorted, at most 50.'),
  assumableByNonAdminCount: count.describe('How many IAM users and roles of the snapshot that are not administrators can assume this role.'),
  assumableByUsersWithoutMfa: names.describe(
    'IAM users that can assume this role without MFA (trust and their own policies evaluated with aws:MultiFactorAuthPresent false).',
  ),
  externallyAssumable: z.boolean().describe('The trust policy admits principals outside the account (another account or any principal).'),
});

/** The entries of `unknowns` that are resources of `kind` (users' and roles' are kept together). */
function ofKind(unknowns: ReadonlyMap<string, UnknownFields>, inventory: InventoryIndex, kind: string): ReadonlyMap<string, UnknownFields> {
  return new Map([...unknowns].filter(([arn]) => inventory.byId(arn)?.kind === kind));
}

export const adminEquivalentAnalysers: readonly Analyser[] = [
  analyser({
    kind: 'aws.iam.user',
    inputs: ['aws.iam.policy', 'aws.iam.group', 'aws.iam.user', 'aws.iam.role'],
    // SCPs narrow what the policies allow only when they were read completely (scp-hierarchy.ts); what is SCP-based is unknown otherwise.
    judges: ['aws.organization.account', 'aws.scp'],
    fieldInputs: { adminBlockedByScp: ['aws.organization.account', 'aws.scp'], escalationBlockedByScp: ['aws.organization.account', 'aws.scp'] },
    output: principalOutput,
    // The users' and the roles' principal facts (roles get theirs again, with their trust facts, below).
    derive: (inventory) => analyseIam(inventory).facts,
    unknowns: (inventory) => ofKind(analyseIam(inventory).unknowns, inventory, 'aws.iam.user'),
  }),
  analyser({
    kind: 'aws.iam.role',
    inputs: ['aws.iam.policy', 'aws.iam.group', 'aws.iam.user', 'aws.iam.role'],
    // SCPs narrow what the policies allow only when they were read completely (scp-hierarchy.ts); what is SCP-based is unknown otherwise.
    judges: ['aws.organization.account', 'aws.scp'],
    fieldInputs: { adminBlockedByScp: ['aws.organization.account', 'aws.scp'], escalationBlockedByScp: ['aws.organization.account', 'aws.scp'], trustedAccountsOutsideOrganization: ['aws.organization.account'] },
    output: roleOutput,
    derive(inventory) {
      const analysis = analyseIam(inventory);
      const out = new Map<string, DerivedRecord<typeof roleOutput>>();
      for (const role of analysis.roles) {
        // Both are computed for every role; the check only tells the compiler so.
        const principal = analysis.facts.get(role.arn);
        const trust = analysis.roleFacts.get(role.arn);
        if (principal && trust) {
          const own = analysis.organizationOf(role.accountId);
          const outside = trust.trustedAccounts.filter((account) => own === undefined || account === '*' || analysis.organizationOf(account) !== own);
          out.set(role.arn, { ...principal, ...trust, trustedAccountsOutsideOrganization: outside });
        }
      }
      return out;
    },
    unknowns: (inventory) => ofKind(analyseIam(inventory).unknowns, inventory, 'aws.iam.role'),
  }),
  analyser({
    kind: 'aws.iam.group',
    inputs: ['aws.iam.policy', 'aws.iam.group', 'aws.iam.user', 'aws.iam.role'],
    // SCPs narrow what the policies allow only when they were read completely (scp-hierarchy.ts); what is SCP-based is unknown otherwise.
    judges: ['aws.organization.account', 'aws.scp'],
    fieldInputs: { adminBlockedByScp: ['aws.organization.account', 'aws.scp'], escalationBlockedByScp: ['aws.organization.account', 'aws.scp'] },
    output: groupOutput,
    derive: (inventory) => analyseIam(inventory).groupFacts,
    unknowns: (inventory) => analyseIam(inventory).groupUnknowns,
  }),
];
