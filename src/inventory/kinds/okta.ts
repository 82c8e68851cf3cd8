import { z } from 'zod';
import { defineKinds } from './define.js';

// Okta-specific kinds: facts the common idp.* model has no place for. Field names follow
// the Okta Management API where there is one. Unknown facts are null, never a default.

export const oktaKinds = defineKinds({ plane: 'identity', collectors: ['okta'] }, {
  'okta.org': z.strictObject({
    orgUrl: z.string(),
    /** Authenticator keys with status ACTIVE, e.g. okta_verify, webauthn, phone_number. */
    activeAuthenticators: z.array(z.string()),
    threatInsightAction: z.enum(['none', 'audit', 'block']).nullable(),
    /** Network zones ThreatInsight does not judge (excludeZones and the IP exempt zone), by name. */
    threatInsightExemptZones: z.array(z.string()).nullable(),
    /** The exempt zones together hold every IPv4 or every IPv6 address: ThreatInsight judges nothing. */
    threatInsightExemptsEveryAddress: z.boolean().nullable(),
    activeLogStreams: z.number().int().nullable(),
  }),
  /** An application integration and a summary of the authentication policy it uses. */
  'okta.app': z.strictObject({
    orgUrl: z.string(),
    /** The app's catalogue name, e.g. `salesforce`, `saasure` (Admin Console), `okta_enduser` (Dashboard). */
    appName: z.string(),
    status: z.enum(['active', 'inactive']),
    /** SAML_2_0, OPENID_CONNECT, WS_FEDERATION, AUTO_LOGIN (SWA), BASIC_AUTH, BOOKMARK, … */
    signOnMode: z.string().nullable(),
    /** Federated sign-on (SAML, OIDC, WS-Fed): the IdP's policy decides who gets in. */
    federated: z.boolean(),
    /** Okta stores and replays a password (SWA, browser plugin, basic auth). */
    passwordVaulted: z.boolean(),
    accessPolicyId: z.string().nullable(),
    accessPolicyName: z.string().nullable(),
    /** The org's default (system) authentication policy, shared by every app without its own. */
    accessPolicyIsDefault: z.boolean().nullable(),
    /**
     * Every ALLOW rule of the app's policy that can apply requires two factors; null when the
     * policy was not read. ACTIVE rules in Okta's evaluation order: a rule always preceded by
     * one matching the same people in the same circumstances never applies and is left out.
     */
    allowRulesRequireMfa: z.boolean().nullable(),
    /** Every ALLOW rule that can apply requires a phishing-resistant possession factor. */
    allowRulesRequirePhishingResistant: z.boolean().nullable(),
    /** Every ALLOW rule that can apply requires a managed device or a device assurance policy. */
    allowRulesRequireManagedDevice: z.boolean().nullable(),
    /** The ALLOW rules that can apply without two factors, each with whom it reaches. Optional: added with Okta's evaluation order. */
    allowRulesWithoutMfa: z.array(z.string()).nullable().optional(),
    /** The ALLOW rules that can apply without a phishing-resistant factor, each with whom it reaches. */
    allowRulesWithoutPhishingResistant: z.array(z.string()).nullable().optional(),
    /** The ALLOW rules that can apply without a managed or assured device, each with whom it reaches. */
    allowRulesWithoutManagedDevice: z.array(z.string()).nullable().optional(),
  }),
  /** Who holds Okta admin roles, org-wide (direct and through groups). */
  'okta.adminRoles': z.strictObject({
    orgUrl: z.string(),
    /** Logins of users holding SUPER_ADMIN directly or through a group, break-glass included. */
    superAdmins: z.array(z.string()),
    superAdminCount: z.number().int(),
    /** Role assignments made to users directly. */
    userAssignments: z.number().int(),
    /** Role assignments made to groups. */
    groupAssignments: z.number().int(),
    /** All active admin role assignments (userAssignments + groupAssignments): the denominator. */
    assignments: z.number().int(),
    /** groupAssignments as a whole percentage of all assignments; null when there are none. */
    groupAssignmentPercent: z.number().int().nullable(),
  }),
  /** A password policy (type PASSWORD) and its settings. */
  'okta.passwordPolicy': z.strictObject({
    orgUrl: z.string(),
    status: z.enum(['active', 'inactive']),
    priority: z.number().int().nullable(),
    /** OKTA or ACTIVE_DIRECTORY: which passwords it governs. */
    authProvider: z.string().nullable(),
    minLength: z.number().int().nullable(),
    excludeCommonPasswords: z.boolean().nullable(),
    historyCount: z.number().int().nullable(),
    /** Failed attempts before lockout; null when lockout is off or unknown. */
    lockoutMaxAttempts: z.number().int().nullable(),
    maxAgeDays: z.number().int().nullable(),
  }),
  /** A device assurance policy and whether an active authentication rule uses it. */
  'okta.deviceAssurance': z.strictObject({
    orgUrl: z.string(),
    platform: z.string(),
    osMinimum: z.string().nullable(),
    /** Desktop platforms: all internal volumes encrypted. Null on mobile platforms. */
    diskEncryptionRequired: z.boolean().nullable(),
    screenLockRequired: z.boolean(),
    secureHardwareRequired: z.boolean(),
    /** Mobile platforms: jailbroken/rooted devices rejected. Null on desktop platforms. */
    jailbreakBlocked: z.boolean().nullable(),
    /** ACTIVE ALLOW rules of ACTIVE authentication policies that reference this policy. */
    referencedByActiveRules: z.number().int(),
  }),
});
