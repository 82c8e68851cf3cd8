import type { LabelSelector } from '../../inventory/kinds/common.js';
import type { InventoryIndex } from '../../inventory/index.js';
import type { Resource } from '../../inventory/snapshot.js';
import { ipBlockReachesInternet, ipBlockSet, intersects, addressSet } from '../../text/cidr.js';
import { parseRulePorts, portsContain, resolvePorts, type NamedPort, type Protocol, type RulePorts } from './network-ports.js';
import { selectorMatches } from './label-selector.js';

/**
 * Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), as pure functions.
 *
 * - A policy selects pods of its own namespace with `podSelector` (`{}` = all of them).
 * - policyTypes, when unset: Ingress always, plus Egress when the policy has egress rules.
 * - A pod selected by any policy of a direction is isolated for that direction: only what
 *   some such policy allows gets through (policies are additive, there is no deny).
 * - A rule without `from`/`to`, or with an empty list, admits every peer (in-cluster and
 *   outside); `ingress: [{}]` allows everything, `ingress: []` allows nothing.
 * - A peer with namespaceSelector AND podSelector selects the matching pods in the
 *   matching namespaces; namespaceSelector alone every pod of those namespaces;
 *   podSelector alone pods of the policy's own namespace; ipBlock addresses (cidr minus
 *   except) outside the cluster.
 * - ports: protocol defaults to TCP, `endPort` gives a range, named ports resolve against
 *   the destination pod's container ports; no ports = every port.
 * - A connection A → B on port P is allowed iff A's egress allows B:P (or A is not
 *   egress-isolated) AND B's ingress allows A:P (or B is not ingress-isolated).
 */

export type Direction = 'Ingress' | 'Egress';
export type Labels = Readonly<Record<string, string>>;

/**
 * Kubernetes' policyTypes default: a policy always affects Ingress unless policyTypes
 * says otherwise, and affects Egress when it has egress rules.
 */
