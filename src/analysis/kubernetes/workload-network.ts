import { z } from 'zod';
import { analyser, type DerivedRecord } from '../analyser.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import { clustersOf, withNameLabel, type Labels, type NetCluster } from './network-policy.js';
import { analyseCluster, type WorkloadNetworkFacts } from './network-reachability.js';

// Kept here for the analysers that imported it from this module before the split.
export { effectivePolicyTypes } from './network-policy.js';

const cache = new WeakMap<InventoryIndex, Map<string, WorkloadNetworkFacts>>();

/** NetworkPolicy facts of every workload of the snapshot (computed once per inventory). */
export function workloadNetworkFacts(inventory: InventoryIndex): Map<string, WorkloadNetworkFacts> {
  let facts = cache.get(inventory);
  if (!facts) {
    const clusters = [...clustersOf(inventory).values()];
    // One cluster (the common case): its map is the answer, not copied entry by entry.
    if (clusters.length === 1) facts = analyseCluster(clusters[0] as NetCluster);
    else {
      facts = new Map();
      for (const cluster of clusters) for (const [id, f] of analyseCluster(cluster)) facts.set(id, f);
    }
    cache.set(inventory, facts);
  }
  return facts;
}

/**
 * Workloads whose pods serve traffic from outside the cluster: selected by a
 * LoadBalancer or NodePort Service, or by a Service an Ingress routes to. An Ingress from
 * a snapshot taken before zt recorded backends counts every Service of its namespace as a
 * possible backend (over-counting exposure is the safe side of not knowing).
 */
function externallyExposed(inventory: InventoryIndex): Set<string> {
  const key = (source: string, namespace: unknown) => `${source}\u0000${String(namespace)}`;
  const wholeNamespace = new Set<string>();
  const routed = new Set<string>();
  for (const ingress of inventory.ofKind('k8s.ingress')) {
    const at = key(ingress.provenance.source, ingress.attributes.namespace);
    const backends = ingress.attributes.backends;
    if (backends === undefined) wholeNamespace.add(at);
    else for (const name of backends) routed.add(`${at}\u0000${name}`);
  }
  const services = new Map<string, Resource[]>();
  for (const s of inventory.ofKind('k8s.service')) {
    const at = key(s.provenance.source, s.attributes.namespace);
    const type = s.attributes.type;
    if (type !== 'LoadBalancer' && type !== 'NodePort' && !wholeNamespace.has(at) && !routed.has(`${at}\u0000${s.name}`)) continue;
    let list = services.get(at);
    if (!list) services.set(at, (list = []));
    list.push(s);
  }
  const out = new Set<string>();
  for (const w of inventory.ofKind('k8s.workload')) {
    const list = services.get(key(w.provenance.source, w.attributes.namespace));
    if (!list) continue;
    const labels: Labels = w.attributes.podLabels;
    const served = list.some((s) => {
      const selector = Object.entries(s.attributes.selector ?? {});
      return selector.length > 0 && selector.every(([k, v]) => labels[k] === v);
    });
    if (served) out.add(w.id);
  }
  return out;
}

/**
 * Per workload: NetworkPolicy isolation as Kubernetes defines it, who may connect to the
 * pods and what they may reach (both ends of a connection must allow it), and the blast
 * radius of a compromise. All of it describes what the NetworkPolicies say; whether a
 * CNI enforces them is `networkPolicyEnforcement`. See docs/network-analysis.md.
 */
