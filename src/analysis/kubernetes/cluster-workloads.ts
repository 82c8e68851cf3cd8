import type { Analyser } from '../analyser.js';

/**
 * Per cluster: the images its DaemonSets run (one pod per node: where node agents such
 * as runtime-detection sensors, CNIs and log shippers live). Matched to the cluster by
 * provenance.source, so a merged snapshot of several clusters keeps them apart. Rules
 * decide which images count (e.g. a runtime-detection list), so users can extend it.
 */
export const clusterDaemonSetAnalyser: Analyser = {
  kind: 'k8s.cluster',
  fields: {
    daemonSetImages: 'Images (containers and init containers) of the cluster\'s DaemonSets, sorted and deduplicated.',
    daemonSets: 'The cluster\'s DaemonSets as "namespace/name", sorted.',
  },
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
    const out = new Map<string, Record<string, unknown>>();
    for (const cluster of inventory.ofKind('k8s.cluster')) {
      const source = cluster.provenance.source;
      out.set(cluster.id, {
        daemonSetImages: [...(images.get(source) ?? [])].sort(),
        daemonSets: [...(names.get(source) ?? [])].sort(),
      });
    }
    return out;
  },
};
