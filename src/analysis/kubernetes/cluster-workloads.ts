import { z } from 'zod';
import { analyser } from '../analyser.js';

const output = z.object({
  daemonSetImages: z.array(z.string()).describe('Images (containers and init containers) of the cluster\'s DaemonSets, sorted and deduplicated.'),
  daemonSets: z.array(z.string()).describe('The cluster\'s DaemonSets as "namespace/name", sorted.'),
});

/**
 * Per cluster: the images its DaemonSets run (one pod per node: where node agents such
 * as runtime-detection sensors, CNIs and log shippers live). Matched to the cluster by
 * provenance.source, so a merged snapshot of several clusters keeps them apart. Rules
 * decide which images count (e.g. a runtime-detection list), so users can extend it.
 */
export const clusterDaemonSetAnalyser = analyser({
  kind: 'k8s.cluster',
  inputs: ['k8s.workload'],
  output,
  derive(inventory) {
    const images = new Map<string, Set<string>>();
    const names = new Map<string, string[]>();
    for (const workload of inventory.ofKind('k8s.workload')) {
      if (workload.attributes.workloadKind !== 'DaemonSet') continue;
      const source = workload.provenance.source;
      const pod = workload.attributes.pod;
      let set = images.get(source);
      if (!set) images.set(source, (set = new Set()));
      for (const c of [...pod.containers, ...pod.initContainers]) set.add(c.image);
      let list = names.get(source);
      if (!list) names.set(source, (list = []));
      list.push(`${String(workload.attributes.namespace)}/${workload.name}`);
    }
    const out = new Map<string, z.output<typeof output>>();
    for (const cluster of inventory.ofKind('k8s.cluster')) {
      const source = cluster.provenance.source;
      out.set(cluster.id, {
        daemonSetImages: [...(images.get(source) ?? [])].sort(),
        daemonSets: [...(names.get(source) ?? [])].sort(),
      });
    }
    return out;
  },
});
