import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/analysis/index.js';
import { bootstrapClusterRoles, bootstrapEditions } from '../../../src/analysis/kubernetes/bootstrap-roles.js';
import { dangerousPermissions } from '../../../src/analysis/kubernetes/rbac-permissions.js';
import { bootstrapRoleRules, editionForMinor } from '../../../src/analysis/kubernetes/role-resolution.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import type { SnapshotSource } from '../../../src/model/coverage.js';
import { completeCoverage, resource } from './support.js';

// The default roles as the RBAC documentation describes them
// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles).

const can = (rules: ReturnType<typeof bootstrapRoleRules>, group: string, res: string, verb: string): boolean =>
  (rules ?? []).some((r) => (r.apiGroups.includes('*') || r.apiGroups.includes(group)) && (r.resources.includes('*') || r.resources.includes(res)) && (r.verbs.includes('*') || r.verbs.includes(verb)));

describe('the bundled bootstrap ClusterRoles, per the RBAC documentation', () => {
  it.each(bootstrapEditions)('edition %s: cluster-admin is super-user access', (edition) => {
    expect(dangerousPermissions(bootstrapRoleRules('cluster-admin', edition)!, 'cluster')).toEqual([
      'wildcard', 'secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'nodes/proxy', 'serviceaccounts/token', 'escalate', 'bind', 'impersonate', 'csr-approval', 'webhook-config', 'delete-critical',
    ]);
  });

  it.each([
    // "edit … allows accessing Secrets and running Pods as any ServiceAccount in the namespace"
    ['1.27', 'edit', ['secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'serviceaccounts/token', 'impersonate', 'delete-critical']],
    ['1.20', 'edit', ['secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'impersonate', 'delete-critical']],
    // admin aggregates edit (and so view) plus Roles and RoleBindings of its namespace
    ['1.27', 'admin', ['secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'serviceaccounts/token', 'impersonate', 'delete-critical']],
    // "view … does not allow viewing Secrets"
    ['1.27', 'view', []],
    ['1.20', 'view', []],
    ['1.27', 'system:basic-user', []],
    ['1.27', 'system:discovery', []],
    ['1.27', 'system:public-info-viewer', []],
    // the kubelet's API: nodes/proxy
    ['1.27', 'system:kubelet-api-admin', ['wildcard', 'nodes/proxy']],
    ['1.27', 'system:node', ['secrets:read', 'create-workloads', 'serviceaccounts/token']],
  ] as const)('edition %s: %s holds %j (cluster-wide)', (edition, name, expected) => {
    expect(dangerousPermissions(bootstrapRoleRules(name, edition)!, 'cluster')).toEqual(expected);
  });

  it('admin may manage Roles and RoleBindings in its namespace; edit may not (documented difference)', () => {
    expect(can(bootstrapRoleRules('admin', '1.27'), 'rbac.authorization.k8s.io', 'rolebindings', 'create')).toBe(true);
    expect(can(bootstrapRoleRules('edit', '1.27'), 'rbac.authorization.k8s.io', 'rolebindings', 'create')).toBe(false);
    expect(can(bootstrapRoleRules('edit', '1.27'), 'rbac.authorization.k8s.io', 'roles', 'get')).toBe(false);
  });

  it('edit and admin read what view reads (aggregation: view is labelled aggregate-to-edit, edit aggregate-to-admin)', () => {
    for (const name of ['edit', 'admin']) {
      expect(can(bootstrapRoleRules(name, '1.27'), 'apps', 'deployments', 'list')).toBe(true);
      expect(can(bootstrapRoleRules(name, '1.27'), '', 'pods', 'get')).toBe(true);
    }
    expect(can(bootstrapRoleRules('view', '1.27'), '', 'pods', 'create')).toBe(false);
  });

  it('no write access to Endpoints from v1.22 (the documented change); v1.20 still had it', () => {
    expect(can(bootstrapRoleRules('edit', '1.27'), '', 'endpoints', 'create')).toBe(false);
    expect(can(bootstrapRoleRules('edit', '1.20'), '', 'endpoints', 'create')).toBe(true);
    expect(can(bootstrapRoleRules('admin', '1.27'), '', 'endpoints', 'update')).toBe(false);
  });

  it('aggregation takes the input\'s ClusterRoles labelled for it (a chart\'s CRD roles), through every level', () => {
    const crdEdit = { name: 'certificates-edit', labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }, rules: [{ apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: ['create'], resourceNames: [], nonResourceURLs: [] }] };
    const unrelated = { name: 'other', labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'false' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['delete'], resourceNames: [], nonResourceURLs: [] }] };
    expect(can(bootstrapRoleRules('edit', '1.27', [crdEdit, unrelated]), 'cert-manager.io', 'certificates', 'create')).toBe(true);
    expect(can(bootstrapRoleRules('admin', '1.27', [crdEdit, unrelated]), 'cert-manager.io', 'certificates', 'create')).toBe(true);
    expect(can(bootstrapRoleRules('view', '1.27', [crdEdit]), 'cert-manager.io', 'certificates', 'create')).toBe(false);
    expect(can(bootstrapRoleRules('edit', '1.27', [crdEdit, unrelated]), '', 'nodes', 'delete')).toBe(false);
  });

  it('every bundled role is named once and every edition marker is a known edition', () => {
    const names = bootstrapClusterRoles.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const role of bootstrapClusterRoles) for (const rule of role.rules) if (rule.only) expect(bootstrapEditions).toContain(rule.only);
    expect(bootstrapRoleRules('system:controller:deployment-controller', '1.27')).toBeUndefined();
  });

  it.each([
    [1, 20, '1.20'],
    [1, 24, undefined], // not bundled: unknown, never guessed
    [1, 27, '1.27'],
    [1, 37, '1.27'],
    [2, 0, undefined],
  ] as const)('API server %i.%i → edition %s', (major, minor, edition) => {
    expect(editionForMinor(major, minor)).toBe(edition);
  });
});

// Bindings as Helm and kustomize render them: the built-in role is referenced, not defined.
const subject = (kind: string, name: string, namespace: string | null = null) => ({ kind, name, namespace });
const rb = (name: string, namespace: string, roleName: string, subjects: unknown[], source = 'manifests:chart') => ({
  ...resource('k8s.rbac.roleBinding', name, { namespace, labels: { 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'shop' }, roleRef: { kind: 'ClusterRole', name: roleName }, subjects }, `k8s://c/${namespace}/RoleBinding/${name}`),
  provenance: { collector: 'kubernetes', source },
});
const crb = (name: string, roleName: string, subjects: unknown[], source = 'manifests:chart') => ({
  ...resource('k8s.rbac.clusterRoleBinding', name, { labels: {}, annotations: {}, roleRef: { kind: 'ClusterRole', name: roleName }, subjects }, `k8s://c/_cluster/ClusterRoleBinding/${name}`),
  provenance: { collector: 'kubernetes', source },
});
const cluster = (minor: string, source: string) => ({
  ...resource('k8s.cluster', 'c', { clusterName: 'c', serverVersion: { major: '1', minor, gitVersion: `v1.${minor}.0` }, apiGroups: [] }, `k8s://c/_cluster/Cluster/c`),
  provenance: { collector: 'kubernetes', source },
});

function derive(resources: Resource[], sources: SnapshotSource[] = [{ collector: 'kubernetes', source: 'manifests:chart', mode: 'offline' }]) {
  return analyse(new InventoryIndex({ schemaVersion: 1, collectedAt: null, sources, coverage: completeCoverage(), issues: [], resources }));
}

describe('bindings to built-in roles the input does not define', () => {
  it('offline: a group bound to edit holds edit\'s permissions, and the finding says where they came from', () => {
    const binding = rb('devs-edit', 'shop', 'edit', [subject('Group', 'shop-devs')]);
    expect(derive([binding]).get(binding.id)).toEqual({
      boundRole: "ClusterRole/edit (built in, not in the input: zt's bundled Kubernetes v1.27+ bootstrap role, version assumed)",
      roleFound: true,
      roleOrigin: 'bootstrap',
      grants: ['secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'serviceaccounts/token', 'impersonate', 'delete-critical'],
      nonSystemSubjects: ['Group:shop-devs'],
      publicSubjects: [],
    });
  });

  it('offline: system:authenticated bound to admin is no longer "dangerous permissions: []"', () => {
    const binding = crb('everyone-admin', 'admin', [subject('Group', 'system:authenticated')]);
    expect(derive([binding]).get(binding.id)).toMatchObject({ roleFound: true, roleOrigin: 'bootstrap', grants: ['secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'serviceaccounts/token', 'impersonate', 'delete-critical'] });
  });

  it('a role of the input wins over the bundled one of the same name', () => {
    const own = { ...resource('k8s.rbac.clusterRole', 'edit', { labels: {}, annotations: {}, rules: [], aggregated: false }, 'k8s://c/_cluster/ClusterRole/edit'), provenance: { collector: 'kubernetes', source: 'manifests:chart' } };
    const binding = rb('devs-edit', 'shop', 'edit', [subject('Group', 'shop-devs')]);
    expect(derive([own, binding]).get(binding.id)).toMatchObject({ boundRole: 'ClusterRole/edit', roleOrigin: 'input', grants: [] });
  });

  it('live: the cluster\'s own roles count; a binding to an edit the cluster does not have dangles', () => {
    const binding = rb('devs-edit', 'shop', 'edit', [subject('Group', 'shop-devs')], 'k8s:prod');
    expect(derive([binding], [{ collector: 'kubernetes', source: 'k8s:prod', mode: 'live' }]).get(binding.id)).toMatchObject({ roleFound: false, roleOrigin: null, grants: [] });
  });

  it('input whose ClusterRoles were not all read may define the role its own way: unknown, not the bundled one', () => {
    const binding = rb('devs-edit', 'shop', 'edit', [subject('Group', 'shop-devs')]);
    const index = new InventoryIndex({
      schemaVersion: 1,
      collectedAt: null,
      sources: [{ collector: 'kubernetes', source: 'manifests:chart', mode: 'offline' }],
      coverage: { ...completeCoverage(), 'k8s.rbac.clusterRole': { state: 'partial', reason: 'input_missing' } },
      issues: [],
      resources: [binding],
    });
    expect(analyse(index).get(binding.id)).toMatchObject({ roleFound: null, roleOrigin: null, grants: null });
  });

  it('a name that is not a bootstrap role keeps the dangling handling', () => {
    const binding = rb('devs', 'shop', 'editor', [subject('Group', 'shop-devs')]);
    expect(derive([binding]).get(binding.id)).toMatchObject({ boundRole: 'ClusterRole/editor', roleFound: false, roleOrigin: null, grants: [] });
  });

  it('a known cluster version picks its edition; one zt holds no data for leaves the grant unknown', () => {
    const binding = rb('devs-edit', 'shop', 'edit', [subject('Group', 'shop-devs')]);
    const v120 = derive([cluster('20', 'manifests:chart'), binding]).get(binding.id);
    expect(v120).toMatchObject({ boundRole: "ClusterRole/edit (built in, not in the input: zt's bundled Kubernetes v1.20 bootstrap role)", grants: ['secrets:read', 'pods/exec', 'pods/attach', 'pods/portforward', 'proxy', 'create-workloads', 'impersonate', 'delete-critical'] });
    expect(derive([cluster('24', 'manifests:chart'), binding]).get(binding.id)).toMatchObject({ roleFound: null, roleOrigin: null, grants: null });
  });
});
