import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { facts, resource, workload } from './support.js';

const web = workload('web', 'shop', { app: 'web' }, { serviceAccountName: 'web' });
const role = (name: string, rules: unknown[], namespace = 'shop') =>
  resource('k8s.rbac.role', name, { namespace, labels: {}, annotations: {}, rules }, `k8s://c/${namespace}/Role/${name}`);
const rb = (name: string, roleName: string, subjects: unknown[], namespace = 'shop') =>
  resource('k8s.rbac.roleBinding', name, { namespace, labels: {}, annotations: {}, roleRef: { kind: 'Role', name: roleName }, subjects }, `k8s://c/${namespace}/RoleBinding/${name}`);
const sa = (name: string, namespace: string | null = null) => ({ kind: 'ServiceAccount', name, namespace });
const group = (name: string) => ({ kind: 'Group', name, namespace: null });
const r = (resources: string[], verbs: string[], resourceNames: string[] = []) => ({ apiGroups: [''], resources, verbs, resourceNames });

describe('the dangerous permissions a workload holds through its service account', () => {
  it.each([
    ['no binding', [], []],
    ['bound directly', [rb('b', 'exec', [sa('web')]), role('exec', [r(['pods/exec'], ['create'])])], ['pods/exec']],
    ['bound through system:serviceaccounts:<namespace>', [rb('b', 'reader', [group('system:serviceaccounts:shop')]), role('reader', [r(['secrets'], ['list'])])], ['secrets:read']],
    ['a group of another namespace does not reach it', [rb('b', 'reader', [group('system:serviceaccounts:billing')]), role('reader', [r(['secrets'], ['list'])])], []],
    [
      'bound in another namespace (the token works there)',
      [rb('b', 'maker', [sa('web', 'shop')], 'billing'), role('maker', [r(['pods'], ['create'])], 'billing')],
      ['create-workloads'],
    ],
    [
      'direct and group grants together, in the vocabulary order',
      [rb('b1', 'exec', [sa('web')]), role('exec', [r(['pods/exec'], ['create'])]), rb('b2', 'reader', [group('system:authenticated')]), role('reader', [r(['secrets'], ['get'])])],
      ['secrets:read', 'pods/exec'],
    ],
    ['another account of the namespace', [rb('b', 'exec', [sa('cart')]), role('exec', [r(['pods/exec'], ['create'])])], []],
  ] as const)('%s', (_name, rbac, expected) => {
    expect(facts([web, ...(rbac as readonly Resource[])]).get(web.id)?.serviceAccountGrants).toEqual(expected);
  });

  it('is unknown when bindings were not all read, never an empty list', () => {
    const derived = facts([web], { 'k8s.rbac.clusterRoleBinding': { state: 'partial', reason: 'api_error' } });
    expect(derived.get(web.id)).not.toHaveProperty('serviceAccountGrants');
    expect(derived.unknownsOf(web)?.serviceAccountGrants?.explain()).toMatch(/were not all read/);
  });

  it('is unknown when a binding naming the account refers to a role that was not read', () => {
    const derived = facts([web, rb('b', 'gone', [sa('web')])], { 'k8s.rbac.role': { state: 'partial', reason: 'api_error' } });
    expect(derived.get(web.id)).not.toHaveProperty('serviceAccountGrants');
    expect(derived.unknownsOf(web)?.serviceAccountGrants?.explain()).toMatch(/role that was not read/);
  });
});
