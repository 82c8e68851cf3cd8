import { z } from 'zod';
import { analyser, type DerivedRecord } from '../analyser.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import { clustersOf, withNameLabel, type Labels, type NetCluster } from './network-policy.js';
import { analyseCluster, type WorkloadNetworkFacts } from './network-reachability.js';
import { cniFacts, enforcementUnknowns, type Enforcement } from './cni.js';
import type { UnknownFact } from '../../model/unknown-fact.js';

// Kept here for the analysers that imported it from this module before the split.
export { effectivePolicyTypes } from './network-policy.js';

const cache = new WeakMap<InventoryIndex, Map<string, WorkloadNetworkFacts>>();

/**
 * The network facts of one cluster's workloads. Where no CNI enforces NetworkPolicy, what
 * the policies say (isolation, the policies' names) is kept, and who can reach whom is what
 * happens without them: every pod reaches every pod (so a message's numbers are the truth).
 */
function clusterFacts(cluster: NetCluster, enforcement: Enforcement | undefined): Map<string, WorkloadNetworkFacts> {
  const configured = analyseCluster(cluster);
  if (enforcement !== 'not-enforced' || cluster.policies.length === 0) return configured;
  const open = analyseCluster({ ...cluster, policies: [] });
  const out = new Map<string, WorkloadNetworkFacts>();
  for (const [id, f] of open) {
    const c = configured.get(id) ?? f;
    out.set(id, { ...f, ingressIsolated: c.ingressIsolated, egressIsolated: c.egressIsolated, networkPolicies: c.networkPolicies, ingressPolicies: c.ingressPolicies, egressPolicies: c.egressPolicies });
  }
  return out;
}

/** NetworkPolicy facts of every workload of the snapshot (computed once per inventory). */
export function workloadNetworkFacts(inventory: InventoryIndex): Map<string, WorkloadNetworkFacts> {
  let facts = cache.get(inventory);
  if (!facts) {
    const clusters = [...clustersOf(inventory)];
    const cni = cniFacts(inventory);
    // One cluster (the common case): its map is the answer, not copied entry by entry.
    if (clusters.length === 1) facts = clusterFacts(clusters[0]![1], cni.get(clusters[0]![0])?.enforcement);
    else {
      facts = new Map();
      for (const [source, cluster] of clusters) for (const [id, f] of clusterFacts(cluster, cni.get(source)?.enforcement)) facts.set(id, f);
    }
    cache.set(inventory, facts);
  }
  return facts;
}

/** Who can reach whom depends on a CNI enforcing the policies: unknown where that is. */
const enforcementDependent = [
  'ingressOpenToAllPods',
  'ingressOpenToExternal',
  'ingressOpenToInternet',
  'egressOpenToInternet',
  'inboundWorkloads',
  'inboundNamespaces',
  'inboundExamples',
  'blastRadius',
  'blastRadiusNamespaces',
  'blastRadiusExamples',
] as const;

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
 * radius of a compromise. Isolation describes what the NetworkPolicies say; who can reach
 * whom is what happens: computed without the policies where no CNI enforces them, unknown
 * where that cannot be told (`networkPolicyEnforcement`). Host-network pods are never
 * isolated. See docs/network-analysis.md.
 */
const output = z.object({
  ingressIsolated: z.boolean().describe('A NetworkPolicy of type Ingress selects the pods, so only allowed traffic reaches them.'),
  egressIsolated: z.boolean().describe('A NetworkPolicy of type Egress selects the pods, so they reach only what is allowed.'),
  networkPolicies: z.array(z.string()).describe('Names of the NetworkPolicies that select the pods.'),
  ingressPolicies: z.array(z.string()).describe('Names of the NetworkPolicies that isolate the pods for ingress.'),
  egressPolicies: z.array(z.string()).describe('Names of the NetworkPolicies that isolate the pods for egress.'),
  namespaceLabels: z.record(z.string(), z.string()).describe('Labels of the workload\'s namespace (kubernetes.io/metadata.name included).'),
  ingressIsolationGap: z
    .string()
    .describe('Why NetworkPolicy does not isolate the pods for ingress, in words ("" when it does): no policy selects them, or they use the host network.'),
  hostNetworkNote: z
    .string()
    .describe('"" or, for host-network pods, a note for messages that NetworkPolicy does not isolate them (it governs pod networks, not the node\'s).'),
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

const NO_INGRESS_POLICY = 'no NetworkPolicy of type Ingress and no Cilium policy with ingress rules selects its pods';
const HOST_NETWORK_NOTE = '; its pods use the host network, which NetworkPolicy does not isolate';
const hostNetworkGap = (selecting: readonly string[]): string =>
  `its pods use the host network, which NetworkPolicy does not isolate (it governs pod networks, not the node's)${selecting.length > 0 ? `, although ${selecting.join(', ')} select${selecting.length === 1 ? 's' : ''} them` : ''}`;

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
    // These depend on enforcement too, judged from the DaemonSets (workloads).
    ingressOpenToAllPods: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    ingressOpenToExternal: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    ingressOpenToInternet: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    egressOpenToInternet: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    ingressIsolationGap: ['k8s.networkPolicy'],
    // Who can reach whom counts the other workloads too.
    inboundWorkloads: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    inboundNamespaces: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    inboundExamples: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    blastRadius: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    blastRadiusNamespaces: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
    blastRadiusExamples: ['k8s.networkPolicy', 'k8s.namespace', 'k8s.workload'],
  },
  // Enforcement evidence names clusters by their k8s.cluster too.
  judges: ['k8s.cluster'],
  output,
  unknowns(inventory) {
    const out = new Map<string, Readonly<Record<string, UnknownFact>>>();
    const bySource = new Map<string, Readonly<Record<string, UnknownFact>>>();
    for (const [source, fact] of enforcementUnknowns(inventory)) bySource.set(source, Object.fromEntries(enforcementDependent.map((f) => [f, fact])));
    if (bySource.size === 0) return out;
    for (const w of inventory.ofKind('k8s.workload')) {
      const record = bySource.get(w.provenance.source);
      if (record) out.set(w.id, record);
    }
    return out;
  },
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
        ingressIsolationGap: f.ingressIsolated ? '' : workload.attributes.pod.hostNetwork ? hostNetworkGap(f.networkPolicies) : NO_INGRESS_POLICY,
        hostNetworkNote: workload.attributes.pod.hostNetwork ? HOST_NETWORK_NOTE : '',
      } satisfies WorkloadNetworkFacts & Record<string, unknown>);
    }
    return out;
  },
});
