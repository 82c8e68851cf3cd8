import { describe, expect, it } from 'vitest';
import { rbacRuleAllows } from '../../../src/analysis/kubernetes/rbac-permissions.js';
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
