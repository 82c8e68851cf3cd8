import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/analysis/index.js';
import { admitsWorld, endpointLabels, isolatesIngress, normaliseSelector } from '../../../src/analysis/kubernetes/cilium-policy.js';
import { selectorMatches } from '../../../src/analysis/kubernetes/label-selector.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import type { KindCoverage } from '../../../src/model/coverage.js';
import { completeCoverage, facts, resource, workload } from './support.js';

const cluster = (apiGroups: string[]) => resource('k8s.cluster', 'c', { clusterName: 'c', serverVersion: null, apiGroups });
const namespace = (name: string, annotations: Record<string, string> = {}, labels: Record<string, string> = {}) =>
  resource('k8s.namespace', name, { labels: { 'kubernetes.io/metadata.name': name, ...labels }, annotations }, `k8s://c/_cluster/Namespace/${name}`);
const server = (name: string, ns: string, port: number | string, accessPolicy = 'deny', podSelector: unknown = { matchLabels: { app: 'api' } }) =>
  resource('linkerd.server', name, { namespace: ns, podSelector, port, proxyProtocol: null, accessPolicy });
const authz = (name: string, ns: string, target: { kind: string; name: string }, refKinds: string[]) =>
  resource('linkerd.authorizationPolicy', name, {
    namespace: ns,
    targetRef: { group: 'policy.linkerd.io', ...target },
    requiredAuthenticationRefs: refKinds.map((kind) => ({ group: 'policy.linkerd.io', kind, name: kind.toLowerCase(), namespace: null })),
  });
const cnp = (name: string, ns: string, rule: Record<string, unknown>, clusterwide = false) =>
  resource('cilium.networkPolicy', name, {
    namespace: clusterwide ? '' : ns,
    clusterwide,
    rules: [{ endpointSelector: {}, ingress: null, ingressDeny: null, egress: null, egressDeny: null, enableDefaultDeny: { ingress: null, egress: null }, ...rule }],
  });

function factsWithCoverage(resources: Resource[], coverage: Record<string, KindCoverage>) {
  return analyse(new InventoryIndex({ schemaVersion: 1, collectedAt: '2026-01-01T00:00:00Z', sources: [], coverage: { ...completeCoverage(), ...coverage }, issues: [], resources }));
}

const api = workload('api', 'shop', { app: 'api' });
const apiId = api.id;

