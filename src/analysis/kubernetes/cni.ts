import { z } from 'zod';
import { type Analyser, analyser, type DerivedRecord } from '../analyser.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Kind } from '../../inventory/kinds/index.js';
import type { TypedResource } from '../../inventory/snapshot.js';

/**
 * Is NetworkPolicy enforced? Kubernetes stores NetworkPolicies but leaves enforcing them
 * to the CNI plugin; with a CNI that does not (flannel alone, the AWS VPC CNI without its
 * network-policy agent, kubenet) every policy protects nothing. We look for the node
 * agent of a policy-enforcing CNI among the cluster's DaemonSets.
 */

const policyCnis = ['cilium', 'calico', 'antrea', 'kube-router', 'weave', 'aws-vpc-cni', 'azure-npm'] as const;
export type PolicyCni = (typeof policyCnis)[number];
const enforcements = ['enforced', 'not-enforced', 'unknown'] as const;
export type Enforcement = (typeof enforcements)[number];

interface Container {
  readonly name: string;
  readonly image: string;
}

/** The repository path of an image, lower-cased, without registry host, tag or digest: "calico/node". */
export function imageRepository(image: string): string {
  let ref = image.toLowerCase();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) parts.shift();
  return parts.join('/');
}

function lastSegment(repository: string): string {
  return repository.slice(repository.lastIndexOf('/') + 1);
}

/** Which policy-enforcing CNI a container image is the node agent of, if any. */
export function cniOfImage(image: string): PolicyCni | null {
  const repo = imageRepository(image);
  const last = lastSegment(repo);
  const parent = repo.split('/').slice(-2, -1)[0] ?? '';
  if (last === 'cilium') return 'cilium';
  if ((last === 'node' && (parent === 'calico' || parent === 'tigera')) || last === 'cnx-node') return 'calico';
  if (/^antrea(-agent)?-(ubuntu|photon|ubi)/.test(last) || (parent === 'antrea' && last.startsWith('antrea'))) return 'antrea';
  if (last === 'kube-router') return 'kube-router';
  if (last === 'weave-npc') return 'weave';
  if (last === 'aws-network-policy-agent') return 'aws-vpc-cni';
  if (last === 'azure-npm') return 'azure-npm';
  return null;
}

/** DaemonSet names that identify a CNI node agent when the image is mirrored under another name (platform namespaces only). */
const daemonSetNames: Readonly<Record<string, PolicyCni>> = {
  cilium: 'cilium',
  'calico-node': 'calico',
  'antrea-agent': 'antrea',
  'kube-router': 'kube-router',
  'azure-npm': 'azure-npm',
};
const cniNamespaces = new Set(['kube-system', 'calico-system', 'cilium', 'cilium-system', 'tigera-operator']);

/** The policy-enforcing CNI a DaemonSet runs, if any. The AWS VPC CNI counts only with its network-policy agent container. */
export function cniOfDaemonSet(namespace: string, name: string, containers: readonly Container[]): PolicyCni | null {
  for (const c of containers) {
    const cni = cniOfImage(c.image);
    if (cni) return cni;
    if (c.name === 'aws-eks-nodeagent') return 'aws-vpc-cni';
  }
  if (cniNamespaces.has(namespace)) return daemonSetNames[name] ?? null;
  return null;
}

export interface CniFacts {
  readonly cni: PolicyCni | null;
  readonly enforcement: Enforcement;
  /** "namespace/name" of the DaemonSets that evidence the CNI. */
  readonly evidence: readonly string[];
}

const cache = new WeakMap<InventoryIndex, Map<string, CniFacts>>();

/**
 * Per cluster (provenance source): the CNI that enforces NetworkPolicy. `unknown` when
 * the DaemonSets cannot have been seen: no DaemonSet at all in the cluster's workloads
 * (every real cluster runs at least its CNI or kube-proxy as one), or workload coverage
 * that is not complete.
 */
