import type { AttachedPolicy as Attached, InlinePolicy as Inline } from '../../inventory/kinds/aws.js';
import type { PolicyDocument } from '../../inventory/kinds/common.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Resource, TypedResource } from '../../inventory/snapshot.js';
import type { ContextValues } from './conditions.js';
import { type CompiledPolicy, compilePolicy, type PolicySet } from './policy-evaluator.js';

/**
 * The IAM principals of a snapshot with their compiled identity policies (attached
 * managed incl. AWS-managed, inline, and for users their groups') and permissions
 * boundary. Managed policies compile once per ARN however many principals use them.
 */

export type PrincipalKind = 'user' | 'role' | 'group';

export interface Principal {
  readonly arn: string;
  readonly kind: PrincipalKind;
  readonly name: string;
  readonly accountId: string;
  readonly resource: Resource;
  readonly policies: PolicySet;
  /** Documents (policy ARNs, `group <name>`, `boundary <arn>`) that were not collected. */
  readonly unknown: readonly string[];
  readonly boundaryUnknown: boolean;
  /** Customer-managed policies attached to the principal or (users) its groups. */
  readonly customerPolicies: readonly string[];
  /** Group ARNs of a user. */
  readonly groupArns: readonly string[];
}

/**
 * AWS-managed documents that principals commonly attach, for when the snapshot does not
 * carry them (GAAD includes attached AWS-managed policies, but hand-written snapshots and
 * rule cases often do not). Only the statements that matter for escalation are kept.
 */
const builtInManaged: Readonly<Record<string, PolicyDocument>> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': { Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] },
  'arn:aws:iam::aws:policy/IAMFullAccess': {
    Statement: [
      {
        Effect: 'Allow',
        Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit', 'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy'],
        Resource: ['*'],
      },
    ],
  },
  'arn:aws:iam::aws:policy/PowerUserAccess': {
    Statement: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: ['*'] },
      {
        Effect: 'Allow',
        Action: ['account:GetAccountInformation', 'account:GetPrimaryEmail', 'account:ListRegions', 'iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization'],
        Resource: ['*'],
      },
    ],
  },
};

export interface PrincipalIndex {
  readonly all: readonly Principal[];
  readonly byArn: ReadonlyMap<string, Principal>;
  readonly users: readonly Principal[];
  readonly roles: readonly Principal[];
  readonly groups: readonly Principal[];
  /** Group ARN → member user ARNs. */
  readonly groupMembers: ReadonlyMap<string, readonly string[]>;
}

interface Grants {
  readonly accountId: string;
  readonly attachedPolicies: readonly Attached[];
  readonly inlinePolicies: readonly Inline[];
  readonly permissionsBoundaryArn?: string | null;
  readonly groups?: readonly string[];
}

const isAwsManaged = (arn: string): boolean => /^arn:[^:]+:iam::aws:policy\//.test(arn);

