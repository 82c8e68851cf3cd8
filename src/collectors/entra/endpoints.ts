import type { Kind } from '../../inventory/kinds/index.js';

/** Everything the Entra collector reads: Graph path, export file, permission, kinds fed. */
export interface Endpoint {
  readonly id: EndpointId;
  /** Graph v1.0 path with query (the first request; later pages follow @odata.nextLink). */
  readonly path: string;
  /** File name in an --entra-export folder (Graph's own JSON, `value` arrays). */
  readonly file: string;
  /** Application permission that grants the read (named in permission issues). */
  readonly permission: string;
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
  | 'conditionalAccessPolicies'
  | 'authenticationStrengthPolicies'
  | 'authorizationPolicy'
  | 'authenticationMethodsPolicy'
  | 'identitySecurityDefaultsEnforcementPolicy'
  | 'organization'
  | 'groups'
  | 'domains';

const userFields = 'id,userPrincipalName,displayName,mail,accountEnabled,userType,createdDateTime,onPremisesSyncEnabled';

export const endpoints: Readonly<Record<EndpointId, Endpoint>> = {
  groups: {
    id: 'groups',
    // Per group: GET /groups/{id}?$select=id,displayName and
    // GET /groups/{id}/transitiveMembers/microsoft.graph.user?$select=id (paged).
    path: '/groups',
    file: 'groups.json',
    permission: 'GroupMember.Read.All',
    kinds: ['idp.group'],
  },
  domains: {
    id: 'domains',
    path: '/domains?$select=id,authenticationType,isVerified,isDefault,isRoot,passwordValidityPeriodInDays,passwordNotificationWindowInDays,supportedServices',
    file: 'domains.json',
    // Least privileged; Directory.Read.All also grants it (docs/entra.md).
    permission: 'Domain.Read.All',
    kinds: ['entra.domain'],
  },
  organization: { id: 'organization', path: '/organization?$select=id,displayName', file: 'organization.json', permission: 'Organization.Read.All', kinds: ['entra.tenant'] },
  roleDefinitions: {
    id: 'roleDefinitions',
    path: '/roleManagement/directory/roleDefinitions?$select=id,displayName,templateId,isBuiltIn',
    file: 'roleDefinitions.json',
    permission: 'RoleManagement.Read.Directory',
    kinds: ['entra.roleAssignment', 'idp.user'],
  },
  roleAssignmentScheduleInstances: {
    id: 'roleAssignmentScheduleInstances',
    path: '/roleManagement/directory/roleAssignmentScheduleInstances?$expand=principal',
    file: 'roleAssignmentScheduleInstances.json',
    permission: 'RoleManagement.Read.Directory',
    licence: 'Microsoft Entra ID P2 (Privileged Identity Management)',
    kinds: ['entra.roleAssignment', 'idp.user'],
  },
  roleAssignments: {
    id: 'roleAssignments',
    path: '/roleManagement/directory/roleAssignments?$expand=principal',
    file: 'roleAssignments.json',
    permission: 'RoleManagement.Read.Directory',
    kinds: ['entra.roleAssignment', 'idp.user'],
  },
  roleEligibilitySchedules: {
    id: 'roleEligibilitySchedules',
    path: '/roleManagement/directory/roleEligibilitySchedules?$expand=principal',
    file: 'roleEligibilitySchedules.json',
    permission: 'RoleManagement.Read.Directory',
    licence: 'Microsoft Entra ID P2 (Privileged Identity Management)',
    kinds: ['entra.roleAssignment'],
  },
  userRegistrationDetails: {
    id: 'userRegistrationDetails',
    path: '/reports/authenticationMethods/userRegistrationDetails',
    file: 'userRegistrationDetails.json',
    permission: 'AuditLog.Read.All',
    licence: 'Microsoft Entra ID P1',
    kinds: ['idp.user'],
  },
  users: {
    id: 'users',
    // signInActivity caps the page size at 120.
    path: `/users?$select=${userFields},signInActivity&$top=120`,
    file: 'users.json',
    permission: 'User.Read.All and AuditLog.Read.All',
    licence: 'Microsoft Entra ID P1 (sign-in activity)',
    kinds: ['idp.user', 'entra.roleAssignment'],
  },
  usersWithoutSignInActivity: {
    id: 'usersWithoutSignInActivity',
    path: `/users?$select=${userFields}&$top=999`,
    file: 'users.json',
    permission: 'User.Read.All',
    kinds: ['idp.user', 'entra.roleAssignment'],
  },
  conditionalAccessPolicies: {
    id: 'conditionalAccessPolicies',
    path: '/identity/conditionalAccess/policies',
    file: 'conditionalAccessPolicies.json',
    permission: 'Policy.Read.All',
    licence: 'Microsoft Entra ID P1 (Conditional Access)',
    kinds: ['idp.accessPolicy'],
  },
  authenticationStrengthPolicies: {
    id: 'authenticationStrengthPolicies',
    path: '/policies/authenticationStrengthPolicies',
    file: 'authenticationStrengthPolicies.json',
    permission: 'Policy.Read.All',
    kinds: ['idp.accessPolicy'],
  },
  authorizationPolicy: { id: 'authorizationPolicy', path: '/policies/authorizationPolicy', file: 'authorizationPolicy.json', permission: 'Policy.Read.All', kinds: ['entra.tenant'], single: true },
  authenticationMethodsPolicy: {
    id: 'authenticationMethodsPolicy',
    path: '/policies/authenticationMethodsPolicy',
    file: 'authenticationMethodsPolicy.json',
    permission: 'Policy.Read.All',
    kinds: ['entra.tenant'],
    single: true,
  },
  identitySecurityDefaultsEnforcementPolicy: {
    id: 'identitySecurityDefaultsEnforcementPolicy',
    path: '/policies/identitySecurityDefaultsEnforcementPolicy',
    file: 'identitySecurityDefaultsEnforcementPolicy.json',
    permission: 'Policy.Read.All',
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
}
