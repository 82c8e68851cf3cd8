import { z } from 'zod';
import { analyser } from '../analyser.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Kind } from '../../inventory/kinds/index.js';
import type { TypedResource } from '../../inventory/snapshot.js';
import { RoleResolver, roleText } from './role-resolution.js';
import { isPlatformRbacObject } from './platform-objects.js';
import { isSystemNamespace } from './system-namespaces.js';

/**
 * Kubernetes RBAC facts rules can test without re-implementing RBAC matching in CEL:
 * which dangerous permissions a Role/ClusterRole holds, what a binding really grants
 * (a RoleBinding to a ClusterRole is namespace-scoped; a dangling roleRef grants
 * nothing), and which of a binding's subjects are not Kubernetes' own identities.
 */

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Absent or empty: every object of the resources. */
  readonly resourceNames?: readonly string[];
}

interface Subject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  readonly namespace: string | null;
}

/** One way to hold a permission: API group, resource (optionally /subresource), verbs (`null` = any verb). */
interface Target {
  readonly group: string;
  readonly resource: string;
  readonly verbs: readonly string[] | null;
  /** A namespaced resource: also granted through a RoleBinding. */
  readonly namespaced: boolean;
}

const RBAC = 'rbac.authorization.k8s.io';
const ADMISSION = 'admissionregistration.k8s.io';
const WRITE = ['create', 'update', 'patch', 'delete'];

/**
 * The dangerous-permission vocabulary, in report order. Reading a pod's exec/attach
 * stream needs `create` (and, through websockets on older API servers, `get`).
 */
