import { z } from 'zod';
import { analyser } from '../analyser.js';
import { effectivePolicyTypes } from './workload-network.js';
import { isSystemNamespace } from './system-namespaces.js';

const output = z.object({
  systemNamespace: z.boolean().describe('A platform namespace (kube-system, istio-system, …).'),
  workloadCount: z.number().int().describe('Number of workloads in the namespace.'),
  allPodsIngressIsolated: z.boolean().describe('A NetworkPolicy with podSelector {} isolates every pod for Ingress (the basis of default-deny).'),
  allPodsEgressIsolated: z.boolean().describe('A NetworkPolicy with podSelector {} isolates every pod for Egress.'),
});

export const namespaceAnalyser = analyser({
  kind: 'k8s.namespace',
  inputs: [],
  fieldInputs: { workloadCount: ['k8s.workload'], allPodsIngressIsolated: ['k8s.networkPolicy'], allPodsEgressIsolated: ['k8s.networkPolicy'] },
  output,
  derive(inventory) {
    const workloads = inventory.byNamespace('k8s.workload');
    const policies = inventory.byNamespace('k8s.networkPolicy');
    const out = new Map<string, z.output<typeof output>>();
    for (const ns of inventory.ofKind('k8s.namespace')) {
      const selectAll = policies(ns.provenance.source, ns.name).filter((p) => {
        const sel = p.attributes.podSelector;
        return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
      });
      out.set(ns.id, {
        systemNamespace: isSystemNamespace(ns.name),
        workloadCount: workloads(ns.provenance.source, ns.name).length,
        allPodsIngressIsolated: selectAll.some((p) => effectivePolicyTypes(p.attributes).includes('Ingress')),
        allPodsEgressIsolated: selectAll.some((p) => effectivePolicyTypes(p.attributes).includes('Egress')),
      });
    }
    return out;
  },
});
