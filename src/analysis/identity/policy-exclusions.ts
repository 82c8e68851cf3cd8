import { z } from 'zod';
import { analyser } from '../analyser.js';
import type { TypedResource } from '../../inventory/snapshot.js';

type IdpResource = TypedResource<'idp.user' | 'idp.group' | 'idp.accessPolicy'>;

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

/**
 * Which exclusions of an access policy are not break-glass accounts. Excluded users
 * and groups are matched (within the policy's provider and tenant) by resource id,
 * provider id, login or group name. A group is a legitimate exclusion only when every
 * member is a break-glass account. Anything that cannot be resolved is listed as
 * unknown: an exclusion nobody can see is never assumed to be harmless.
 */
const output = z.object({
  exclusionsOutsideBreakGlass: z
    .array(z.string())
    .describe(
      'Excluded users and groups that are not break-glass accounts (a group counts when any member is not break-glass); unresolvable exclusions are listed as unknown.',
    ),
});

export const policyExclusionsAnalyser = analyser({
  kind: 'idp.accessPolicy',
  inputs: ['idp.user', 'idp.group'],
  output,
  derive(inventory) {
    const usersByTenant = byTenant(inventory.ofKind('idp.user'));
    const groupsByTenant = byTenant(inventory.ofKind('idp.group'));
    const out = new Map<string, z.output<typeof output>>();
    for (const policy of inventory.ofKind('idp.accessPolicy')) {
      const { excludedUsers, excludedGroups } = policy.attributes;
      // Malformed input gets no derived field, so a rule reading it errors instead of passing.
      if (!Array.isArray(excludedUsers) || !Array.isArray(excludedGroups)) continue;
      const users = lookup(usersByTenant.get(tenantKey(policy)) ?? [], (u) => String(u.attributes.login));
      const groups = lookup(groupsByTenant.get(tenantKey(policy)) ?? [], (g) => g.name);
      const isBreakGlass = (ref: string): boolean => users.get(ref.toLowerCase())?.attributes.accountClass === 'break_glass';
      const outside: string[] = [];
      for (const ref of excludedUsers) {
        const user = users.get(ref.toLowerCase());
        if (!user) outside.push(`unknown user ${ref}`);
        else if (user.attributes.accountClass !== 'break_glass') outside.push(`user ${String(user.attributes.login)}`);
      }
      for (const ref of excludedGroups) {
        const group = groups.get(ref.toLowerCase());
        if (!group) outside.push(`unknown group ${ref}`);
        else if (!(group.attributes.memberIds ?? []).every(isBreakGlass)) outside.push(`group ${group.name}`);
      }
      out.set(policy.id, { exclusionsOutsideBreakGlass: outside.sort() });
    }
    return out;
  },
});