export const dangerousPermissionTargets: Readonly<Record<string, readonly Target[]>> = {
  'secrets:read': [{ group: '', resource: 'secrets', verbs: ['get', 'list', 'watch'], namespaced: true }],
  'pods/exec': [{ group: '', resource: 'pods/exec', verbs: ['create', 'get'], namespaced: true }],
  'pods/attach': [{ group: '', resource: 'pods/attach', verbs: ['create', 'get'], namespaced: true }],
  // A tunnel into the pod's network from the API server: past every NetworkPolicy.
  'pods/portforward': [{ group: '', resource: 'pods/portforward', verbs: ['create', 'get'], namespaced: true }],
  // The API server relays HTTP to pods and services (any verb): past NetworkPolicy too.
  proxy: [
    { group: '', resource: 'pods/proxy', verbs: null, namespaced: true },
    { group: '', resource: 'services/proxy', verbs: null, namespaced: true },
  ],
  // Creating a pod, or a controller that creates them, runs as any service account of the
  // namespace and mounts any Secret there (RBAC good practices: workload creation).
  'create-workloads': [
    { group: '', resource: 'pods', verbs: ['create'], namespaced: true },
    { group: '', resource: 'replicationcontrollers', verbs: ['create'], namespaced: true },
    { group: 'apps', resource: 'deployments', verbs: ['create'], namespaced: true },
    { group: 'apps', resource: 'statefulsets', verbs: ['create'], namespaced: true },
    { group: 'apps', resource: 'daemonsets', verbs: ['create'], namespaced: true },
    { group: 'apps', resource: 'replicasets', verbs: ['create'], namespaced: true },
    { group: 'batch', resource: 'jobs', verbs: ['create'], namespaced: true },
    { group: 'batch', resource: 'cronjobs', verbs: ['create'], namespaced: true },
  ],
  'nodes/proxy': [{ group: '', resource: 'nodes/proxy', verbs: null, namespaced: false }],
  'serviceaccounts/token': [{ group: '', resource: 'serviceaccounts/token', verbs: ['create'], namespaced: true }],
  escalate: [
    { group: RBAC, resource: 'roles', verbs: ['escalate'], namespaced: true },
    { group: RBAC, resource: 'clusterroles', verbs: ['escalate'], namespaced: false },
  ],
  bind: [
    { group: RBAC, resource: 'roles', verbs: ['bind'], namespaced: true },
    { group: RBAC, resource: 'clusterroles', verbs: ['bind'], namespaced: false },
  ],
  impersonate: [
    { group: '', resource: 'users', verbs: ['impersonate'], namespaced: false },
    { group: '', resource: 'groups', verbs: ['impersonate'], namespaced: false },
    { group: '', resource: 'serviceaccounts', verbs: ['impersonate'], namespaced: true },
    { group: 'authentication.k8s.io', resource: 'uids', verbs: ['impersonate'], namespaced: false },
  ],
  'csr-approval': [{ group: 'certificates.k8s.io', resource: 'certificatesigningrequests/approval', verbs: ['update', 'patch'], namespaced: false }],
  'webhook-config': [
    { group: ADMISSION, resource: 'validatingwebhookconfigurations', verbs: WRITE, namespaced: false },
    { group: ADMISSION, resource: 'mutatingwebhookconfigurations', verbs: WRITE, namespaced: false },
  ],
  // Deleting these removes a control or destroys what others depend on, beyond one
  // application: a namespace (everything in it), a node, stored data (PersistentVolumes and
  // claims), a CRD (every custom resource of it — the mesh's and policy engines' policies),
  // NetworkPolicies (isolation) and admission policies.
  'delete-critical': [
    ...[
      { group: '', resource: 'namespaces', namespaced: false },
      { group: '', resource: 'nodes', namespaced: false },
      { group: '', resource: 'persistentvolumes', namespaced: false },
      { group: '', resource: 'persistentvolumeclaims', namespaced: true },
      { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', namespaced: false },
      { group: 'networking.k8s.io', resource: 'networkpolicies', namespaced: true },
      { group: ADMISSION, resource: 'validatingadmissionpolicies', namespaced: false },
      { group: ADMISSION, resource: 'validatingadmissionpolicybindings', namespaced: false },
    ].map((t) => ({ ...t, verbs: ['delete', 'deletecollection'] })),
  ],
};

/** Permissions that let a holder raise their own privileges or reach other identities' credentials. */
export const escalationPermissions: readonly string[] = [
  'pods/exec',
  'pods/attach',
  'create-workloads',
  'nodes/proxy',
  'serviceaccounts/token',
  'escalate',
  'bind',
  'impersonate',
  'csr-approval',
  'webhook-config',
];

/**
 * RBAC's own resource matching (the authorizer's ResourceMatches): `*` (every resource and
 * subresource), the exact `resource` or `resource/subresource`, or `*\/subresource` (that
 * subresource of any resource). Nothing else is a pattern: `pods/*` matches no request for
 * `pods/exec`, and `pods` does not grant its subresources.
 */
export function resourceMatches(ruleResources: readonly string[], wanted: string): boolean {
  const slash = wanted.indexOf('/');
  const subresource = slash >= 0 ? wanted.slice(slash + 1) : '';
  return ruleResources.some((r) => r === '*' || r === wanted || (subresource !== '' && r === `*/${subresource}`));
}

/**
 * Verbs a rule limited to resourceNames can never allow on a resource: the request names
 * no object. `create` of a resource (its name is not known when it is authorised) and
 * `deletecollection` (RBAC documentation, "Referring to resources"); creating a
 * subresource (pods/exec, serviceaccounts/token) names its parent and can be limited.
 */
function unnameable(verb: string, resource: string): boolean {
  return verb === 'deletecollection' || (verb === 'create' && !resource.includes('/'));
}

/**
 * Does one RBAC rule allow `verb` on `group`/`resource` for a request naming `name` (''
 * when the request names no object: create, list, deletecollection)? `*` or the exact
 * value per field; resourceNames, when given, must hold the name (the authorizer's
 * ResourceNameMatches), so a rule limited to names never allows a request naming none.
 */
export function rbacRuleAllows(rule: PolicyRule, group: string, resource: string, verb: string, name = ''): boolean {
  const names = rule.resourceNames ?? [];
  return (
    (rule.apiGroups.includes('*') || rule.apiGroups.includes(group)) &&
    resourceMatches(rule.resources, resource) &&
    (rule.verbs.includes('*') || rule.verbs.includes(verb)) &&
    (names.length === 0 || (name !== '' && names.includes(name)))
  );
}

/**
 * How one rule grants a target: on every object (`all`), only on the objects it names
 * (`named`, a rule with resourceNames), or not at all. A named rule grants none of the
 * verbs whose requests name no object (unnameable).
 */
export function ruleGrant(rule: PolicyRule, target: Target): 'all' | 'named' | undefined {
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(target.group)) return undefined;
  if (!resourceMatches(rule.resources, target.resource)) return undefined;
  const named = (rule.resourceNames?.length ?? 0) > 0;
  const usable = (verb: string): boolean => !named || !unnameable(verb, target.resource);
  let granted: boolean;
  if (target.verbs === null) granted = rule.verbs.some((v) => v === '*' || usable(v));
  else granted = target.verbs.some((v) => usable(v) && (rule.verbs.includes('*') || rule.verbs.includes(v)));
  if (!granted) return undefined;
  return named ? 'named' : 'all';
}

