import type { InventoryIndex } from '../../inventory/index.js';
import { entraPrivilegedRoleTemplates } from '../../inventory/kinds/entra.js';
import type { TypedResource } from '../../inventory/snapshot.js';

// The one resolution of access-policy exclusions to "outside break-glass": ZT-IDN-009
// (policy-exclusions.ts) lists them, and the Entra tenant's all-users facts
// (entra-tenant.ts) count an all-users policy only when there are none. Both read it here,
// so the two can never disagree about what a harmless exclusion is.

type IdpResource = TypedResource<'idp.user' | 'idp.group' | 'idp.accessPolicy'>;
type Policy = TypedResource<'idp.accessPolicy'>;

/** The provider's own id: the last path segment of `okta://acme.okta.com/user/00u1…`. */
function nativeId(resourceId: string): string {
  return resourceId.slice(resourceId.lastIndexOf('/') + 1);
}

/** Looks resources up by resource id, provider id, and (for users) login or (for groups) name. */
function lookup<R extends IdpResource>(resources: readonly R[], alias: (r: R) => string): Map<string, R> {
  const map = new Map<string, R>();
  for (const r of resources) {
    map.set(alias(r).toLowerCase(), r);
    map.set(nativeId(r.id).toLowerCase(), r);
    map.set(r.id.toLowerCase(), r);
  }
  return map;
}

const tenantKey = (r: IdpResource): string => `${String(r.attributes.provider)}\u0000${String(r.attributes.tenant)}`;

function byTenant<R extends IdpResource>(resources: readonly R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of resources) {
    const key = tenantKey(r);
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(r);
  }
  return out;
}

/** Entra's excluded directory roles arrive as `role:<template id>` (collectors/entra/map.ts). */
const ROLE_PREFIX = 'role:';

/**
 * Which exclusions of an access policy are not break-glass accounts, as readable labels
 * (`user a@x`, `group Sales`, `role Global Administrator`, `unknown user …`), sorted; null
 * for a policy whose exclusion lists are malformed (rule cases may skip validation), so a
 * fact built on it is left out rather than guessed.
 *
 * Excluded users and groups are matched within the policy's provider and tenant by
 * resource id, provider id, login or group name. A user is harmless only when it is a
 * declared break-glass account (`accountClass: break_glass`); a group only when every
 * member is. Anything that cannot be resolved is unknown and never harmless: a deleted or
 * unread group, a user zt did not list, an excluded directory role (who holds it can
 * change at any time, and the policy stops applying to them when it does).
 */
export type ExclusionsOutsideBreakGlass = (policy: Policy) => readonly string[] | null;

/** Builds the resolver over an inventory: users and groups are indexed once per tenant, on first use. */
export function exclusionsOutsideBreakGlass(inventory: InventoryIndex): ExclusionsOutsideBreakGlass {
  const usersByTenant = byTenant(inventory.ofKind('idp.user'));
  const groupsByTenant = byTenant(inventory.ofKind('idp.group'));
  const tenants = new Map<string, { users: Map<string, TypedResource<'idp.user'>>; groups: Map<string, TypedResource<'idp.group'>> }>();
  const tenantOf = (policy: Policy) => {
    const key = tenantKey(policy);
    let found = tenants.get(key);
    if (!found) {
      found = {
        users: lookup(usersByTenant.get(key) ?? [], (u) => String(u.attributes.login)),
        groups: lookup(groupsByTenant.get(key) ?? [], (g) => g.name),
      };
      tenants.set(key, found);
    }
    return found;
  };
  return (policy) => {
    const { excludedUsers, excludedGroups } = policy.attributes;
    if (!Array.isArray(excludedUsers) || !Array.isArray(excludedGroups)) return null;
    if (excludedUsers.length === 0 && excludedGroups.length === 0) return [];
    const { users, groups } = tenantOf(policy);
    const isBreakGlass = (ref: string): boolean => users.get(ref.toLowerCase())?.attributes.accountClass === 'break_glass';
    const outside: string[] = [];
    for (const ref of excludedUsers) {
      const user = users.get(ref.toLowerCase());
      if (!user) outside.push(`unknown user ${ref}`);
      else if (user.attributes.accountClass !== 'break_glass') outside.push(`user ${String(user.attributes.login)}`);
    }
    for (const ref of excludedGroups) {
      if (ref.startsWith(ROLE_PREFIX)) {
        const template = ref.slice(ROLE_PREFIX.length);
        outside.push(`role ${entraPrivilegedRoleTemplates[template] ?? template}`);
        continue;
      }
      const group = groups.get(ref.toLowerCase());
      if (!group) outside.push(`unknown group ${ref}`);
      else if (!(group.attributes.memberIds ?? []).every(isBreakGlass)) outside.push(`group ${group.name}`);
    }
    return outside.sort();
  };
}
