import type { Kind } from '../../inventory/kinds/index.js';

/** Everything the Entra collector reads: Graph path, export file, permission, kinds fed. */
export interface Endpoint {
  readonly id: EndpointId;
  /** Graph v1.0 path with query (the first request; later pages follow @odata.nextLink). */
  readonly path: string;
  /** File name in an --entra-export folder (Graph's own JSON, `value` arrays). */
  readonly file: string;
  /** Application permissions that grant the read together (named in permission issues, checked by `zt doctor`). */
  readonly permissions: readonly [string, ...string[]];
  /** zt reads it but does without it (the tenant's display name): a gap is noted, never a failure of `zt doctor`. */
  readonly optional?: true;
  /** Licence the endpoint needs, named in licence issues. */
  readonly licence?: string;
  readonly kinds: readonly Kind[];
  /** A single object (policies), not a paged collection. */
  readonly single?: boolean;
}

export type EndpointId =
  | 'roleDefinitions'
  | 'roleAssignmentScheduleInstances'
  | 'roleAssignments'
  | 'roleEligibilitySchedules'
  | 'userRegistrationDetails'
  | 'users'
  | 'usersWithoutSignInActivity'
  | 'userManagers'
  | 'conditionalAccessPolicies'
  | 'authenticationStrengthPolicies'
  | 'authorizationPolicy'
  | 'authenticationMethodsPolicy'
  | 'identitySecurityDefaultsEnforcementPolicy'
  | 'organization'
  | 'groups'
  | 'groupOwners'
  | 'domains';

const userFields = 'id,userPrincipalName,displayName,mail,accountEnabled,userType,createdDateTime,onPremisesSyncEnabled';

export const endpoints: Readonly<Record<EndpointId, Endpoint>> = {
  groups: {
    id: 'groups',
    // Per group: GET /groups/{id}?$select=id,displayName and
    // GET /groups/{id}/transitiveMembers/microsoft.graph.user?$select=id (paged).
    path: '/groups',
    file: 'groups.json',
    permissions: ['GroupMember.Read.All'],
    kinds: ['idp.group'],
  },
  groupOwners: {
    id: 'groupOwners',
    // Per group read above: GET /groups/{id}/owners (paged), the access review's reviewers of
    // grants held through the group. Offline: each group's `owners` in groups.json.
    path: '/groups/{id}/owners?$select=id,userPrincipalName,displayName',
    file: 'groups.json',
    permissions: ['GroupMember.Read.All'],
    optional: true,
    kinds: ['idp.group'],
  },
  domains: {
    id: 'domains',
    path: '/domains?$select=id,authenticationType,isVerified,isDefault,isRoot,passwordValidityPeriodInDays,passwordNotificationWindowInDays,supportedServices',
    file: 'domains.json',
    // Least privileged; Directory.Read.All also grants it (docs/entra.md).
    permissions: ['Domain.Read.All'],
    kinds: ['entra.domain'],
  },
  organization: { id: 'organization', path: '/organization?$select=id,displayName', file: 'organization.json', permissions: ['Organization.Read.All'], optional: true, kinds: ['entra.tenant'] },
  roleDefinitions: {
    id: 'roleDefinitions',
    path: '/roleManagement/directory/roleDefinitions?$select=id,displayName,templateId,isBuiltIn',
    file: 'roleDefinitions.json',
    permissions: ['RoleManagement.Read.Directory'],
    kinds: ['entra.roleAssignment', 'idp.user'],
  },
  roleAssignmentScheduleInstances: {
    id: 'roleAssignmentScheduleInstances',
    path: '/roleManagement/directory/roleAssignmentScheduleInstances?$expand=principal',
    file: 'roleAssignmentScheduleInstances.json',
    permissions: ['RoleManagement.Read.Directory'],
    licence: 'Microsoft Entra ID P2 (Privileged Identity Management)',
    kinds: ['entra.roleAssignment', 'idp.user'],
  },
  roleAssignments: {
    id: 'roleAssignments',
    path: '/roleManagement/directory/roleAssignments?$expand=principal',
    file: 'roleAssignments.json',
    permissions: ['RoleManagement.Read.Directory'],
    kinds: ['entra.roleAssignment', 'idp.user'],
  },
  roleEligibilitySchedules: {
    id: 'roleEligibilitySchedules',
    path: '/roleManagement/directory/roleEligibilitySchedules?$expand=principal',
    file: 'roleEligibilitySchedules.json',
    permissions: ['RoleManagement.Read.Directory'],
    licence: 'Microsoft Entra ID P2 (Privileged Identity Management)',
    kinds: ['entra.roleAssignment'],
  },
  userRegistrationDetails: {
    id: 'userRegistrationDetails',
    path: '/reports/authenticationMethods/userRegistrationDetails',
    file: 'userRegistrationDetails.json',
    permissions: ['AuditLog.Read.All'],
    licence: 'Microsoft Entra ID P1',
    kinds: ['idp.user'],
  },
  users: {
    id: 'users',
    // signInActivity caps the page size at 120.
    path: `/users?$select=${userFields},signInActivity&$top=120`,
    file: 'users.json',
    permissions: ['User.Read.All', 'AuditLog.Read.All'],
    licence: 'Microsoft Entra ID P1 (sign-in activity)',
    kinds: ['idp.user', 'entra.roleAssignment'],
  },
  usersWithoutSignInActivity: {
    id: 'usersWithoutSignInActivity',
    path: `/users?$select=${userFields}&$top=999`,
    file: 'users.json',
    permissions: ['User.Read.All'],
    kinds: ['idp.user', 'entra.roleAssignment'],
  },
  userManagers: {
    id: 'userManagers',
    // Each user's manager (Graph: GET /users?$expand=manager), for the access review's
    // reviewers. Read apart from the users list, so a refusal costs only the managers.
    path: '/users?$select=id&$expand=manager($select=id,userPrincipalName)&$top=999',
    file: 'userManagers.json',
    permissions: ['User.Read.All'],
    optional: true,
    kinds: ['idp.user'],
  },
  conditionalAccessPolicies: {
    id: 'conditionalAccessPolicies',
    path: '/identity/conditionalAccess/policies',
    file: 'conditionalAccessPolicies.json',
    permissions: ['Policy.Read.All'],
    licence: 'Microsoft Entra ID P1 (Conditional Access)',
    kinds: ['idp.accessPolicy'],
  },
  authenticationStrengthPolicies: {
    id: 'authenticationStrengthPolicies',
    path: '/policies/authenticationStrengthPolicies',
    file: 'authenticationStrengthPolicies.json',
    permissions: ['Policy.Read.All'],
    kinds: ['idp.accessPolicy'],
  },
  authorizationPolicy: { id: 'authorizationPolicy', path: '/policies/authorizationPolicy', file: 'authorizationPolicy.json', permissions: ['Policy.Read.All'], kinds: ['entra.tenant'], single: true },
  authenticationMethodsPolicy: {
    id: 'authenticationMethodsPolicy',
    path: '/policies/authenticationMethodsPolicy',
    file: 'authenticationMethodsPolicy.json',
    permissions: ['Policy.Read.All'],
    kinds: ['entra.tenant'],
    single: true,
  },
  identitySecurityDefaultsEnforcementPolicy: {
    id: 'identitySecurityDefaultsEnforcementPolicy',
    path: '/policies/identitySecurityDefaultsEnforcementPolicy',
    file: 'identitySecurityDefaultsEnforcementPolicy.json',
    permissions: ['Policy.Read.All'],
    kinds: ['entra.tenant'],
    single: true,
  },
};

