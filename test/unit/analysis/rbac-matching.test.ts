import { describe, expect, it } from 'vitest';
import { dangerousPermissions, rbacRuleAllows } from '../../../src/analysis/kubernetes/rbac-permissions.js';
import { isPlatformRbacObject, isPlatformWorkload } from '../../../src/analysis/kubernetes/platform-objects.js';

// RBAC matching as the Kubernetes RBAC documentation and authorizer define it
// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources):
// each of apiGroups, resources and verbs matches by "*" or by the exact value;
// subresources are named "resource/subresource", and "*/subresource" names that
// subresource of every resource. Nothing else is a wildcard.
const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });

describe('RBAC rule matching, exactly as Kubernetes does it', () => {
  it.each([
    // resources
    ['pods grants pods', rule([''], ['pods'], ['get']), '', 'pods', 'get', true],
    ['pods does not grant a subresource of pods (pods/log)', rule([''], ['pods'], ['get']), '', 'pods/log', 'get', false],
    ['pods/log grants the subresource (the documented pod-and-log-reader example)', rule([''], ['pods/log'], ['get']), '', 'pods/log', 'get', true],
    ['pods/log does not grant pods', rule([''], ['pods/log'], ['get']), '', 'pods', 'get', false],
    ['* grants every resource', rule([''], ['*'], ['get']), '', 'secrets', 'get', true],
    ['* grants every subresource too', rule([''], ['*'], ['create']), '', 'pods/exec', 'create', true],
    ['*/exec grants the exec subresource of pods', rule([''], ['*/exec'], ['create']), '', 'pods/exec', 'create', true],
    ['*/scale grants deployments/scale', rule(['apps'], ['*/scale'], ['update']), 'apps', 'deployments/scale', 'update', true],
    ['*/scale does not grant the resource itself', rule(['apps'], ['*/scale'], ['update']), 'apps', 'deployments', 'update', false],
    ['pods/* is no pattern: it does not grant pods/exec', rule([''], ['pods/*'], ['create']), '', 'pods/exec', 'create', false],
    ['*/* is no pattern either', rule([''], ['*/*'], ['create']), '', 'pods/exec', 'create', false],
    ['a prefix is no pattern (pod* does not grant pods)', rule([''], ['pod*'], ['get']), '', 'pods', 'get', false],
    ['*/exec does not grant pods/attach', rule([''], ['*/exec'], ['create']), '', 'pods/attach', 'create', false],
    // verbs
    ['* grants every verb', rule([''], ['pods'], ['*']), '', 'pods', 'delete', true],
    ['get does not grant list', rule([''], ['pods'], ['get']), '', 'pods', 'list', false],
    ['create on pods/portforward', rule([''], ['pods/portforward'], ['create']), '', 'pods/portforward', 'create', true],
    ['create on serviceaccounts/token', rule([''], ['serviceaccounts/token'], ['create']), '', 'serviceaccounts/token', 'create', true],
    // API groups
    ['"" is the core group only', rule([''], ['deployments'], ['get']), 'apps', 'deployments', 'get', false],
    ['* grants every API group', rule(['*'], ['deployments'], ['get']), 'apps', 'deployments', 'get', true],
    ['a group must match exactly', rule(['extensions'], ['deployments'], ['get']), 'apps', 'deployments', 'get', false],
  ] as const)('%s', (_name, r, group, resource, verb, allowed) => {
    expect(rbacRuleAllows(r, group, resource, verb)).toBe(allowed);
  });
});

// resourceNames (same page: "you can also refer to resources by name for certain requests
// through the resourceNames list … You cannot restrict create or deletecollection requests
// by their resource name"; list and watch need a metadata.name field selector, i.e. a
// request naming the object), matched as the authorizer's ResourceNameMatches does.
const named = (resources: string[], verbs: string[], resourceNames: string[], apiGroups = ['']) => ({ apiGroups, resources, verbs, resourceNames });

