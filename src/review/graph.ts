import type { PolicyDocument } from '../inventory/kinds/common.js';
import type { InventoryIndex } from '../inventory/index.js';
import type { TypedResource } from '../inventory/snapshot.js';
import type { IdentityMap } from './identity-map.js';
import {
  type Evidence,
  type Grant,
  type GraphEdge,
  type GraphNode,
  type GraphNodeType,
  type GraphRelation,
  type IdentityGraph,
  type Privilege,
  privilegeRank,
  type ReachPath,
  type ReviewPlane,
} from './model.js';
import { clusterOf, type DraftPrincipal, federatedPrincipals, idpGroupGrants, k8sSubjectId, makeGrant } from './principals.js';

/**
 * The identity graph: edges between principals of different planes (and IdP groups),
 * each with its evidence, and the grants each principal reaches through them.
 *
 *   IdP user ─member_of→ IdP group ─federates_to→ AWS role ─maps_to→ k8s user/group
 *   k8s service account ─irsa→ AWS role
 *   IdP user ─signs_in_as→ k8s user;  IdP group ─group_claim→ k8s group
 *
 * A principal's effective grants are its own plus, for every outgoing edge, the
 * effective grants of the edge's target (memoised; cycles are cut).
 */

const evidenceRank: Readonly<Record<Evidence, number>> = { inferred: 0, declared: 1, evidenced: 2 };

export function weakest(a: Evidence, b: Evidence): Evidence {
  return evidenceRank[a] <= evidenceRank[b] ? a : b;
}

const squash = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');
const singular = (text: string): string => (text.length > 3 && text.endsWith('s') && !text.endsWith('ss') ? text.slice(0, -1) : text);

/**
 * Does an IdP group name match a SAML role name by convention (see docs/access-review.md)?
 *  - IAM Identity Center: role AWSReservedSSO_<PermissionSet>_<hash> matches a group
 *    named <PermissionSet> or AWS-<PermissionSet>.
 *  - Other SAML roles: the role name without an SSO prefix (OktaSSO-, Okta-, Entra-,
 *    AzureAD-, SSO-, SAML-, Federated-) matches a group with an AWS prefix (AWS-, aws_,
 *    aws:, "AWS ") and the same rest, ignoring case, punctuation and a plural "s".
 * A group without an AWS prefix never matches a plain role by name: "Okta Admins" is
 * about Okta, not the AWS role OktaSSO-Admin.
 */
export function groupMatchesRole(groupName: string, roleName: string): boolean {
  const awsPrefix = /^aws[-_:. ]+/i;
  const group = groupName.trim();
  const groupRest = awsPrefix.test(group) ? group.replace(awsPrefix, '') : undefined;
  const reserved = /^AWSReservedSSO_(.+?)(_[0-9a-f]{16})?$/i.exec(roleName.trim());
  if (reserved) {
    const permissionSet = squash(reserved[1] ?? '');
    return permissionSet !== '' && (squash(group) === permissionSet || (groupRest !== undefined && squash(groupRest) === permissionSet));
  }
  if (groupRest === undefined) return false;
  const roleRest = roleName.trim().replace(/^(okta-?sso|okta|entra|azure-?ad|aad|sso|saml|federated)[-_:. ]+/i, '').replace(awsPrefix, '');
  const a = singular(squash(groupRest));
  return a !== '' && a === singular(squash(roleRest));
}

/** Okta AWS app's group naming convention: aws#<account label>#<role name>#<account id>. */
export function oktaAwsGroupRole(groupName: string): { role: string; account: string } | undefined {
  const m = /^aws#[^#]*#([^#]+)#(\d{12})$/i.exec(groupName);
  return m ? { role: m[1] as string, account: m[2] as string } : undefined;
}

