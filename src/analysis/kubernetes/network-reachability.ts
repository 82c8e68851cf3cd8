import type { NetCluster } from './network-policy.js';
import { ClassSpace } from './network-reachability/class-sets.js';
import { groupIntoClasses } from './network-reachability/classes.js';
import type { ReachabilityContext } from './network-reachability/context.js';
import { emitFacts } from './network-reachability/emit-facts.js';
import { applyPolicies } from './network-reachability/policies.js';
import { computeReach } from './network-reachability/reach.js';
import { ReachabilityIndex } from './network-reachability/reachability-index.js';

/**
 * Reachability between workloads without pairwise work. Named steps over one context
 * (network-reachability/context.ts), each in its own file under network-reachability/,
 * with the indexes and every cache in one ReachabilityIndex:
 *
 * 1. classes.ts — workloads with the same namespace, pod labels and named container
 *    ports get the same policy outcome in every respect: they form one class.
 * 2. policies.ts (peers.ts, pieces.ts) — per class, the policies selecting it and its
 *    isolation per direction; every allow rule becomes one or more "pieces" (sources ×
 *    destinations × ports), with sources and destinations as sets of classes
 *    (class-sets.ts: sparse index lists, plus a bitset when large). Named ports split a
 *    rule into one piece per distinct resolution, so a piece's ports hold for each of its
 *    destinations.
 * 3. reach.ts (pieces-by-class.ts, summary.ts) — a class's outbound set is the union,
 *    over its egress pieces, of the piece's destinations that are not ingress-isolated or
 *    that name the class as a source in an ingress piece whose ports overlap. The inbound
 *    set is the mirror image. Classes with the same piece lists (a "signature") share one
 *    computation in a scratch bitset; per-byte weight tables turn a set of classes into a
 *    workload count.
 * 4. emit-facts.ts — the facts of every workload, from its class's results.
 *
 * Cost: O(Σ matched classes over distinct selector sets) for the per-class piece lists
 * (PiecesByClass), plus O(signatures × (pieces involved + classes / 32)) for the unions;
 * memory likewise. Nothing is ever pairwise over pods. See docs/network-analysis.md.
 */

export interface WorkloadNetworkFacts {
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  readonly networkPolicies: readonly string[];
  readonly ingressPolicies: readonly string[];
  readonly egressPolicies: readonly string[];
  readonly ingressOpenToAllPods: boolean;
  readonly ingressOpenToExternal: boolean;
  readonly ingressOpenToInternet: boolean;
  readonly egressOpenToInternet: boolean;
  readonly inboundWorkloads: number;
  readonly inboundNamespaces: number;
  readonly inboundExamples: readonly string[];
  readonly blastRadius: number;
  readonly blastRadiusNamespaces: number;
  readonly blastRadiusExamples: readonly string[];
}

/** How many reachable / inbound workloads are named per workload. */
export const EXAMPLES = 5;

export interface AnalyseOptions {
  /** Workloads named in the *Examples fields (default 5; tests use Infinity to see every one). */
  readonly examples?: number;
}

/** Computes the network facts of every workload of one cluster. */
export function analyseCluster(cluster: NetCluster, options: AnalyseOptions = {}): Map<string, WorkloadNetworkFacts> {
  const classes = groupIntoClasses(cluster);
  const sets = new ClassSpace(classes.classes.length);
  const ctx: ReachabilityContext = { cluster, index: new ReachabilityIndex(cluster, classes, sets), sets, maxExamples: options.examples ?? EXAMPLES };
  const policies = applyPolicies(ctx);
  const reach = computeReach(ctx, policies);
  return emitFacts(ctx, policies, reach);
}
