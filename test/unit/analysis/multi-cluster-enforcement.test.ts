import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/analysis/index.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import type { Kind } from '../../../src/inventory/kinds/index.js';
import type { KindCoverage } from '../../../src/model/coverage.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { completeCoverage, netpol, resource, workload } from './support.js';

/**
 * Two clusters audited together, each its own source: what enforces policy in one (its CNI
 * agent, Cilium, a mesh) and what one could not read never decides another's facts. Each
 * case gives cluster A what would make a policy count and cluster B the same policies
 * without it; B must read as if A were not there.
 */

const A = 'k8s:a';
const B = 'k8s:b';

const inCluster = (r: Resource, source: string): Resource => ({ ...r, id: r.id.replace('k8s://c/', `k8s://${source.slice(4)}/`), provenance: { ...r.provenance, collector: 'kubernetes', source } });

const container = (name: string, image: string) => ({ name, image, securityContext: {}, env: [], envFrom: [], ports: [] });
function daemonSet(name: string, namespace: string, image: string): Resource {
  const w = workload(name, namespace, { app: name }, { containers: [container(name, image)] });
  return { ...w, id: `k8s://c/${namespace}/DaemonSet/${name}`, attributes: { ...w.attributes, workloadKind: 'DaemonSet', replicas: null } };
}
const namespace = (name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) =>
  resource('k8s.namespace', name, { labels: { 'kubernetes.io/metadata.name': name, ...labels }, annotations }, `k8s://c/Namespace/${name}`);
const cluster = (name: string, apiGroups: string[] = []) => resource('k8s.cluster', name, { clusterName: name, serverVersion: null, apiGroups }, `k8s://c/Cluster/${name}`);
const web = () => workload('web', 'shop', { app: 'web' }, { containers: [container('app', 'registry.example/web:1')] });
const defaultDeny = () => netpol('default-deny', 'shop', {}, { policyTypes: ['Ingress'] });

interface Options {
  readonly coverage?: Partial<Record<Kind, KindCoverage>>;
  readonly bySource?: Record<string, Partial<Record<Kind, KindCoverage>>>;
  readonly mode?: 'live' | 'offline';
}

function factsOf(a: Resource[], b: Resource[], options: Options = {}) {
  const all = completeCoverage();
  const index = new InventoryIndex({
    schemaVersion: 1,
    collectedAt: '2026-01-01T00:00:00Z',
    sources: [A, B].map((source) => ({ collector: 'kubernetes', source, mode: options.mode ?? 'live' })),
    coverage: { ...all, ...options.coverage },
    ...(options.bySource ? { coverageBySource: Object.fromEntries(Object.entries(options.bySource).map(([s, c]) => [s, { ...all, ...c }])) } : {}),
    issues: [],
    resources: [...a.map((r) => inCluster(r, A)), ...b.map((r) => inCluster(r, B))],
  });
  const facts = analyse(index);
  const of = (source: string, id: string) => {
    const r = index.snapshot.resources.find((x) => x.provenance.source === source && x.id.endsWith(id)) as Resource;
    // As the engine reads them: the resource's own parts, and the unknowns of its own target.
    const unknown = facts.unknownsOf(r) ?? {};
    const known = Object.fromEntries(Object.entries(Object.assign({}, ...facts.partsOf(r)) as Record<string, unknown>).filter(([field]) => !(field in unknown)));
    return { facts: known, unknown };
  };
  return { webIn: (source: string) => of(source, '/shop/Deployment/web'), nsIn: (source: string) => of(source, '/Namespace/shop') };
}