/**
 * The dangerous permissions a set of rules holds. `scope: 'namespace'` is what a
 * RoleBinding conveys: permissions on cluster-scoped resources (nodes, webhooks, CSRs,
 * users/groups) do not apply there. `wildcard` = a `*` in verbs, resources or apiGroups.
 */
export function dangerousPermissions(rules: readonly PolicyRule[], scope: 'cluster' | 'namespace'): string[] {
  const found: string[] = [];
  const unnamed = (r: PolicyRule): boolean => (r.resourceNames?.length ?? 0) === 0;
  if (rules.some((r) => unnamed(r) && (r.verbs.includes('*') || r.resources.includes('*') || r.apiGroups.includes('*')))) found.push('wildcard');
  for (const [name, targets] of Object.entries(dangerousPermissionTargets)) {
    const applicable = targets.filter((t) => scope === 'cluster' || t.namespaced);
    let grant: 'all' | 'named' | undefined;
    for (const rule of rules) {
      for (const t of applicable) {
        const g = ruleGrant(rule, t);
        if (g === 'all' || (g === 'named' && grant === undefined)) grant = g;
      }
      if (grant === 'all') break;
    }
    // Limited to named objects, a permission still counts: the named pod, service account,
    // role or user may be the powerful one, which zt cannot tell offline. Only reading named
    // Secrets is told apart (the least-privilege way to hand a workload its own Secret).
    if (grant === 'all' || (grant === 'named' && name !== 'secrets:read')) found.push(name);
    else if (grant === 'named') found.push('secrets:read-named');
  }
  return found;
}

/**
 * Roles the platform ships (platform-objects.ts): `system:` names, the bootstrap label the
 * API server puts on its defaults (cluster-admin, admin, edit, view), the marks of managed
 * add-ons, kubeadm's roles. Not a role merely because it is in a platform namespace.
 */
export function isSystemRole(name: string, labels: Readonly<Record<string, string>>, namespace?: string): boolean {
  return isPlatformRbacObject(name, labels, namespace);
}

/** Subjects that mean "everyone" (any caller, or any caller with any credential). */
export const publicSubjectNames: readonly string[] = ['system:anonymous', 'system:unauthenticated', 'system:authenticated'];

/** "User:alice", "Group:sre", "ServiceAccount:ci/deployer" (namespace defaults to the binding's). */
export function subjectLabel(subject: Subject, bindingNamespace: string | undefined): string {
  if (subject.kind === 'ServiceAccount') return `ServiceAccount:${subject.namespace ?? bindingNamespace ?? ''}/${subject.name}`;
  return `${subject.kind}:${subject.name}`;
}

/**
 * Kubernetes' own identities: `system:` users and groups (control plane, nodes,
 * system:masters), service accounts of platform namespaces and their groups. The
 * public groups, `system:serviceaccounts` (every service account) and the service
 * accounts of application namespaces are not system identities.
 */
export function isSystemSubject(subject: Subject, bindingNamespace: string | undefined): boolean {
  if (publicSubjectNames.includes(subject.name)) return false;
  if (subject.kind === 'ServiceAccount') return isSystemNamespace(subject.namespace ?? bindingNamespace ?? '');
  if (subject.kind === 'Group' && subject.name === 'system:serviceaccounts') return false;
  const saGroup = /^system:serviceaccounts:(.+)$/.exec(subject.name);
  if (subject.kind === 'Group' && saGroup) return isSystemNamespace(saGroup[1] as string);
  const saUser = /^system:serviceaccount:([^:]+):.+$/.exec(subject.name);
  if (subject.kind === 'User' && saUser) return isSystemNamespace(saUser[1] as string);
  return subject.name.startsWith('system:');
}

/**
 * Was a kind read completely in the cluster (provenance source) at hand? Per cluster: one
 * cluster's gap says nothing of another's. Without coverage, having resources of the kind
 * in that cluster counts (as in rule verdicts).
 */
