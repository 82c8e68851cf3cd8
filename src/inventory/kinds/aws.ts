import { z } from 'zod';
import { isoDateTime, optionalDate, policyDocument, stringMap } from './common.js';
import { defineKinds } from './define.js';

// Shapes follow GetAccountAuthorizationDetails and the credential report (see
// docs/architecture.md "Inventory"). Policy documents are URL-decoded and normalised
// at collection. Credential-report columns are parsed by header name; `N/A` becomes
// null. Anything the collector could not read is `null`, never a default.

const attachedPolicy = z.object({ policyName: z.string(), policyArn: z.string() });
const inlinePolicy = z.object({ policyName: z.string(), document: policyDocument });
/** A managed policy attached to a user, group or role. */
export type AttachedPolicy = z.infer<typeof attachedPolicy>;
/** A user's, group's or role's own (inline) policy. */
export type InlinePolicy = z.infer<typeof inlinePolicy>;

const accessKey = z.object({
  slot: z.union([z.literal(1), z.literal(2)]),
  active: z.boolean(),
  lastRotated: optionalDate,
  lastUsed: optionalDate,
  lastUsedService: z.string().nullable(),
});

/** One row of the IAM credential report, typed. */
const credentials = z.object({
  passwordEnabled: z.boolean(),
  passwordLastUsed: optionalDate,
  passwordLastChanged: optionalDate,
  mfaActive: z.boolean(),
  accessKeys: z.array(accessKey),
});

/**
 * Access Advisor (`zt audit --aws --aws-last-accessed`): the services the principal's
 * permissions allow and when it last used each (`null`: not within the tracking
 * window). Absent when not requested; `null` when requested but not readable.
 */
const servicesLastAccessed = z
  .array(z.object({ service: z.string(), lastAuthenticated: optionalDate }))
  .nullable()
  .optional();

export const awsKinds = defineKinds({ plane: 'aws', collectors: ['aws-iam'] }, {
  'aws.account': z.strictObject({
    accountId: z.string().regex(/^\d{12}$/),
    /** GetAccountSummary SummaryMap; null when the call was denied. */
    summary: z.record(z.string(), z.number().int()).nullable(),
    /** `null` when the account has no custom password policy (a finding, not an error). */
    passwordPolicy: z
      .object({
        minimumPasswordLength: z.number().int(),
        requireSymbols: z.boolean(),
        requireNumbers: z.boolean(),
        requireUppercaseCharacters: z.boolean(),
        requireLowercaseCharacters: z.boolean(),
        passwordReusePrevention: z.number().int().nullable(),
        maxPasswordAge: z.number().int().nullable(),
      })
      .nullable(),
    /** The credential report's `<root_account>` row; null when no report was read. */
    rootCredentials: credentials.nullable(),
    /** True when a virtual (not hardware/FIDO) MFA device is assigned to root. */
    rootHasVirtualMfa: z.boolean().nullable(),
    credentialReportGeneratedAt: optionalDate,
  }),
  'aws.iam.user': z.strictObject({
    accountId: z.string(),
    path: z.string(),
    createdAt: isoDateTime,
    groups: z.array(z.string()),
    attachedPolicies: z.array(attachedPolicy),
    inlinePolicies: z.array(inlinePolicy),
    permissionsBoundaryArn: z.string().nullable(),
    tags: stringMap,
    /** null when the credential report was not available. */
    credentials: credentials.nullable(),
    /** MFA devices; `type` is u2f for FIDO keys (serial contains `:u2f/`). */
    mfaDevices: z
      .array(z.object({ serialNumber: z.string(), type: z.enum(['virtual', 'u2f', 'hardware']) }))
      .nullable(),
    servicesLastAccessed,
  }),
  'aws.iam.group': z.strictObject({
    accountId: z.string(),
    path: z.string(),
    attachedPolicies: z.array(attachedPolicy),
    inlinePolicies: z.array(inlinePolicy),
  }),
  'aws.iam.role': z.strictObject({
    accountId: z.string(),
    path: z.string(),
    createdAt: isoDateTime,
    trustPolicy: policyDocument,
    attachedPolicies: z.array(attachedPolicy),
    inlinePolicies: z.array(inlinePolicy),
    permissionsBoundaryArn: z.string().nullable(),
    maxSessionDuration: z.number().int().nullable(),
    lastUsedAt: optionalDate,
    tags: stringMap,
    serviceLinked: z.boolean(),
    servicesLastAccessed,
  }),
  'aws.iam.policy': z.strictObject({
    accountId: z.string().nullable(),
    path: z.string(),
    awsManaged: z.boolean(),
    defaultVersionId: z.string(),
    document: policyDocument,
    /**
     * The policy's other versions (IAM keeps up to five; any of them can be made the default
     * with iam:SetDefaultPolicyVersion). Null when they could not be read (a version did not
     * parse); absent in snapshots taken before zt kept them (unknown as well).
     */
    nonDefaultVersions: z
      .array(z.strictObject({ versionId: z.string(), document: policyDocument }))
      .nullable()
      .optional(),
    /**
     * Principals the policy is attached to in its account. Null for AWS-managed policies:
     * one policy shared by every account (inventory/shared-facts.ts), whose use is per
     * account (the principals' attachedPolicies say who uses it).
     */
    attachmentCount: z.number().int().nullable(),
    /** Principals using it as their permissions boundary; null for AWS-managed policies, as above. */
    permissionsBoundaryUsageCount: z.number().int().nullable(),
  }),
  'aws.iam.identityProvider': z.strictObject({
    accountId: z.string(),
    providerType: z.enum(['saml', 'oidc']),
    url: z.string().nullable(),
    clientIds: z.array(z.string()),
    validUntil: optionalDate,
  }),
});

/** A root or OU on an account's path in its organisation, from the root down. */
const organizationParent = z.strictObject({ id: z.string(), type: z.enum(['ROOT', 'ORGANIZATIONAL_UNIT']), name: z.string() });

/**
 * AWS Organizations (`zt audit --aws --org`, or `--aws-organization <dir>` offline): the
 * member accounts as the organisation lists them, and its service control policies with
 * where they are attached. Read once per organisation, from the management account or a
 * delegated administrator; each member account's IAM is its own `aws-iam` target.
 */
export const awsOrganizationKinds = defineKinds({ plane: 'aws', collectors: ['aws-organizations'] }, {
  'aws.organization.account': z.strictObject({
    accountId: z.string().regex(/^\d{12}$/),
    organizationId: z.string(),
    /** The account's state (ListAccounts `State`, else the older `Status`): only ACTIVE accounts are audited. */
    state: z.string(),
    /** The organisation's management account: SCPs never apply to it. */
    managementAccount: z.boolean(),
    /** Whether SCPs are enabled at the organisation's root (none apply when not); null when the root was not read. */
    scpsEnabled: z.boolean().nullable(),
    /** Root and OUs from the root down to the account's parent; null when the OU tree could not be read. */
    path: z.array(organizationParent).nullable(),
  }),
  'aws.scp': z.strictObject({
    policyId: z.string(),
    organizationId: z.string(),
    description: z.string(),
    /** AWS's own (FullAWSAccess), attached to every root, OU and account when SCPs are enabled until detached. */
    awsManaged: z.boolean(),
    document: policyDocument,
    /** Where it is attached, by id (r-…, ou-…, or a 12-digit account id), sorted. */
    targets: z.array(z.strictObject({ targetId: z.string(), type: z.enum(['ROOT', 'ORGANIZATIONAL_UNIT', 'ACCOUNT']), name: z.string() })),
  }),
});
