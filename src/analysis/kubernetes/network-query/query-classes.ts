import type { NetWorkload } from '../network-policy.js';
import type { Classes, PodClass } from '../network-reachability/classes.js';

/**
 * Pod classes for queries: the grouping of network-reachability/classes.ts (same
 * namespace, pod labels and named container ports ⇒ same outcome) with one more key,
 * whether the pods run on the host network: NetworkPolicy does not apply to such pods
 * (see connectivity.ts), so they must never share a class with pods it does apply to.
 * Sorted by namespace then name, so each namespace is one contiguous range of classes,
 * as ReachabilityIndex requires.
 */

export interface QueryClasses extends Classes {
  /** Per class index: its pods use the host network. */
  readonly hostNetwork: readonly boolean[];
}

function portSignature(w: NetWorkload): string {
  const parts: string[] = [];
  for (const [name, list] of w.namedPorts) for (const p of list) parts.push(`${name}/${p.protocol}/${p.port}`);
  return parts.sort().join(',');
}

function labelKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join('\u0001');
}

export function compareWorkloads(a: NetWorkload, b: NetWorkload): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function groupQueryClasses(workloads: readonly NetWorkload[], onHostNetwork: (w: NetWorkload) => boolean): QueryClasses {
  const sorted = [...workloads].sort(compareWorkloads);
  const byKey = new Map<string, PodClass>();
  const classes: PodClass[] = [];
  const portSig: number[] = [];
  const sigIds = new Map<string, number>();
  const hostNetwork: boolean[] = [];
  for (const w of sorted) {
    const host = onHostNetwork(w);
    const sig = portSignature(w);
    const key = `${w.namespace}\u0000${host ? 'host' : 'pod'}\u0000${labelKey(w.labels)}\u0000${sig}`;
    let c = byKey.get(key);
    if (!c) {
      c = { index: classes.length, namespace: w.namespace, labels: w.labels, hostNetwork: host, workloads: [] };
      byKey.set(key, c);
      classes.push(c);
      let id = sigIds.get(sig);
      if (id === undefined) sigIds.set(sig, (id = sigIds.size));
      portSig.push(id);
      hostNetwork.push(host);
    }
    c.workloads.push(w);
  }
  return { classes, portSignature: portSig, hostNetwork };
}