function collectedIn(inventory: InventoryIndex, kind: Kind): (source: string) => boolean {
  const present = new Set(inventory.ofKind(kind).map((r) => r.provenance.source));
  const { coverage, coverageBySource } = inventory.snapshot;
  return (source) => {
    const own = coverageBySource?.[source]?.[kind] ?? (coverageBySource?.[source] ? undefined : coverage[kind]);
    return own ? own.state === 'complete' : present.has(source);
  };
}

/** Names are unique within one cluster only: every lookup by name is keyed by the cluster too. */
const inCluster = (source: string, name: string): string => `${source}\u0000${name}`;

type BindingResource = TypedResource<'k8s.rbac.roleBinding' | 'k8s.rbac.clusterRoleBinding'>;

const roleOutput = z.object({
  systemRole: z
    .boolean()
    .describe(
      'A role the platform ships: a system: name, the kubernetes.io/bootstrapping=rbac-defaults label, a managed add-on\'s mark (addonmanager.kubernetes.io/mode, eks.amazonaws.com/component, kubernetes.azure.com/managedby=aks), kubeadm: in a platform namespace; not just any role in a platform namespace.',
    ),
  dangerousPermissions: z
    .array(z.string())
    .describe(
      'Dangerous permissions the role holds: wildcard, secrets:read (secrets:read-named when only named Secrets), pods/exec, pods/attach, pods/portforward, proxy (pods/proxy, services/proxy), create-workloads (pods or their controllers), nodes/proxy, serviceaccounts/token, escalate, bind, impersonate, csr-approval, webhook-config, delete-critical (namespaces, nodes, volumes and claims, CRDs, NetworkPolicies, admission policies). A rule limited to resourceNames counts for what it can grant on those names: never create or deletecollection.',
    ),
});

export const clusterRolePermissionsAnalyser = analyser({
  kind: 'k8s.rbac.clusterRole',
  inputs: [],
  output: roleOutput,
  derive(inventory) {
    const out = new Map<string, z.output<typeof roleOutput>>();
    for (const role of inventory.ofKind('k8s.rbac.clusterRole')) {
      out.set(role.id, {
        systemRole: isSystemRole(role.name, role.attributes.labels),
        dangerousPermissions: dangerousPermissions(role.attributes.rules, 'cluster'),
      });
    }
    return out;
  },
});

export const rolePermissionsAnalyser = analyser({
  kind: 'k8s.rbac.role',
  inputs: [],
  output: roleOutput,
  derive(inventory) {
    const out = new Map<string, z.output<typeof roleOutput>>();
    for (const role of inventory.ofKind('k8s.rbac.role')) {
      out.set(role.id, {
        systemRole: isSystemRole(role.name, role.attributes.labels, String(role.attributes.namespace)),
        dangerousPermissions: dangerousPermissions(role.attributes.rules, 'namespace'),
      });
    }
    return out;
  },
});

const bindingOutput = z.object({
  boundRole: z
    .string()
    .describe('The roleRef as text, "ClusterRole/x" or "Role/x" (for messages); a built-in role taken from zt\'s bundled bootstrap roles says so.'),
  roleFound: z
    .boolean()
    .nullable()
    .describe(
      'The referenced Role/ClusterRole exists: in the input, or (input read offline) among Kubernetes\' bootstrap ClusterRoles; null when roles were not collected, so a dangling reference cannot be told apart.',
    ),
  roleOrigin: z
    .enum(['input', 'bootstrap'])
    .nullable()
    .describe('Where the role\'s rules came from: the input, or zt\'s bundled Kubernetes bootstrap roles (manifests that bind edit, view, admin or cluster-admin without defining them); null when not found.'),
  grants: z
    .array(z.string())
    .nullable()
    .describe('Dangerous permissions the binding conveys to its subjects (see dangerousPermissions; namespace-scoped for a RoleBinding); [] for a dangling roleRef; null when unknown.'),
  nonSystemSubjects: z
    .array(z.string())
    .describe(
      'Subjects that are not Kubernetes\' own identities, as "User:x", "Group:x", "ServiceAccount:ns/x"; includes system:authenticated, system:unauthenticated, system:anonymous and system:serviceaccounts.',
    ),
  publicSubjects: z.array(z.string()).describe('Subjects meaning everyone: system:anonymous, system:unauthenticated, system:authenticated.'),
});

