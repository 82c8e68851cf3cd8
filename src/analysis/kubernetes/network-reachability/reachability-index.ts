import type { LabelSelector } from '../../../inventory/kinds/common.js';
import { selectorMatches } from '../label-selector.js';
import { type IpBlock, namespaceLabelsOf, type NetCluster, type NetWorkload, type PolicyPeer, peerReachesInternet } from '../network-policy.js';
import { portSetKey, resolvePorts, type PortSet, type RulePorts } from '../network-ports.js';
import type { Classes, PodClass } from './classes.js';
import type { ClassSet, ClassSpace } from './class-sets.js';

/**
 * The indexes and every cache of one cluster's reachability analysis: the pod classes by
 * namespace (contiguous index ranges) and by label, and memoised selector matching.
 *
 * Memoisation is also what keeps the analysis linear: rules with the same selector get
 * the *same* ClassSet object, and PiecesByClass groups pieces by that object, so a
 * selector used by 3,000 policies costs one entry per class. A key must therefore stand
 * for exactly the set it selects: namespace selector (or the policy's own namespace) and
 * pod selector.
 */
export class ReachabilityIndex {
  readonly classes: readonly PodClass[];
  /** Number of classes. */
  readonly n: number;
  /** Per class index, the end of its namespace's range (exclusive). */
  readonly namespaceEnd: Int32Array;
  private readonly portSignature: readonly number[];
  /** Namespace (with workloads) → [first, end) class indices. */
  private readonly nsRange = new Map<string, [number, number]>();
  /** `key=value` → classes carrying that pod label. */
  private readonly byLabel = new Map<string, number[]>();
  private readonly namespacesBySelector = new Map<string, string[]>();
  private readonly classesBySelectors = new Map<string, ClassSet>();
  private readonly internetByIpBlock = new Map<string, boolean>();

  private readonly cluster: NetCluster;
  private readonly sets: ClassSpace;

  constructor(cluster: NetCluster, { classes, portSignature }: Classes, sets: ClassSpace) {
    this.cluster = cluster;
    this.sets = sets;
    this.classes = classes;
    this.portSignature = portSignature;
    this.n = classes.length;
    for (const c of classes) {
      const r = this.nsRange.get(c.namespace);
      if (r) r[1] = c.index + 1;
      else this.nsRange.set(c.namespace, [c.index, c.index + 1]);
    }
    this.namespaceEnd = new Int32Array(this.n);
    for (const [lo, hi] of this.nsRange.values()) for (let i = lo; i < hi; i++) this.namespaceEnd[i] = hi;
    for (const c of classes) {
      for (const [k, v] of Object.entries(c.labels)) {
        const key = `${k}=${v}`;
        let list = this.byLabel.get(key);
        if (!list) this.byLabel.set(key, (list = []));
        list.push(c.index);
      }
    }
  }

  /** The namespace holds at least one workload. */
  hasWorkloads(namespace: string): boolean {
    return this.nsRange.has(namespace);
  }

  /** [first, end) class indices of a namespace with workloads. */
  namespaceRange(namespace: string): [number, number] {
    return this.nsRange.get(namespace) as [number, number];
  }

  /**
   * Classes a (namespaceSelector, podSelector) pair selects in a policy of
   * `policyNamespace`, memoised: without namespaceSelector the policy's own namespace,
   * `{}` every namespace; without podSelector every pod. (A policy's own podSelector is
   * the pair (undefined, podSelector).)
   */
  classesSelected(namespaceSelector: LabelSelector | undefined, podSelector: LabelSelector | undefined, policyNamespace: string): ClassSet {
    const key = `${namespaceSelector ? JSON.stringify(namespaceSelector) : `ns:${policyNamespace}`}|${JSON.stringify(podSelector ?? null)}`;
    let set = this.classesBySelectors.get(key);
    if (!set) {
      const namespaces = namespaceSelector ? (isSelectAll(namespaceSelector) ? undefined : this.namespacesMatching(namespaceSelector)) : [policyNamespace];
      set = this.matchPods(namespaces, podSelector);
      this.classesBySelectors.set(key, set);
    }
    return set;
  }

  /** Does an ipBlock peer (ipBlock set) keep public internet addresses after `except`? Once per cidr and except list. */
  reachesInternet(peer: PolicyPeer): boolean {
    const block = peer.ipBlock as IpBlock;
    const key = `${block.cidr}|${(block.except ?? []).join(',')}`;
    let reaches = this.internetByIpBlock.get(key);
    if (reaches === undefined) this.internetByIpBlock.set(key, (reaches = peerReachesInternet(peer)));
    return reaches;
  }

  /**
   * For one rule's ports: the ports it allows towards a class (named ports resolved
   * against the class's container ports), null when none. Classes with the same named
   * ports resolve alike, so each port signature resolves once per rule.
   */
  portsResolver(ports: RulePorts): (classIndex: number) => { readonly ports: PortSet; readonly key: string } | null {
    const bySig = new Map<number, { ports: PortSet; key: string } | null>();
    return (i) => {
      const sig = this.portSignature[i] as number;
      let resolved = bySig.get(sig);
      if (resolved === undefined) {
        const resolvedPorts = resolvePorts(ports, ((this.classes[i] as PodClass).workloads[0] as NetWorkload).namedPorts);
        resolved = resolvedPorts.length === 0 ? null : { ports: resolvedPorts, key: portSetKey(resolvedPorts) };
        bySig.set(sig, resolved);
      }
      return resolved;
    };
  }

  private namespacesMatching(selector: LabelSelector): string[] {
    const key = JSON.stringify(selector);
    let list = this.namespacesBySelector.get(key);
    if (!list) {
      list = [...this.nsRange.keys()].filter((ns) => selectorMatches(selector, namespaceLabelsOf(this.cluster, ns)));
      this.namespacesBySelector.set(key, list);
    }
    return list;
  }

  /** Classes in `namespaces` (undefined = all) whose labels match `selector` (undefined = any). */
  private matchPods(namespaces: readonly string[] | undefined, selector: LabelSelector | undefined): ClassSet {
    const { classes, n, sets } = this;
    const found: number[] = [];
    const wanted = namespaces && namespaces.length > 1 ? new Set(namespaces) : undefined;
    const only = namespaces && namespaces.length === 1 ? namespaces[0] : undefined;
    const test = (i: number): void => {
      const c = classes[i] as PodClass;
      if (namespaces && (only !== undefined ? c.namespace !== only : !wanted?.has(c.namespace))) return;
      if (!selector || selectorMatches(selector, c.labels)) found.push(i);
    };
    // Walk the shortest of: the classes with one of the selector's matchLabels, the namespaces' ranges, every class.
    let candidates: number[] | undefined;
    for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
      const list = this.byLabel.get(`${k}=${v}`) ?? [];
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    const inNamespaces = namespaces
      ? namespaces.reduce((sum, ns) => {
          const r = this.nsRange.get(ns);
          return sum + (r ? r[1] - r[0] : 0);
        }, 0)
      : n;
    if (candidates && candidates.length < inNamespaces) {
      candidates.forEach(test);
    } else if (namespaces) {
      const ordered = namespaces.map((ns) => this.nsRange.get(ns)).filter((r): r is [number, number] => !!r).sort((a, b) => a[0] - b[0]);
      for (const [lo, hi] of ordered) for (let i = lo; i < hi; i++) test(i);
    } else {
      for (let i = 0; i < n; i++) test(i);
    }
    return found.length === 0 ? sets.EMPTY : found.length === n ? sets.ALL : sets.set(Int32Array.from(found));
  }
}

function isSelectAll(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