export function buildPrincipals(inventory: InventoryIndex): PrincipalIndex {
  const managed = new Map<string, CompiledPolicy | null>();
  const managedPolicy = (arn: string, name: string): CompiledPolicy | null => {
    let compiled = managed.get(arn);
    if (compiled === undefined) {
      const resource = inventory.byId(arn);
      const document = resource?.kind === 'aws.iam.policy' ? resource.attributes.document : builtInManaged[arn];
      compiled = document ? compilePolicy(document, `managed policy ${resource?.name ?? name}`) : null;
      managed.set(arn, compiled);
    }
    return compiled;
  };
  // Shared, not copied per principal: equal policies are then one object, which the
  // analysis's per-policy memos (signatures, content keys) see once.
  const relabelled = new Map<CompiledPolicy, Map<string, CompiledPolicy>>();
  const relabel = (policy: CompiledPolicy, via: string): CompiledPolicy => {
    if (!via) return policy;
    let byVia = relabelled.get(policy);
    if (!byVia) relabelled.set(policy, (byVia = new Map<string, CompiledPolicy>()));
    let out = byVia.get(via);
    if (!out) byVia.set(via, (out = { ...policy, label: `${via}${policy.label}` }));
    return out;
  };
  /** Inline policies compiled once per label and text (roles stamped from one template share them). */
  const inlineCompiled = new Map<string, CompiledPolicy>();
  const inlinePolicy = (document: PolicyDocument, label: string): CompiledPolicy => {
    const key = `${label}\u0000${JSON.stringify(document)}`;
    let compiled = inlineCompiled.get(key);
    if (!compiled) inlineCompiled.set(key, (compiled = compilePolicy(document, label)));
    return compiled;
  };

  /** Own policies of a user, group or role; unknown documents listed. */
  const own = (grants: Grants, via: string, policies: CompiledPolicy[], unknown: string[], customer: string[]): void => {
    for (const attached of grants.attachedPolicies) {
      const compiled = managedPolicy(attached.policyArn, attached.policyName);
      if (compiled) policies.push(relabel(compiled, via));
      else unknown.push(attached.policyArn);
      if (!isAwsManaged(attached.policyArn)) customer.push(attached.policyArn);
    }
    for (const inline of grants.inlinePolicies) policies.push(inlinePolicy(inline.document, `${via}inline policy ${inline.policyName}`));
  };

  const groupsByName = new Map<string, TypedResource<'aws.iam.group'>>();
  const groupCompiled = new Map<string, { policies: CompiledPolicy[]; unknown: string[]; customer: string[] }>();
  for (const g of inventory.ofKind('aws.iam.group')) groupsByName.set(`${String(g.attributes.accountId)}/${g.name}`, g);
  const groupPolicies = (group: TypedResource<'aws.iam.group'>) => {
    let entry = groupCompiled.get(group.id);
    if (!entry) {
      entry = { policies: [], unknown: [], customer: [] };
      own(group.attributes, `group ${group.name} → `, entry.policies, entry.unknown, entry.customer);
      groupCompiled.set(group.id, entry);
    }
    return entry;
  };

  const all: Principal[] = [];
  const users: Principal[] = [];
  const roles: Principal[] = [];
  const groups: Principal[] = [];
  const groupMembers = new Map<string, string[]>();

  const make = (resource: TypedResource<'aws.iam.user' | 'aws.iam.role' | 'aws.iam.group'>, kind: PrincipalKind): Principal => {
    const grants: Grants = resource.attributes;
    const policies: CompiledPolicy[] = [];
    const unknown: string[] = [];
    const customer: string[] = [];
    const groupArns: string[] = [];
    own(grants, '', policies, unknown, customer);
    if (kind === 'user') {
      for (const groupName of grants.groups ?? []) {
        const group = groupsByName.get(`${grants.accountId}/${groupName}`);
        if (!group) {
          unknown.push(`group ${groupName}`);
          continue;
        }
        groupArns.push(group.id);
        let members = groupMembers.get(group.id);
        if (!members) groupMembers.set(group.id, (members = []));
        members.push(resource.id);
        const entry = groupPolicies(group);
        policies.push(...entry.policies);
        unknown.push(...entry.unknown);
        customer.push(...entry.customer);
      }
    }
    let boundary: CompiledPolicy | null = null;
    let boundaryUnknown = false;
    const boundaryArn = grants.permissionsBoundaryArn ?? null;
    if (boundaryArn) {
      const compiled = managedPolicy(boundaryArn, boundaryArn.split('/').pop() ?? boundaryArn);
      if (compiled) boundary = relabel(compiled, 'boundary ');
      else {
        boundaryUnknown = true;
        unknown.push(`boundary ${boundaryArn}`);
      }
    }
    const context = new Map<string, readonly string[] | null>([
      ['aws:principalarn', [resource.id]],
      ['aws:principalaccount', [grants.accountId]],
      ['aws:principaltype', [kind === 'user' ? 'User' : kind === 'role' ? 'AssumedRole' : 'User']],
      ['aws:username', kind === 'user' ? [resource.name] : null],
    ]) as ContextValues;
    return {
      arn: resource.id,
      kind,
      name: resource.name,
      accountId: grants.accountId,
      resource,
      policies: { identity: policies, boundary, context },
      unknown: [...new Set(unknown)].sort(),
      boundaryUnknown,
      customerPolicies: [...new Set(customer)].sort(),
      groupArns,
    };
  };

  for (const resource of inventory.ofKind('aws.iam.user')) users.push(make(resource, 'user'));
  for (const resource of inventory.ofKind('aws.iam.role')) roles.push(make(resource, 'role'));
  for (const resource of inventory.ofKind('aws.iam.group')) groups.push(make(resource, 'group'));
  const byArnSort = (a: Principal, b: Principal) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
  users.sort(byArnSort);
  roles.sort(byArnSort);
  groups.sort(byArnSort);
  all.push(...users, ...roles, ...groups);
  return { all, byArn: new Map(all.map((p) => [p.arn, p])), users, roles, groups, groupMembers };
}