describe('several clusters: enforcement is judged per cluster', () => {
  it("one cluster's enforcing CNI does not make another's NetworkPolicies enforced", () => {
    const shared = () => [namespace('shop'), web(), defaultDeny()];
    const { webIn } = factsOf([cluster('a'), ...shared(), daemonSet('calico-node', 'kube-system', 'docker.io/calico/node:v3.27.0')], [cluster('b'), ...shared(), daemonSet('kube-flannel-ds', 'kube-flannel', 'docker.io/flannel/flannel:v0.24.0')]);
    expect(webIn(A).facts).toMatchObject({ networkPolicyEnforcement: 'enforced', policyEnforcingCni: 'calico' });
    expect(webIn(B).facts).toMatchObject({ networkPolicyEnforcement: 'not-enforced', policyEnforcingCni: null });
    // The policy selects B's pods all the same; whether it protects them is B's CNI's to say.
    expect(webIn(B).facts.networkPolicyEnforcementEvidence).toMatch(/flannel/);
  });

  it("offline, one cluster's CNI agent leaves another without evidence unknown", () => {
    const shared = () => [namespace('shop'), web(), defaultDeny()];
    const { webIn } = factsOf([...shared(), daemonSet('cilium', 'kube-system', 'quay.io/cilium/cilium:v1.15.0')], shared(), { mode: 'offline' });
    expect(webIn(A).facts).toMatchObject({ networkPolicyEnforcement: 'enforced', policyEnforcingCni: 'cilium' });
    expect(webIn(B).unknown.networkPolicyEnforcement).toBeDefined();
    expect(webIn(B).facts.networkPolicyEnforcement).not.toBe('enforced');
  });

  it("one cluster's unread workloads do not make another's enforcement unknown", () => {
    const shared = () => [namespace('shop'), web(), defaultDeny()];
    const { webIn } = factsOf([cluster('a'), ...shared(), daemonSet('kube-flannel-ds', 'kube-flannel', 'docker.io/flannel/flannel:v0.24.0')], [cluster('b'), ...shared()], {
      coverage: { 'k8s.workload': { state: 'partial', reason: 'permission_denied' } },
      bySource: { [A]: {}, [B]: { 'k8s.workload': { state: 'partial', reason: 'permission_denied' } } },
    });
    expect(webIn(A).facts.networkPolicyEnforcement).toBe('not-enforced');
    expect(webIn(A).unknown.networkPolicyEnforcement).toBeUndefined();
    expect(webIn(B).unknown.networkPolicyEnforcement).toBeDefined();
  });

  it("Cilium policies of one cluster select nothing in another, and count nowhere another CNI enforces", () => {
    const clusterwide = (name: string) =>
      resource('cilium.networkPolicy', name, {
        namespace: '',
        clusterwide: true,
        rules: [{ endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }], ingressDeny: null, egress: null, egressDeny: null, enableDefaultDeny: { ingress: null, egress: null } }],
      }, `k8s://c/CiliumClusterwideNetworkPolicy/${name}`);
    const a = [cluster('a', ['cilium.io']), namespace('shop'), web(), daemonSet('cilium', 'kube-system', 'quay.io/cilium/cilium:v1.15.0'), clusterwide('lock-down')];
    const { webIn } = factsOf(a, [cluster('b'), namespace('shop'), web(), daemonSet('calico-node', 'kube-system', 'docker.io/calico/node:v3.27.0')]);
    expect(webIn(A).facts).toMatchObject({ ciliumIngressIsolated: true, ciliumPolicies: ['lock-down'] });
    expect(webIn(B).facts).toMatchObject({ ciliumIngressIsolated: false, ciliumPolicies: [] });
    // B with a Cilium policy left behind while Calico is its CNI: Cilium enforces nothing there.
    const leftBehind = factsOf(a, [cluster('b', ['cilium.io']), namespace('shop'), web(), daemonSet('calico-node', 'kube-system', 'docker.io/calico/node:v3.27.0'), clusterwide('stale')]);
    expect(leftBehind.webIn(B).facts).toMatchObject({ ciliumIngressIsolated: false });
    expect(leftBehind.webIn(A).facts).toMatchObject({ ciliumIngressIsolated: true });
  });

  it("one cluster's unreadable Cilium policies leave another's Cilium facts known", () => {
    const b = [cluster('b'), namespace('shop'), web(), daemonSet('calico-node', 'kube-system', 'docker.io/calico/node:v3.27.0')];
    const a = [cluster('a', ['cilium.io']), namespace('shop'), web(), daemonSet('cilium', 'kube-system', 'quay.io/cilium/cilium:v1.15.0')];
    const { webIn } = factsOf(a, b, {
      coverage: { 'cilium.networkPolicy': { state: 'missing', reason: 'permission_denied' } },
      bySource: { [A]: { 'cilium.networkPolicy': { state: 'missing', reason: 'permission_denied' } }, [B]: { 'cilium.networkPolicy': { state: 'missing', reason: 'not_installed' } } },
    });
    expect(webIn(B).facts).toMatchObject({ ciliumIngressIsolated: false });
    expect(webIn(A).facts).not.toHaveProperty('ciliumIngressIsolated');
  });

  it("a mesh installed in one cluster does not enrol another's workloads", () => {
    const meshWideStrict = resource('istio.peerAuthentication', 'default', { namespace: 'istio-system', selector: null, mtlsMode: 'STRICT', portLevelMtls: {} }, 'k8s://c/istio-system/PeerAuthentication/default');
    const labels = { 'istio-injection': 'enabled' };
    const annotations = { 'linkerd.io/inject': 'enabled' };
    const istio = factsOf([cluster('a', ['security.istio.io']), namespace('shop', labels), web(), meshWideStrict], [cluster('b'), namespace('shop', labels), web()]);
    expect(istio.webIn(A).facts).toMatchObject({ mesh: 'istio', meshEnrolled: true, mtlsMode: 'STRICT' });
    expect(istio.webIn(B).facts).toMatchObject({ mesh: null, meshEnrolled: false });
    const linkerd = factsOf([cluster('a', ['policy.linkerd.io']), namespace('shop', {}, annotations), web()], [cluster('b'), namespace('shop', {}, annotations), web()]);
    expect(linkerd.webIn(A).facts).toMatchObject({ mesh: 'linkerd', meshEnrolled: true });
    expect(linkerd.webIn(B).facts).toMatchObject({ mesh: null, meshEnrolled: false });
  });
});
