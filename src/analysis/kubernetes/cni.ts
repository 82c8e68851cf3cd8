import { z } from 'zod';
import { type Analyser, analyser, type DerivedRecord } from '../analyser.js';
import { targetInputGap } from '../input-gaps.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Kind } from '../../inventory/kinds/index.js';
import type { TypedResource } from '../../inventory/snapshot.js';
import { UnknownFact } from '../../model/unknown-fact.js';

/**
 * Is NetworkPolicy enforced? Kubernetes stores NetworkPolicies but leaves enforcing them
 * to the CNI plugin; with a CNI that does not (flannel alone, the AWS VPC CNI without its
 * network-policy agent turned on, kubenet) every policy protects nothing. The evidence is
 * the node agent of a CNI among the cluster's DaemonSets, recognised by its image (also
 * when mirrored: the repository's last segments), by its DaemonSet name in the namespaces
 * CNIs install into, and by the flags that switch policy enforcement on or off:
 *
 * - enforcing agents: Cilium (`cilium`, GKE Dataplane V2's `anetd`), Calico (`calico/node`,
 *   Tigera's `cnx-node`; Canal too), Antrea (`antrea-agent`), kube-router (unless
 *   `--run-firewall=false`), Weave Net (its `weave-npc` container), Azure NPM, and the
 *   AWS VPC CNI's network-policy agent (`aws-eks-nodeagent` / `aws-network-policy-agent`)
 *   only with `--enable-network-policy=true` (its default is false);
 * - CNIs known not to enforce by themselves: flannel, the AWS VPC CNI (`aws-node`) with its
 *   agent off or absent.
 *
 * From that: `enforced` when an enforcing agent runs; `not-enforced` only when the live
 * cluster's DaemonSets were all read, show a non-enforcing CNI and no enforcing agent;
 * otherwise unknown — offline input (manifests need not include the CNI), a CNI that runs
 * outside Kubernetes (k3s's embedded kube-router) or that zt does not recognise, or a
 * DaemonSet named like a CNI agent with an image zt does not know (said so).
 */

const policyCnis = ['cilium', 'calico', 'antrea', 'kube-router', 'weave', 'aws-vpc-cni', 'azure-npm'] as const;
export type PolicyCni = (typeof policyCnis)[number];
const enforcements = ['enforced', 'not-enforced', 'unknown'] as const;
export type Enforcement = (typeof enforcements)[number];

