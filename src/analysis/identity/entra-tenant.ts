import { z } from 'zod';
import { analyser } from '../analyser.js';
import { ENTRA_GLOBAL_ADMIN_TEMPLATE, entraAdminPolicyRoles, entraPrivilegedRoleTemplates } from '../../inventory/kinds/entra.js';
import type { KindAttributes } from '../../inventory/kinds/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import { exclusionsOutsideBreakGlass } from './break-glass-exclusions.js';

type Policy = Readonly<KindAttributes<'idp.accessPolicy'>>;
/** A policy with its exclusions that are not break-glass accounts (null: unreadable exclusion lists). */
interface ResolvedPolicy {
  readonly name: string;
  readonly p: Policy;
  readonly outside: readonly string[] | null;
}
const isList = (v: unknown): v is readonly unknown[] => Array.isArray(v);
/** A list attribute, or none when it is missing (rule cases may skip schema validation). */
const list = (v: readonly string[] | undefined): readonly string[] => (isList(v) ? v : []);

/** Only an enforced policy for every user and app counts; narrowing conditions make it partial. */
const enforcedBaseline = (p: Policy): boolean => p.state === 'enabled' && p.appliesToAllApps === true && list(p.narrowedBy).length === 0;
/**
 * "All users" as it protects everyone: included All, and every exclusion a declared
 * break-glass account. Conditional access applies exclusions before inclusions, so All
 * users minus a group does not protect that group's members; an exclusion zt cannot
 * resolve (a group it could not read, a role whose holders change) is never harmless.
 */
const reachesAllUsers = (r: ResolvedPolicy): boolean => r.p.appliesToAllUsers === true && r.outside !== null && r.outside.length === 0;
/** An all-users policy that fails reachesAllUsers only because of its exclusions: "CA001 excludes group Sales". */
const nearMiss = (r: ResolvedPolicy): string => `${r.name} excludes ${r.outside === null ? 'accounts zt cannot read' : r.outside.join(', ')}`;
const coversAllClients = (p: Policy): boolean => {
  const types = list(p.clientAppTypes);
  return types.includes('all') || (types.includes('browser') && types.includes('mobileAppsAndDesktopClients'));
};

const strengthRank: Record<string, number> = { weak: 1, mfa: 2, phishing_resistant: 3 };
function strongest(user: Readonly<KindAttributes<'idp.user'>>): number {
  let best = 0;
  // `??`: rule cases that skip schema validation may leave these out.
  for (const f of user.factors ?? []) {
    if (f.status === 'active') best = Math.max(best, strengthRank[f.strength ?? ''] ?? 0);
  }
  return best;
}

const percent = (part: number, whole: number): number | null => (whole === 0 ? null : Math.floor((100 * part) / whole));
const roleName = (id: string): string => entraPrivilegedRoleTemplates[id] ?? id;

/** Admin roles (of the required set) that no enforced all-apps, all-clients, un-narrowed grant policy matching `test` covers. */
function uncoveredAdminRoles(policies: readonly ResolvedPolicy[], test: (p: Policy) => boolean): string[] {
  const covering = policies.filter(({ p }) => enforcedBaseline(p) && coversAllClients(p) && p.action === 'allow' && test(p));
  if (covering.some(reachesAllUsers)) return [];
  const covered = new Set(covering.flatMap(({ p }) => list(p.includedRoles)));
  return entraAdminPolicyRoles.filter((r) => !covered.has(r)).map(roleName);
}

function group<R extends Resource>(resources: readonly R[], tenantOf: (r: R) => unknown): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of resources) {
    const tenant = tenantOf(r);
    if (typeof tenant !== 'string') continue;
    const l = out.get(tenant);
    if (l) l.push(r);
    else out.set(tenant, [r]);
  }
  return out;
}

/**
 * Tenant-wide Entra facts computed from the tenant's users, conditional access policies
 * and role assignments, so per-tenant rules can state coverage with its denominator
 * ("412 of 530 human users, 77 %") and whether a policy set protects every user or admin.
 * Human users follow the catalogue: enabled members, minus service and break-glass accounts.
 */
