import type { DerivedFacts } from '../analysis/index.js';
import { dangerousPermissions, isSystemSubject, publicSubjectNames } from '../analysis/kubernetes/rbac-permissions.js';
import { bootstrapNote, RoleResolver } from '../analysis/kubernetes/role-resolution.js';
import type { InventoryIndex } from '../inventory/index.js';
import type { AttachedPolicy as Attached, InlinePolicy as Inline } from '../inventory/kinds/aws.js';
import type { PolicyDocument } from '../inventory/kinds/common.js';
import type { TypedResource } from '../inventory/snapshot.js';
import { awsActionLevel } from './aws-access-level.js';
import type { AccountClass, AuthStrength, Credential, Evidence, Grant, Privilege, PrincipalType, ReviewPlane } from './model.js';

/**
 * Principals per plane, each with the grants it holds itself (cross-plane grants are
 * added by graph.ts). Pure functions of the inventory and the derived facts.
 */

/** A principal under construction: its own grants; flags and privilege are decided in review.ts. */
export interface DraftPrincipal {
  id: string;
  type: PrincipalType;
  plane: ReviewPlane;
  source: string;
  name: string;
  email: string | null;
  owner: string | null;
  manager: string | null;
  status: string;
  accountClass: AccountClass;
  grants: Grant[];
  auth: { strength: AuthStrength; detail: string };
  credentials: Credential[];
  lastUsed: string | null;
  lastUsedSource: string;
  createdAt: string | null;
  groups: string[];
  /** Facts the flags need that are not shown as columns. */
  hints: { guest?: boolean; external?: string[]; public?: boolean; dangling?: boolean; consoleWithoutMfa?: boolean };
}

export function makeGrant(fields: {
  privilege: Privilege;
  what: string;
  via: string;
  scope: string;
  plane: ReviewPlane;
  evidence?: Evidence;
  notes?: readonly string[];
  standing?: boolean;
}): Grant {
  return {
    key: `${fields.plane}|${fields.scope}|${fields.what}|${fields.via}`,
    privilege: fields.privilege,
    what: fields.what,
    via: fields.via,
    scope: fields.scope,
    plane: fields.plane,
    evidence: fields.evidence ?? 'evidenced',
    notes: [...(fields.notes ?? [])].sort(),
    standing: fields.standing ?? true,
  };
}

const DAY = 86_400_000;

/** Whole days from `from` to `now`; null when either is null (an unknown as-of time) or unparseable. */
export function daysBetween(from: string | null | undefined, now: string | null): number | null {
  if (!from || now === null) return null;
  const a = Date.parse(from);
  const b = Date.parse(now);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.max(0, Math.floor((b - a) / DAY));
}

