import type { Analyser } from '../analyser.js';
import { effectivePolicyTypes } from './workload-network.js';
import { isSystemNamespace } from './system-namespaces.js';

export const namespaceAnalyser: Analyser = {
  kind: 'k8s.namespace',
  fields: {
    systemNamespace: 'A platform namespace (kube-system, istio-system, …).',
    workloadCount: 'Number of workloads in the namespace.',
    allPodsIngressIsolated: 'A NetworkPolicy with podSelector {} isolates every pod for Ingress (the basis of default-deny).',
    allPodsEgressIsolated: 'A NetworkPolicy with podSelector {} isolates every pod for Egress.',
  },
  derive(inventory) {
    const workloads = inventory.byNamespace('k8s.workload');
    const policies = inventory.byNamespace('k8s.networkPolicy');
    const out = new Map<string, Record<string, unknown>>();
    for (const ns of inventory.ofKind('k8s.namespace')) {
      const selectAll = (policies.get(ns.name) ?? []).filter((p) => {
        const sel = p.attributes.podSelector;
        return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
      });
      out.set(ns.id, {
        systemNamespace: isSystemNamespace(ns.name),
        workloadCount: workloads.get(ns.name)?.length ?? 0,
        allPodsIngressIsolated: selectAll.some((p) => effectivePolicyTypes(p.attributes).includes('Ingress')),
        allPodsEgressIsolated: selectAll.some((p) => effectivePolicyTypes(p.attributes).includes('Egress')),
      });
    }
    return out;
  },
};
