import type { AttachedPolicy as Attached, InlinePolicy as Inline } from '../../inventory/kinds/aws.js';
import type { PolicyDocument } from '../../inventory/kinds/common.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Resource, TypedResource } from '../../inventory/snapshot.js';
import type { ContextValues, KeyWorlds, Situation } from './conditions.js';
import { type CompiledPolicy, compilePolicy, type PolicySet, type ScpLevel } from './policy-evaluator.js';
import { homeOf } from './resource-universe.js';
import { scpHierarchy } from './scp-hierarchy.js';

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
  /** Group ARNs of a user (a group: itself, as seen by any member). */
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

/** Longest life of temporary credentials (GetSessionToken and GetFederationToken: 36 hours); role sessions last at most 12. */
const TOKEN_LIFETIME_MS = 36 * 3600 * 1000;

/**
 * The situation every request of a principal is made in, from the evidence:
 * - aws:CurrentTime and aws:EpochTime are the source's as-of time (never the wall clock;
 *   unknown as-of: left undecided, so date conditions make a step conditional);
 * - aws:TokenIssueTime: a role always signs with temporary credentials issued at most 36
 *   hours before (a range); a user may also sign with long-term access keys (key absent);
 * - aws:MultiFactorAuthPresent: present (true or false) with temporary credentials, absent
 *   with a user's long-term access keys.
 * Built once per as-of time and kind: principals of one account share it.
 */
function situationFor(asOf: Date | null, kind: PrincipalKind, cache: Map<string, Situation>): Situation {
  const key = `${asOf?.toISOString() ?? 'unknown'}|${kind}`;
  let situation = cache.get(key);
  if (situation) return situation;
  const worlds = new Map<string, KeyWorlds>();
  const longTermKeys = kind !== 'role';
  if (asOf) {
    const issued = [[new Date(asOf.getTime() - TOKEN_LIFETIME_MS).toISOString()], [asOf.toISOString()]];
    // A range (two ends); a user's long-term keys carry no token, so absence is a third world,
    // which makes every date comparison undecided for users unless both agree with absence.
    worlds.set('aws:tokenissuetime', { values: longTermKeys ? [...issued, null] : issued, range: true });
  }
  worlds.set('aws:multifactorauthpresent', { values: longTermKeys ? [null, ['false'], ['true']] : [['false'], ['true']], range: false });
  situation = { worlds, key };
  cache.set(key, situation);
  return situation;
}

/** A managed policy of the snapshot (AWS-managed ones included when the snapshot carries them). */
export interface ManagedPolicy {
  readonly arn: string;
  readonly name: string;
  /** Null for AWS-managed policies. */
  readonly accountId: string | null;
  readonly awsManaged: boolean;
  /** The default version, compiled. */
  readonly compiled: CompiledPolicy;
  /** The other versions, compiled (iam:SetDefaultPolicyVersion can make any the default); null when unknown. */
  readonly otherVersions: readonly { readonly versionId: string; readonly compiled: CompiledPolicy }[] | null;
}

export interface PrincipalIndex {
  readonly all: readonly Principal[];
  /** Managed policies of the snapshot by ARN, sorted by ARN. */
  readonly managedPolicies: ReadonlyMap<string, ManagedPolicy>;
  readonly byArn: ReadonlyMap<string, Principal>;
  readonly users: readonly Principal[];
  readonly roles: readonly Principal[];
  readonly groups: readonly Principal[];
  /** Group ARN → member user ARNs. */
  readonly groupMembers: ReadonlyMap<string, readonly string[]>;
  /** The AWS Organization of an account, when the organisation was read (scp-hierarchy.ts). */
  readonly organizationOf: (accountId: string) => string | undefined;
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
  const scps = scpHierarchy(inventory);
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

  const situations = new Map<string, Situation>();
  // SCPs do not affect service-linked roles (AWS Organizations User Guide); every other principal of a member account is under its hierarchy.
  const scpsOf = (resource: TypedResource<'aws.iam.user' | 'aws.iam.role' | 'aws.iam.group'>, accountId: string): { scps?: readonly ScpLevel[] } => {
    if (resource.kind === 'aws.iam.role' && resource.attributes.serviceLinked) return {};
    const levels = scps.levelsOf(accountId);
    return levels ? { scps: levels } : {};
  };
  const make = (resource: TypedResource<'aws.iam.user' | 'aws.iam.role' | 'aws.iam.group'>, kind: PrincipalKind): Principal => {
    const grants: Grants = resource.attributes;
    const policies: CompiledPolicy[] = [];
    const unknown: string[] = [];
    const customer: string[] = [];
    // A group stands for any of its members: the group it grants through is itself.
    const groupArns: string[] = kind === 'group' ? [resource.id] : [];
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
    const asOf = inventory.timeOf(resource).at;
    const context = new Map<string, readonly string[] | null>([
      // A group's member is some user: its ARN and name are not known.
      ...(kind === 'group' ? [] : ([['aws:principalarn', [resource.id]]] as const)),
      ['aws:principalaccount', [grants.accountId]],
      ['aws:principaltype', [kind === 'user' ? 'User' : kind === 'role' ? 'AssumedRole' : 'User']],
      ...(kind === 'group' ? [] : ([['aws:username', kind === 'user' ? [resource.name] : null]] as const)),
      ...(asOf ? ([['aws:currenttime', [asOf.toISOString()]], ['aws:epochtime', [String(Math.floor(asOf.getTime() / 1000))]]] as const) : []),
    ]) as ContextValues;
    return {
      arn: resource.id,
      kind,
      name: resource.name,
      accountId: grants.accountId,
      resource,
      policies: {
        identity: policies,
        boundary,
        context,
        situation: situationFor(asOf, kind, situations),
        ...scpsOf(resource, grants.accountId),
        home: { partition: homeOf(resource.id)?.partition ?? 'aws', account: grants.accountId },
      },
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
  const managedPolicies = new Map<string, ManagedPolicy>();
  for (const policy of [...inventory.ofKind('aws.iam.policy')].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const compiled = managedPolicy(policy.id, policy.name);
    if (!compiled) continue;
    const versions = policy.attributes.nonDefaultVersions;
    managedPolicies.set(policy.id, {
      arn: policy.id,
      name: policy.name,
      accountId: policy.attributes.accountId,
      awsManaged: policy.attributes.awsManaged,
      compiled,
      otherVersions: versions ? versions.map((v) => ({ versionId: v.versionId, compiled: compilePolicy(v.document, `${compiled.label} version ${v.versionId}`) })) : null,
    });
  }
  return { all, managedPolicies, byArn: new Map(all.map((p) => [p.arn, p])), users, roles, groups, groupMembers, organizationOf: (id) => scps.organizationOf(id) };
}
