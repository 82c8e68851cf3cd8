// The kinds this plugin adds, built with the zod zt hands to setup(api) (api.z): zt validates
// every collected resource, snapshot and rule case against them, like its own kinds.
// A field the source could not read is null and named in the kind's coverage
// `unknownFields`, so rules reading it are not evaluated: missing data is never a pass.

/** @param {import('zod').z} z */
export function githubKinds(z) {
  const nullable = (schema) => schema.nullable();
  return {
    'github.organization': {
      description: 'A GitHub organisation: its member policy, SAML SSO and Actions settings (GET /orgs/{org}, /orgs/{org}/actions/permissions…)',
      ztmmRows: ['identity.access_management', 'applications.secure_dev_deploy'],
      schema: z.strictObject({
        login: z.string(),
        twoFactorRequirementEnabled: nullable(z.boolean()),
        defaultRepositoryPermission: nullable(z.enum(['read', 'write', 'admin', 'none'])),
        membersCanCreatePublicRepositories: nullable(z.boolean()),
        /** An organisation SAML identity provider is configured (GraphQL samlIdentityProvider); null where the token cannot read it. */
        samlSsoConfigured: nullable(z.boolean()),
        actionsEnabledRepositories: nullable(z.enum(['all', 'none', 'selected'])),
        /** null when Actions is disabled for every repository (nothing runs) or unreadable. */
        actionsAllowedActions: nullable(z.enum(['all', 'local_only', 'selected'])),
        defaultWorkflowPermissions: nullable(z.enum(['read', 'write'])),
        actionsCanApprovePullRequestReviews: nullable(z.boolean()),
        /** The OIDC subject claim template's keys; the default template (repo + context) when not customised. */
        oidcSubjectClaimKeys: nullable(z.array(z.string())),
        ownerCount: nullable(z.number().int().nonnegative()),
      }),
    },
    'github.member': {
      description: 'A person with access to the organisation: an owner, a member, or an outside collaborator',
      ztmmRows: ['identity.access_management'],
      schema: z.strictObject({
        org: z.string(),
        login: z.string(),
        role: z.enum(['owner', 'member', 'outside_collaborator']),
        /** false when listed by /orgs/{org}/members?filter=2fa_disabled (owners only can read it); null when unreadable. */
        twoFactorEnabled: nullable(z.boolean()),
        /** Repositories on which an outside collaborator holds admin. */
        adminRepositories: z.array(z.string()),
      }),
    },
    'github.repository': {
      description: 'A repository and the protection of its default branch: classic branch protection and repository rulesets combined',
      ztmmRows: ['applications.secure_dev_deploy', 'applications.security_testing'],
      schema: z.strictObject({
        org: z.string(),
        name: z.string(),
        fullName: z.string(),
        visibility: z.enum(['public', 'private', 'internal']),
        archived: z.boolean(),
        defaultBranch: z.string(),
        /** Any protection on the default branch (classic or a ruleset); null when unreadable. */
        branchProtected: nullable(z.boolean()),
        requiredApprovingReviews: nullable(z.number().int().nonnegative()),
        dismissStaleReviews: nullable(z.boolean()),
        requireCodeOwnerReviews: nullable(z.boolean()),
        requiredStatusChecks: nullable(z.array(z.string())),
        requiredSignatures: nullable(z.boolean()),
        forcePushBlocked: nullable(z.boolean()),
        deletionBlocked: nullable(z.boolean()),
        deployKeys: nullable(z.array(z.strictObject({ id: z.number().int(), title: z.string(), readOnly: z.boolean() }))),
      }),
    },
    'github.appInstallation': {
      description: 'A GitHub App installed on the organisation, with the permissions it was granted',
      ztmmRows: ['applications.secure_dev_deploy', 'identity.access_management'],
      schema: z.strictObject({
        org: z.string(),
        id: z.number().int(),
        appSlug: z.string(),
        repositorySelection: z.enum(['all', 'selected']),
        permissions: z.record(z.string(), z.string()),
        /** Permission names granted `write` or `admin`, sorted. */
        writePermissions: z.array(z.string()),
        suspended: z.boolean(),
      }),
    },
  };
}
