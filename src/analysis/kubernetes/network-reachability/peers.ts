import { isEmptyPeer, peerSelectsAllPods, type PolicyRule, ruleHasNoPeerRestriction } from '../network-policy.js';
import type { ClassSet, ClassSpace } from './class-sets.js';
import type { ReachabilityIndex } from './reachability-index.js';

/**
 * Step 2 (part) — the peers of one rule (`from` of an ingress rule, `to` of an egress
 * rule) as a set of classes, plus what the classes cannot express: whether the peers
 * take in every pod of every namespace, addresses outside the cluster, the internet.
 *
 * A rule without peers, or with an empty peer, admits every peer. ipBlock peers select
 * no pods (pod IPs are not matched against CIDRs; see docs/network-analysis.md).
 */

export interface PeerSet {
  readonly classes: ClassSet;
  /** Every peer: sources of such a piece are "all", present and future. */
  readonly all: boolean;
  readonly allPods: boolean;
  readonly external: boolean;
  readonly internet: boolean;
}

export function peersOf(index: ReachabilityIndex, sets: ClassSpace, rule: PolicyRule, policyNamespace: string): PeerSet {
  if (ruleHasNoPeerRestriction(rule)) return everyPeer(sets);
  const found: ClassSet[] = [];
  let allPods = false;
  let external = false;
  let internet = false;
  for (const peer of rule.peers ?? []) {
    if (isEmptyPeer(peer)) return everyPeer(sets);
    allPods ||= peerSelectsAllPods(peer);
    if (peer.ipBlock) {
      external = true;
      internet ||= index.reachesInternet(peer);
    }
    if (peer.namespaceSelector || peer.podSelector) found.push(index.classesSelected(peer.namespaceSelector, peer.podSelector, policyNamespace));
  }
  return { classes: sets.union(found), all: false, allPods, external, internet };
}

/** Every peer, in the cluster and outside. */
function everyPeer(sets: ClassSpace): PeerSet {
  return { classes: sets.ALL, all: true, allPods: true, external: true, internet: true };
}