export function effectivePolicyTypes(attributes: Readonly<Record<string, unknown>>): Direction[] {
  // Untyped on purpose: parsePolicy also reads rule error cases that skip schema validation.
  const written = attributes.policyTypes as Direction[] | null | undefined;
  if (written) return written;
  const egress = attributes.egress as unknown[] | undefined;
  return egress && egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

export interface IpBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

export interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

export interface PolicyRule {
  /** `from` (ingress) or `to` (egress); undefined or empty = every peer. */
  readonly peers: readonly PolicyPeer[] | undefined;
  readonly ports: RulePorts;
}

export interface NetPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  readonly ingressIsolating: boolean;
  readonly egressIsolating: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

/** A workload's pods as the network sees them (all its pods share labels and ports). */
export interface NetWorkload {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** Container port name → ports with that name (only the protocol and number matter). */
  readonly namedPorts: ReadonlyMap<string, readonly NamedPort[]>;
  /**
   * The pods use the node's network namespace: NetworkPolicy does not isolate them (on most
   * CNIs a pod selector never applies to host-network pods), whatever selects them.
   */
  readonly hostNetwork?: boolean;
}

/** One cluster: its namespaces (with labels, the implied kubernetes.io/metadata.name included), workloads and policies. */
export interface NetCluster {
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
  readonly workloads: readonly NetWorkload[];
  readonly policies: readonly NetPolicy[];
}

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function namespaceLabelsOf(cluster: NetCluster, namespace: string): Labels {
  return cluster.namespaceLabels.get(namespace) ?? { [NAMESPACE_NAME_LABEL]: namespace };
}

function parseRules(rules: unknown, peerKey: 'from' | 'to'): PolicyRule[] {
  if (!Array.isArray(rules)) return [];
  return rules.map((raw) => {
    const rule = (raw ?? {}) as Record<string, unknown>;
    const peers = rule[peerKey];
    return {
      peers: Array.isArray(peers) ? (peers as PolicyPeer[]) : undefined,
      ports: parseRulePorts(Array.isArray(rule.ports) ? rule.ports : undefined),
    };
  });
}

export function parsePolicy(resource: Resource): NetPolicy {
  const a = resource.attributes;
  const types = effectivePolicyTypes(a);
  return {
    name: resource.name,
    namespace: String(a.namespace),
    podSelector: (a.podSelector ?? {}),
    ingressIsolating: types.includes('Ingress'),
    egressIsolating: types.includes('Egress'),
    // Rules of a direction the policy does not declare in policyTypes are ignored by Kubernetes.
    ingress: types.includes('Ingress') ? parseRules(a.ingress, 'from') : [],
    egress: types.includes('Egress') ? parseRules(a.egress, 'to') : [],
  };
}

interface ContainerPorts {
  readonly ports: readonly { name: string | null; containerPort: number; protocol: string }[];
}

export function parseWorkload(resource: Resource): NetWorkload {
  const a = resource.attributes;
  const pod = a.pod as { containers?: readonly ContainerPorts[]; hostNetwork?: boolean } | undefined;
  const namedPorts = new Map<string, NamedPort[]>();
  for (const container of pod?.containers ?? []) {
    for (const p of container.ports ?? []) {
      if (!p.name) continue;
      const protocol = (['TCP', 'UDP', 'SCTP'].includes(p.protocol) ? p.protocol : 'TCP') as Protocol;
      let list = namedPorts.get(p.name);
      if (!list) namedPorts.set(p.name, (list = []));
      list.push({ protocol, port: p.containerPort });
    }
  }
  return {
    id: resource.id,
    name: resource.name,
    namespace: String(a.namespace),
    labels: (a.podLabels ?? {}) as Labels,
    namedPorts,
    hostNetwork: pod?.hostNetwork === true,
  };
}

/** Namespace labels as selectors see them: the collected labels plus the immutable name label. */
export function withNameLabel(namespace: string, labels: Labels | undefined): Labels {
  return { ...labels, [NAMESPACE_NAME_LABEL]: namespace };
}

/** Splits a snapshot into clusters (by provenance source), each ready for analysis. */
export function clustersOf(inventory: InventoryIndex): Map<string, NetCluster> {
  const namespaceLabels = new Map<string, Map<string, Labels>>();
  const workloads = new Map<string, NetWorkload[]>();
  const policies = new Map<string, NetPolicy[]>();
  const get = <T>(map: Map<string, T[]>, key: string): T[] => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  };
  for (const ns of inventory.ofKind('k8s.namespace')) {
    let m = namespaceLabels.get(ns.provenance.source);
    if (!m) namespaceLabels.set(ns.provenance.source, (m = new Map<string, Readonly<Record<string, string>>>()));
    m.set(ns.name, withNameLabel(ns.name, ns.attributes.labels));
  }
  for (const w of inventory.ofKind('k8s.workload')) get(workloads, w.provenance.source).push(parseWorkload(w));
  for (const p of inventory.ofKind('k8s.networkPolicy')) get(policies, p.provenance.source).push(parsePolicy(p));
  const sources = new Set([...workloads.keys(), ...policies.keys()]);
  const out = new Map<string, NetCluster>();
  for (const source of [...sources].sort()) {
    const labels = new Map(namespaceLabels.get(source) ?? []);
    for (const w of workloads.get(source) ?? []) {
      if (!labels.has(w.namespace)) labels.set(w.namespace, withNameLabel(w.namespace, undefined));
    }
    out.set(source, { namespaceLabels: labels, workloads: workloads.get(source) ?? [], policies: policies.get(source) ?? [] });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Peers

export function isEmptySelector(selector: LabelSelector | undefined | null): boolean {
  return (
    !!selector &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/** A peer with none of its fields set (rejected by the API server, but possible in files): treated as every peer. */
export function isEmptyPeer(peer: PolicyPeer): boolean {
  return !peer.podSelector && !peer.namespaceSelector && !peer.ipBlock;
}

/** The peer selects every pod of every namespace, present or future. */
export function peerSelectsAllPods(peer: PolicyPeer): boolean {
  if (isEmptyPeer(peer)) return true;
  return isEmptySelector(peer.namespaceSelector) && (!peer.podSelector || isEmptySelector(peer.podSelector));
}

/** Does the peer (in a policy of `policyNamespace`) select this pod? ipBlock peers never select pods (see docs). */
export function peerSelectsPod(peer: PolicyPeer, policyNamespace: string, podNamespace: string, namespaceLabels: Labels, podLabels: Labels): boolean {
  if (isEmptyPeer(peer)) return true;
  if (!peer.podSelector && !peer.namespaceSelector) return false; // ipBlock only
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, namespaceLabels)) return false;
  } else if (podNamespace !== policyNamespace) {
    return false;
  }
  return peer.podSelector ? selectorMatches(peer.podSelector, podLabels) : true;
}

/** Does the peer admit this address (an outside-the-cluster endpoint)? */
export function peerAdmitsAddress(peer: PolicyPeer, address: string): boolean {
  if (isEmptyPeer(peer)) return true;
  if (!peer.ipBlock) return false;
  const cidr = address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;
  return intersects(ipBlockSet(peer.ipBlock.cidr, peer.ipBlock.except ?? []), addressSet([cidr]));
}

export function peerReachesInternet(peer: PolicyPeer): boolean {
  if (isEmptyPeer(peer)) return true;
  return !!peer.ipBlock && ipBlockReachesInternet(peer.ipBlock.cidr, peer.ipBlock.except ?? []);
}

export function ruleHasNoPeerRestriction(rule: PolicyRule): boolean {
  return !rule.peers || rule.peers.length === 0;
}

// ---------------------------------------------------------------------------------------
// The reference semantics: one connection at a time. Used by tests to check the
// class-based engine, and small enough to read next to the Kubernetes documentation.

function selecting(cluster: NetCluster, pod: NetWorkload): NetPolicy[] {
  return cluster.policies.filter((p) => p.namespace === pod.namespace && selectorMatches(p.podSelector, pod.labels));
}

export type Endpoint = { readonly pod: NetWorkload } | { readonly address: string };

function ruleAdmits(cluster: NetCluster, policy: NetPolicy, rule: PolicyRule, peer: Endpoint, destination: Endpoint, protocol: Protocol, port: number): boolean {
  const ports = 'pod' in destination ? resolvePorts(rule.ports, destination.pod.namedPorts) : rule.ports.numeric;
  if (!portsContain(ports, protocol, port)) return false;
  if (ruleHasNoPeerRestriction(rule)) return true;
  return (rule.peers ?? []).some((p) =>
    'pod' in peer
      ? peerSelectsPod(p, policy.namespace, peer.pod.namespace, namespaceLabelsOf(cluster, peer.pod.namespace), peer.pod.labels)
      : peerAdmitsAddress(p, peer.address),
  );
}

/** Whether `from` may open a connection to `to` on protocol/port. At least one end must be a pod. */
export function connectionAllowed(cluster: NetCluster, from: Endpoint, to: Endpoint, protocol: Protocol, port: number): boolean {
  if ('pod' in from) {
    const egress = selecting(cluster, from.pod).filter((p) => p.egressIsolating);
    if (egress.length > 0 && !egress.some((p) => p.egress.some((r) => ruleAdmits(cluster, p, r, to, to, protocol, port)))) return false;
  }
  if ('pod' in to) {
    const ingress = selecting(cluster, to.pod).filter((p) => p.ingressIsolating);
    if (ingress.length > 0 && !ingress.some((p) => p.ingress.some((r) => ruleAdmits(cluster, p, r, from, to, protocol, port)))) return false;
  }
  return true;
}

/**
 * Whether `from` may connect to `to` on some port: checks one port per interval
 * between the boundaries that any rule (or named-port resolution) introduces, which
 * covers every distinct outcome.
 */
export function anyConnectionAllowed(cluster: NetCluster, from: NetWorkload, to: NetWorkload): boolean {
  const candidates = new Map<Protocol, Set<number>>([
    ['TCP', new Set([1])],
    ['UDP', new Set([1])],
    ['SCTP', new Set([1])],
  ]);
  const add = (protocol: Protocol, port: number): void => {
    if (port >= 1 && port <= 65535) candidates.get(protocol)?.add(port);
  };
  for (const policy of cluster.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const i of rule.ports.numeric) {
        add(i.protocol, i.lo);
        add(i.protocol, i.hi + 1);
      }
      for (const i of resolvePorts(rule.ports, to.namedPorts)) {
        add(i.protocol, i.lo);
        add(i.protocol, i.hi + 1);
      }
    }
  }
  for (const [protocol, ports] of candidates) {
    for (const port of ports) {
      if (connectionAllowed(cluster, { pod: from }, { pod: to }, protocol, port)) return true;
    }
  }
  return false;
}