const output = z.object({
  ingressIsolated: z.boolean().describe('A NetworkPolicy of type Ingress selects the pods, so only allowed traffic reaches them.'),
  egressIsolated: z.boolean().describe('A NetworkPolicy of type Egress selects the pods, so they reach only what is allowed.'),
  networkPolicies: z.array(z.string()).describe('Names of the NetworkPolicies that select the pods.'),
  ingressPolicies: z.array(z.string()).describe('Names of the NetworkPolicies that isolate the pods for ingress.'),
  egressPolicies: z.array(z.string()).describe('Names of the NetworkPolicies that isolate the pods for egress.'),
  namespaceLabels: z.record(z.string(), z.string()).describe('Labels of the workload\'s namespace (kubernetes.io/metadata.name included).'),
  externallyExposed: z.boolean().describe('A LoadBalancer/NodePort Service, or a Service an Ingress routes to, selects the pods.'),
  ingressOpenToAllPods: z
    .boolean()
    .describe('Any pod of any namespace, present or future, may connect on some port (not isolated, a rule without sources, or namespaceSelector {} without a narrowing podSelector).'),
  ingressOpenToExternal: z.boolean().describe('Addresses outside the cluster may connect on some port (not isolated, a rule without sources, or any ipBlock).'),
  ingressOpenToInternet: z
    .boolean()
    .describe('Public internet addresses may connect on some port (not isolated, a rule without sources, or an ipBlock such as 0.0.0.0/0 that keeps public addresses after except).'),
  egressOpenToInternet: z
    .boolean()
    .describe('The pods may open connections to public internet addresses (not egress-isolated, or an egress rule to all peers or to a public ipBlock).'),
  inboundWorkloads: z
    .number()
    .int()
    .describe('Number of other workloads that may open a connection to the pods on some port (their egress and this workload\'s ingress both allow it).'),
  inboundNamespaces: z.number().int().describe('Number of namespaces holding at least one of the inboundWorkloads.'),
  inboundExamples: z.array(z.string()).describe('Up to five of the inboundWorkloads, as namespace/name.'),
  blastRadius: z
    .number()
    .int()
    .describe('Number of other workloads a compromised pod of this workload may open a connection to directly (both ends allow it on some port).'),
  blastRadiusNamespaces: z.number().int().describe('Number of namespaces holding at least one workload within the blastRadius.'),
  blastRadiusExamples: z.array(z.string()).describe('Up to five workloads within the blastRadius, as namespace/name.'),
});

export const workloadNetworkAnalyser = analyser({
  kind: 'k8s.workload',
  inputs: [],
  fieldInputs: {
    ingressIsolated: ['k8s.networkPolicy'],
    egressIsolated: ['k8s.networkPolicy'],
    networkPolicies: ['k8s.networkPolicy'],
    ingressPolicies: ['k8s.networkPolicy'],
    egressPolicies: ['k8s.networkPolicy'],
    namespaceLabels: ['k8s.namespace'],
    externallyExposed: ['k8s.service', 'k8s.ingress'],
    ingressOpenToAllPods: ['k8s.networkPolicy', 'k8s.namespace'],
    ingressOpenToExternal: ['k8s.networkPolicy', 'k8s.namespace'],
    ingressOpenToInternet: ['k8s.networkPolicy', 'k8s.namespace'],
    egressOpenToInternet: ['k8s.networkPolicy', 'k8s.namespace'],
    // Who can reach whom counts the other workloads too.
    inboundWorkloads: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    inboundNamespaces: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    inboundExamples: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    blastRadius: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    blastRadiusNamespaces: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    blastRadiusExamples: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
  },
  output,
  derive(inventory) {
    const facts = workloadNetworkFacts(inventory);
    const exposed = externallyExposed(inventory);
    const nsLabels = new Map<string, Labels>();
    for (const ns of inventory.ofKind('k8s.namespace')) {
      nsLabels.set(`${ns.provenance.source}\u0000${ns.name}`, withNameLabel(ns.name, ns.attributes.labels));
    }
    const out = new Map<string, DerivedRecord<typeof output>>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      const f = facts.get(workload.id);
      if (!f) continue;
      const namespace = String(workload.attributes.namespace);
      // Field by field: a spread of f costs several times more, and this runs once per workload.
      out.set(workload.id, {
        ingressIsolated: f.ingressIsolated,
        egressIsolated: f.egressIsolated,
        networkPolicies: f.networkPolicies,
        ingressPolicies: f.ingressPolicies,
        egressPolicies: f.egressPolicies,
        ingressOpenToAllPods: f.ingressOpenToAllPods,
        ingressOpenToExternal: f.ingressOpenToExternal,
        ingressOpenToInternet: f.ingressOpenToInternet,
        egressOpenToInternet: f.egressOpenToInternet,
        inboundWorkloads: f.inboundWorkloads,
        inboundNamespaces: f.inboundNamespaces,
        inboundExamples: f.inboundExamples,
        blastRadius: f.blastRadius,
        blastRadiusNamespaces: f.blastRadiusNamespaces,
        blastRadiusExamples: f.blastRadiusExamples,
        namespaceLabels: nsLabels.get(`${workload.provenance.source}\u0000${namespace}`) ?? withNameLabel(namespace, undefined),
        externallyExposed: exposed.has(workload.id),
      } satisfies WorkloadNetworkFacts & Record<string, unknown>);
    }
    return out;
  },
});