/** The later of two ISO dates (either may be null). */
export function latest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** Owner from tags, labels or annotations: `owner`, `Owner`, `<prefix>/owner`, then `team`. */
export function ownerOf(...maps: readonly (Readonly<Record<string, unknown>> | undefined)[]): string | null {
  for (const wanted of ['owner', 'team']) {
    for (const map of maps) {
      if (!map) continue;
      const key = Object.keys(map)
        .sort()
        .find((k) => {
          const last = k.toLowerCase().split('/').pop();
          return last === wanted;
        });
      const value = key === undefined ? undefined : map[key];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  return null;
}

// ---------------------------------------------------------------- identity plane

/** Admin roles that can change identity or security settings tenant-wide (the rest are "write"). */
const IDP_ADMIN_ROLES = new Set(
  [
    'SUPER_ADMIN',
    'ORG_ADMIN',
    'APP_ADMIN',
    'USER_ADMIN',
    'GROUP_MEMBERSHIP_ADMIN',
    'API_ACCESS_MANAGEMENT_ADMIN',
    'Global Administrator',
    'Privileged Role Administrator',
    'Privileged Authentication Administrator',
    'Security Administrator',
    'Application Administrator',
    'Cloud Application Administrator',
    'User Administrator',
    'Authentication Administrator',
    'Conditional Access Administrator',
    'Exchange Administrator',
    'SharePoint Administrator',
    'Intune Administrator',
    'Hybrid Identity Administrator',
  ].map((r) => r.toLowerCase()),
);

export function idpRolePrivilege(role: string): Privilege {
  return IDP_ADMIN_ROLES.has(role.toLowerCase()) ? 'admin' : 'write';
}

const strengthRank: Readonly<Record<string, number>> = { none: 0, weak: 1, mfa: 2, phishing_resistant: 3 };

interface Factor {
  readonly type: string;
  readonly strength: string;
  readonly status: string;
}

export function idpAuth(factors: readonly Factor[] | undefined, derived: unknown): { strength: AuthStrength; detail: string } {
  const active = (factors ?? []).filter((f) => f.status === 'active');
  let best = typeof derived === 'string' && derived in strengthRank ? derived : 'none';
  for (const f of active) if ((strengthRank[f.strength] ?? 0) > (strengthRank[best] ?? 0)) best = f.strength;
  const types = [...new Set(active.map((f) => f.type))].sort();
  return { strength: best as AuthStrength, detail: types.length > 0 ? types.join(', ') : 'no active factor' };
}

/**
 * Entra directory role assignments (entra.roleAssignment) by principal resource id
 * (`entra://<tenant>/user/<id>` or `…/group/<id>`): active standing, PIM-activated
 * (time-bound) and PIM-eligible (must be activated; still reviewable access).
 */
export function entraRoleGrants(inventory: InventoryIndex): Map<string, Grant[]> {
  const out = new Map<string, Grant[]>();
  for (const r of inventory.ofKind('entra.roleAssignment')) {
    const a = r.attributes;
    if (a.principalType !== 'user' && a.principalType !== 'group') continue;
    const id = `entra://${a.tenant}/${a.principalType}/${a.principalId}`;
    const notes: string[] = [];
    if (a.state === 'eligible') notes.push('PIM eligible: activation required');
    else if (a.assignmentType === 'activated') notes.push('PIM activated (time-bound)');
    if (!a.permanent && a.endAt) notes.push(`ends ${a.endAt}`);
    else if (a.permanent) notes.push(a.endAt ? `ends ${a.endAt}, over a year after it started: as good as permanent` : 'no end date');
    if (a.directoryScopeId !== '/') notes.push(`scope ${a.directoryScopeId}`);
    const privilege: Privilege = a.privileged ? 'admin' : idpRolePrivilege(a.roleName);
    const grant = makeGrant({
      privilege,
      what: `Entra role ${a.roleName}`,
      via: a.state === 'eligible' ? 'PIM eligibility' : 'direct',
      scope: `entra:${a.tenant}`,
      plane: 'identity',
      notes,
      standing: a.state === 'active' && a.assignmentType !== 'activated',
    });
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    list.push(grant);
  }
  return out;
}

export function idpUserPrincipal(user: TypedResource<'idp.user'>, facts: DerivedFacts, entraGrants?: ReadonlyMap<string, readonly Grant[]>): DraftPrincipal {
  const a = user.attributes;
  const scope = `${a.provider}:${a.tenant}`;
  const roleName = a.provider === 'okta' ? 'Okta admin role' : 'Entra role';
  const privileges = a.adminRoles.map(idpRolePrivilege);
  // The collector knows the user holds a privileged role even when zt's list does not name it.
  if (a.privileged && !privileges.includes('admin')) privileges.fill('admin');
  // Entra role assignments, when collected, say more (eligible vs standing) than adminRoles.
  const assigned = entraGrants?.get(user.id) ?? [];
  const assignedRoles = new Set(assigned.map((g) => g.what));
  const grants = [
    ...assigned,
    ...a.adminRoles.flatMap((role, i) =>
      assignedRoles.has(`${roleName} ${role}`) ? [] : [makeGrant({ privilege: privileges[i] ?? 'write', what: `${roleName} ${role}`, via: 'direct', scope, plane: 'identity' })],
    ),
  ];
  // Factor strength unknown (its input not read completely, or its analysis failed): never "none".
  const strengthUnknown = facts.unknownsOf(user)?.mfaStrength;
  const auth =
    a.accountClass === 'service'
      ? { strength: 'not_applicable' as const, detail: 'service account (IdP)' }
      : strengthUnknown
        ? { strength: 'unknown' as const, detail: `factor strength unknown: ${strengthUnknown.explain()}` }
        : idpAuth(a.factors, facts.get(user.id)?.mfaStrength);
  return {
    id: user.id,
    type: 'idp.user',
    plane: 'identity',
    source: user.provenance.source,
    name: a.login,
    email: a.email,
    owner: null,
    manager: a.manager ?? null,
    status: a.status,
    accountClass: a.accountClass,
    grants,
    auth,
    credentials: [],
    lastUsed: a.lastSignInAt,
    lastUsedSource: 'sign-in',
    createdAt: a.createdAt,
    groups: [],
    hints: { guest: a.userType === 'guest' },
  };
}

/** Grants an IdP group conveys to its members by itself (admin roles assigned to the group). */
export function idpGroupGrants(group: TypedResource<'idp.group'>): Grant[] {
  const a = group.attributes;
  const roleName = a.provider === 'okta' ? 'Okta admin role' : 'Entra role';
  return a.adminRoles.map((role) =>
    makeGrant({ privilege: idpRolePrivilege(role), what: `${roleName} ${role}`, via: 'direct', scope: `${a.provider}:${a.tenant}`, plane: 'identity' }),
  );
}

// ---------------------------------------------------------------- AWS plane

/** Read or write for an action (see aws-access-level.ts). */
export function actionPrivilege(action: string): Exclude<Privilege, 'admin' | 'none'> {
  return awsActionLevel(action);
}

const ADMIN_ACTIONS = new Set(['*', '*:*', 'iam:*']);
const ADMIN_MANAGED = new Set(['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/IAMFullAccess']);

/** A document's privilege: admin for an unconditional Allow of * (or iam:*, or NotAction) on *, else the strongest action. */
const documentPrivileges = new WeakMap<object, Privilege>();

export function documentPrivilege(document: PolicyDocument | undefined): Privilege | null {
  if (!document) return null;
  const known = documentPrivileges.get(document);
  if (known) return known;
  const result = computeDocumentPrivilege(document);
  documentPrivileges.set(document, result);
  return result;
}

function computeDocumentPrivilege(document: PolicyDocument): Privilege {
  let best: 'none' | 'read' | 'write' = 'none';
  for (const s of document.Statement) {
    if (s.Effect !== 'Allow') continue;
    const allResources = s.Resource?.includes('*') ?? s.NotResource !== undefined;
    if (s.NotAction !== undefined) {
      if (allResources && s.Condition === undefined) return 'admin';
      best = 'write';
      continue;
    }
    for (const action of s.Action ?? []) {
      if (ADMIN_ACTIONS.has(action) && allResources && s.Condition === undefined) return 'admin';
      const p = actionPrivilege(action);
      if (p === 'write') best = 'write';
      else if (best === 'none') best = 'read';
    }
  }
  return best;
}

function policyGrants(
  holder: { attachedPolicies: readonly Attached[]; inlinePolicies: readonly Inline[] },
  inventory: InventoryIndex,
  via: string,
  scope: string,
  adminGrants: readonly string[],
): Grant[] {
  const out: Grant[] = [];
  const viaPrefix = via === 'direct' ? '' : `${via} → `;
  const namedAdmin = (what: string): boolean => adminGrants.includes(`${viaPrefix}${what}`);
  for (const p of holder.attachedPolicies) {
    const what = `managed policy ${p.policyName}`;
    const policy = inventory.byId(p.policyArn, 'aws.iam.policy');
    let privilege = ADMIN_MANAGED.has(p.policyArn) || namedAdmin(what) ? 'admin' : documentPrivilege(policy?.attributes.document);
    const notes: string[] = [];
    if (privilege === null) {
      privilege = 'write';
      notes.push('policy document not collected: privilege assumed write');
    }
    out.push(makeGrant({ privilege, what, via, scope, plane: 'aws', notes }));
  }
  for (const p of holder.inlinePolicies) {
    const what = `inline policy ${p.policyName}`;
    const privilege = namedAdmin(what) ? 'admin' : (documentPrivilege(p.document) ?? 'write');
    out.push(makeGrant({ privilege, what, via, scope, plane: 'aws' }));
  }
  return out;
}

function awsScope(resource: TypedResource<'aws.iam.user' | 'aws.iam.role'>): string {
  return `aws:${String(resource.attributes.accountId)}`;
}

export function awsUserPrincipal(user: TypedResource<'aws.iam.user'>, inventory: InventoryIndex, facts: DerivedFacts, now: string | null): DraftPrincipal {
  const a = user.attributes;
  const scope = awsScope(user);
  const derived = facts.get(user.id) ?? {};
  const adminGrants = Array.isArray(derived.adminGrants) ? (derived.adminGrants as string[]) : [];
  const grants = policyGrants(a, inventory, 'direct', scope, adminGrants);
  for (const groupName of a.groups) {
    const group = inventory.byId(`arn:aws:iam::${a.accountId}:group/${groupName}`, 'aws.iam.group') ?? inventory.ofKind('aws.iam.group').find((g) => g.name === groupName && g.attributes.accountId === a.accountId);
    if (!group) {
      grants.push(makeGrant({ privilege: 'write', what: `group ${groupName}`, via: 'direct', scope, plane: 'aws', notes: ['group not collected: privilege assumed write'] }));
      continue;
    }
    grants.push(...policyGrants(group.attributes, inventory, `group ${groupName}`, scope, adminGrants));
  }
  const credentials: Credential[] = [];
  let lastUsed: string | null = null;
  let lastUsedSource = 'unknown';
  const c = a.credentials;
  if (c) {
    if (c.passwordEnabled) {
      credentials.push({ kind: 'password', active: true, ageDays: daysBetween(c.passwordLastChanged, now), lastUsed: c.passwordLastUsed });
      if (latest(lastUsed, c.passwordLastUsed) !== lastUsed) {
        lastUsed = c.passwordLastUsed;
        lastUsedSource = 'password';
      }
    }
    for (const key of [...c.accessKeys].sort((x, y) => x.slot - y.slot)) {
      credentials.push({ kind: `access key ${key.slot}`, active: key.active, ageDays: daysBetween(key.lastRotated, now), lastUsed: key.lastUsed });
      if (key.active && latest(lastUsed, key.lastUsed) !== lastUsed) {
        lastUsed = key.lastUsed;
        lastUsedSource = `access key ${key.slot}`;
      }
    }
    if (lastUsedSource === 'unknown') lastUsedSource = 'never used';
  }
  let auth: { strength: AuthStrength; detail: string };
  if (!c) auth = { strength: 'unknown', detail: 'no credential report' };
  else if (!c.passwordEnabled) auth = { strength: 'not_applicable', detail: c.accessKeys.some((k) => k.active) ? 'access keys only (no console password)' : 'no console password' };
  else if (!c.mfaActive) auth = { strength: 'none', detail: 'console password without MFA' };
  else {
    const types = (a.mfaDevices ?? []).map((d) => d.type);
    const pr = types.includes('u2f');
    auth = { strength: pr ? 'phishing_resistant' : 'mfa', detail: types.length > 0 ? `MFA: ${[...new Set(types)].sort().join(', ')}` : 'MFA' };
  }
  const active = !c || c.passwordEnabled || c.accessKeys.some((k) => k.active);
  const service = a.tags.purpose !== undefined || /(^|\/)(svc|service|services|system|bots?)\//.test(user.id.split(':user')[1] ?? '') || !(c?.passwordEnabled ?? true);
  return {
    id: user.id,
    type: 'aws.iam.user',
    plane: 'aws',
    source: user.provenance.source,
    name: user.name,
    email: null,
    owner: ownerOf(a.tags),
    manager: null,
    status: active ? 'active' : 'inactive',
    accountClass: isBreakGlassTagged(a.tags) ? 'break_glass' : service ? 'service' : 'human',
    grants,
    auth,
    credentials,
    lastUsed,
    lastUsedSource,
    createdAt: a.createdAt,
    groups: [...a.groups].sort(),
    hints: { consoleWithoutMfa: c !== null && c.passwordEnabled && !c.mfaActive },
  };
}

function isBreakGlassTagged(tags: Readonly<Record<string, string>>): boolean {
  return Object.entries(tags).some(([k, v]) => /break-?glass|emergency/i.test(k) && !/^(false|no|0)$/i.test(v));
}

interface TrustStatement {
  readonly Effect: string;
  readonly Principal?: Readonly<Record<string, readonly string[]>>;
  readonly Action?: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** Accounts (or "*") other than the role's own that its trust policy admits. */
export function externalTrust(trust: PolicyDocument, ownAccount: string): string[] {
  const out = new Set<string>();
  for (const s of trust.Statement as readonly TrustStatement[]) {
    if (s.Effect !== 'Allow') continue;
    for (const entry of s.Principal?.AWS ?? []) {
      if (entry === '*') {
        const pinned = Object.values(s.Condition ?? {}).some((c) => Object.keys(c).some((k) => /^aws:(PrincipalOrgID|PrincipalAccount|SourceAccount|PrincipalArn)$/i.test(k)));
        if (!pinned) out.add('*');
        continue;
      }
      const account = /^\d{12}$/.test(entry) ? entry : /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(entry)?.[1];
      if (account && account !== ownAccount) out.add(account);
    }
  }
  return [...out].sort();
}

/** Federated principals (SAML providers, OIDC providers) a trust policy names. */
export function federatedPrincipals(trust: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const s of trust.Statement as readonly TrustStatement[]) {
    if (s.Effect !== 'Allow') continue;
    for (const f of s.Principal?.Federated ?? []) out.add(f);
  }
  return [...out].sort();
}

export function awsRolePrincipal(role: TypedResource<'aws.iam.role'>, inventory: InventoryIndex, facts: DerivedFacts): DraftPrincipal {
  const a = role.attributes;
  const derived = facts.get(role.id) ?? {};
  const adminGrants = Array.isArray(derived.adminGrants) ? (derived.adminGrants as string[]) : [];
  const grants = policyGrants(a, inventory, 'direct', awsScope(role), adminGrants);
  const federated = federatedPrincipals(a.trustPolicy);
  const services = [...new Set((a.trustPolicy.Statement as readonly TrustStatement[]).flatMap((s) => (s.Effect === 'Allow' ? (s.Principal?.Service ?? []) : [])))].sort();
  const external = externalTrust(a.trustPolicy, a.accountId);
  const trusted: string[] = [];
  if (federated.length > 0) trusted.push(`federated: ${federated.map((f) => f.split(':').pop()).join(', ')}`);
  if (services.length > 0) trusted.push(`service: ${services.join(', ')}`);
  if (external.length > 0) trusted.push(`accounts: ${external.join(', ')}`);
  const saml = federated.some((f) => f.includes(':saml-provider/'));
  const mfaCondition = JSON.stringify(a.trustPolicy).includes('aws:MultiFactorAuthPresent');
  const auth: { strength: AuthStrength; detail: string } = saml
    ? { strength: 'federated', detail: 'SAML federation: the IdP user\'s factors apply' }
    : { strength: 'not_applicable', detail: trusted.length > 0 ? `assumed by ${trusted.join('; ')}` : mfaCondition ? 'assumed by account principals with MFA' : 'assumed by account principals' };
  if (mfaCondition && !saml) auth.detail += ' (trust requires MFA)';
  return {
    id: role.id,
    type: 'aws.iam.role',
    plane: 'aws',
    source: role.provenance.source,
    name: role.name,
    email: null,
    owner: ownerOf(a.tags),
    manager: null,
    status: 'active',
    accountClass: isBreakGlassTagged(a.tags) || /break-?glass/i.test(role.name) ? 'break_glass' : a.serviceLinked ? 'system' : saml ? 'human' : 'service',
    grants,
    auth,
    credentials: [],
    lastUsed: a.lastUsedAt,
    lastUsedSource: 'role assumed',
    createdAt: a.createdAt,
    groups: [],
    hints: { external },
  };
}

// ---------------------------------------------------------------- Kubernetes plane

interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

const READ_K8S_VERBS = new Set(['get', 'list', 'watch']);
/** Resources whose `create` only asks a question (who am I, may I): reads, not writes. */
const REVIEW_RESOURCES = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews', 'subjectaccessreviews', 'tokenreviews', 'localsubjectaccessreviews']);

/** admin: wildcard verbs on wildcard resources, cluster-admin, or escalate/bind/impersonate; write: any other verb; read: get/list/watch only. */
export function rbacPrivilege(roleName: string, rules: readonly RbacRule[], scope: 'cluster' | 'namespace'): { privilege: Privilege; dangerous: string[] } {
  const dangerous = dangerousPermissions(rules.map((r) => ({ apiGroups: r.apiGroups, resources: r.resources, verbs: r.verbs, resourceNames: r.resourceNames ?? [] })), scope);
  if (roleName === 'cluster-admin' && scope === 'cluster') return { privilege: 'admin', dangerous };
  if (rules.some((r) => r.verbs.includes('*') && r.resources.includes('*'))) return { privilege: 'admin', dangerous };
  if (dangerous.some((d) => d === 'escalate' || d === 'bind' || d === 'impersonate')) return { privilege: 'admin', dangerous };
  const writes = (r: RbacRule): boolean => r.verbs.some((v) => !READ_K8S_VERBS.has(v)) && !(r.resources.length > 0 && r.resources.every((x) => REVIEW_RESOURCES.has(x)));
  if (rules.some(writes)) return { privilege: 'write', dangerous };
  return { privilege: rules.length > 0 ? 'read' : 'none', dangerous };
}

interface Subject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  readonly namespace: string | null;
}

/** `k8s://<cluster>/...` → cluster. */
export function clusterOf(id: string): string {
  return /^k8s:\/\/([^/]+)\//.exec(id)?.[1] ?? 'unknown';
}

export function k8sSubjectId(cluster: string, kind: 'User' | 'Group', name: string): string {
  return `k8s://${cluster}/_subject/${kind}/${name}`;
}

export function k8sServiceAccountId(cluster: string, namespace: string, name: string): string {
  return `k8s://${cluster}/${namespace}/ServiceAccount/${name}`;
}

/** Kubernetes subjects of bindings (and IRSA-annotated service accounts), with the roles bound to them. */
export function kubernetesPrincipals(inventory: InventoryIndex): DraftPrincipal[] {
  const out = new Map<string, DraftPrincipal>();
  const resolver = new RoleResolver(inventory);
  const accounts = new Map<string, TypedResource<'k8s.serviceAccount'>>();
  for (const sa of inventory.ofKind('k8s.serviceAccount')) accounts.set(sa.id, sa);
  const accountsCollected = inventory.snapshot.coverage['k8s.serviceAccount']?.state === 'complete' || accounts.size > 0;

  const principalFor = (cluster: string, subject: Subject, bindingNamespace: string | undefined): DraftPrincipal => {
    const namespace = subject.namespace ?? bindingNamespace ?? '';
    const id = subject.kind === 'ServiceAccount' ? k8sServiceAccountId(cluster, namespace, subject.name) : k8sSubjectId(cluster, subject.kind, subject.name);
    let p = out.get(id);
    if (!p) {
      const sa = subject.kind === 'ServiceAccount' ? accounts.get(id) : undefined;
      p = k8sPrincipal(id, cluster, subject, namespace, bindingNamespace, sa, subject.kind === 'ServiceAccount' && !sa && accountsCollected);
      out.set(id, p);
    }
    return p;
  };

  const bindings = [...inventory.ofKind('k8s.rbac.clusterRoleBinding'), ...inventory.ofKind('k8s.rbac.roleBinding')];
  for (const binding of bindings) {
    const cluster = clusterOf(binding.id);
    const namespace = binding.kind === 'k8s.rbac.roleBinding' ? String(binding.attributes.namespace) : undefined;
    const ref = binding.attributes.roleRef;
    const role = resolver.resolve(binding);
    const scope = namespace === undefined ? 'cluster' : 'namespace';
    const notes: string[] = [];
    let privilege: Privilege = 'none';
    if (role) {
      const result = rbacPrivilege(ref.name, role.rules, scope);
      privilege = result.privilege;
      notes.push(...result.dangerous);
      if (role.origin === 'bootstrap') notes.push(bootstrapNote(role));
    } else notes.push('roleRef not found: grants nothing');
    const owner = ownerOf(binding.attributes.annotations, binding.attributes.labels);
    if (owner) notes.push(`binding owner: ${owner}`);
    const via = namespace === undefined ? `ClusterRoleBinding/${binding.name}` : `RoleBinding ${namespace}/${binding.name}`;
    const grantScope = namespace === undefined ? `k8s:${cluster}` : `k8s:${cluster}/ns/${namespace}`;
    for (const subject of binding.attributes.subjects) {
      const p = principalFor(cluster, subject, namespace);
      p.grants.push(makeGrant({ privilege, what: `${ref.kind}/${ref.name}`, via, scope: grantScope, plane: 'kubernetes', notes }));
    }
  }
  // Service accounts with a cloud identity are principals even without a binding.
  for (const sa of accounts.values()) {
    if (sa.attributes.annotations['eks.amazonaws.com/role-arn'] && !out.has(sa.id)) {
      principalFor(clusterOf(sa.id), { kind: 'ServiceAccount', name: sa.name, namespace: String(sa.attributes.namespace) }, undefined);
    }
  }
  return [...out.values()];
}

function k8sPrincipal(
  id: string,
  cluster: string,
  subject: Subject,
  namespace: string,
  bindingNamespace: string | undefined,
  sa: TypedResource<'k8s.serviceAccount'> | undefined,
  dangling: boolean,
): DraftPrincipal {
  const system = isSystemSubject(subject, bindingNamespace);
  const isPublic = publicSubjectNames.includes(subject.name);
  const type: PrincipalType = subject.kind === 'User' ? 'k8s.user' : subject.kind === 'Group' ? 'k8s.group' : 'k8s.serviceAccount';
  const accountClass: AccountClass = system ? 'system' : subject.kind === 'Group' ? 'group' : subject.kind === 'ServiceAccount' ? 'service' : 'human';
  return {
    id,
    type,
    plane: 'kubernetes',
    source: `k8s:${cluster}`,
    name: subject.kind === 'ServiceAccount' ? `${namespace}/${subject.name}` : subject.name,
    email: null,
    owner: sa ? ownerOf(sa.attributes.annotations, sa.attributes.labels) : null,
    manager: null,
    status: dangling ? 'missing' : 'active',
    accountClass,
    grants: [],
    auth:
      subject.kind === 'ServiceAccount'
        ? { strength: 'not_applicable', detail: 'service account token' }
        : { strength: 'unknown', detail: 'authenticated by the cluster\'s authenticator (not in the data)' },
    credentials: [],
    lastUsed: null,
    lastUsedSource: 'unknown',
    createdAt: null,
    groups: [],
    hints: { public: isPublic, dangling },
  };
}