/** `namespace`: the RoleBinding's; undefined for a ClusterRoleBinding. */
function bindingFacts(
  binding: BindingResource,
  namespace: string | undefined,
  resolver: RoleResolver,
  roleKindCollected: boolean,
  scope: 'cluster' | 'namespace',
): z.output<typeof bindingOutput> {
  const subjects = binding.attributes.subjects;
  const ref = binding.attributes.roleRef;
  const role = resolver.resolve(binding);
  // A built-in role of a Kubernetes release zt holds no data for: neither found nor dangling.
  const known = roleKindCollected && !resolver.bootstrapUnknown(binding);
  let grants: string[] | null;
  if (role) grants = dangerousPermissions(role.rules, scope);
  else grants = known ? [] : null;
  return {
    boundRole: roleText(ref.kind, ref.name, role),
    roleFound: role ? true : known ? false : null,
    roleOrigin: role ? role.origin : null,
    grants,
    nonSystemSubjects: subjects.filter((s) => !isSystemSubject(s, namespace)).map((s) => subjectLabel(s, namespace)),
    publicSubjects: subjects.filter((s) => publicSubjectNames.includes(s.name)).map((s) => s.name),
  };
}

export const clusterRoleBindingAnalyser = analyser({
  kind: 'k8s.rbac.clusterRoleBinding',
  inputs: [],
  // A dangling roleRef is told from an unread role resource by resource (roleFound, grants null).
  judges: ['k8s.rbac.clusterRole', 'k8s.rbac.role', 'k8s.cluster'],
  output: bindingOutput,
  derive(inventory) {
    const resolver = new RoleResolver(inventory);
    const known = collectedIn(inventory, 'k8s.rbac.clusterRole');
    const out = new Map<string, z.output<typeof bindingOutput>>();
    for (const binding of inventory.ofKind('k8s.rbac.clusterRoleBinding')) {
      out.set(binding.id, bindingFacts(binding, undefined, resolver, known(binding.provenance.source), 'cluster'));
    }
    return out;
  },
});

export const roleBindingAnalyser = analyser({
  kind: 'k8s.rbac.roleBinding',
  inputs: [],
  judges: ['k8s.rbac.role', 'k8s.rbac.clusterRole', 'k8s.cluster'],
  output: bindingOutput,
  derive(inventory) {
    const resolver = new RoleResolver(inventory);
    const knownRoles = collectedIn(inventory, 'k8s.rbac.role');
    const knownClusterRoles = collectedIn(inventory, 'k8s.rbac.clusterRole');
    const out = new Map<string, z.output<typeof bindingOutput>>();
    for (const binding of inventory.ofKind('k8s.rbac.roleBinding')) {
      const ref = binding.attributes.roleRef;
      const known = ref.kind === 'Role' ? knownRoles : knownClusterRoles;
      out.set(binding.id, bindingFacts(binding, binding.attributes.namespace, resolver, known(binding.provenance.source), 'namespace'));
    }
    return out;
  },
});

/**
 * Roles bound directly to each service account ("ClusterRole/x", "Role/x", sorted,
 * deduplicated). Group subjects (system:serviceaccounts…) are not counted: a grant to
 * every service account says nothing about what one workload needs. `null` when no
 * binding names the account and some binding kind was not collected.
 */
function serviceAccountRoles(inventory: InventoryIndex): { byAccount: Map<string, string[]>; complete: (source: string) => boolean } {
  const byAccount = new Map<string, Set<string>>();
  const roleBindingsRead = collectedIn(inventory, 'k8s.rbac.roleBinding');
  const clusterRoleBindingsRead = collectedIn(inventory, 'k8s.rbac.clusterRoleBinding');
  const add = (binding: BindingResource, namespace: string | undefined): void => {
    const ref = binding.attributes.roleRef;
    for (const s of binding.attributes.subjects) {
      if (s.kind !== 'ServiceAccount') continue;
      const key = inCluster(binding.provenance.source, `${s.namespace ?? namespace ?? ''}/${s.name}`);
      let set = byAccount.get(key);
      if (!set) byAccount.set(key, (set = new Set()));
      set.add(`${ref.kind}/${ref.name}`);
    }
  };
  for (const b of inventory.ofKind('k8s.rbac.roleBinding')) add(b, String(b.attributes.namespace));
  for (const b of inventory.ofKind('k8s.rbac.clusterRoleBinding')) add(b, undefined);
  return {
    byAccount: new Map([...byAccount].map(([k, v]) => [k, [...v].sort()])),
    complete: (source) => roleBindingsRead(source) && clusterRoleBindingsRead(source),
  };
}