const count = z.number().int();
const names = z.array(z.string());
const output = z.object({
  humanUsers: count.describe('Enabled member users that are neither service nor break-glass accounts (the denominator of the coverage figures).'),
  mfaUsers: count.describe('Human users with an MFA or phishing-resistant method registered.'),
  mfaPercent: count.nullable().describe('mfaUsers as a whole percentage of humanUsers (rounded down; null without human users).'),
  phishingResistantUsers: count.describe('Human users with a phishing-resistant method registered.'),
  phishingResistantPercent: count.nullable().describe('phishingResistantUsers as a whole percentage of humanUsers (rounded down; null without human users).'),
  enabledPolicies: count.describe('Number of enforced (enabled) conditional access policies.'),
  mfaForAllPolicies: names.describe(
    'Enforced policies that require MFA (or a strength) for all users, all apps and all client types, without narrowing conditions, excluding no one but break-glass accounts.',
  ),
  mfaForAllUsersExcludingOthers: names.describe(
    'Enforced MFA policies for all users, apps and client types that do not count as mfaForAllPolicies only because they exclude users, groups or roles that are not break-glass accounts ("CA001 excludes group Sales").',
  ),
  legacyAuthBlockPolicies: names.describe(
    'Enforced policies that block Exchange ActiveSync and other legacy clients for all users and apps, excluding no one but break-glass accounts.',
  ),
  legacyAuthBlockExcludingOthers: names.describe(
    'Enforced legacy-authentication blocks for all users and apps that do not count as legacyAuthBlockPolicies only because they exclude users, groups or roles that are not break-glass accounts.',
  ),
  compliantDevicePolicies: names.describe('Enforced policies whose every grant path requires a compliant or hybrid-joined device.'),
  adminRolesWithoutMfa: names.describe(
    'Privileged roles not covered by an enforced all-apps policy that requires MFA (a policy for all users covers them only when it excludes no one but break-glass accounts).',
  ),
  adminRolesWithoutPhishingResistantMfa: names.describe('Privileged roles not covered by an enforced all-apps policy that requires a phishing-resistant authentication strength.'),
  adminRolesWithoutSessionLimit: names.describe('Privileged roles not covered by enforced policies with sign-in frequency of at most 24 hours and no persistent browser session.'),
  activeGlobalAdmins: count.describe('Distinct principals with an active (standing or activated) Global Administrator assignment.'),
});

