import { z } from 'zod';
import { analyser } from '../analyser.js';
import { selectorMatches } from './label-selector.js';

/**
 * Which workloads a NetworkPolicy selects: those of its namespace (and cluster) whose pod
 * labels match its podSelector, as the API applies it. A policy with a selector that
 * matches nothing is dangling (a label typo, labels changed since): the pods it was written
 * for are not isolated by it. Unknown when workloads were not all read (the pods it selects
 * may be the ones missing).
 */

const output = z.object({
  selectedWorkloads: z
    .array(z.string())
    .describe('Workloads of the policy\'s namespace whose pod labels its podSelector matches, as "Kind/name", sorted; [] when none.'),
  selectsAllPods: z.boolean().describe('The podSelector is empty ({}): every pod of the namespace, present and future.'),
});

export const networkPolicySelectionAnalyser = analyser({
  kind: 'k8s.networkPolicy',
  inputs: [],
  fieldInputs: { selectedWorkloads: ['k8s.workload'] },
  output,
  derive(inventory) {
    const workloads = inventory.byNamespace('k8s.workload');
    const out = new Map<string, z.output<typeof output>>();
    for (const policy of inventory.ofKind('k8s.networkPolicy')) {
      const selector = policy.attributes.podSelector;
      const selected = workloads(policy.provenance.source, String(policy.attributes.namespace))
        .filter((w) => selectorMatches(selector, w.attributes.podLabels))
        .map((w) => `${w.attributes.workloadKind}/${w.name}`)
        .sort();
      out.set(policy.id, {
        selectedWorkloads: selected,
        selectsAllPods: Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0,
      });
    }
    return out;
  },
});
