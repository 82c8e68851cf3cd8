import { describe, expect, it } from 'vitest';
import { mapTenant, type MapContext } from '../../../src/collectors/entra/map.js';
import { testConfig, TENANT } from './support.js';

// User consent from the authorization policy: Graph v1.0 lists the default user role's
// consent policies in defaultUserRolePermissions.permissionGrantPoliciesAssigned, beta in
// permissionGrantPolicyIdsAssignedToDefaultUserRole. A policy with neither does not say.
const ctx: MapContext = { tenant: TENANT, config: testConfig, source: `entra:${TENANT}` };
const consent = (authorizationPolicy: Record<string, unknown>) =>
  mapTenant(ctx, { authorizationPolicy, authenticationMethodsPolicy: null, securityDefaults: null }).attributes.usersCanConsentToApps;

describe('usersCanConsentToApps', () => {
  it.each([
    ['no consent policy assigned', { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [] } }, false],
    ['the legacy user consent policy', { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'] } }, true],
    ['verified publishers, low-impact permissions only', { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'] } }, false],
    ['the beta field at the top level', { defaultUserRolePermissions: {}, permissionGrantPolicyIdsAssignedToDefaultUserRole: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'] }, true],
    ['neither field: unknown, never "cannot consent"', { defaultUserRolePermissions: { allowedToCreateApps: false } }, null],
  ] as const)('%s → %s', (_what, policy, expected) => {
    expect(consent(policy)).toBe(expected);
  });
});