describe('Linkerd: enrolment, inbound policy and Servers as mTLS modes', () => {
  it.each([
    ['namespace annotated, no inbound policy: Linkerd default all-unauthenticated', { 'linkerd.io/inject': 'enabled' }, [], { mesh: 'linkerd', mtlsMode: 'PERMISSIVE', mtlsPortOverrides: {} }],
    ['all-authenticated on the namespace', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'all-authenticated' }, [], { mtlsMode: 'STRICT' }],
    ['cluster-unauthenticated admits plaintext from cluster networks', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'cluster-unauthenticated' }, [], { mtlsMode: 'PERMISSIVE' }],
    [
      'deny, a Server whose only authorization needs a mesh identity',
      { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' },
      [server('api-http', 'shop', 'http'), authz('a', 'shop', { kind: 'Server', name: 'api-http' }, ['MeshTLSAuthentication'])],
      { mtlsMode: 'STRICT', mtlsPortOverrides: {} },
    ],
    [
      'deny, but NetworkAuthentication alone on one Server: that port is PERMISSIVE',
      { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' },
      [server('api-metrics', 'shop', 9090), authz('scrape', 'shop', { kind: 'Server', name: 'api-metrics' }, ['NetworkAuthentication'])],
      { mtlsMode: 'STRICT', mtlsPortOverrides: { '9090': 'PERMISSIVE' } },
    ],
    [
      'NetworkAuthentication AND MeshTLSAuthentication both required: authenticated',
      { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' },
      [server('api-http', 'shop', 'http'), authz('a', 'shop', { kind: 'Server', name: 'api-http' }, ['NetworkAuthentication', 'MeshTLSAuthentication'])],
      { mtlsMode: 'STRICT', mtlsPortOverrides: {} },
    ],
    [
      'a route-level authorization (parent Server not read) is applied to every Server of the namespace',
      { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' },
      [server('api-http', 'shop', 'http'), authz('r', 'shop', { kind: 'HTTPRoute', name: 'healthz' }, ['NetworkAuthentication'])],
      { mtlsPortOverrides: { http: 'PERMISSIVE' } },
    ],
    [
      'a Server in another namespace or selecting other pods does not apply',
      { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'all-authenticated' },
      [server('other-ns', 'payments', 80, 'all-unauthenticated'), server('other-pods', 'shop', 81, 'all-unauthenticated', { matchLabels: { app: 'web' } })],
      { mtlsMode: 'STRICT', mtlsPortOverrides: {} },
    ],
  ] as const)('%s', (_name, annotations, objects, expected) => {
    const derived = facts([cluster(['policy.linkerd.io']), namespace('shop', annotations), api, ...(objects as unknown as Resource[])]).get(apiId);
    expect(derived).toMatchObject({ meshEnrolled: true, ...expected });
  });

  it('the annotation without Linkerd installed is not enrolment; an injected proxy container is, even without a cluster', () => {
    expect(facts([cluster([]), namespace('shop', { 'linkerd.io/inject': 'enabled' }), api]).get(apiId)).toMatchObject({ mesh: null, meshEnrolled: false, mtlsMode: 'NONE' });
    const injected = workload('api', 'shop', { app: 'api' }, { containers: [{ name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:stable' }] });
    expect(facts([injected]).get(injected.id)).toMatchObject({ mesh: 'linkerd', meshEnrolled: true, mtlsMode: 'PERMISSIVE' });
  });

  it('Istio wins when both claim the pod (the Istio sidecar terminates the traffic first)', () => {
    const derived = facts([cluster(['security.istio.io', 'policy.linkerd.io']), namespace('shop', { 'linkerd.io/inject': 'enabled' }, { 'istio-injection': 'enabled' }), api]).get(apiId);
    expect(derived).toMatchObject({ mesh: 'istio', mtlsMode: 'PERMISSIVE' });
  });

  it('Servers or authorizations that could not be read: port modes are left out (rules error), never STRICT', () => {
    const objects = [cluster(['policy.linkerd.io']), namespace('shop', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'all-authenticated' }), api];
    const derived = factsWithCoverage(objects, { 'linkerd.server': { state: 'missing', reason: 'permission_denied' } }).get(apiId);
    expect(derived).toMatchObject({ mesh: 'linkerd', meshEnrolled: true });
    expect(derived).not.toHaveProperty('mtlsMode');
    expect(derived).not.toHaveProperty('linkerdDefaultDeny');
    // not installed is an answer, not a gap
    expect(factsWithCoverage(objects, { 'linkerd.server': { state: 'missing', reason: 'not_installed' } }).get(apiId)).toMatchObject({ mtlsMode: 'STRICT' });
  });

  it('default deny: inbound policy deny and every Server at accessPolicy deny', () => {
    const ns = namespace('shop', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' });
    expect(facts([cluster(['policy.linkerd.io']), ns, api, server('s', 'shop', 80)]).get(apiId)).toMatchObject({ linkerdDefaultDeny: true, linkerdAuthorizationsAuthenticated: true });
    expect(facts([cluster(['policy.linkerd.io']), ns, api, server('s', 'shop', 80, 'audit')]).get(apiId)).toMatchObject({ linkerdDefaultDeny: false });
    expect(facts([cluster(['policy.linkerd.io']), ns, api, server('s', 'shop', 80), authz('n', 'shop', { kind: 'Namespace', name: 'shop' }, ['NetworkAuthentication'])]).get(apiId)).toMatchObject({
      linkerdAuthorizationsAuthenticated: false,
      linkerdAuthorizationPolicies: ['shop/n'],
    });
  });
});

describe('Cilium policy selection and default deny', () => {
  it('selector keys with a source prefix match pod labels; namespace and service-account labels are the endpoint\'s', () => {
    const labels = endpointLabels({ app: 'api' }, 'shop', { team: 'a' }, 'api-sa');
    expect(selectorMatches(normaliseSelector({ matchLabels: { 'k8s:app': 'api', 'any:io.kubernetes.pod.namespace': 'shop' } }), labels)).toBe(true);
    expect(selectorMatches(normaliseSelector({ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'a', 'io.cilium.k8s.policy.serviceaccount': 'api-sa' } }), labels)).toBe(true);
    expect(selectorMatches(normaliseSelector({ matchLabels: { 'reserved:host': '' } }), labels)).toBe(false);
  });

  it.each([
    ['ingress: [{}] (allow nothing)', { ingress: [{}] }, true],
    ['ingressDeny only', { ingressDeny: [{ fromEntities: ['world'] }] }, true],
    ['ingress: [] is not counted', { ingress: [] }, false],
    ['enableDefaultDeny.ingress false', { ingress: [{ fromEntities: ['cluster'] }], enableDefaultDeny: { ingress: false, egress: null } }, false],
    ['egress only', { egress: [{}] }, false],
  ] as const)('%s isolates ingress: %s', (_name, rule, expected) => {
    expect(isolatesIngress({ endpointSelector: {}, ingress: null, ingressDeny: null, egress: null, egressDeny: null, enableDefaultDeny: { ingress: null, egress: null }, ...rule })).toBe(expected);
  });

  it.each([
    [{ fromEntities: ['world'] }, true],
    [{ fromEntities: ['all'] }, true],
    [{ fromEntities: ['cluster'] }, false],
    [{ fromCIDR: ['0.0.0.0/0'] }, true],
    [{ fromCIDRSet: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }] }, false],
    [{ fromCIDRSet: [{ cidr: '::/0' }] }, true],
    [{ fromEndpoints: [{}] }, false],
  ])('%j admits the world: %s', (section, expected) => {
    expect(admitsWorld(section)).toBe(expected);
  });

  it('per workload: namespaced policies select their own namespace only, cluster-wide ones any', () => {
    const web = workload('web', 'payments', { app: 'api' });
    const derived = facts([
      namespace('shop'),
      namespace('payments'),
      api,
      web,
      cnp('shop-deny', 'shop', { ingress: [{}] }),
      cnp('egress-all', '', { endpointSelector: { matchLabels: { 'k8s:app': 'api' } }, egress: [{ toEntities: ['world'] }] }, true),
    ]);
    expect(derived.get(apiId)).toMatchObject({ ciliumIngressIsolated: true, ciliumEgressIsolated: true, ciliumPolicies: ['egress-all', 'shop/shop-deny'] });
    expect(derived.get(web.id)).toMatchObject({ ciliumIngressIsolated: false, ciliumEgressIsolated: true, ciliumPolicies: ['egress-all'] });
    expect(derived.get('k8s://c/_cluster/Namespace/shop')).toMatchObject({ ciliumAllPodsIngressIsolated: true, ciliumAllPodsEgressIsolated: false });
    expect(derived.get('k8s://c/_cluster/Namespace/payments')).toMatchObject({ ciliumAllPodsIngressIsolated: false });
  });

  it('Cilium policies that could not be read leave the fields out (rules error), never isolated', () => {
    const derived = factsWithCoverage([namespace('shop'), api], { 'cilium.networkPolicy': { state: 'partial', reason: 'permission_denied' } });
    expect(derived.get(apiId)).not.toHaveProperty('ciliumIngressIsolated');
    expect(derived.get('k8s://c/_cluster/Namespace/shop')).not.toHaveProperty('ciliumAllPodsIngressIsolated');
  });
});

describe('review findings: clusters, host network, ports, CNI', () => {
  const inCluster = (r: Resource, source: string, idPrefix = source): Resource => ({ ...r, id: `${idPrefix}:${r.id}`, provenance: { collector: 'kubernetes', source } });

  it('namespaces are looked up per cluster: one cluster\'s annotations and labels never reach another\'s workloads', () => {
    const derived = facts([
      inCluster(cluster(['policy.linkerd.io']), 'k8s:a'),
      inCluster(namespace('prod', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'all-authenticated' }, { tier: 'locked' }), 'k8s:a'),
      inCluster(cluster(['policy.linkerd.io', 'cilium.io']), 'k8s:b'),
      inCluster(namespace('prod'), 'k8s:b'),
      inCluster(workload('web', 'prod', { app: 'web' }), 'k8s:b'),
      inCluster(cnp('locked-only', '', { endpointSelector: { matchLabels: { 'io.cilium.k8s.namespace.labels.tier': 'locked' } }, ingress: [{}] }, true), 'k8s:b'),
    ]);
    expect(derived.get('k8s:b:k8s://c/prod/Deployment/web')).toMatchObject({ mesh: null, meshEnrolled: false, mtlsMode: 'NONE', ciliumIngressIsolated: false });
  });

  it('host-network pods are neither meshed nor Cilium endpoints', () => {
    const host = workload('agent', 'shop', { app: 'agent' }, { hostNetwork: true });
    const derived = facts([
      cluster(['policy.linkerd.io', 'security.istio.io']),
      namespace('shop', { 'linkerd.io/inject': 'enabled' }, { 'istio-injection': 'enabled' }),
      host,
      cnp('deny', 'shop', { ingress: [{}] }),
    ]);
    expect(derived.get(host.id)).toMatchObject({ meshEnrolled: false, ciliumIngressIsolated: false });
  });

  it('Istio: the pod annotation sidecar.istio.io/inject=true alone does not inject (the webhook selects on the label); ambient pods can opt out', () => {
    const annotated = workload('api', 'shop', { app: 'api' }, {}, { 'sidecar.istio.io/inject': 'true' });
    const labelled = workload('web', 'shop', { app: 'web', 'sidecar.istio.io/inject': 'true' });
    const optedOut = workload('batch', 'amb', { app: 'batch', 'istio.io/dataplane-mode': 'none' });
    const derived = facts([cluster(['security.istio.io']), namespace('shop'), namespace('amb', {}, { 'istio.io/dataplane-mode': 'ambient' }), annotated, labelled, optedOut]);
    expect(derived.get(annotated.id)).toMatchObject({ meshEnrolled: false });
    expect(derived.get(labelled.id)).toMatchObject({ meshEnrolled: true, mesh: 'istio' });
    expect(derived.get(optedOut.id)).toMatchObject({ meshEnrolled: false });
  });

  it('Linkerd: the weakest Server on a port wins, and skipped inbound ports are plaintext', () => {
    const derived = facts([
      cluster(['policy.linkerd.io']),
      namespace('shop', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'all-authenticated', 'config.linkerd.io/skip-inbound-ports': '25, 4000-4010' }),
      api,
      server('a-strict', 'shop', 8080, 'all-authenticated'),
      server('b-open', 'shop', 8080, 'all-unauthenticated'),
    ]).get(apiId);
    expect(derived).toMatchObject({ mtlsMode: 'STRICT', mtlsPortOverrides: { '25': 'PERMISSIVE', '4000-4010': 'PERMISSIVE', '8080': 'PERMISSIVE' } });
  });

  it('Cilium policies count for nothing where the DaemonSets show another policy-enforcing CNI', () => {
    const calico = resource('k8s.workload', 'calico-node', {
      namespace: 'kube-system', labels: {}, annotations: {}, workloadKind: 'DaemonSet', replicas: null, podLabels: {}, podAnnotations: {},
      pod: { serviceAccountName: 'calico-node', automountServiceAccountToken: null, hostNetwork: true, hostPID: false, hostIPC: false, runAsNonRoot: null, runAsUser: null, seccompProfileType: null, containers: [{ name: 'calico-node', image: 'calico/node:v3.30.3' }], initContainers: [], volumes: [] },
    }, 'k8s://c/kube-system/DaemonSet/calico-node');
    expect(facts([namespace('shop'), api, calico, cnp('deny', 'shop', { ingress: [{}] })]).get(apiId)).toMatchObject({ ciliumIngressIsolated: false });
  });

  it('an HTTP rule that names nothing is not request scoping; an allow rule without peers admits the world', () => {
    const l7 = (http: unknown[]) => cnp('l7', 'shop', { ingress: [{ fromEndpoints: [{}], authentication: { mode: 'required' }, toPorts: [{ ports: [{ port: '80' }], rules: { http } }] }] });
    expect(facts([namespace('shop'), api, l7([{ method: 'GET', path: '/v1/.*' }])]).get(apiId)).toMatchObject({ ciliumIngressHttpScoped: true, ciliumIngressAuthenticated: true });
    expect(facts([namespace('shop'), api, l7([{}])]).get(apiId)).toMatchObject({ ciliumIngressHttpScoped: false });
    expect(admitsWorld({ toPorts: [{ ports: [{ port: '443' }] }] })).toBe(true);
  });
});

describe('Linkerd ServerAuthorization (the older form, still honoured)', () => {
  const serverAuthz = (name: string, serverName: string | null, unauthenticated: boolean) =>
    resource('linkerd.serverAuthorization', name, { namespace: 'shop', serverName, unauthenticated });
  const ns = namespace('shop', { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' });

  it('one admitting unauthenticated clients makes its Server plaintext and fails the authenticated-only check', () => {
    const derived = facts([cluster(['policy.linkerd.io']), ns, api, server('api-http', 'shop', 'http'), serverAuthz('anyone', 'api-http', true)]).get(apiId);
    expect(derived).toMatchObject({ mtlsMode: 'STRICT', mtlsPortOverrides: { http: 'PERMISSIVE' }, linkerdAuthorizationsAuthenticated: false, linkerdAuthorizationPolicies: ['shop/anyone'] });
  });

  it('one selecting Servers by label is applied to every Server of the namespace; mesh identities only keep it STRICT', () => {
    expect(facts([cluster(['policy.linkerd.io']), ns, api, server('api-http', 'shop', 'http'), serverAuthz('by-label', null, true)]).get(apiId)).toMatchObject({ mtlsPortOverrides: { http: 'PERMISSIVE' } });
    expect(facts([cluster(['policy.linkerd.io']), ns, api, server('api-http', 'shop', 'http'), serverAuthz('meshed', 'api-http', false)]).get(apiId)).toMatchObject({
      mtlsPortOverrides: {},
      linkerdAuthorizationsAuthenticated: true,
    });
  });
});
