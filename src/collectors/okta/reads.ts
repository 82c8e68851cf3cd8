/**
 * Every Okta Management API endpoint the live collector reads, with the OAuth scope that
 * grants it. The scopes zt asks a service app for are derived from it (source.ts), `zt
 * doctor` compares them with what the token was granted, and docs/permissions.md renders
 * them; a test runs the collector against the fake Okta org and checks every path it
 * requested is declared here. An API token (SSWS) has no scopes: it acts with its
 * creator's admin role, which must read all of these.
 */

export interface OktaRead {
  /** The path as Okta's rate-limit buckets name it (`{id}` for an object id). */
  readonly path: string;
  readonly scope: string;
  readonly why: string;
}

export const oktaReads = [
  { path: '/api/v1/users', scope: 'okta.users.read', why: 'users' },
  { path: '/api/v1/users/{id}', scope: 'okta.users.read', why: 'whether a user read mid-run still exists' },
  { path: '/api/v1/users/{id}/factors', scope: 'okta.users.read', why: 'enrolled factors per user' },
  { path: '/api/v1/groups', scope: 'okta.groups.read', why: 'groups' },
  { path: '/api/v1/groups/{id}', scope: 'okta.groups.read', why: 'whether a group read mid-run still exists' },
  { path: '/api/v1/groups/{id}/users', scope: 'okta.groups.read', why: 'group members' },
  { path: '/api/v1/groups/{id}/owners', scope: 'okta.groups.read', why: 'group owners, optional: the access review\'s reviewers of grants held through a group' },
  { path: '/api/v1/policies', scope: 'okta.policies.read', why: 'sign-on, password, MFA enrolment and app sign-in policies' },
  { path: '/api/v1/policies/{id}/rules', scope: 'okta.policies.read', why: 'policy rules' },
  { path: '/api/v1/apps', scope: 'okta.apps.read', why: 'applications and their sign-on policy' },
  { path: '/api/v1/iam/assignees/users', scope: 'okta.roles.read', why: 'users holding admin roles' },
  { path: '/api/v1/users/{id}/roles', scope: 'okta.roles.read', why: 'admin roles per user' },
  { path: '/api/v1/groups/{id}/roles', scope: 'okta.roles.read', why: 'admin roles held through groups' },
  { path: '/api/v1/authenticators', scope: 'okta.authenticators.read', why: 'org authenticators, Identity Engine' },
  { path: '/api/v1/device-assurances', scope: 'okta.deviceAssurance.read', why: 'device assurance policies' },
  { path: '/api/v1/logStreams', scope: 'okta.logStreams.read', why: 'log streaming to a SIEM' },
  { path: '/api/v1/threats/configuration', scope: 'okta.threatInsights.read', why: 'ThreatInsight mode' },
  { path: '/api/v1/zones', scope: 'okta.networkZones.read', why: 'the network zones ThreatInsight exempts' },
] as const satisfies readonly OktaRead[];

/** The scopes of oktaReads, each once, in first-use order: what zt asks a service app for. */
export const oktaScopes = [...new Set(oktaReads.map((r) => r.scope))] as const;

/** Admin roles that read everything above (Okta's standard roles; a custom role is judged by its permissions, which zt does not read). */
export const oktaReadingRoles = ['READ_ONLY_ADMIN', 'ORG_ADMIN', 'SUPER_ADMIN'] as const;
