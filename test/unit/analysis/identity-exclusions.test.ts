import { describe, expect, it } from 'vitest';
import { entraAdminPolicyRoles } from '../../../src/inventory/kinds/entra.js';
import { facts, resource } from './support.js';

// Conditional access as Microsoft documents it: a policy applies to the users it includes
// minus those it excludes, and exclusions take precedence over inclusions. So "All users"
// with an excluded group does not protect that group's members, and "All users" excluding
// anyone but the declared break-glass accounts is not an all-users baseline. ZT-IDN-009
// (exclusionsOutsideBreakGlass on the policy) and the Entra tenant's all-users facts
// (mfaForAllPolicies, legacyAuthBlockPolicies, adminRolesWithout*) resolve exclusions
// through one function, so they must agree.

const TENANT = 'labs-tenant';
const tenant = resource(
  'entra.tenant',
  'Acme Labs',
  { tenantId: TENANT, securityDefaultsEnabled: false, enabledAuthenticationMethods: [], usersCanConsentToApps: false, usersCanCreateApps: false },
  `entra://${TENANT}/tenant`,
);
const user = (id: string, login: string, accountClass: 'human' | 'break_glass' | 'service') =>
  resource(
    'idp.user',
    login,
    { provider: 'entra', tenant: TENANT, login, email: null, status: 'active', userType: 'member', accountClass, adminRoles: [], privileged: false, factors: [], lastSignInAt: null, createdAt: null },
    `entra://${TENANT}/user/${id}`,
  );
const group = (id: string, name: string, memberIds: string[]) =>
  resource('idp.group', name, { provider: 'entra', tenant: TENANT, memberIds, adminRoles: [] }, `entra://${TENANT}/group/${id}`);
const policy = (id: string, name: string, extra: Record<string, unknown> = {}) =>
  resource(
    'idp.accessPolicy',
    name,
    {
      provider: 'entra',
      tenant: TENANT,
      state: 'enabled',
      appliesToAllUsers: true,
      appliesToAllApps: true,
      includedRoles: [],
      excludedUsers: [],
      excludedGroups: [],
      clientAppTypes: ['all'],
      action: 'allow',
      requiresMfa: true,
      requiresPhishingResistantMfa: false,
      requiresCompliantDevice: false,
      sessionLifetimeMinutes: null,
      sessionIdleMinutes: null,
      persistentSession: null,
      narrowedBy: [],
      ...extra,
    },
    `entra://${TENANT}/conditionalAccessPolicy/${id}`,
  );

const bg1 = user('bg1', 'emergency01@labs.onmicrosoft.com', 'break_glass');
const bg2 = user('bg2', 'emergency02@labs.onmicrosoft.com', 'break_glass');
const tom = user('u1', 'tom.becker@labs.example.com', 'human');
const emergency = group('g-bg', 'Emergency Access', ['bg1', 'bg2']);
const sales = group('g-sales', 'Sales', ['bg1', 'u1']);
const directory = [bg1, bg2, tom, emergency, sales];

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const block = { action: 'block', requiresMfa: false, clientAppTypes: ['exchangeActiveSync', 'other'] };