interface Container {
  readonly name: string;
  readonly image: string;
  readonly flags?: Readonly<Record<string, boolean>>;
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

/** Which policy-enforcing CNI a container image is the node agent of, if any (flags aside). */
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

/** CNIs that route pod traffic but do not enforce NetworkPolicy by themselves. */
function nonEnforcingCniOfImage(image: string): string | null {
  const last = lastSegment(imageRepository(image));
  if (last === 'flannel' || last === 'flannelcni-flannel' || last === 'mirrored-flannelcni-flannel') return 'flannel';
  if (last === 'amazon-k8s-cni') return 'aws-vpc-cni';
  return null;
}

/** DaemonSet names that identify a CNI node agent when the image is mirrored under another name (CNI namespaces only). */
const daemonSetNames: Readonly<Record<string, PolicyCni>> = {
  cilium: 'cilium',
  anetd: 'cilium',
  'calico-node': 'calico',
  'antrea-agent': 'antrea',
  'kube-router': 'kube-router',
  'weave-net': 'weave',
  'azure-npm': 'azure-npm',
};
const cniNamespaces = new Set(['kube-system', 'calico-system', 'cilium', 'cilium-system', 'tigera-operator', 'kube-flannel']);
const awsAgentContainers = new Set(['aws-eks-nodeagent', 'aws-network-policy-agent']);

/** What one DaemonSet says about NetworkPolicy enforcement. */
export type DaemonSetEvidence =
  | { readonly kind: 'enforcing'; readonly cni: PolicyCni; readonly detail: string }
  | { readonly kind: 'non-enforcing'; readonly cni: string; readonly detail: string }
  | { readonly kind: 'unrecognised'; readonly detail: string };

/** The CNI evidence of one DaemonSet, or null when it is no CNI agent zt knows. */
export function daemonSetEvidence(namespace: string, name: string, containers: readonly Container[]): DaemonSetEvidence | null {
  const where = `${namespace}/${name}`;
  for (const c of containers) {
    const agent = awsAgentContainers.has(c.name) || cniOfImage(c.image) === 'aws-vpc-cni';
    if (agent) {
      const flag = c.flags?.['enable-network-policy'];
      if (flag === true) return { kind: 'enforcing', cni: 'aws-vpc-cni', detail: `${where} runs the AWS VPC CNI network-policy agent with --enable-network-policy=true` };
      if (flag === false) return { kind: 'non-enforcing', cni: 'aws-vpc-cni', detail: `${where} runs the AWS VPC CNI network-policy agent with --enable-network-policy=false` };
      return { kind: 'unrecognised', detail: `${where} runs the AWS VPC CNI network-policy agent, but whether --enable-network-policy is on is not known (it is off by default)` };
    }
  }
  for (const c of containers) {
    const cni = cniOfImage(c.image);
    if (!cni) continue;
    if (cni === 'kube-router' && c.flags?.['run-firewall'] === false) return { kind: 'non-enforcing', cni: 'kube-router', detail: `${where} runs kube-router with --run-firewall=false` };
    return { kind: 'enforcing', cni, detail: `${where} (image ${imageRepository(c.image)})` };
  }
  const named = daemonSetNames[name];
  if (named && cniNamespaces.has(namespace)) return { kind: 'enforcing', cni: named, detail: `${where} (a ${named} agent by its name; image not recognised)` };
  for (const c of containers) {
    const other = nonEnforcingCniOfImage(c.image);
    if (other) return { kind: 'non-enforcing', cni: other, detail: `${where} runs ${other}, which does not enforce NetworkPolicy by itself` };
  }
  if (named) return { kind: 'unrecognised', detail: `${where} is named like the ${named} agent, but its images (${containers.map((c) => imageRepository(c.image)).join(', ') || 'none'}) are not ones zt recognises and it is outside the namespaces CNIs install into` };
  return null;
}

/** The policy-enforcing CNI a DaemonSet runs, if any. */
export function cniOfDaemonSet(namespace: string, name: string, containers: readonly Container[]): PolicyCni | null {
  const evidence = daemonSetEvidence(namespace, name, containers);
  return evidence?.kind === 'enforcing' ? evidence.cni : null;
}

export interface CniFacts {
  readonly cni: PolicyCni | null;
  readonly enforcement: Enforcement;
  /** "namespace/name" of the DaemonSets that evidence the CNI. */
  readonly evidence: readonly string[];
  /** Why, in words: what was found or what is missing. */
  readonly reason: string;
}

const cache = new WeakMap<InventoryIndex, Map<string, CniFacts>>();

/** Per cluster (provenance source): whether a CNI enforces NetworkPolicy, and on what evidence. */
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
  const live = new Set(inventory.snapshot.sources.filter((s) => s.mode === 'live').map((s) => s.source));
  facts = new Map();
  for (const source of sources) {
    const found: { evidence: DaemonSetEvidence; where: string }[] = [];
    for (const ds of daemonSets.get(source) ?? []) {
      const pod = ds.attributes.pod;
      const namespace = String(ds.attributes.namespace);
      const evidence = daemonSetEvidence(namespace, ds.name, [...pod.containers, ...pod.initContainers]);
      if (evidence) found.push({ evidence, where: `${namespace}/${ds.name}` });
    }
    found.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : 0));
    // This cluster's own coverage: another cluster's unread workloads say nothing about its DaemonSets.
    facts.set(source, judge(found, live.has(source), targetInputGap(inventory, 'k8s.workload', source) === null));
  }
  cache.set(inventory, facts);
  return facts;
}

