import { z } from 'zod';
import { optionalDate } from './common.js';
import { defineKinds } from './define.js';

/**
 * Directory role templates zt treats as privileged (they can change identity or security
 * settings tenant-wide): the catalogue's "privileged" scope word, by role template id.
 */
export const entraPrivilegedRoleTemplates: Readonly<Record<string, string>> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': 'Conditional Access Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': 'SharePoint Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2': 'Hybrid Identity Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  '0526716b-113d-4c15-b2c8-68e3c22b9f80': 'Authentication Policy Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  '3a2c62db-5318-420d-8d74-23affee5d9d5': 'Intune Administrator',
  'be2f45a1-457d-42af-a067-6ec1fa63bc45': 'External Identity Provider Administrator',
  '8329153b-31d0-4727-b945-745eb3bc5f31': 'Domain Name Administrator',
};
export const ENTRA_GLOBAL_ADMIN_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';

/** The roles a conditional access policy for administrators must cover (ENTRA-004/005/026). */
export const entraAdminPolicyRoles: readonly string[] = [
  '62e90394-69f5-4237-9190-012177145e10', // Global Administrator
  'e8611ab8-c189-46e8-94e1-60213ab1f814', // Privileged Role Administrator
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', // Privileged Authentication Administrator
  '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', // Conditional Access Administrator
  'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
  '29232cdf-9323-42fd-ade2-1d097af3e4de', // Exchange Administrator
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c', // SharePoint Administrator
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2', // Hybrid Identity Administrator
  'c4e39bd9-1100-46d3-8c65-fb160da0071f', // Authentication Administrator
];

// Entra ID detail that the common identity model (idp.*) cannot express. Field names
// follow Microsoft Graph where there is one.

export const entraKinds = defineKinds({ plane: 'identity', collectors: ['entra'] }, {
  'entra.tenant': z.strictObject({
    tenantId: z.string(),
    securityDefaultsEnabled: z.boolean().nullable(),
    /** Authentication methods enabled in the tenant's authentication methods policy. */
    enabledAuthenticationMethods: z.array(z.string()).nullable(),
    usersCanConsentToApps: z.boolean().nullable(),
    usersCanCreateApps: z.boolean().nullable(),
    // Added with the Entra collector; optional so snapshots written before them stay valid.
    usersCanCreateTenants: z.boolean().nullable().optional(),
    /** authorizationPolicy.allowInvitesFrom: none, adminsAndGuestInviters, adminsGuestInvitersAndAllMembers, everyone. */
    guestInvitesFrom: z.string().nullable().optional(),
    /** Guests get the restricted guest role (authorizationPolicy.guestUserRoleId 2af84b1e-…). */
    guestAccessRestricted: z.boolean().nullable().optional(),
  }),
  /**
   * One directory role assignment, active (standing `Assigned`, or a PIM activation
   * `Activated`) or eligible (PIM: must be activated before it grants anything).
   */
  'entra.roleAssignment': z.strictObject({
    tenant: z.string(),
    principalId: z.string(),
    principalType: z.enum(['user', 'group', 'servicePrincipal', 'unknown']),
    /** userPrincipalName, group or app display name; null when Graph did not expand it. */
    principalName: z.string().nullable(),
    /** Classification of a user principal from the project config; null for groups and apps. */
    principalAccountClass: z.enum(['human', 'service', 'break_glass']).nullable(),
    /** onPremisesSyncEnabled of a user principal (true = synced from Active Directory); null when unknown. */
    principalOnPremisesSynced: z.boolean().nullable(),
    roleDefinitionId: z.string(),
    /** The built-in role template id (equal to roleDefinitionId for built-in roles). */
    roleTemplateId: z.string().nullable(),
    roleName: z.string(),
    /** A role that can change identity or security settings tenant-wide (zt's privileged role list). */
    privileged: z.boolean(),
    /** "/" for the whole tenant, else an administrative unit or object scope. */
    directoryScopeId: z.string(),
    state: z.enum(['active', 'eligible']),
    /** For active assignments: assigned (standing) or activated (PIM, time-bound); null for eligible ones. */
    assignmentType: z.enum(['assigned', 'activated']).nullable(),
    memberType: z.enum(['direct', 'group', 'inherited', 'unknown']),
    /** No end date: the assignment (or eligibility) never expires. */
    permanent: z.boolean(),
    startAt: optionalDate,
    endAt: optionalDate,
  }),
  /**
   * A domain of the tenant (Graph `GET /domains`): how its users authenticate and the
   * password expiry Entra applies to its cloud (managed) accounts.
   */
  'entra.domain': z.strictObject({
    tenant: z.string(),
    /** managed: Entra ID checks the password; federated: another identity provider does (Graph: Managed, Federated). */
    authenticationType: z.enum(['managed', 'federated']).nullable(),
    isVerified: z.boolean().nullable(),
    isDefault: z.boolean().nullable(),
    /** A verified root domain (false for subdomains and unverified domains). */
    isRoot: z.boolean().nullable(),
    /** As Graph returns it: null when not set (Entra then applies its default of 90 days); 2147483647 means never. */
    passwordValidityPeriodInDays: z.number().int().nullable(),
    /**
     * Days after which Entra makes a password of this domain expire: the validity period, or
     * 90 when it is not set; null when passwords never expire (2147483647).
     */
    passwordExpiresAfterDays: z.number().int().nullable(),
    /** Days before expiry that users are warned (null: not set, Entra's default of 14). */
    passwordNotificationWindowInDays: z.number().int().nullable(),
    /** Services the domain is set up for, e.g. Email, OfficeCommunicationsOnline, Intune. */
    supportedServices: z.array(z.string()),
  }),
});