describe('resourceNames, as Kubernetes honours them', () => {
  it.each([
    ['the documented example: update my-configmap', named(['configmaps'], ['update', 'get'], ['my-configmap']), 'configmaps', 'update', 'my-configmap', true],
    ['the documented example: another ConfigMap is not granted', named(['configmaps'], ['update', 'get'], ['my-configmap']), 'configmaps', 'get', 'other', false],
    ['create names no object, so a named rule never allows it', named(['configmaps'], ['create'], ['my-configmap']), 'configmaps', 'create', '', false],
    ['deletecollection names no object either', named(['configmaps'], ['deletecollection'], ['my-configmap']), 'configmaps', 'deletecollection', '', false],
    ['list without a metadata.name field selector is not allowed', named(['secrets'], ['list'], ['db']), 'secrets', 'list', '', false],
    ['list with the name selected is', named(['secrets'], ['list'], ['db']), 'secrets', 'list', 'db', true],
    ['creating a subresource names its parent (exec into one pod)', named(['pods/exec'], ['create'], ['debug-pod']), 'pods/exec', 'create', 'debug-pod', true],
    ['no resourceNames: every object', { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [] }, 'configmaps', 'get', 'any', true],
  ] as const)('%s', (_name, r, resource, verb, objectName, allowed) => {
    expect(rbacRuleAllows(r, '', resource, verb, objectName)).toBe(allowed);
  });

  it.each([
    ['reading one named Secret is not reading Secrets', [named(['secrets'], ['get'], ['app-tls'])], ['secrets:read-named']],
    ['a named rule beside an unnamed one hides nothing', [named(['secrets'], ['get'], ['app-tls']), named(['secrets'], ['list'], [])], ['secrets:read']],
    ['* verbs on one named object is not a wildcard grant', [named(['configmaps'], ['*'], ['app-config'])], []],
    ['create pods limited to names grants no create at all', [named(['pods'], ['create'], ['web'])], []],
    ['exec into a named pod still counts (the pod may be the powerful one)', [named(['pods/exec'], ['create'], ['web-0'])], ['pods/exec']],
    ['impersonating one named user still counts', [named(['users'], ['impersonate'], ['admin@example.com'])], ['impersonate']],
    ['bind limited to cluster-admin still counts', [named(['clusterroles'], ['bind'], ['cluster-admin'], ['rbac.authorization.k8s.io'])], ['bind']],
    ['a token for one named service account still counts', [named(['serviceaccounts/token'], ['create'], ['deployer'])], ['serviceaccounts/token']],
    ['deleting a named namespace counts; deletecollection by name cannot be granted', [named(['namespaces'], ['delete'], ['shop'])], ['delete-critical']],
    ['deletecollection limited to names grants nothing', [named(['namespaces'], ['deletecollection'], ['shop'])], []],
  ] as const)('dangerous permissions: %s', (_name, rules, expected) => {
    expect(dangerousPermissions(rules, 'cluster')).toEqual(expected);
  });
});

describe('what the platform ships, told apart from what sits in a platform namespace', () => {
  it.each([
    ['kube-proxy', 'kube-system', {}, { 'k8s-app': 'kube-proxy' }, true],
    ['coredns', 'kube-system', { 'eks.amazonaws.com/component': 'coredns' }, {}, true],
    ['metrics-server', 'kube-system', { 'addonmanager.kubernetes.io/mode': 'Reconcile' }, {}, true],
    ['kube-apiserver-node1', 'kube-system', {}, { tier: 'control-plane', component: 'kube-apiserver' }, true],
    ['ama-logs', 'kube-system', { 'kubernetes.azure.com/managedby': 'aks' }, {}, true],
    ['falco (a chart someone installed)', 'kube-system', { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/managed-by': 'Helm' }, {}, false],
    ['a Deployment someone put in kube-system', 'kube-system', {}, { app: 'tools' }, false],
    ['istiod in its product namespace', 'istio-system', { app: 'istiod' }, {}, true],
    ['k8s-app outside a platform namespace is no mark', 'shop', {}, { 'k8s-app': 'web' }, false],
  ] as const)('workload %s in %s → platform %s', (_name, namespace, labels, podLabels, expected) => {
    expect(isPlatformWorkload(namespace, labels, podLabels)).toBe(expected);
  });

  it.each([
    ['system:controller:bootstrap-signer', {}, 'kube-public', true],
    ['admin', { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, undefined, true],
    ['kubeadm:kubelet-config', {}, 'kube-system', true],
    ['ops-pods', {}, 'kube-system', false],
  ] as const)('role %s %j in %s → platform %s', (name, labels, namespace, expected) => {
    expect(isPlatformRbacObject(name, labels, namespace)).toBe(expected);
  });
});
