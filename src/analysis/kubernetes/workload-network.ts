import type { Analyser } from '../analyser.js';
import type { LabelSelector } from '../../inventory/kinds/common.js';
import type { Resource } from '../../inventory/snapshot.js';
import { selectorMatches } from './label-selector.js';

interface PolicyView {
  readonly name: string;
  readonly podSelector: LabelSelector;
  readonly types: readonly ('Ingress' | 'Egress')[];
}

/**
 * Kubernetes' policyTypes default: a policy always affects Ingress unless policyTypes
 * says otherwise, and affects Egress when it has egress rules.
 */
export function effectivePolicyTypes(attributes: Readonly<Record<string, unknown>>): ('Ingress' | 'Egress')[] {
  const written = attributes.policyTypes as ('Ingress' | 'Egress')[] | null;
  if (written) return written;
  const egress = attributes.egress as unknown[] | undefined;
  return egress && egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function policyView(policy: Resource): PolicyView {
  return {
    name: policy.name,
    podSelector: policy.attributes.podSelector as LabelSelector,
    types: effectivePolicyTypes(policy.attributes),
  };
}

/**
 * Per workload: is it isolated for ingress / egress, i.e. selected by at least one
 * NetworkPolicy of that direction in its namespace. (Once isolated, only what some
 * policy allows gets through.) Reachability and blast radius build on this.
 */
export const workloadNetworkAnalyser: Analyser = {
  kind: 'k8s.workload',
  fields: {
    ingressIsolated: 'A NetworkPolicy of type Ingress selects the pods, so only allowed traffic reaches them.',
    egressIsolated: 'A NetworkPolicy of type Egress selects the pods, so they reach only what is allowed.',
    networkPolicies: 'Names of the NetworkPolicies that select the pods.',
  },
  derive(inventory) {
    const policiesByNs = new Map<string, PolicyView[]>();
    for (const [ns, list] of inventory.byNamespace('k8s.networkPolicy')) policiesByNs.set(ns, list.map(policyView));
    const out = new Map<string, Record<string, unknown>>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      const labels = workload.attributes.podLabels as Record<string, string>;
      const selecting = (policiesByNs.get(String(workload.attributes.namespace)) ?? []).filter((p) =>
        selectorMatches(p.podSelector, labels),
      );
      out.set(workload.id, {
        ingressIsolated: selecting.some((p) => p.types.includes('Ingress')),
        egressIsolated: selecting.some((p) => p.types.includes('Egress')),
        networkPolicies: selecting.map((p) => p.name).sort(),
      });
    }
    return out;
  },
};