describe('an all-users conditional access policy with exclusions (Entra)', () => {
  it.each([
    ['no exclusions', {}, []],
    ['a break-glass account, by login', { excludedUsers: ['emergency01@labs.onmicrosoft.com'] }, []],
    ['a break-glass account, by object id', { excludedUsers: ['bg2'] }, []],
    ['a group whose every member is break-glass', { excludedGroups: ['g-bg'] }, []],
    ['a user who is not declared break-glass', { excludedUsers: ['u1'] }, ['user tom.becker@labs.example.com']],
    ['a group with one member who is not break-glass', { excludedGroups: ['g-sales'] }, ['group Sales']],
    ['a directory role (its holders change; never break-glass)', { excludedGroups: [`role:${GLOBAL_ADMIN}`] }, ['role Global Administrator']],
    ['a user zt did not list', { excludedUsers: ['gone'] }, ['unknown user gone']],
    ['a group zt did not read', { excludedGroups: ['g-gone'] }, ['unknown group g-gone']],
    ['guests and external users', { excludedUsers: ['GuestsOrExternalUsers'] }, ['unknown user GuestsOrExternalUsers']],
  ] as const)('excluding %s', (_what, exclusions, outside) => {
    const mfa = policy('p1', 'CA001 MFA for all users', exclusions);
    const legacy = policy('p2', 'CA002 Block legacy authentication', { ...block, ...exclusions });
    const derived = facts([tenant, mfa, legacy, ...directory]);
    // ZT-IDN-009's view of the same policy.
    expect(derived.get(mfa.id)?.exclusionsOutsideBreakGlass).toEqual(outside);
    const counts = outside.length === 0;
    expect(derived.get(tenant.id)).toMatchObject({
      mfaForAllPolicies: counts ? ['CA001 MFA for all users'] : [],
      mfaForAllUsersExcludingOthers: counts ? [] : [`CA001 MFA for all users excludes ${outside.join(', ')}`],
      legacyAuthBlockPolicies: counts ? ['CA002 Block legacy authentication'] : [],
      legacyAuthBlockExcludingOthers: counts ? [] : [`CA002 Block legacy authentication excludes ${outside.join(', ')}`],
      // The all-users policy covers every administrator only when it reaches all users.
      adminRolesWithoutMfa: counts ? [] : expect.arrayContaining(['Global Administrator']),
    });
    if (!counts) expect(derived.get(tenant.id)?.adminRolesWithoutMfa).toHaveLength(entraAdminPolicyRoles.length);
  });

  it('names every exclusion outside break-glass, and the policy still counts once a clean one exists', () => {
    const leaky = policy('p1', 'CA001 MFA for all users', { excludedUsers: ['u1', 'bg1'], excludedGroups: ['g-sales', 'g-bg'] });
    const clean = policy('p3', 'CA010 MFA for everyone', { excludedUsers: ['bg1'] });
    const derived = facts([tenant, leaky, ...directory]).get(tenant.id);
    expect(derived?.mfaForAllUsersExcludingOthers).toEqual(['CA001 MFA for all users excludes group Sales, user tom.becker@labs.example.com']);
    expect(facts([tenant, leaky, clean, ...directory]).get(tenant.id)).toMatchObject({
      mfaForAllPolicies: ['CA010 MFA for everyone'],
      mfaForAllUsersExcludingOthers: ['CA001 MFA for all users excludes group Sales, user tom.becker@labs.example.com'],
      adminRolesWithoutMfa: [],
    });
  });

  it('a role-targeted policy still covers its roles; only the all-users shortcut depends on exclusions', () => {
    const admins = policy('p4', 'CA020 MFA for admins', { appliesToAllUsers: false, includedRoles: [...entraAdminPolicyRoles] });
    const leaky = policy('p1', 'CA001 MFA for all users', { excludedGroups: ['g-sales'] });
    expect(facts([tenant, leaky, admins, ...directory]).get(tenant.id)).toMatchObject({ mfaForAllPolicies: [], adminRolesWithoutMfa: [] });
  });

  it('a near miss is only a policy that would count but for its exclusions', () => {
    const reportOnly = policy('p5', 'CA001 (report-only)', { state: 'report_only', excludedUsers: ['u1'] });
    const narrowed = policy('p6', 'CA001 mobile', { narrowedBy: ['platforms'], excludedUsers: ['u1'] });
    expect(facts([tenant, reportOnly, narrowed, ...directory]).get(tenant.id)).toMatchObject({ mfaForAllPolicies: [], mfaForAllUsersExcludingOthers: [] });
  });

  it.each(['idp.user', 'idp.group'] as const)('%s not read completely: every fact that resolves exclusions is unknown, the others are not', (kind) => {
    const mfa = policy('p1', 'CA001 MFA for all users', { excludedGroups: ['g-bg'] });
    const derived = facts([tenant, mfa, ...directory], { [kind]: { state: 'missing', reason: 'permission_denied' } });
    const unknown = Object.keys(derived.unknownsOf(tenant) ?? {});
    expect(unknown).toEqual(
      expect.arrayContaining([
        'mfaForAllPolicies',
        'mfaForAllUsersExcludingOthers',
        'legacyAuthBlockPolicies',
        'legacyAuthBlockExcludingOthers',
        'adminRolesWithoutMfa',
        'adminRolesWithoutPhishingResistantMfa',
        'adminRolesWithoutSessionLimit',
      ]),
    );
    expect(unknown).not.toContain('compliantDevicePolicies');
    expect(unknown).not.toContain('enabledPolicies');
    expect(unknown).not.toContain('activeGlobalAdmins');
    expect(derived.unknownsOf(tenant)?.mfaForAllPolicies?.because).toEqual({ kind, state: 'missing', reason: 'permission_denied' });
  });
});
