import type { NetCluster, NetWorkload } from '../network-policy.js';

/**
 * Step 1 — pod classes: workloads with the same namespace, pod labels, named container
 * ports and host networking get the same policy outcome in every respect (as source and as destination), so
 * they form one class and every later step works on classes, never on pairs of pods.
 *
 * Workloads are sorted by namespace then name, so each namespace is one contiguous range of
 * class indices (namespace counts and "alone in its namespace" rely on it) and examples
 * come out in display order.
 */

export interface PodClass {
  readonly index: number;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Host-network pods: no NetworkPolicy isolates them (policies.ts). */
  readonly hostNetwork: boolean;
  /** Its workloads, in display order. */
  readonly workloads: NetWorkload[];
}

export interface Classes {
  readonly classes: readonly PodClass[];
  /** Per class, the id of its named-port signature: classes with equal ids resolve named ports alike. */
  readonly portSignature: readonly number[];
}

// Both run once per workload: plain loops, no intermediate arrays of entries. sort()
// without a comparator orders strings by UTF-16 code units, as `<` does.
function portSignature(w: NetWorkload): string {
  if (w.namedPorts.size === 0) return '';
  const parts: string[] = [];
  for (const [name, list] of w.namedPorts) for (const p of list) parts.push(`${name}/${p.protocol}/${p.port}`);
  return parts.sort().join(',');
}

function classKey(w: NetWorkload): string {
  const keys = Object.keys(w.labels).sort();
  let labels = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    labels += `${i === 0 ? '' : '\u0001'}${key}=${w.labels[key]}`;
  }
  return `${w.namespace}\u0000${labels}\u0000${portSignature(w)}${w.hostNetwork === true ? '\u0000host' : ''}`;
}

function compareNames(a: NetWorkload, b: NetWorkload): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function groupIntoClasses(cluster: NetCluster): Classes {
  const workloads = [...cluster.workloads].sort(compareNames);
  const byKey = new Map<string, PodClass>();
  const classes: PodClass[] = [];
  const portSig: number[] = [];
  const portSigIds = new Map<string, number>();
  for (const w of workloads) {
    const key = classKey(w);
    let c = byKey.get(key);
    if (!c) {
      c = { index: classes.length, namespace: w.namespace, labels: w.labels, hostNetwork: w.hostNetwork === true, workloads: [] };
      byKey.set(key, c);
      classes.push(c);
      const sig = portSignature(w);
      let id = portSigIds.get(sig);
      if (id === undefined) portSigIds.set(sig, (id = portSigIds.size));
      portSig.push(id);
    }
    c.workloads.push(w);
  }
  return { classes, portSignature: portSig };
}