/** Why an endpoint could not be read. */
export interface EndpointFailure {
  readonly reason: 'license_missing' | 'permission_denied' | 'api_error' | 'input_missing' | 'throttled';
  readonly detail: string;
}

/** Thrown by a reader when an endpoint cannot be read (live or offline). */
export class EndpointError extends Error {
  readonly failure: EndpointFailure;
  constructor(failure: EndpointFailure) {
    super(failure.detail);
    this.failure = failure;
    this.name = 'EndpointError';
  }
}

/** Where the collector's data comes from: live Graph or an export folder. */
export interface GraphReader {
  readonly mode: 'live' | 'offline';
  /** An export's time (its export.json); absent for live reads and exports that do not say. */
  readonly asOf?: string;
  /** Pages of a collection endpoint; throws EndpointError. */
  pages(endpoint: Endpoint): AsyncIterable<readonly unknown[]>;
  /** A single-object endpoint; throws EndpointError. */
  single(endpoint: Endpoint): Promise<unknown>;
  /**
   * One group with its transitive user members, as `{ id, displayName, members: [{ id }] }`
   * (null when the group does not exist, unless it is `required`); throws EndpointError.
   */
  group(id: string, required: boolean): Promise<{ readonly id: string; readonly displayName: string | null; readonly memberIds: readonly string[] } | null>;
  /** The owners of a group (users, service principals…) as Graph's directory objects; throws EndpointError. */
  groupOwners(id: string): Promise<readonly unknown[]>;
}

/**
 * Broader application permissions that include each one zt asks for (Microsoft Graph's
 * permissions reference: the read-write and directory-wide ones grant the reads too).
 */
export const broaderPermissions: Readonly<Record<string, readonly string[]>> = {
  'User.Read.All': ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'GroupMember.Read.All': ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'Domain.Read.All': ['Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'Organization.Read.All': ['Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'RoleManagement.Read.Directory': ['RoleManagement.Read.All', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'AuditLog.Read.All': [],
  'Policy.Read.All': [],
};

/** Every application permission the live collector needs, each once, in the endpoints' order, with the reads it grants and whether zt does without it. */
export function graphPermissions(): { readonly permission: string; readonly reads: readonly string[]; readonly optional: boolean }[] {
  const byPermission = new Map<string, { reads: string[]; optional: boolean }>();
  for (const endpoint of Object.values(endpoints)) {
    for (const permission of endpoint.permissions) {
      const entry = byPermission.get(permission) ?? { reads: [], optional: true };
      entry.reads.push(endpoint.path.split('?')[0] as string);
      entry.optional &&= endpoint.optional === true;
      byPermission.set(permission, entry);
    }
  }
  return [...byPermission].map(([permission, { reads, optional }]) => ({ permission, reads: [...new Set(reads)], optional }));
}
