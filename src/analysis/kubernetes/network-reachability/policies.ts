import type { Bits, ClassSet } from './class-sets.js';
import type { PodClass } from './classes.js';
import { orSet } from './class-sets.js';
import type { ReachabilityContext } from './context.js';
import { peersOf } from './peers.js';
import { Pieces } from './pieces.js';

/**
 * Step 2 — the NetworkPolicies, per class: which policies select it, isolation per
 * direction, what its ingress is open to beyond pods, and every allow rule as pieces.
 *
 * A class selected by any policy of a direction is isolated for it (policies are additive,
 * there is no deny); only the pieces of such policies let traffic through. This is where
 * another policy layer (an AdminNetworkPolicy, a CNI's own policies) would add its
 * selections and pieces.
 *
 * Host-network pods are selected (their names list the policy) but never isolated: they
 * share the node's network namespace, which NetworkPolicy does not govern on most CNIs
 * (Kubernetes leaves it undefined; Cilium applies only host policies, with its host
 * firewall on, which zt does not read), so neither the policy's isolation nor its rules
 * apply to them.
 */

export interface PolicyNames {
  readonly all: Set<string>;
  readonly ingress: Set<string>;
  readonly egress: Set<string>;
}

export interface PolicyOutcome {
  readonly ingressIsolated: Bits;
  readonly egressIsolated: Bits;
  /** Ingress-isolated classes an ingress piece opens to every pod / to addresses outside the cluster / to the internet. */
  readonly ingressOpenToAllPods: Bits;
  readonly ingressOpenToExternal: Bits;
  readonly ingressOpenToInternet: Bits;
  /** Egress-isolated classes an egress rule (with numeric ports) opens to the internet. */
  readonly egressOpenToInternet: Bits;
  /** Class index → names of the policies that select it; absent when none does. */
  readonly names: ReadonlyMap<number, PolicyNames>;
  readonly pieces: Pieces;
}

export function applyPolicies({ cluster, index, sets }: ReachabilityContext): PolicyOutcome {
  const classes = index.classes;
  const anyHost = classes.some((c) => c.hostNetwork);
  // Selections without their host-network classes, once per selection (selections are memoised sets).
  const governedOf = new Map<ClassSet, ClassSet>();
  const governed = (selected: ClassSet): ClassSet => {
    if (!anyHost) return selected;
    let g = governedOf.get(selected);
    if (!g) governedOf.set(selected, (g = sets.set(Int32Array.from(selected.idx).filter((i) => !(classes[i] as PodClass).hostNetwork))));
    return g;
  };
  const ingressIsolated = sets.newBits();
  const egressIsolated = sets.newBits();
  const ingressOpenToAllPods = sets.newBits();
  const ingressOpenToExternal = sets.newBits();
  const ingressOpenToInternet = sets.newBits();
  const egressOpenToInternet = sets.newBits();
  const names = new Map<number, PolicyNames>();
  const pieces = new Pieces(index, sets);

  for (const policy of cluster.policies) {
    if (!index.hasWorkloads(policy.namespace)) continue; // no workloads there
    const chosen = index.classesSelected(undefined, policy.podSelector, policy.namespace);
    if (chosen.idx.length === 0) continue;
    for (const i of chosen.idx) {
      let n = names.get(i);
      if (!n) names.set(i, (n = { all: new Set(), ingress: new Set(), egress: new Set() }));
      n.all.add(policy.name);
      if ((classes[i] as PodClass).hostNetwork) continue;
      if (policy.ingressIsolating) n.ingress.add(policy.name);
      if (policy.egressIsolating) n.egress.add(policy.name);
    }
    const selected = governed(chosen);
    if (selected.idx.length === 0) continue;
    if (policy.ingressIsolating) {
      orSet(ingressIsolated, selected);
      for (const rule of policy.ingress) {
        const peers = peersOf(index, sets, rule, policy.namespace);
        if (peers.classes.idx.length === 0 && !peers.external) continue;
        for (const piece of pieces.add('ingress', peers.classes, peers.all, selected, false, rule.ports)) {
          if (peers.allPods) orSet(ingressOpenToAllPods, piece.dests);
          if (peers.external) orSet(ingressOpenToExternal, piece.dests);
          if (peers.internet) orSet(ingressOpenToInternet, piece.dests);
        }
      }
    }
    if (policy.egressIsolating) {
      orSet(egressIsolated, selected);
      for (const rule of policy.egress) {
        const peers = peersOf(index, sets, rule, policy.namespace);
        pieces.add('egress', selected, false, peers.classes, peers.all, rule.ports);
        if (peers.internet && rule.ports.numeric.length > 0) orSet(egressOpenToInternet, selected);
      }
    }
  }
  return { ingressIsolated, egressIsolated, ingressOpenToAllPods, ingressOpenToExternal, ingressOpenToInternet, egressOpenToInternet, names, pieces };
}
