import type { InventoryIndex } from '../../../inventory/index.js';
import { clustersOf, type NetCluster } from '../network-policy.js';

/**
 * One cluster as the network queries see it: the NetworkPolicy view of the analysis
 * (network-policy.ts: namespaces with labels, workloads, parsed policies) plus what that
 * view leaves out and queries need: which workloads run on the host network, and the
 * workload kinds (so `ns/Deployment/web` can be told from `ns/StatefulSet/web`).
 */
export interface QueryCluster extends NetCluster {
  /** The provenance source, e.g. `k8s:prod`. */
  readonly source: string;
  /** Ids of workloads whose pods use the node's network namespace (spec.hostNetwork). */
  readonly hostNetwork: ReadonlySet<string>;
  /** Workload id → its kind (Deployment, Pod, …). */
  readonly workloadKinds: ReadonlyMap<string, string>;
}

/** Every Kubernetes cluster of a snapshot, by provenance source, sorted. */
export function queryClusters(inventory: InventoryIndex): QueryCluster[] {
  const hostNetwork = new Set<string>();
  const kinds = new Map<string, string>();
  for (const w of inventory.ofKind('k8s.workload')) {
    if (w.attributes.pod.hostNetwork) hostNetwork.add(w.id);
    kinds.set(w.id, w.attributes.workloadKind);
  }
  return [...clustersOf(inventory)].map(([source, cluster]) => ({ ...cluster, source, hostNetwork, workloadKinds: kinds }));
}