/** Which IdP a SAML provider is, from its name (Okta, Entra/Azure AD); undefined when the name does not say. */
export function samlProviderIdp(providerArn: string): 'okta' | 'entra' | undefined {
  const name = providerArn.split('/').pop() ?? '';
  if (/okta/i.test(name)) return 'okta';
  if (/entra|azure|aad|microsoft|office/i.test(name)) return 'entra';
  return undefined;
}

/** An IRSA trust admits a service account when a `<oidc>:sub` condition (StringEquals or StringLike) matches it. */
export function trustAdmitsServiceAccount(trust: PolicyDocument, namespace: string, name: string): boolean {
  const subject = `system:serviceaccount:${namespace}:${name}`;
  for (const s of trust.Statement) {
    if (s.Effect !== 'Allow' || !(s.Principal?.Federated ?? []).some((f) => f.includes(':oidc-provider/'))) continue;
    let pinned = false;
    let matched = false;
    for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
      for (const [key, values] of Object.entries(entries)) {
        if (!key.endsWith(':sub')) continue;
        pinned = true;
        const like = /Like/.test(operator);
        if (values.some((v) => (like ? new RegExp(`^${v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(subject) : v === subject))) matched = true;
      }
    }
    if (!pinned || matched) return true;
  }
  return false;
}

export interface GraphResult {
  readonly graph: IdentityGraph;
  /** Grants each principal reaches through the graph (not its own). */
  readonly inherited: ReadonlyMap<string, readonly Grant[]>;
  /** IdP groups each IdP user is a member of (names). */
  readonly memberships: ReadonlyMap<string, readonly string[]>;
}

const nodeTypeLabel: Readonly<Record<GraphNodeType, string>> = {
  'idp.user': 'user',
  'idp.group': 'group',
  'aws.iam.user': 'user',
  'aws.iam.role': 'role',
  'k8s.user': 'k8s user',
  'k8s.group': 'k8s group',
  'k8s.serviceAccount': 'k8s sa',
};

function planeOfNode(type: GraphNodeType): ReviewPlane {
  return type.startsWith('idp.') ? 'identity' : type.startsWith('aws.') ? 'aws' : 'kubernetes';
}

export function buildGraph(
  inventory: InventoryIndex,
  principals: ReadonlyMap<string, DraftPrincipal>,
  map: IdentityMap | null,
  groupRoleGrants: ReadonlyMap<string, readonly Grant[]> = new Map(),
): GraphResult {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const edgeKeys = new Set<string>();
  const own = new Map<string, Grant[]>();
  const memberships = new Map<string, string[]>();

  const node = (id: string, type: GraphNodeType, name: string): void => {
    if (nodes.has(id)) return;
    const prefix = type === 'idp.group' ? `${id.startsWith('entra:') ? 'Entra' : 'Okta'} group` : type === 'idp.user' ? '' : nodeTypeLabel[type];
    nodes.set(id, { id, type, label: prefix ? `${prefix} ${name}` : name, plane: planeOfNode(type) });
  };
  const principalNode = (p: DraftPrincipal): void => {
    node(p.id, p.type === 'aws.iam.role' ? 'aws.iam.role' : p.type, p.name);
  };
  const edge = (from: string, to: string, relation: GraphRelation, evidence: Evidence, basis: string): void => {
    const key = `${from}\u0000${to}\u0000${relation}`;
    if (edgeKeys.has(key) || from === to) return;
    edgeKeys.add(key);
    edges.push({ from, to, relation, evidence, basis });
  };

  // IdP groups and membership.
  const idpGroups = inventory.ofKind('idp.group');
  const usersByLogin = new Map<string, DraftPrincipal>();
  for (const p of principals.values()) {
    if (p.type !== 'idp.user') continue;
    usersByLogin.set(p.name.toLowerCase(), p);
    if (p.email) usersByLogin.set(p.email.toLowerCase(), p);
  }
  for (const group of idpGroups) {
    const a = group.attributes;
    node(group.id, 'idp.group', group.name);
    own.set(group.id, [...idpGroupGrants(group), ...(groupRoleGrants.get(group.id) ?? [])]);
    for (const member of a.memberIds) {
      const userId = `${a.provider}://${a.tenant}/user/${member}`;
      const user = principals.get(userId);
      if (!user) continue;
      principalNode(user);
      edge(userId, group.id, 'member_of', 'evidenced', 'group membership');
      let list = memberships.get(userId);
      if (!list) memberships.set(userId, (list = []));
      list.push(group.name);
    }
  }

  // IdP group → AWS role (SAML federation).
  const samlRoles = inventory.ofKind('aws.iam.role').flatMap((role) => {
    const providers = federatedPrincipals(role.attributes.trustPolicy).filter((f) => f.includes(':saml-provider/'));
    return providers.length > 0 ? [{ role, providers }] : [];
  });
  const byArn = new Map(samlRoles.map((r) => [r.role.id, r]));
  const federate = (group: TypedResource<'idp.group'>, target: { role: TypedResource<'aws.iam.role'>; providers: string[] }, evidence: Evidence, why: string): void => {
    const provider = String(group.attributes.provider);
    const idps = target.providers.map(samlProviderIdp);
    if (!idps.includes(undefined) && !idps.includes(provider as 'okta' | 'entra')) return;
    const p = principals.get(target.role.id);
    if (p) principalNode(p);
    else node(target.role.id, 'aws.iam.role', target.role.name);
    const providers = target.providers.map((f) => f.split(':').pop()).join(', ');
    edge(group.id, target.role.id, 'federates_to', evidence, `trust policy names ${providers}; ${why}`);
  };
  for (const group of idpGroups) {
    const okta = oktaAwsGroupRole(group.name);
    for (const target of samlRoles) {
      const tags = target.role.attributes.tags ?? {};
      const tagged = Object.entries(tags).find(
        ([k, v]) => /^(zt:)?idp-?groups?$/i.test(k) && v.split(/[,;]/).map((s) => s.trim()).some((g) => g === group.name || group.id.endsWith(`/${g}`)),
      );
      if (tagged) federate(group, target, 'declared', `role tag ${tagged[0]}=${tagged[1]}`);
      else if (okta && okta.role === target.role.name && okta.account === target.role.attributes.accountId) {
        federate(group, target, 'inferred', 'Okta AWS app group naming aws#<account>#<role>#<account id>');
      } else if (groupMatchesRole(group.name, target.role.name)) {
        federate(group, target, 'inferred', `name convention: group ${group.name} ~ role ${target.role.name}`);
      }
    }
  }
  for (const entry of map?.federation ?? []) {
    const group = idpGroups.find((g) => g.name === entry.idpGroup || g.id === entry.idpGroup || g.id.endsWith(`/${entry.idpGroup}`));
    const target = byArn.get(entry.roleArn);
    if (group && target) federate(group, target, 'declared', 'identity map federation entry');
    else if (group) {
      node(entry.roleArn, 'aws.iam.role', entry.roleArn.split('/').pop() ?? entry.roleArn);
      edge(group.id, entry.roleArn, 'federates_to', 'declared', 'identity map federation entry (role not in the inventory)');
    }
  }

  // AWS → Kubernetes (EKS aws-auth / access entries): aws-auth as collected from each
  // cluster (evidenced), then whatever the identity map declares.
  const extraOwn = new Map<string, Grant[]>();
  const collected = inventory.ofKind('k8s.awsAuth').flatMap((r) =>
    r.attributes.mappings.map((m) => ({
      cluster: clusterOf(r.id),
      arn: m.arn,
      ...(m.username !== null ? { username: m.username } : {}),
      groups: m.groups,
      accessPolicies: [] as { policy: string; namespaces: string[] }[],
      source: 'aws-auth' as const,
      evidence: 'evidenced' as const,
    })),
  );
  const declared = (map?.eks ?? []).map((entry) => ({ ...entry, evidence: 'declared' as const }));
  for (const entry of [...collected, ...declared]) {
    const from = principals.get(entry.arn);
    if (from) principalNode(from);
    else node(entry.arn, entry.arn.includes(':user/') ? 'aws.iam.user' : 'aws.iam.role', entry.arn.split('/').pop() ?? entry.arn);
    const basis = entry.source === 'aws-auth' ? `aws-auth (${entry.cluster})` : `EKS access entry (${entry.cluster})`;
    if (entry.username !== undefined) {
      const id = k8sSubjectId(entry.cluster, 'User', entry.username);
      const p = principals.get(id);
      if (p) principalNode(p);
      else node(id, 'k8s.user', entry.username);
      edge(entry.arn, id, 'maps_to', entry.evidence, basis);
    }
    for (const groupName of entry.groups) {
      const id = k8sSubjectId(entry.cluster, 'Group', groupName);
      const p = principals.get(id);
      if (p) principalNode(p);
      else node(id, 'k8s.group', groupName);
      edge(entry.arn, id, 'maps_to', entry.evidence, basis);
    }
    for (const policy of entry.accessPolicies) {
      const privilege = eksAccessPolicyPrivilege(policy.policy);
      const scopes = policy.namespaces.length === 0 ? [`k8s:${entry.cluster}`] : policy.namespaces.map((ns) => `k8s:${entry.cluster}/ns/${ns}`);
      let list = extraOwn.get(entry.arn);
      if (!list) extraOwn.set(entry.arn, (list = []));
      for (const scope of scopes) {
        list.push(makeGrant({ privilege, what: `EKS access policy ${policy.policy}`, via: basis, scope, plane: 'kubernetes', evidence: entry.evidence }));
      }
    }
  }

  // Kubernetes service account → AWS role (IRSA).
  for (const sa of inventory.ofKind('k8s.serviceAccount')) {
    const arn = sa.attributes.annotations['eks.amazonaws.com/role-arn'];
    if (!arn) continue;
    const role = inventory.byId(arn, 'aws.iam.role');
    const namespace = String(sa.attributes.namespace);
    const p = principals.get(sa.id);
    if (role && !trustAdmitsServiceAccount(role.attributes.trustPolicy, namespace, sa.name)) continue;
    if (p) principalNode(p);
    const rp = principals.get(arn);
    if (rp) principalNode(rp);
    else node(arn, 'aws.iam.role', arn.split('/').pop() ?? arn);
    edge(
      sa.id,
      arn,
      'irsa',
      role ? 'evidenced' : 'inferred',
      role
        ? `annotation eks.amazonaws.com/role-arn; trust admits system:serviceaccount:${namespace}:${sa.name}`
        : 'annotation eks.amazonaws.com/role-arn (role not in the inventory)',
    );
  }

  // IdP → Kubernetes directly (OIDC sign-in): same user name, same group name.
  const prefix = map?.oidcGroupPrefix ?? '';
  const groupsByName = new Map<string, TypedResource<'idp.group'>>();
  for (const g of idpGroups) groupsByName.set(g.name, g);
  for (const p of principals.values()) {
    if (p.type === 'k8s.user') {
      const user = usersByLogin.get(p.name.toLowerCase());
      if (user) {
        principalNode(user);
        principalNode(p);
        edge(user.id, p.id, 'signs_in_as', 'inferred', `Kubernetes user name equals the IdP login ${user.name}`);
      }
    } else if (p.type === 'k8s.group') {
      const name = prefix && p.name.startsWith(prefix) ? p.name.slice(prefix.length) : prefix ? undefined : p.name;
      const group = name === undefined ? undefined : groupsByName.get(name);
      if (group) {
        principalNode(p);
        edge(group.id, p.id, 'group_claim', 'inferred', `Kubernetes group name equals the IdP group name${prefix ? ` with prefix ${prefix}` : ''} (OIDC groups claim)`);
      }
    }
  }

  // Effective grants.
  const outgoing = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    let list = outgoing.get(e.from);
    if (!list) outgoing.set(e.from, (list = []));
    list.push(e);
  }
  const ownGrants = (id: string): readonly Grant[] => [...(principals.get(id)?.grants ?? own.get(id) ?? []), ...(extraOwn.get(id) ?? [])];
  const memo = new Map<string, readonly Grant[]>();
  const visiting = new Set<string>();
  const effective = (id: string): readonly Grant[] => {
    const known = memo.get(id);
    if (known) return known;
    if (visiting.has(id)) return ownGrants(id);
    visiting.add(id);
    const result: Grant[] = [...ownGrants(id)];
    for (const e of outgoing.get(id) ?? []) {
      const label = nodes.get(e.to)?.label ?? e.to;
      for (const g of effective(e.to)) {
        result.push(
          makeGrant({
            privilege: g.privilege,
            what: g.what,
            via: g.via === 'direct' ? label : `${label} → ${g.via}`,
            scope: g.scope,
            plane: g.plane,
            evidence: weakest(e.evidence, g.evidence),
            notes: g.notes,
            standing: g.standing,
          }),
        );
      }
    }
    visiting.delete(id);
    memo.set(id, result);
    return result;
  };

  const inherited = new Map<string, Grant[]>();
  for (const id of outgoing.keys()) {
    if (!principals.has(id)) continue;
    const extra = effective(id).slice(principals.get(id)?.grants.length ?? 0);
    if (extra.length > 0) inherited.set(id, extra);
  }

  // Reach paths: from every node with a cross-plane edge (IdP groups, IdP users signing
  // in to a cluster, AWS roles mapped into a cluster, service accounts with IRSA), one
  // per grant reached through that edge. Users reaching through groups are listed per
  // principal, not as paths (the group's path says it once).
  const paths: ReachPath[] = [];
  for (const e of edges) {
    if (e.relation === 'member_of') continue;
    const startNode = nodes.get(e.from);
    const label = nodes.get(e.to)?.label ?? e.to;
    if (!startNode) continue;
    for (const g of effective(e.to)) {
      if (g.privilege === 'none') continue;
      const via = g.via === 'direct' ? [label] : [label, ...g.via.split(' → ')];
      paths.push({
        start: e.from,
        startLabel: startNode.label,
        steps: [startNode.label, ...via],
        target: g.what,
        privilege: g.privilege,
        scope: g.scope,
        evidence: weakest(e.evidence, g.evidence),
      });
    }
  }
  paths.sort(
    (a, b) =>
      privilegeRank[b.privilege] - privilegeRank[a.privilege] ||
      cmp(a.startLabel, b.startLabel) ||
      cmp(a.scope, b.scope) ||
      cmp(a.target, b.target) ||
      cmp(a.steps.join('\u0000'), b.steps.join('\u0000')),
  );
  const usedNodes = new Set(edges.flatMap((e) => [e.from, e.to]));
  return {
    graph: {
      nodes: [...nodes.values()].filter((n) => usedNodes.has(n.id)).sort((a, b) => cmp(a.id, b.id)),
      edges: edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.relation, b.relation)),
      paths,
    },
    inherited,
    memberships: new Map([...memberships].map(([k, v]) => [k, [...v].sort()])),
  };
}

/** EKS access policies (AmazonEKS*Policy) → privilege. */
export function eksAccessPolicyPrivilege(policy: string): Privilege {
  const name = policy.split('/').pop() ?? policy;
  if (/ClusterAdmin|AdminPolicy|Admin(View)?Policy$/i.test(name) && !/AdminView/i.test(name)) return 'admin';
  if (/Edit/i.test(name)) return 'write';
  if (/View/i.test(name)) return 'read';
  return 'write';
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Re-exported for review.ts: the cluster of a Kubernetes id. */
export { clusterOf };
