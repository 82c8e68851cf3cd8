import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/analysis/index.js';
import {
  dangerousPermissions,
  isSystemRole,
  isSystemSubject,
  subjectLabel,
} from '../../../src/analysis/kubernetes/rbac-permissions.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import type { Resource, Snapshot } from '../../../src/inventory/snapshot.js';
import { facts, resource, workload } from './support.js';

const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs, resourceNames: [] });

describe('dangerous permissions of a rule set', () => {
  it.each([
    ['read-only pods', [rule([''], ['pods'], ['get', 'list', 'watch'])], 'cluster', []],
    ['get secrets', [rule([''], ['secrets'], ['get'])], 'cluster', ['secrets:read']],
    ['watch secrets only', [rule([''], ['secrets'], ['watch'])], 'namespace', ['secrets:read']],
    ['create secrets is not reading them', [rule([''], ['secrets'], ['create', 'delete'])], 'cluster', []],
    ['secrets in another API group', [rule(['example.io'], ['secrets'], ['get'])], 'cluster', []],
    ['configmaps are not secrets', [rule([''], ['configmaps'], ['get', 'list'])], 'cluster', []],
    ['exec with create', [rule([''], ['pods/exec'], ['create'])], 'namespace', ['pods/exec']],
    ['exec with get (websocket upgrade)', [rule([''], ['pods/exec'], ['get'])], 'namespace', ['pods/exec']],
    ['pods without the subresource do not allow exec (creating pods is its own permission)', [rule([''], ['pods'], ['create', 'get'])], 'namespace', ['create-workloads']],
    ['pods/* is no pattern and grants no subresource', [rule([''], ['pods/*'], ['create'])], 'namespace', []],
    ['port-forward into pods', [rule([''], ['pods/portforward'], ['create'])], 'namespace', ['pods/portforward']],
    ['the proxy subresource of services, any verb', [rule([''], ['services/proxy'], ['get'])], 'namespace', ['proxy']],
    ['creating Jobs runs pods as any service account', [rule(['batch'], ['jobs'], ['create'])], 'namespace', ['create-workloads']],
    ['updating Deployments is not creating them', [rule(['apps'], ['deployments'], ['update', 'patch'])], 'namespace', []],
    ['*/exec-style subresource wildcard', [rule([''], ['*/attach'], ['create'])], 'namespace', ['pods/attach']],
    ['nodes/proxy with any verb', [rule([''], ['nodes/proxy'], ['get'])], 'cluster', ['nodes/proxy']],
    ['nodes/proxy through a RoleBinding is nothing (cluster-scoped)', [rule([''], ['nodes/proxy'], ['get'])], 'namespace', []],
    ['token requests', [rule([''], ['serviceaccounts/token'], ['create'])], 'namespace', ['serviceaccounts/token']],
    ['escalate on roles', [rule(['rbac.authorization.k8s.io'], ['roles'], ['escalate'])], 'namespace', ['escalate']],
    ['bind on clusterroles, cluster-wide', [rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'])], 'cluster', ['bind']],
    ['bind on clusterroles through a RoleBinding', [rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'])], 'namespace', []],
    ['impersonate users', [rule([''], ['users', 'groups'], ['impersonate'])], 'cluster', ['impersonate']],
    ['impersonate service accounts in a namespace', [rule([''], ['serviceaccounts'], ['impersonate'])], 'namespace', ['impersonate']],
    ['approve CSRs', [rule(['certificates.k8s.io'], ['certificatesigningrequests/approval'], ['update'])], 'cluster', ['csr-approval']],
    ['read webhooks is harmless', [rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['get', 'list'])], 'cluster', []],
    ['patch webhooks', [rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['patch'])], 'cluster', ['webhook-config']],
    ['wildcard verbs on pods only', [rule([''], ['pods'], ['*'])], 'namespace', ['wildcard', 'create-workloads']],
    ['wildcard API groups, harmless resources', [rule(['*'], ['deployments'], ['get'])], 'cluster', ['wildcard']],
    [
      'cluster-admin style',
      [rule(['*'], ['*'], ['*'])],
      'cluster',
      ['wildcard', 'secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'nodes/proxy', 'serviceaccounts/token', 'escalate', 'bind', 'impersonate', 'csr-approval', 'webhook-config', 'delete-critical'],
    ],
    [
      'cluster-admin through a RoleBinding: namespaced only',
      [rule(['*'], ['*'], ['*'])],
      'namespace',
      ['wildcard', 'secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'serviceaccounts/token', 'escalate', 'bind', 'impersonate', 'delete-critical'],
    ],
  ] as const)('%s', (_name, rules, scope, expected) => {
    expect(dangerousPermissions(rules as never, scope)).toEqual(expected);
  });
});

describe('system roles and subjects', () => {
  it.each([
    ['system:controller:deployment-controller', {}, undefined, true],
    ['cluster-admin', { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, undefined, true],
    ['cluster-admin-copy', {}, undefined, false],
    ['systemd-reader', {}, undefined, false], // "system" without the colon
    // Shipped by the platform: marked so, not just placed in a platform namespace.
    ['extension-apiserver-authentication-reader', { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, 'kube-system', true],
    ['extension-apiserver-authentication-reader-copy', {}, 'kube-system', false],
    ['ops-pods', { 'app.kubernetes.io/managed-by': 'Helm' }, 'kube-system', false],
    ['kubeadm:kubelet-config', {}, 'kube-system', true],
    ['kubeadm:kubelet-config', {}, 'shop', false],
    ['coredns-autoscaler', { 'addonmanager.kubernetes.io/mode': 'Reconcile' }, 'kube-system', true],
    ['eks-coredns', { 'eks.amazonaws.com/component': 'coredns' }, 'kube-system', true],
    ['aks-role', { 'kubernetes.azure.com/managedby': 'aks' }, 'kube-system', true],
    ['app-reader', {}, 'shop', false],
  ] as const)('role %s %j in %s → %s', (name, labels, namespace, expected) => {
    expect(isSystemRole(name, labels, namespace)).toBe(expected);
  });

  it.each([
    [{ kind: 'User', name: 'system:kube-controller-manager', namespace: null }, undefined, true, 'User:system:kube-controller-manager'],
    [{ kind: 'Group', name: 'system:masters', namespace: null }, undefined, true, 'Group:system:masters'],
    [{ kind: 'Group', name: 'system:authenticated', namespace: null }, undefined, false, 'Group:system:authenticated'],
    [{ kind: 'User', name: 'system:anonymous', namespace: null }, undefined, false, 'User:system:anonymous'],
    [{ kind: 'Group', name: 'system:serviceaccounts', namespace: null }, undefined, false, 'Group:system:serviceaccounts'],
    [{ kind: 'Group', name: 'system:serviceaccounts:kube-system', namespace: null }, undefined, true, 'Group:system:serviceaccounts:kube-system'],
    [{ kind: 'Group', name: 'system:serviceaccounts:shop', namespace: null }, undefined, false, 'Group:system:serviceaccounts:shop'],
    [{ kind: 'User', name: 'system:serviceaccount:shop:web', namespace: null }, undefined, false, 'User:system:serviceaccount:shop:web'],
    [{ kind: 'User', name: 'system:serviceaccount:kube-system:coredns', namespace: null }, undefined, true, 'User:system:serviceaccount:kube-system:coredns'],
    [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }, undefined, true, 'ServiceAccount:kube-system/coredns'],
    [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }, undefined, false, 'ServiceAccount:ci/deployer'],
    [{ kind: 'ServiceAccount', name: 'reader', namespace: null }, 'kube-system', true, 'ServiceAccount:kube-system/reader'], // namespace from the RoleBinding
    [{ kind: 'User', name: 'alice@acme.example', namespace: null }, undefined, false, 'User:alice@acme.example'],
    [{ kind: 'Group', name: 'systemadmins', namespace: null }, undefined, false, 'Group:systemadmins'],
  ] as const)('subject %j (binding ns %s) → system %s', (subject, bindingNs, system, label) => {
    expect(isSystemSubject(subject, bindingNs)).toBe(system);
    expect(subjectLabel(subject, bindingNs)).toBe(label);
  });
});

const clusterRole = (name: string, rules: unknown[], labels: Record<string, string> = {}) =>
  resource('k8s.rbac.clusterRole', name, { labels, annotations: {}, rules: rules.map((r) => ({ nonResourceURLs: [], ...(r as object) })), aggregated: false });
const role = (name: string, namespace: string, rules: unknown[]) =>
  resource('k8s.rbac.role', name, { namespace, labels: {}, annotations: {}, rules }, `role/${namespace}/${name}`);
const subject = (kind: string, name: string, namespace: string | null = null) => ({ kind, name, namespace });
const crb = (name: string, roleName: string, subjects: unknown[]) =>
  resource('k8s.rbac.clusterRoleBinding', name, { labels: {}, annotations: {}, roleRef: { kind: 'ClusterRole', name: roleName }, subjects });
const rb = (name: string, namespace: string, roleRef: { kind: string; name: string }, subjects: unknown[]) =>
  resource('k8s.rbac.roleBinding', name, { namespace, labels: {}, annotations: {}, roleRef, subjects }, `rb/${namespace}/${name}`);

describe('what a binding grants, and to whom', () => {
  const secretReader = clusterRole('secret-reader', [rule([''], ['secrets'], ['get', 'list', 'watch'])]);
  const admin = clusterRole('cluster-admin', [rule(['*'], ['*'], ['*'])], { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
  const nodeProxy = clusterRole('node-proxy', [rule([''], ['nodes/proxy'], ['get'])]);
  const localExec = role('exec', 'shop', [rule([''], ['pods/exec'], ['create'])]);

  it.each([
    ['everyone reads secrets', crb('oops', 'secret-reader', [subject('Group', 'system:authenticated')]), true, ['secrets:read'], ['Group:system:authenticated'], ['system:authenticated']],
    ['default cluster-admin binding', crb('cluster-admin', 'cluster-admin', [subject('Group', 'system:masters')]), true, [
      'wildcard', 'secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'nodes/proxy', 'serviceaccounts/token', 'escalate', 'bind', 'impersonate', 'csr-approval', 'webhook-config', 'delete-critical',
    ], [], []],
    ['CI bound to cluster-admin', crb('ci', 'cluster-admin', [subject('ServiceAccount', 'deployer', 'ci'), subject('User', 'system:kube-scheduler')]), true, [
      'wildcard', 'secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'nodes/proxy', 'serviceaccounts/token', 'escalate', 'bind', 'impersonate', 'csr-approval', 'webhook-config', 'delete-critical',
    ], ['ServiceAccount:ci/deployer'], []],
    ['dangling roleRef grants nothing', crb('gone', 'deleted-role', [subject('User', 'bob')]), false, [], ['User:bob'], []],
    ['RoleBinding to a ClusterRole is namespace-scoped', rb('np', 'shop', { kind: 'ClusterRole', name: 'node-proxy' }, [subject('User', 'bob')]), true, [], ['User:bob'], []],
    ['RoleBinding to cluster-admin', rb('ns-admin', 'shop', { kind: 'ClusterRole', name: 'cluster-admin' }, [subject('Group', 'shop-devs')]), true, [
      'wildcard', 'secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'serviceaccounts/token', 'escalate', 'bind', 'impersonate', 'delete-critical',
    ], ['Group:shop-devs'], []],
    ['RoleBinding to a Role of its namespace', rb('exec', 'shop', { kind: 'Role', name: 'exec' }, [subject('ServiceAccount', 'debug')]), true, ['pods/exec'], ['ServiceAccount:shop/debug'], []],
    ['a Role of another namespace is not found', rb('exec', 'billing', { kind: 'Role', name: 'exec' }, [subject('User', 'eve')]), false, [], ['User:eve'], []],
  ] as const)('%s', (_name, binding, found, grants, nonSystem, publicSubjects) => {
    const derived = facts([secretReader, admin, nodeProxy, localExec, binding]).get(binding.id);
    const ref = binding.attributes.roleRef as { kind: string; name: string };
    expect(derived).toEqual({ boundRole: `${ref.kind}/${ref.name}`, roleFound: found, roleOrigin: found ? 'input' : null, grants, nonSystemSubjects: nonSystem, publicSubjects });
  });

  it('without collected roles a missing roleRef is unknown, not "grants nothing"', () => {
    const binding = crb('ci', 'ci-deployer', [subject('ServiceAccount', 'deployer', 'ci')]);
    expect(facts([binding], { 'k8s.rbac.clusterRole': { state: 'missing', reason: 'permission_denied' } }).get(binding.id)).toMatchObject({ roleFound: null, grants: null });
  });

  it('coverage decides: roles reported complete but absent means the roleRef dangles', () => {
    const binding = crb('ci', 'ci-deployer', [subject('ServiceAccount', 'deployer', 'ci')]);
    const snapshot: Snapshot = {
      schemaVersion: 1,
      collectedAt: '2026-01-01T00:00:00Z',
      sources: [],
      coverage: { 'k8s.rbac.clusterRole': { state: 'complete' } },
      issues: [],
      resources: [binding],
    };
    expect(analyse(new InventoryIndex(snapshot)).get(binding.id)).toMatchObject({ roleFound: false, grants: [] });
    const partial = { ...snapshot, coverage: { 'k8s.rbac.clusterRole': { state: 'partial' as const, reason: 'permission_denied' as const } } };
    expect(analyse(new InventoryIndex(partial)).get(binding.id)).toMatchObject({ roleFound: null, grants: null });
  });

  it('roles carry their own facts', () => {
    const all = facts([secretReader, admin, localExec]);
    expect(all.get(secretReader.id)).toEqual({ systemRole: false, dangerousPermissions: ['secrets:read'] });
    expect(all.get(admin.id)).toMatchObject({ systemRole: true });
    expect(all.get(localExec.id)).toEqual({ systemRole: false, dangerousPermissions: ['pods/exec'] });
  });
});

describe('roles bound to a service account', () => {
  const sa = (name: string, namespace: string) =>
    resource('k8s.serviceAccount', name, { namespace, labels: {}, annotations: {}, automountServiceAccountToken: null }, `sa/${namespace}/${name}`);
  const app = workload('api', 'shop', { app: 'api' }, { serviceAccountName: 'api' });
  const apiSa = sa('api', 'shop');

  it.each([
    ['no binding names it', [rb('x', 'shop', { kind: 'Role', name: 'r' }, [subject('ServiceAccount', 'other')]), crb('y', 'view', [subject('User', 'u')])], []],
    ['RoleBinding with the namespace left to the binding', [rb('x', 'shop', { kind: 'Role', name: 'leader-election' }, [subject('ServiceAccount', 'api')]), crb('y', 'view', [])], ['Role/leader-election']],
    ['same name in another namespace does not count', [rb('x', 'billing', { kind: 'Role', name: 'r' }, [subject('ServiceAccount', 'api')]), crb('y', 'view', [])], []],
    ['ClusterRoleBinding and RoleBinding, deduplicated and sorted', [
      crb('a', 'view', [subject('ServiceAccount', 'api', 'shop')]),
      rb('b', 'shop', { kind: 'ClusterRole', name: 'view' }, [subject('ServiceAccount', 'api', 'shop')]),
      rb('c', 'shop', { kind: 'Role', name: 'config' }, [subject('ServiceAccount', 'api', 'shop')]),
    ], ['ClusterRole/view', 'Role/config']],
    ['a group of all service accounts is not a direct binding', [crb('a', 'view', [subject('Group', 'system:serviceaccounts')]), rb('b', 'shop', { kind: 'Role', name: 'r' }, [])], []],
  ] as const)('%s', (_name, bindings, expected) => {
    const all = facts([app, apiSa, ...(bindings as readonly Resource[])]);
    expect(all.get(app.id)?.serviceAccountRoles).toEqual(expected);
    expect(all.get(apiSa.id)).toEqual({ systemNamespace: false, boundRoles: expected });
  });

  it('unknown when a binding kind was not collected (three-valued: the fact is unknown, not a list)', () => {
    const all = facts([app, apiSa, rb('x', 'shop', { kind: 'Role', name: 'r' }, [])], { 'k8s.rbac.clusterRoleBinding': { state: 'missing', reason: 'permission_denied' } });
    expect(all.get(app.id)).not.toHaveProperty('serviceAccountRoles');
    expect(all.get(apiSa.id)).not.toHaveProperty('boundRoles');
    expect(all.unknownsOf(app)?.serviceAccountRoles?.because).toMatchObject({ kind: 'k8s.rbac.clusterRoleBinding', reason: 'permission_denied' });
  });

  it('a binding that names the account does not make the list known while the other kind was not collected', () => {
    // The roles found are a subset: a rule asking "no dangerous role bound" must not pass on it.
    const all = facts([app, rb('x', 'shop', { kind: 'Role', name: 'r' }, [subject('ServiceAccount', 'api')])], {
      'k8s.rbac.clusterRoleBinding': { state: 'partial', reason: 'api_error' },
    });
    expect(all.unknownsOf(app)).toHaveProperty('serviceAccountRoles');
    expect(facts([app, rb('x', 'shop', { kind: 'Role', name: 'r' }, [subject('ServiceAccount', 'api')])]).get(app.id)?.serviceAccountRoles).toEqual(['Role/r']);
  });

  it('service accounts of platform namespaces are marked', () => {
    const coredns = sa('coredns', 'kube-system');
    expect(facts([coredns]).get(coredns.id)?.systemNamespace).toBe(true);
  });
});
