import type { NetWorkload } from '../network-policy.js';
import type { WorkloadNetworkFacts } from '../network-reachability.js';
import { has } from './class-sets.js';
import type { ReachabilityContext } from './context.js';
import type { PolicyOutcome } from './policies.js';
import type { Reach, ReachSets } from './reach.js';
import type { Summary } from './summary.js';

/**
 * Step 4 — the facts of every workload, from its class's results. The workload itself is
 * never counted or named (its sibling workloads of the same class are); a class not
 * isolated in a direction is open in every respect for it.
 */

/** Count and namespaces of a set, leaving out the workload itself. */
const without = (r: Reach): { count: number; namespaces: number } => ({
  count: r.summary.count - (r.self ? 1 : 0),
  namespaces: r.summary.namespaces - (r.aloneInNamespace ? 1 : 0),
});

export function emitFacts({ index, maxExamples }: ReachabilityContext, policies: PolicyOutcome, reach: ReachSets): Map<string, WorkloadNetworkFacts> {
  const names = (w: NetWorkload, s: Summary): string[] =>
    s.examples
      .filter((e) => e !== w)
      .slice(0, maxExamples)
      .map((e) => `${e.namespace}/${e.name}`);

  const out = new Map<string, WorkloadNetworkFacts>();
  for (const c of index.classes) {
    const i = c.index;
    const o = reach.outbound[i] as Reach;
    const inn = reach.inbound[i] as Reach;
    const reachable = without(o);
    const from = without(inn);
    const selecting = policies.names.get(i);
    const ingressIsolated = has(policies.ingressIsolated, i);
    const egressIsolated = has(policies.egressIsolated, i);
    const networkPolicies = [...(selecting?.all ?? [])].sort();
    const ingressPolicies = [...(selecting?.ingress ?? [])].sort();
    const egressPolicies = [...(selecting?.egress ?? [])].sort();
    for (const w of c.workloads) {
      out.set(w.id, {
        ingressIsolated,
        egressIsolated,
        networkPolicies,
        ingressPolicies,
        egressPolicies,
        ingressOpenToAllPods: !ingressIsolated || has(policies.ingressOpenToAllPods, i),
        ingressOpenToExternal: !ingressIsolated || has(policies.ingressOpenToExternal, i),
        ingressOpenToInternet: !ingressIsolated || has(policies.ingressOpenToInternet, i),
        egressOpenToInternet: !egressIsolated || has(policies.egressOpenToInternet, i),
        inboundWorkloads: from.count,
        inboundNamespaces: from.namespaces,
        inboundExamples: names(w, inn.summary),
        blastRadius: reachable.count,
        blastRadiusNamespaces: reachable.namespaces,
        blastRadiusExamples: names(w, o.summary),
      });
    }
  }
  return out;
}
