import { describe, expect, it } from 'vitest';
import { cniOfDaemonSet, cniOfImage, daemonSetEvidence, imageRepository } from '../../../src/analysis/kubernetes/cni.js';
import { ipBlockReachesInternet, parseCidr } from '../../../src/text/cidr.js';
import { InventoryIndex } from '../../../src/inventory/index.js';
import { analyse } from '../../../src/analysis/index.js';
import type { Resource } from '../../../src/inventory/snapshot.js';
import { completeCoverage, facts, netpol, resource, workload } from './support.js';

describe('CIDR parsing', () => {
  it.each([
    ['10.0.0.0/8', 4, 0x0a000000n, 0x0affffffn],
    ['10.1.2.3/8', 4, 0x0a000000n, 0x0affffffn],
    ['192.168.1.7/32', 4, 0xc0a80107n, 0xc0a80107n],
    ['0.0.0.0/0', 4, 0n, 0xffffffffn],
    ['2001:db8::/32', 6, 0x20010db8n << 96n, ((0x20010db8n + 1n) << 96n) - 1n],
    ['::/0', 6, 0n, (1n << 128n) - 1n],
    ['::ffff:10.0.0.1/128', 6, (0xffffn << 32n) | 0x0a000001n, (0xffffn << 32n) | 0x0a000001n],
    ['fe80::1:2/128', 6, (0xfe80n << 112n) | (1n << 16n) | 2n, (0xfe80n << 112n) | (1n << 16n) | 2n],
  ] as const)('%s', (cidr, family, lo, hi) => {
    expect(parseCidr(cidr)).toEqual({ family, lo, hi });
  });
  it.each(['10.0.0.0', '10.0.0.256/8', '10.0.0.0/33', '1::2::3/64', 'x/8', '::/129'])('rejects %s', (cidr) => {
    expect(parseCidr(cidr)).toBeNull();
  });
  it.each([
    ['0.0.0.0/0', [], true],
    ['0.0.0.0/0', ['0.0.0.0/1', '128.0.0.0/1'], false],
    ['10.0.0.0/8', [], false],
    ['100.64.0.0/10', [], false],
    ['172.16.0.0/12', [], false],
    ['172.32.0.0/16', [], true],
    ['8.8.8.8/32', [], true],
    ['::/0', [], true],
    ['fd00::/8', [], false],
    ['2001:db8::/32', [], true],
    ['0.0.0.0/0', ['0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/3', '96.0.0.0/6', '100.0.0.0/10', '100.128.0.0/9', '101.0.0.0/8', '102.0.0.0/7', '104.0.0.0/5', '112.0.0.0/4', '128.0.0.0/3', '160.0.0.0/5', '168.0.0.0/8', '169.0.0.0/9', '169.128.0.0/10', '169.192.0.0/11', '169.224.0.0/12', '169.240.0.0/13', '169.248.0.0/14', '169.252.0.0/15', '169.255.0.0/16', '170.0.0.0/7', '172.0.0.0/12', '172.32.0.0/11', '172.64.0.0/10', '172.128.0.0/9', '173.0.0.0/8', '174.0.0.0/7', '176.0.0.0/4', '192.0.0.0/9', '192.128.0.0/11', '192.160.0.0/13', '192.169.0.0/16', '192.170.0.0/15', '192.172.0.0/14', '192.176.0.0/12', '192.192.0.0/10', '193.0.0.0/8', '194.0.0.0/7', '196.0.0.0/6', '200.0.0.0/5', '208.0.0.0/4'], false],
  ] as const)('%s except %j reaches the internet: %s', (cidr, except, expected) => {
    expect(ipBlockReachesInternet(cidr, except)).toBe(expected);
  });
});

const daemonSetOf = (name: string, namespace: string, image: string): Resource => {
  const w = workload(name, namespace, { app: name }, { containers: [{ name, image, securityContext: {}, env: [], envFrom: [], ports: [] }] });
  return { ...w, attributes: { ...w.attributes, workloadKind: 'DaemonSet', replicas: null } };
};

