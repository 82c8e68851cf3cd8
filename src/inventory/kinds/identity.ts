import { z } from 'zod';
import { optionalDate } from './common.js';
import { defineKinds } from './define.js';

// The common identity model: Okta and Entra ID both map into idp.* kinds so that one
// rule covers both providers. Provider-specific detail that rules need lives in
// okta.* / entra.* kinds in the provider's own field names (okta.ts, entra.ts).

const provider = z.enum(['okta', 'entra']);

/** Strength of one authenticator, decided at collection from the provider's method type. */
export const factorStrength = z.enum(['phishing_resistant', 'mfa', 'weak']);

export const identityKinds = defineKinds({ plane: 'identity', collectors: ['okta', 'entra'] }, {
  'idp.user': z.strictObject({
    provider,
    tenant: z.string(),
    login: z.string(),
    email: z.string().nullable(),
    status: z.enum(['active', 'staged', 'suspended', 'locked', 'deprovisioned', 'disabled']),
    userType: z.enum(['member', 'guest']),
    /** human unless configured as a service account or break-glass account. */
    accountClass: z.enum(['human', 'service', 'break_glass']),
    adminRoles: z.array(z.string()),
    /** Holds a role that can change identity or security settings tenant-wide. */
    privileged: z.boolean(),
    factors: z.array(
      z.object({
        type: z.string(),
        strength: factorStrength,
        status: z.enum(['active', 'inactive']),
      }),
    ),
    lastSignInAt: optionalDate,
    createdAt: optionalDate,
    /**
     * The user's manager as the IdP records it (Okta profile managerId/manager, Entra
     * `manager`): the manager's login when it names a user of the same tenant, else the
     * IdP's value as is. Null: no manager recorded; absent: not collected. The access
     * review makes the manager the reviewer of the user's grants.
     */
    manager: z.string().nullable().optional(),
  }),
  'idp.group': z.strictObject({
    provider,
    tenant: z.string(),
    memberIds: z.array(z.string()),
    adminRoles: z.array(z.string()),
    /**
     * The group's owners as the IdP records them (Okta `GET /api/v1/groups/{id}/owners`,
     * Entra the group's `owners`), sorted: a user's login (Entra: userPrincipalName), or
     * `group <name>` for an owning group. The access review makes them the reviewers of
     * grants held through the group. Null: the read failed, so the owners are unknown
     * (never "no owner"); absent: not collected.
     */
    owners: z.array(z.string()).nullable().optional(),
  }),
  /**
   * An access policy normalised to "who must do what, from which device, for how
   * long": an Entra conditional access policy or an Okta sign-on/app-access rule.
   */
  'idp.accessPolicy': z.strictObject({
    provider,
    tenant: z.string(),
    state: z.enum(['enabled', 'disabled', 'report_only']),
    appliesToAllUsers: z.boolean(),
    appliesToAllApps: z.boolean(),
    includedRoles: z.array(z.string()),
    excludedUsers: z.array(z.string()),
    excludedGroups: z.array(z.string()),
    /** Client types the policy covers, e.g. browser, mobileAppsAndDesktopClients, exchangeActiveSync, other. */
    clientAppTypes: z.array(z.string()),
    action: z.enum(['allow', 'block']),
    requiresMfa: z.boolean(),
    requiresPhishingResistantMfa: z.boolean(),
    requiresCompliantDevice: z.boolean(),
    sessionLifetimeMinutes: z.number().int().nullable(),
    sessionIdleMinutes: z.number().int().nullable(),
    persistentSession: z.boolean().nullable(),
    /**
     * Conditions that narrow the policy beyond users, apps and client types (Entra:
     * platforms, locations, risk levels, device filter, user actions, authentication
     * flows). Optional: added with the Entra collector.
     */
    narrowedBy: z.array(z.string()).optional(),
    /**
     * Whether the policy has an idle-timeout setting at all (Okta global session rules do;
     * Entra conditional access has none). Where it does, a null `sessionIdleMinutes` means
     * no idle limit. Optional: added with Okta's evaluation order.
     */
    idleTimeoutSupported: z.boolean().optional(),
    /**
     * Whom the policy or rule applies to, in words, with how many users can reach it when
     * known (Okta: its and its policy's people conditions, after earlier rules in Okta's
     * evaluation order). Optional: added with Okta's evaluation order.
     */
    audience: z.string().optional(),
  }),
});
