import { describe, expect, it } from 'vitest';
import { selectorMatches } from '../../../src/analysis/kubernetes/label-selector.js';
import { facts, netpol, resource, workload } from './support.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchLabels: { app: 'web', env: 'prod' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, true],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
  ] as const)('%j → %s', (selector, expected) => {
    expect(selectorMatches(selector as never, labels)).toBe(expected);
  });
  it('an absent selector selects nothing', () => {
    expect(selectorMatches(null, labels)).toBe(false);
  });
});

describe('workload network isolation', () => {
  const web = workload('web', 'shop', { app: 'web' });
  it.each([
    ['no policy', [], false, false],
    ['select-all policy, policyTypes unset, no egress rules → ingress only', [netpol('deny', 'shop', {})], true, false],
    ['policyTypes unset with egress rules → both', [netpol('p', 'shop', {}, { egress: [{ to: [] }] })], true, true],
    ['explicit Egress only', [netpol('p', 'shop', { matchLabels: { app: 'web' } }, { policyTypes: ['Egress'] })], false, true],
    ['policy for other pods', [netpol('p', 'shop', { matchLabels: { app: 'api' } })], false, false],
    ['policy in another namespace', [netpol('p', 'other', {})], false, false],
  ] as const)('%s', (_name, policies, ingress, egress) => {
    const derived = facts([web, ...policies]).get(web.id);
    expect(derived?.ingressIsolated).toBe(ingress);
    expect(derived?.egressIsolated).toBe(egress);
  });
});

describe('service-account token automount: pod, else service account, else true', () => {
  const sa = (automount: boolean | null) =>
    resource('k8s.serviceAccount', 'app', { namespace: 'shop', labels: {}, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' }, automountServiceAccountToken: automount });
  it.each([
    [null, null, true],
    [null, false, false],
    [true, false, true],
    [false, true, false],
  ] as const)('pod %s, service account %s → %s', (podSetting, saSetting, expected) => {
    const w = workload('w', 'shop', {}, { serviceAccountName: 'app', automountServiceAccountToken: podSetting });
    const derived = facts([w, sa(saSetting)]).get(w.id);
    expect(derived?.automountToken).toBe(expected);
    expect(derived?.usesDefaultServiceAccount).toBe(false);
    expect(derived?.serviceAccountAnnotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' });
  });
});

describe('Istio mTLS precedence', () => {
  const cluster = resource('k8s.cluster', 'c', { clusterName: 'c', serverVersion: null, apiGroups: ['security.istio.io'] });
  const ns = (name: string, labels: Record<string, string>) => resource('k8s.namespace', name, { labels, annotations: {} });
  const pa = (name: string, namespace: string, mode: string, selector: unknown = null, portLevelMtls = {}) =>
    resource('istio.peerAuthentication', name, { namespace, selector, mtlsMode: mode, portLevelMtls }, `pa/${namespace}/${name}`);
  const w = workload('db', 'billing', { app: 'db' });
  const enrolled = ns('billing', { 'istio-injection': 'enabled' });
  it.each([
    ['no policy: Istio default PERMISSIVE', [], 'PERMISSIVE'],
    ['mesh-wide STRICT', [pa('default', 'istio-system', 'STRICT')], 'STRICT'],
    ['namespace PERMISSIVE overrides mesh STRICT', [pa('default', 'istio-system', 'STRICT'), pa('ns', 'billing', 'PERMISSIVE')], 'PERMISSIVE'],
    ['workload DISABLE overrides namespace STRICT', [pa('ns', 'billing', 'STRICT'), pa('db', 'billing', 'DISABLE', { matchLabels: { app: 'db' } })], 'DISABLE'],
    ['UNSET inherits from the namespace', [pa('ns', 'billing', 'STRICT'), pa('db', 'billing', 'UNSET', { matchLabels: { app: 'db' } })], 'STRICT'],
    ['a selector that does not match is ignored', [pa('ns', 'billing', 'STRICT'), pa('x', 'billing', 'DISABLE', { matchLabels: { app: 'x' } })], 'STRICT'],
  ] as const)('%s', (_name, policies, expected) => {
    const derived = facts([cluster, enrolled, w, ...policies]).get(w.id);
    expect(derived?.meshEnrolled).toBe(true);
    expect(derived?.mtlsMode).toBe(expected);
  });

  it('port-level overrides are reported; not enrolled means NONE', () => {
    const derived = facts([cluster, enrolled, w, pa('db', 'billing', 'STRICT', { matchLabels: { app: 'db' } }, { '5432': 'DISABLE' })]).get(w.id);
    expect(derived?.mtlsPortOverrides).toEqual({ '5432': 'DISABLE' });
    const optedOut = workload('db', 'billing', { app: 'db', 'sidecar.istio.io/inject': 'false' });
    expect(facts([cluster, enrolled, optedOut]).get(optedOut.id)?.mtlsMode).toBe('NONE');
    const plain = facts([cluster, ns('billing', {}), w]).get(w.id);
    expect(plain?.meshEnrolled).toBe(false);
  });
});