export function cniFacts(inventory: InventoryIndex): Map<string, CniFacts> {
  let facts = cache.get(inventory);
  if (facts) return facts;
  const daemonSets = new Map<string, TypedResource<'k8s.workload'>[]>();
  const sources = new Set<string>();
  for (const kind of ['k8s.cluster', 'k8s.namespace', 'k8s.workload', 'k8s.networkPolicy'] as const) {
    for (const r of inventory.ofKind(kind)) sources.add(r.provenance.source);
  }
  for (const w of inventory.ofKind('k8s.workload')) {
    if (w.attributes.workloadKind !== 'DaemonSet') continue;
    let list = daemonSets.get(w.provenance.source);
    if (!list) daemonSets.set(w.provenance.source, (list = []));
    list.push(w);
  }
  const coverage = inventory.snapshot.coverage['k8s.workload'];
  const complete = !coverage || coverage.state === 'complete';
  facts = new Map();
  for (const source of sources) {
    const found: { cni: PolicyCni; where: string }[] = [];
    for (const ds of daemonSets.get(source) ?? []) {
      const pod = ds.attributes.pod;
      const namespace = String(ds.attributes.namespace);
      const cni = cniOfDaemonSet(namespace, ds.name, [...pod.containers, ...pod.initContainers]);
      if (cni) found.push({ cni, where: `${namespace}/${ds.name}` });
    }
    found.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : 0));
    const seen = (daemonSets.get(source) ?? []).length > 0 && complete;
    facts.set(source, {
      cni: found[0]?.cni ?? null,
      enforcement: found.length > 0 ? 'enforced' : seen ? 'not-enforced' : 'unknown',
      evidence: found.map((f) => f.where),
    });
  }
  cache.set(inventory, facts);
  return facts;
}

/** Kinds read only to name the clusters (provenance sources) a fact is given for. */
const clusterNaming: readonly Kind[] = ['k8s.cluster', 'k8s.namespace', 'k8s.networkPolicy'];

const UNKNOWN: CniFacts = { cni: null, enforcement: 'unknown', evidence: [] };

const perResourceOutput = z.object({
  policyEnforcingCni: z
    .enum(policyCnis)
    .nullable()
    .describe('The NetworkPolicy-enforcing CNI found among the cluster\'s DaemonSets (cilium, calico, antrea, kube-router, weave, aws-vpc-cni, azure-npm), or null.'),
  networkPolicyEnforcement: z
    .enum(enforcements)
    .describe(
      'Whether a CNI enforces NetworkPolicy in the cluster: enforced, not-enforced (no policy-enforcing CNI among complete DaemonSets, so policies protect nothing), or unknown (DaemonSets not seen).',
    ),
});

const clusterOutput = perResourceOutput.extend({
  cniDaemonSets: z.array(z.string()).describe('DaemonSets (namespace/name) whose node agent enforces NetworkPolicy.'),
});

export const clusterCniAnalyser = analyser({
  kind: 'k8s.cluster',
  // DaemonSets are workloads: with the workloads not all read, "no enforcing CNI" cannot be told.
  inputs: ['k8s.workload'],
  judges: clusterNaming,
  output: clusterOutput,
  derive(inventory) {
    const facts = cniFacts(inventory);
    const out = new Map<string, DerivedRecord<typeof clusterOutput>>();
    for (const cluster of inventory.ofKind('k8s.cluster')) {
      const f = facts.get(cluster.provenance.source) ?? UNKNOWN;
      out.set(cluster.id, { policyEnforcingCni: f.cni, networkPolicyEnforcement: f.enforcement, cniDaemonSets: f.evidence });
    }
    return out;
  },
});

function perResource<K extends 'k8s.namespace' | 'k8s.workload'>(kind: K): Analyser<K, typeof perResourceOutput> {
  return {
    kind,
    inputs: ['k8s.workload'],
    judges: clusterNaming,
    output: perResourceOutput,
    derive(inventory) {
      const facts = cniFacts(inventory);
      const out = new Map<string, z.output<typeof perResourceOutput>>();
      for (const r of inventory.ofKind(kind)) {
        const f = facts.get(r.provenance.source) ?? UNKNOWN;
        out.set(r.id, { policyEnforcingCni: f.cni, networkPolicyEnforcement: f.enforcement });
      }
      return out;
    },
  };
}

export const namespaceCniAnalyser = perResource('k8s.namespace');
export const workloadCniAnalyser = perResource('k8s.workload');
export const cniAnalysers: readonly Analyser[] = [clusterCniAnalyser, namespaceCniAnalyser, workloadCniAnalyser];
