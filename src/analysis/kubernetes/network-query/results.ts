/**
 * What the network queries answer, as the JSON output carries it (documented in
 * docs/network-analysis.md, "zt network"). Ports are strings: `TCP/80`, `TCP/8000-8080`,
 * `UDP/*` (every port of a protocol), `*` (every port of every protocol). Every list is
 * sorted, so the same input gives the same bytes.
 */

export const NETWORK_RESULT_VERSION = 1;

export type Verdict = 'allowed' | 'denied' | 'conditional';

export interface AdmittingRule {
  /** `namespace/name` of the NetworkPolicy. */
  readonly policy: string;
  /** `ingress[0]`, `egress[2]`: the rule's place in the policy. */
  readonly rule: string;
  /** `from[1]`/`to[0]`: the admitting peer; null when the rule admits every peer (no from/to). */
  readonly peer: string | null;
  /** The peer as written, in short: `namespaceSelector{team=shop} podSelector{app=web}`, `ipBlock 10.0.0.0/8 except 10.1.0.0/16`, `every peer`. */
  readonly peerText: string;
  /** What the rule allows towards the destination (named ports resolved). */
  readonly ports: readonly string[];
  /** Admits only some addresses of the endpoint, or a host-network pod only if its node's address is in the ipBlock. */
  readonly conditional: boolean;
}

export interface SideExplanation {
  /** The end whose policies decide this direction (the source for egress, the destination for ingress). */
  readonly endpoint: string;
  /** NetworkPolicy applies to the end (false: outside the cluster, or a host-network pod). */
  readonly subject: boolean;
  readonly isolated: boolean;
  /** NetworkPolicies isolating the end for this direction (`namespace/name`). */
  readonly policies: readonly string[];
  readonly admittedBy: readonly AdmittingRule[];
  /** What this side lets through. */
  readonly ports: readonly string[];
  readonly conditionalPorts: readonly string[];
  /** One sentence: why this side allows or denies. */
  readonly summary: string;
}

/** A policy layer above NetworkPolicy: evaluated for this connection (Istio), or what zt models per workload (Linkerd, Cilium). */
export interface LayerNote {
  readonly layer: 'istio' | 'linkerd' | 'cilium';
  /** true: the layer's policies were evaluated for this connection (`ports`, `conditionalPorts`, `decidedBy`); false: what they say about the workload. */
  readonly evaluatedPerConnection: boolean;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly summary: string;
  /** Evaluated layers: of the ports NetworkPolicy lets through, those this layer allows, and allows for some requests only. */
  readonly ports?: readonly string[];
  readonly conditionalPorts?: readonly string[];
  /** Evaluated layers: the rules (and settings) that decide. */
  readonly decidedBy?: readonly string[];
}

export interface ConnectionAnswer {
  readonly from: string;
  readonly to: string;
  readonly verdict: Verdict;
  /** Allowed by both ends (for --port: the asked port as resolved on the destination). */
  readonly ports: readonly string[];
  readonly conditionalPorts: readonly string[];
  /** A pod reaching itself over loopback: always allowed, NetworkPolicy does not see it. */
  readonly loopback: boolean;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
  readonly layers: readonly LayerNote[];
  /** The answer once the layers evaluated per connection are applied; null when none was (the verdict is NetworkPolicy's alone). */
  readonly withLayers: { readonly verdict: Verdict; readonly ports: readonly string[]; readonly conditionalPorts: readonly string[] } | null;
  readonly notes: readonly string[];
}

export interface CanReachResult {
  readonly version: number;
  readonly query: 'can-reach';
  readonly cluster: string;
  readonly from: string;
  readonly to: string;
  readonly port: string | null;
  readonly notes: readonly string[];
  readonly connections: readonly ConnectionAnswer[];
}

export interface PeerWorkload {
  readonly workload: string;
  readonly ports: readonly string[];
  readonly conditionalPorts: readonly string[];
}

export interface PeerNamespace {
  readonly namespace: string;
  readonly workloads: readonly PeerWorkload[];
}

export interface OutsideWorld {
  /** Ports open to every address outside the cluster (not isolated, or a rule without peers). */
  readonly anyAddress: readonly string[];
  readonly ipBlocks: readonly { readonly cidr: string; readonly except: readonly string[]; readonly ports: readonly string[]; readonly policy: string; readonly rule: string }[];
  /** Ports open to every public address, and to some of them only. */
  readonly internet: readonly string[];
  readonly internetPartly: readonly string[];
}

export interface ReachSet {
  /** The workload (or address) the set is about. */
  readonly endpoint: string;
  readonly namespaces: readonly PeerNamespace[];
  /** Number of workloads in `namespaces`. */
  readonly workloadCount: number;
  /** Outside the cluster; null when the endpoint is itself an address. */
  readonly outside: OutsideWorld | null;
}

export interface ReachSetResult {
  readonly version: number;
  readonly query: 'who-can-reach' | 'reachable-from';
  readonly cluster: string;
  readonly endpoint: string;
  readonly notes: readonly string[];
  readonly sets: readonly ReachSet[];
}

export interface MatrixGroup {
  /** `g1`, `g2`, … for workloads (connectivity classes), the namespace name for --by namespace. */
  readonly id: string;
  readonly members: readonly string[];
}

/** One row's destinations that share the same ports (rows are grouped so a matrix of thousands of groups stays small). */
export interface MatrixCell {
  readonly from: string;
  readonly to: readonly string[];
  readonly ports: readonly string[];
  readonly conditionalPorts: readonly string[];
}

export interface MatrixResult {
  readonly version: number;
  readonly query: 'matrix';
  readonly cluster: string;
  readonly by: 'workload' | 'namespace';
  /** --namespace filter; empty for the whole cluster. */
  readonly namespaces: readonly string[];
  readonly workloadCount: number;
  readonly groups: readonly MatrixGroup[];
  /** Connected (from, to) group pairs, and (source workload, destination workload) pairs. */
  readonly connectedGroupPairs: number;
  readonly connectedWorkloadPairs: number;
  readonly cells: readonly MatrixCell[];
  readonly notes: readonly string[];
}

export type NetworkResult = CanReachResult | ReachSetResult | MatrixResult;