const serviceAccountOutput = z.object({
  systemNamespace: z.boolean().describe('The service account lives in a platform namespace (kube-system, istio-system, …).'),
  boundRoles: z
    .array(z.string())
    .nullable()
    .describe('Roles bound directly to the service account, as "ClusterRole/x" or "Role/x" (null when bindings were not collected).'),
});

export const serviceAccountRbacAnalyser = analyser({
  kind: 'k8s.serviceAccount',
  inputs: [],
  fieldInputs: { boundRoles: ['k8s.rbac.roleBinding', 'k8s.rbac.clusterRoleBinding'] },
  output: serviceAccountOutput,
  derive(inventory) {
    const { byAccount, complete } = serviceAccountRoles(inventory);
    const out = new Map<string, z.output<typeof serviceAccountOutput>>();
    for (const sa of inventory.ofKind('k8s.serviceAccount')) {
      const namespace = String(sa.attributes.namespace);
      const roles = byAccount.get(inCluster(sa.provenance.source, `${namespace}/${sa.name}`));
      out.set(sa.id, { systemNamespace: isSystemNamespace(namespace), boundRoles: roles ?? (complete(sa.provenance.source) ? [] : null) });
    }
    return out;
  },
});

const workloadOutput = z.object({
  serviceAccountRoles: z
    .array(z.string())
    .nullable()
    .describe('Roles bound directly to the pods\' service account, as "ClusterRole/x" or "Role/x" (null when bindings were not collected).'),
});

export const workloadRbacAnalyser = analyser({
  kind: 'k8s.workload',
  inputs: ['k8s.rbac.roleBinding', 'k8s.rbac.clusterRoleBinding'],
  output: workloadOutput,
  derive(inventory) {
    const { byAccount, complete } = serviceAccountRoles(inventory);
    const out = new Map<string, z.output<typeof workloadOutput>>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      const roles = byAccount.get(inCluster(workload.provenance.source, `${String(workload.attributes.namespace)}/${workload.attributes.pod.serviceAccountName}`));
      out.set(workload.id, { serviceAccountRoles: roles ?? (complete(workload.provenance.source) ? [] : null) });
    }
    return out;
  },
});

/**
 * What every binding of the inventory grants (its `grants` fact: null when unknown), with
 * whether each cluster's bindings were all read. Shared by the facts on who holds what.
 */
export function allBindingGrants(inventory: InventoryIndex): {
  readonly bindings: readonly { readonly binding: BindingResource; readonly namespace: string | undefined; readonly grants: readonly string[] | null }[];
  readonly complete: (source: string) => boolean;
} {
  const resolver = new RoleResolver(inventory);
  const knownRoles = collectedIn(inventory, 'k8s.rbac.role');
  const knownClusterRoles = collectedIn(inventory, 'k8s.rbac.clusterRole');
  const roleBindingsRead = collectedIn(inventory, 'k8s.rbac.roleBinding');
  const clusterRoleBindingsRead = collectedIn(inventory, 'k8s.rbac.clusterRoleBinding');
  const bindings: { binding: BindingResource; namespace: string | undefined; grants: readonly string[] | null }[] = [];
  for (const binding of inventory.ofKind('k8s.rbac.roleBinding')) {
    const namespace = String(binding.attributes.namespace);
    const known = binding.attributes.roleRef.kind === 'Role' ? knownRoles : knownClusterRoles;
    bindings.push({ binding, namespace, grants: bindingFacts(binding, namespace, resolver, known(binding.provenance.source), 'namespace').grants });
  }
  for (const binding of inventory.ofKind('k8s.rbac.clusterRoleBinding')) {
    bindings.push({ binding, namespace: undefined, grants: bindingFacts(binding, undefined, resolver, knownClusterRoles(binding.provenance.source), 'cluster').grants });
  }
  return { bindings, complete: (source) => roleBindingsRead(source) && clusterRoleBindingsRead(source) };
}