export const entraTenantAnalyser = analyser({
  kind: 'entra.tenant',
  inputs: [],
  fieldInputs: {
    humanUsers: ['idp.user'],
    mfaUsers: ['idp.user'],
    mfaPercent: ['idp.user'],
    phishingResistantUsers: ['idp.user'],
    phishingResistantPercent: ['idp.user'],
    enabledPolicies: ['idp.accessPolicy'],
    // The all-users facts resolve exclusions to break-glass accounts: users and groups too.
    mfaForAllPolicies: ['idp.accessPolicy', 'idp.user', 'idp.group'],
    mfaForAllUsersExcludingOthers: ['idp.accessPolicy', 'idp.user', 'idp.group'],
    legacyAuthBlockPolicies: ['idp.accessPolicy', 'idp.user', 'idp.group'],
    legacyAuthBlockExcludingOthers: ['idp.accessPolicy', 'idp.user', 'idp.group'],
    compliantDevicePolicies: ['idp.accessPolicy'],
    adminRolesWithoutMfa: ['idp.accessPolicy', 'idp.user', 'idp.group'],
    adminRolesWithoutPhishingResistantMfa: ['idp.accessPolicy', 'idp.user', 'idp.group'],
    adminRolesWithoutSessionLimit: ['idp.accessPolicy', 'idp.user', 'idp.group'],
    activeGlobalAdmins: ['entra.roleAssignment'],
  },
  output,
  derive(inventory) {
    const outsideOf = exclusionsOutsideBreakGlass(inventory);
    const users = group(
      inventory.ofKind('idp.user').filter((u) => u.attributes.provider === 'entra'),
      (u) => u.attributes.tenant,
    );
    const policies = group(
      inventory.ofKind('idp.accessPolicy').filter((p) => p.attributes.provider === 'entra'),
      (p) => p.attributes.tenant,
    );
    const assignments = group(inventory.ofKind('entra.roleAssignment'), (a) => a.attributes.tenant);
    const out = new Map<string, z.output<typeof output>>();
    for (const tenant of inventory.ofKind('entra.tenant')) {
      const id = tenant.attributes.tenantId;
      if (typeof id !== 'string') continue;
      const humans = (users.get(id) ?? []).filter((u) => u.attributes.status === 'active' && u.attributes.userType === 'member' && u.attributes.accountClass === 'human');
      const mfa = humans.filter((u) => strongest(u.attributes) >= 2).length;
      const pr = humans.filter((u) => strongest(u.attributes) >= 3).length;
      const ps: ResolvedPolicy[] = (policies.get(id) ?? []).map((p) => ({ name: p.name, p: p.attributes, outside: outsideOf(p) }));
      const matching = (test: (p: Policy) => boolean): ResolvedPolicy[] => ps.filter((r) => test(r.p)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const named = (test: (p: Policy) => boolean): string[] => matching(test).map((r) => r.name);
      // Shaped for every user; whether the exclusions let it reach them is decided apart.
      const mfaForAll = matching((p) => enforcedBaseline(p) && p.appliesToAllUsers === true && p.action === 'allow' && p.requiresMfa === true && coversAllClients(p));
      const legacyBlocks = matching(
        (p) => enforcedBaseline(p) && p.appliesToAllUsers === true && p.action === 'block' && list(p.clientAppTypes).includes('exchangeActiveSync') && list(p.clientAppTypes).includes('other'),
      );
      const globalAdmins = new Set(
        (assignments.get(id) ?? [])
          .filter((a) => a.attributes.state === 'active' && (a.attributes.roleTemplateId ?? a.attributes.roleDefinitionId) === ENTRA_GLOBAL_ADMIN_TEMPLATE)
          .map((a) => String(a.attributes.principalId)),
      );
      out.set(tenant.id, {
        humanUsers: humans.length,
        mfaUsers: mfa,
        mfaPercent: percent(mfa, humans.length),
        phishingResistantUsers: pr,
        phishingResistantPercent: percent(pr, humans.length),
        enabledPolicies: ps.filter(({ p }) => p.state === 'enabled').length,
        mfaForAllPolicies: mfaForAll.filter(reachesAllUsers).map((r) => r.name),
        mfaForAllUsersExcludingOthers: mfaForAll.filter((r) => !reachesAllUsers(r)).map(nearMiss),
        legacyAuthBlockPolicies: legacyBlocks.filter(reachesAllUsers).map((r) => r.name),
        legacyAuthBlockExcludingOthers: legacyBlocks.filter((r) => !reachesAllUsers(r)).map(nearMiss),
        compliantDevicePolicies: named((p) => p.state === 'enabled' && p.action === 'allow' && p.requiresCompliantDevice === true),
        adminRolesWithoutMfa: uncoveredAdminRoles(ps, (p) => p.requiresMfa === true),
        adminRolesWithoutPhishingResistantMfa: uncoveredAdminRoles(ps, (p) => p.requiresPhishingResistantMfa === true),
        adminRolesWithoutSessionLimit: [
          ...new Set([
            ...uncoveredAdminRoles(ps, (p) => typeof p.sessionLifetimeMinutes === 'number' && p.sessionLifetimeMinutes <= 1440),
            ...uncoveredAdminRoles(ps, (p) => p.persistentSession === false),
          ]),
        ].sort(),
        activeGlobalAdmins: globalAdmins.size,
      });
    }
    return out;
  },
});
