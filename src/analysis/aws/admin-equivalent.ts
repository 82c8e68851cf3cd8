import type { Analyser } from '../analyser.js';
import type { PolicyDocument } from '../../inventory/kinds/common.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Kind } from '../../inventory/kinds/index.js';
import type { Resource } from '../../inventory/snapshot.js';

/** AWS-managed policies that are administrator-equivalent (IAMFullAccess can grant itself anything). */
const ADMIN_MANAGED_POLICIES = new Set([
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/IAMFullAccess',
]);
const ADMIN_ACTIONS = new Set(['*', '*:*', 'iam:*']);

/**
 * An unconditional Allow of every action (or iam:*, or a NotAction list) on every
 * resource. This is the catalogue's admin-equivalent test; a full policy evaluator
 * (Deny, boundaries, conditions) refines it.
 */
export function documentGrantsAdmin(document: PolicyDocument): boolean {
  return document.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Condition === undefined &&
      (s.Resource?.includes('*') ?? s.NotResource !== undefined) &&
      ((s.Action?.some((a) => ADMIN_ACTIONS.has(a)) ?? false) || s.NotAction !== undefined),
  );
}

interface Grants {
  readonly attachedPolicies: readonly { policyName: string; policyArn: string }[];
  readonly inlinePolicies: readonly { policyName: string; document: PolicyDocument }[];
}

/** Admin grants held directly by a principal; `unknown` lists attached policies whose document was not collected. */
function directAdminGrants(principal: Grants, inventory: InventoryIndex, via: string): { grants: string[]; unknown: string[] } {
  const grants: string[] = [];
  const unknown: string[] = [];
  for (const attached of principal.attachedPolicies) {
    const policy = inventory.byId(attached.policyArn);
    if (ADMIN_MANAGED_POLICIES.has(attached.policyArn)) grants.push(`${via}managed policy ${attached.policyName}`);
    else if (!policy) unknown.push(attached.policyArn);
    else if (documentGrantsAdmin(policy.attributes.document as PolicyDocument)) grants.push(`${via}managed policy ${attached.policyName}`);
  }
  for (const inline of principal.inlinePolicies) {
    if (documentGrantsAdmin(inline.document)) grants.push(`${via}inline policy ${inline.policyName}`);
  }
  return { grants, unknown };
}

function adminAnalyser(kind: Kind): Analyser {
  return {
    kind,
    fields: {
      adminEquivalent:
        'Holds administrator-equivalent permissions (AdministratorAccess, IAMFullAccess, or Allow */iam:*/NotAction on *), directly or through a group; null when a policy document was not collected.',
      adminGrants: 'Where the admin permissions come from, e.g. "group admins → managed policy AdministratorAccess".',
    },
    derive(inventory) {
      const groups = new Map<string, Resource>(
        inventory.ofKind('aws.iam.group').map((g) => [`${String(g.attributes.accountId)}/${g.name}`, g]),
      );
      const out = new Map<string, Record<string, unknown>>();
      for (const principal of inventory.ofKind(kind)) {
        const attributes = principal.attributes as unknown as Grants & { groups?: string[]; accountId: string };
        const own = directAdminGrants(attributes, inventory, '');
        const grants = [...own.grants];
        const unknown = [...own.unknown];
        for (const groupName of attributes.groups ?? []) {
          const group = groups.get(`${attributes.accountId}/${groupName}`);
          if (!group) {
            unknown.push(`group ${groupName}`);
            continue;
          }
          const viaGroup = directAdminGrants(group.attributes as unknown as Grants, inventory, `group ${groupName} → `);
          grants.push(...viaGroup.grants);
          unknown.push(...viaGroup.unknown);
        }
        out.set(principal.id, {
          adminEquivalent: grants.length > 0 ? true : unknown.length > 0 ? null : false,
          adminGrants: grants.sort(),
        });
      }
      return out;
    },
  };
}

export const adminEquivalentAnalysers: readonly Analyser[] = [
  adminAnalyser('aws.iam.user'),
  adminAnalyser('aws.iam.role'),
  adminAnalyser('aws.iam.group'),
];