describe('policy-enforcing CNI detection', () => {
  it.each([
    ['quay.io/cilium/cilium:v1.18.2@sha256:abc', 'cilium'],
    ['registry.acme.example/mirror/calico/node:v3.30.3', 'calico'],
    ['docker.io/calico/node:v3.28.0', 'calico'],
    ['quay.io/tigera/cnx-node:v3.20', 'calico'],
    ['antrea/antrea-agent-ubuntu:v2.2.0', 'antrea'],
    ['docker.io/cloudnativelabs/kube-router:v2.5.0', 'kube-router'],
    ['weaveworks/weave-npc:2.8.1', 'weave'],
    ['602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.2.0', 'aws-vpc-cni'],
    ['mcr.microsoft.com/containernetworking/azure-npm:v1.6', 'azure-npm'],
    ['602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.0', null],
    ['docker.io/flannel/flannel:v0.26.0', null],
    ['quay.io/cilium/cilium-envoy:v1.34', null],
    ['weaveworks/weave-kube:2.8.1', null],
    ['registry.k8s.io/kube-proxy:v1.33.0', null],
    ['localhost:5000/node:1', null],
  ] as const)('%s → %s', (image, expected) => {
    expect(cniOfImage(image)).toBe(expected);
  });

  it('repository paths drop registry, tag and digest', () => {
    expect(imageRepository('registry.example:5000/team/app:1.2@sha256:ff')).toBe('team/app');
    expect(imageRepository('nginx')).toBe('nginx');
  });

  const aws = { name: 'aws-node', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.0' };
  const agent = (flags?: Record<string, boolean>) => ({ name: 'aws-eks-nodeagent', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.2.0', ...(flags ? { flags } : {}) });
  it.each([
    // The EKS docs: network policy needs the agent run with --enable-network-policy=true (false by default).
    ['the VPC CNI alone', [aws], 'non-enforcing'],
    ['its agent at the default --enable-network-policy=false', [aws, agent({ 'enable-network-policy': false })], 'non-enforcing'],
    ['its agent with --enable-network-policy=true', [aws, agent({ 'enable-network-policy': true })], 'enforcing'],
    ['its agent, flags not recorded (older snapshot)', [aws, agent()], 'unrecognised'],
    ['kube-router with --run-firewall=false routes only', [{ name: 'kube-router', image: 'cloudnativelabs/kube-router:v2.5.0', flags: { 'run-firewall': false } }], 'non-enforcing'],
    ['kube-router by default enforces', [{ name: 'kube-router', image: 'cloudnativelabs/kube-router:v2.5.0', flags: {} }], 'enforcing'],
    ['flannel', [{ name: 'kube-flannel', image: 'docker.io/flannel/flannel:v0.26.0' }], 'non-enforcing'],
    ['kube-proxy is no CNI', [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.33.0' }], null],
  ] as const)('%s → %s', (_name, containers, kind) => {
    expect(daemonSetEvidence('kube-system', 'aws-node', containers)?.kind ?? null).toBe(kind);
  });

  it('a mirrored image is recognised by the DaemonSet name only in a CNI namespace; elsewhere it is reported, not taken', () => {
    const c = [{ name: 'agent', image: 'mirror.example/x/agent:1' }];
    expect(cniOfDaemonSet('kube-system', 'calico-node', c)).toBe('calico');
    expect(cniOfDaemonSet('kube-system', 'anetd', c)).toBe('cilium'); // GKE Dataplane V2
    expect(cniOfDaemonSet('shop', 'calico-node', c)).toBeNull();
    expect(daemonSetEvidence('shop', 'calico-node', c)).toMatchObject({ kind: 'unrecognised', detail: expect.stringContaining('shop/calico-node is named like the calico agent') });
  });

  const daemonSetOfLocal = daemonSetOf;
  const cluster = resource('k8s.cluster', 'c', { clusterName: 'c', serverVersion: null, apiGroups: [] });
  const ns = resource('k8s.namespace', 'shop', { labels: {}, annotations: {} });
  const web = workload('web', 'shop', { app: 'web' });
  const derive = (resources: Resource[], mode: 'live' | 'offline') =>
    analyse(new InventoryIndex({ schemaVersion: 1, collectedAt: null, sources: [{ collector: 'kubernetes', source: 'test', mode }], coverage: completeCoverage(), issues: [], resources }));

  it.each([
    ['a Calico node DaemonSet', [daemonSetOfLocal('calico-node', 'kube-system', 'calico/node:v3')], 'live', 'calico', 'enforced'],
    ['a Calico node DaemonSet in manifests', [daemonSetOfLocal('calico-node', 'kube-system', 'calico/node:v3')], 'offline', 'calico', 'enforced'],
    ['flannel and kube-proxy on a live cluster', [daemonSetOfLocal('kube-flannel', 'kube-system', 'flannel/flannel:v0.26'), daemonSetOfLocal('kube-proxy', 'kube-system', 'registry.k8s.io/kube-proxy:v1.33.0')], 'live', null, 'not-enforced'],
  ] as const)('%s (%s) → %s, %s on cluster, namespace and workload', (_name, daemonSets, mode, cni, enforcement) => {
    const derived = derive([cluster, ns, web, ...daemonSets], mode);
    for (const id of [cluster.id, ns.id, web.id]) {
      expect(derived.get(id)).toMatchObject({ policyEnforcingCni: cni, networkPolicyEnforcement: enforcement });
    }
  });

  it.each([
    ['flannel in manifests (the cluster may run more than the input shows)', [daemonSetOfLocal('kube-flannel', 'kube-system', 'flannel/flannel:v0.26')], 'offline', /offline input does not show the CNI/],
    ['no DaemonSet at all, live (k3s runs its CNI inside its own process)', [], 'live', /no CNI agent zt recognises among the cluster's DaemonSets/],
    ['a DaemonSet named like a CNI agent with an image zt does not know', [daemonSetOfLocal('cilium', 'shop', 'registry.acme.example/agent:1')], 'live', /shop\/cilium is named like the cilium agent/],
  ] as const)('%s (%s) → unknown: the fact is unknown, saying why, and so are who reaches whom', (_name, daemonSets, mode, why) => {
    const derived = derive([cluster, ns, web, ...daemonSets], mode);
    for (const r of [cluster, ns, web]) {
      expect(derived.get(r.id)).not.toHaveProperty('networkPolicyEnforcement');
      expect(derived.unknownsOf(r)?.networkPolicyEnforcement?.explain()).toMatch(why);
    }
    expect(derived.get(web.id)).not.toHaveProperty('blastRadius');
    expect(derived.get(web.id)).toHaveProperty('ingressIsolated', false); // what the policies say stays known
    expect(derived.unknownsOf(web)?.ingressOpenToAllPods?.because.reason).toBe('input_missing');
  });

  it('not enforced: who reaches whom is counted without the policies, so messages agree with their numbers', () => {
    const api = workload('api', 'shop', { app: 'api' });
    const resources = [cluster, ns, web, api, netpol('deny', 'shop', {}, { policyTypes: ['Ingress', 'Egress'] }), daemonSetOfLocal('kube-flannel', 'kube-system', 'flannel/flannel:v0.26')];
    const derived = derive(resources, 'live');
    expect(derived.get(web.id)).toMatchObject({ ingressIsolated: true, egressIsolated: true, ingressOpenToAllPods: true, blastRadius: 2, inboundWorkloads: 2 });
    expect(derive([...resources.slice(0, 5), daemonSetOfLocal('calico-node', 'kube-system', 'calico/node:v3')], 'live').get(web.id)).toMatchObject({ ingressOpenToAllPods: false, blastRadius: 0 });
  });

  it('host-network pods are selected but never isolated by NetworkPolicy', () => {
    const agentDs = workload('node-agent', 'shop', { app: 'node-agent' }, { hostNetwork: true });
    const derived = derive([cluster, ns, web, agentDs, netpol('deny', 'shop', {}, { policyTypes: ['Ingress', 'Egress'] }), daemonSetOfLocal('calico-node', 'kube-system', 'calico/node:v3')], 'live');
    expect(derived.get(agentDs.id)).toMatchObject({
      ingressIsolated: false,
      egressIsolated: false,
      networkPolicies: ['deny'],
      ingressPolicies: [],
      ingressOpenToAllPods: true,
      ingressIsolationGap: "its pods use the host network, which NetworkPolicy does not isolate (it governs pod networks, not the node's), although deny selects them",
      hostNetworkNote: '; its pods use the host network, which NetworkPolicy does not isolate',
    });
    // A pod-network workload with the same labels and policies is isolated.
    expect(derived.get(web.id)).toMatchObject({ ingressIsolated: true, egressIsolated: true, ingressOpenToAllPods: false });
  });

  it('no CNI found while workload coverage is partial is unknown, not not-enforced', () => {
    const resources = [cluster, web, daemonSetOf('kube-proxy', 'kube-system', 'registry.k8s.io/kube-proxy:v1.33.0')];
    const index = new InventoryIndex({
      schemaVersion: 1,
      collectedAt: '2026-01-01T00:00:00Z',
      sources: [],
      coverage: { 'k8s.workload': { state: 'partial', reason: 'permission_denied' } },
      issues: [],
      resources,
    });
    // Three-valued: the fact is unknown (not the enum's "unknown", which a rule could compare with), and says why.
    const derived = analyse(index);
    expect(derived.get(cluster.id)).not.toHaveProperty('networkPolicyEnforcement');
    expect(derived.unknownsOf(cluster)?.networkPolicyEnforcement?.because).toEqual({ kind: 'k8s.workload', state: 'partial', reason: 'permission_denied' });
    expect(derived.unknownsOf(web)?.networkPolicyEnforcement?.explain()).toBe('k8s.workload was partially collected (permission_denied)');
  });
});

describe('Istio AuthorizationPolicy', () => {
  const authz = (name: string, namespace: string, selector: unknown, action: string, rules: unknown) =>
    resource('istio.authorizationPolicy', name, { namespace, selector, action, rules }, `k8s://c/${namespace}/AuthorizationPolicy/${name}`);
  const cart = workload('cart', 'shop', { app: 'cart' });
  const principals = { from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'] } }], to: [{ operation: { methods: ['GET'] } }] };

  it.each([
    ['no policy', [], { istioAllowNothing: false, istioDefaultDeny: false, istioAllowPolicies: [], istioAllowSourcesConstrained: true }],
    ['namespace-wide spec: {} (ALLOW, no rules)', [authz('allow-nothing', 'shop', null, 'ALLOW', null)], { istioAllowNothing: true, istioDefaultDeny: true }],
    ['namespace-wide ALLOW with rules: []', [authz('allow-nothing', 'shop', null, 'ALLOW', [])], { istioAllowNothing: true }],
    ['mesh-wide allow-nothing in the root namespace', [authz('allow-nothing', 'istio-system', null, 'ALLOW', null)], { istioAllowNothing: true }],
    ['allow-nothing in another namespace', [authz('allow-nothing', 'payments', null, 'ALLOW', null)], { istioAllowNothing: false, istioDefaultDeny: false }],
    ['a workload-selector allow-nothing is not the namespace baseline', [authz('x', 'shop', { matchLabels: { app: 'cart' } }, 'ALLOW', null)], { istioAllowNothing: false, istioDefaultDeny: true }],
    ['DENY with no rules is not allow-nothing', [authz('d', 'shop', null, 'DENY', null)], { istioAllowNothing: false, istioDefaultDeny: false }],
    [
      'baseline plus an ALLOW naming principals and operations',
      [authz('allow-nothing', 'shop', null, 'ALLOW', null), authz('cart', 'shop', { matchLabels: { app: 'cart' } }, 'ALLOW', [principals])],
      { istioAllowNothing: true, istioAllowPolicies: ['shop/cart'], istioAllowSourcesConstrained: true, istioAllowOperationsConstrained: true },
    ],
    [
      'an ALLOW rule without from admits every caller',
      [authz('cart', 'shop', { matchLabels: { app: 'cart' } }, 'ALLOW', [{ to: [{ operation: { methods: ['GET'] } }] }])],
      { istioAllowSourcesConstrained: false, istioAllowOperationsConstrained: true },
    ],
    ['an empty ALLOW rule {} admits everything', [authz('cart', 'shop', null, 'ALLOW', [{}])], { istioAllowNothing: false, istioDefaultDeny: true, istioAllowSourcesConstrained: false, istioAllowOperationsConstrained: false }],
    ['principals "*" do not constrain', [authz('cart', 'shop', null, 'ALLOW', [{ from: [{ source: { principals: ['*'] } }] }])], { istioAllowSourcesConstrained: false }],
    ['namespaces constrain', [authz('cart', 'shop', null, 'ALLOW', [{ from: [{ source: { namespaces: ['shop'] } }] }])], { istioAllowSourcesConstrained: true, istioAllowOperationsConstrained: false }],
    ['only ipBlocks do not constrain', [authz('cart', 'shop', null, 'ALLOW', [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }])], { istioAllowSourcesConstrained: false }],
    ['a root-namespace policy with a selector applies in every namespace', [authz('r', 'istio-system', { matchLabels: { app: 'cart' } }, 'ALLOW', [{}])], { istioDefaultDeny: true, istioAllowPolicies: ['istio-system/r'] }],
    ['a selector for other pods does not apply', [authz('r', 'shop', { matchLabels: { app: 'web' } }, 'ALLOW', [{}])], { istioDefaultDeny: false, istioAllowPolicies: [] }],
  ] as const)('%s', (_name, policies, expected) => {
    expect(facts([cart, ...policies]).get(cart.id)).toMatchObject(expected);
  });

  it('namespaces report the allow-nothing baseline', () => {
    const shop = resource('k8s.namespace', 'shop', { labels: {}, annotations: {} });
    const pay = resource('k8s.namespace', 'payments', { labels: {}, annotations: {} });
    const derived = facts([shop, pay, authz('allow-nothing', 'shop', null, 'ALLOW', null)]);
    expect(derived.get(shop.id)?.istioAllowNothing).toBe(true);
    expect(derived.get(pay.id)?.istioAllowNothing).toBe(false);
  });
});

describe('workload analyser wiring', () => {
  it('adds namespace labels, external exposure and keeps the isolation fields', () => {
    const ns = resource('k8s.namespace', 'shop', { labels: { 'zt.io/environment': 'production' }, annotations: {} });
    const web = workload('web', 'shop', { app: 'web' });
    const api = workload('api', 'shop', { app: 'api' });
    const lb = resource('k8s.service', 'web', { namespace: 'shop', labels: {}, annotations: {}, type: 'LoadBalancer', selector: { app: 'web' }, ports: [] });
    const calico = daemonSetOf('calico-node', 'kube-system', 'calico/node:v3');
    const derived = facts([ns, web, api, lb, netpol('deny', 'shop', {}), calico]);
    expect(derived.get(web.id)).toMatchObject({
      namespaceLabels: { 'zt.io/environment': 'production', 'kubernetes.io/metadata.name': 'shop' },
      externallyExposed: true,
      ingressIsolated: true,
      egressIsolated: false,
      networkPolicies: ['deny'],
      blastRadius: 1, // calico-node, not isolated
      ingressIsolationGap: '',
      hostNetworkNote: '',
    });
    expect(derived.get(api.id)?.externallyExposed).toBe(false);
  });

  it('a Service an Ingress routes to exposes the pods it selects; other Services of the namespace do not', () => {
    const web = workload('web', 'shop', { app: 'web' });
    const admin = workload('admin', 'shop', { app: 'admin' });
    const svc = (name: string, app: string) => resource('k8s.service', name, { namespace: 'shop', labels: {}, annotations: {}, type: 'ClusterIP', selector: { app }, ports: [] });
    const ing = resource('k8s.ingress', 'web', { namespace: 'shop', labels: {}, annotations: {}, ingressClassName: 'nginx', hosts: [], tls: [], backends: ['web'] });
    const derived = facts([web, admin, svc('web', 'web'), svc('admin', 'admin'), ing]);
    expect(derived.get(web.id)?.externallyExposed).toBe(true);
    expect(derived.get(admin.id)?.externallyExposed).toBe(false);
    expect(facts([web, svc('web', 'web')]).get(web.id)?.externallyExposed).toBe(false);
  });

  it('an Ingress without recorded backends (an older snapshot) counts every Service of its namespace as exposed', () => {
    const web = workload('web', 'shop', { app: 'web' });
    const svc = resource('k8s.service', 'web', { namespace: 'shop', labels: {}, annotations: {}, type: 'ClusterIP', selector: { app: 'web' }, ports: [] });
    const ing = resource('k8s.ingress', 'web', { namespace: 'shop', labels: {}, annotations: {}, ingressClassName: 'nginx', hosts: [], tls: [] });
    expect(facts([web, svc]).get(web.id)?.externallyExposed).toBe(false);
    expect(facts([web, svc, ing]).get(web.id)?.externallyExposed).toBe(true);
  });
});