function judge(found: readonly { evidence: DaemonSetEvidence; where: string }[], live: boolean, complete: boolean): CniFacts {
  const enforcing = found.filter((f) => f.evidence.kind === 'enforcing');
  const first = enforcing[0]?.evidence;
  if (first?.kind === 'enforcing') {
    return { cni: first.cni, enforcement: 'enforced', evidence: enforcing.map((f) => f.where), reason: `NetworkPolicy is enforced by ${first.cni}: ${enforcing.map((f) => f.evidence.detail).join('; ')}` };
  }
  const unrecognised = found.filter((f) => f.evidence.kind === 'unrecognised');
  if (unrecognised.length > 0) return { cni: null, enforcement: 'unknown', evidence: [], reason: `whether a CNI enforces NetworkPolicy is not known: ${unrecognised.map((f) => f.evidence.detail).join('; ')}` };
  const nonEnforcing = found.filter((f) => f.evidence.kind === 'non-enforcing');
  if (!live) {
    return { cni: null, enforcement: 'unknown', evidence: [], reason: 'whether a CNI enforces NetworkPolicy is not known: offline input does not show the CNI the cluster runs (no enforcing CNI agent among its DaemonSets)' };
  }
  if (nonEnforcing.length > 0 && complete) {
    return { cni: null, enforcement: 'not-enforced', evidence: nonEnforcing.map((f) => f.where), reason: `no CNI enforces NetworkPolicy: ${nonEnforcing.map((f) => f.evidence.detail).join('; ')}, and no enforcing agent runs` };
  }
  return { cni: null, enforcement: 'unknown', evidence: [], reason: 'whether a CNI enforces NetworkPolicy is not known: no CNI agent zt recognises among the cluster\'s DaemonSets (the CNI may run outside Kubernetes, as in k3s, or be one zt does not know)' };
}

/** Per source, the unknown fact that `enforcement: unknown` is for rules (one object per source, shared by its resources). */
export function enforcementUnknowns(inventory: InventoryIndex): Map<string, UnknownFact> {
  const out = new Map<string, UnknownFact>();
  for (const [source, f] of cniFacts(inventory)) {
    if (f.enforcement === 'unknown') out.set(source, new UnknownFact({ kind: 'k8s.workload', state: 'missing', reason: 'input_missing' }, f.reason));
  }
  return out;
}

/** Kinds read only to name the clusters (provenance sources) a fact is given for. */
const clusterNaming: readonly Kind[] = ['k8s.cluster', 'k8s.namespace', 'k8s.networkPolicy'];

const UNKNOWN: CniFacts = { cni: null, enforcement: 'unknown', evidence: [], reason: 'whether a CNI enforces NetworkPolicy is not known: nothing of the cluster was read' };

const perResourceOutput = z.object({
  policyEnforcingCni: z
    .enum(policyCnis)
    .nullable()
    .describe('The NetworkPolicy-enforcing CNI found among the cluster\'s DaemonSets (cilium, calico, antrea, kube-router, weave, aws-vpc-cni, azure-npm), or null.'),
  networkPolicyEnforcement: z
    .enum(enforcements)
    .describe(
      'Whether a CNI enforces NetworkPolicy in the cluster: enforced (an enforcing CNI agent runs), not-enforced (a live cluster whose DaemonSets show only a CNI that does not enforce, so policies protect nothing); without evidence the fact is unknown and rules reading it are not evaluated.',
    ),
  networkPolicyEnforcementEvidence: z.string().describe('What the enforcement verdict rests on, in words (the DaemonSets found, or what is missing).'),
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
      out.set(cluster.id, { policyEnforcingCni: f.cni, networkPolicyEnforcement: f.enforcement, networkPolicyEnforcementEvidence: f.reason, cniDaemonSets: f.evidence });
    }
    return out;
  },
  unknowns: (inventory) => unknownsOf(inventory, inventory.ofKind('k8s.cluster')),
});

/** Per resource of a cluster whose enforcement is unknown: networkPolicyEnforcement and policyEnforcingCni unknown, one record per cluster. */
function unknownsOf(inventory: InventoryIndex, resources: readonly { readonly id: string; readonly provenance: { readonly source: string } }[]): Map<string, Readonly<Record<string, UnknownFact>>> {
  const bySource = new Map<string, Readonly<Record<string, UnknownFact>>>();
  for (const [source, fact] of enforcementUnknowns(inventory)) bySource.set(source, { networkPolicyEnforcement: fact, policyEnforcingCni: fact });
  const out = new Map<string, Readonly<Record<string, UnknownFact>>>();
  if (bySource.size === 0) return out;
  for (const r of resources) {
    const record = bySource.get(r.provenance.source);
    if (record) out.set(r.id, record);
  }
  return out;
}

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
        out.set(r.id, { policyEnforcingCni: f.cni, networkPolicyEnforcement: f.enforcement, networkPolicyEnforcementEvidence: f.reason });
      }
      return out;
    },
    unknowns: (inventory) => unknownsOf(inventory, inventory.ofKind(kind)),
  };
}

export const namespaceCniAnalyser = perResource('k8s.namespace');
export const workloadCniAnalyser = perResource('k8s.workload');
export const cniAnalysers: readonly Analyser[] = [clusterCniAnalyser, namespaceCniAnalyser, workloadCniAnalyser];
