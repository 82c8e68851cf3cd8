import type { LabelSelector } from '../../inventory/kinds/common.js';
import { selectorMatches } from './label-selector.js';
import {
  isEmptyPeer,
  namespaceLabelsOf,
  peerReachesInternet,
  peerSelectsAllPods,
  ruleHasNoPeerRestriction,
  type NetCluster,
  type NetWorkload,
  type PolicyRule,
} from './network-policy.js';
import { portSetKey, portsOverlap, resolvePorts, type PortSet } from './network-ports.js';
import { PiecesByClass } from './pieces-by-class.js';

/**
 * Reachability between workloads without pairwise work.
 *
 * 1. Workloads with the same namespace, pod labels and named container ports get the
 *    same policy outcome in every respect: they form one class.
 * 2. Every allow rule becomes one or more "pieces" (sources × destinations × ports),
 *    with sources and destinations as sets of classes (sparse index lists, plus a
 *    bitset when large). Named ports split a rule into one piece per distinct
 *    resolution, so a piece's ports hold for each of its destinations.
 * 3. A class's outbound set is the union, over its egress pieces, of the piece's
 *    destinations that are not ingress-isolated or that name the class as a source in an
 *    ingress piece whose ports overlap. The inbound set is the mirror image. Classes
 *    with the same piece lists (a "signature") share one computation in a scratch
 *    bitset; per-byte weight tables turn a set of classes into a workload count.
 *
 * Cost: O(Σ matched classes over distinct selector sets) for the per-class piece lists
 * (PiecesByClass), plus O(signatures × (pieces involved + classes / 32)) for the unions;
 * memory likewise. Nothing is ever pairwise over pods. See docs/network-analysis.md.
 */

export interface WorkloadNetworkFacts {
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  readonly networkPolicies: readonly string[];
  readonly ingressPolicies: readonly string[];
  readonly egressPolicies: readonly string[];
  readonly ingressOpenToAllPods: boolean;
  readonly ingressOpenToExternal: boolean;
  readonly ingressOpenToInternet: boolean;
  readonly egressOpenToInternet: boolean;
  readonly inboundWorkloads: number;
  readonly inboundNamespaces: number;
  readonly inboundExamples: readonly string[];
  readonly blastRadius: number;
  readonly blastRadiusNamespaces: number;
  readonly blastRadiusExamples: readonly string[];
}

/** How many reachable / inbound workloads are named per workload. */
export const EXAMPLES = 5;

export interface AnalyseOptions {
  /** Workloads named in the *Examples fields (default 5; tests use Infinity to see every one). */
  readonly examples?: number;
}

type Bits = Uint32Array;

interface PodClass {
  readonly index: number;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly workloads: NetWorkload[];
}

/**
 * A set of classes: sorted indices, plus a bitset when the set is large enough that
 * word operations beat walking the indices. Pieces usually hold a few classes of one
 * namespace, so keeping them sparse keeps memory and time near-linear in the cluster.
 */
interface ClassSet {
  readonly idx: Int32Array;
  readonly bits: Uint32Array | null;
}

interface Piece {
  readonly id: number;
  readonly srcs: ClassSet;
  readonly dests: ClassSet;
  readonly srcsAll: boolean;
  readonly destsAll: boolean;
  readonly ports: PortSet;
  readonly portKey: string;
}

// Both run once per workload (30k at 100k resources): plain loops, no intermediate arrays
// of entries. sort() without a comparator orders strings by UTF-16 code units, as `<` does.
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
  return `${w.namespace}\u0000${labels}\u0000${portSignature(w)}`;
}

function orInto(target: Bits, source: Bits): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) | (source[i] as number);
}

function orAndInto(target: Bits, a: Bits, b: Bits): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) | ((a[i] as number) & (b[i] as number));
}

function has(bits: Bits, i: number): boolean {
  return (((bits[i >>> 5] as number) >>> (i & 31)) & 1) === 1;
}

function setBit(bits: Bits, i: number): void {
  bits[i >>> 5] = (bits[i >>> 5] as number) | (1 << (i & 31));
}

function compareNames(a: NetWorkload, b: NetWorkload): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface Summary {
  readonly count: number;
  readonly namespaces: number;
  /** Up to EXAMPLES + 1 workloads in display order (one more, in case the workload itself is among them). */
  readonly examples: readonly NetWorkload[];
}

/** Computes the network facts of every workload of one cluster. */
export function analyseCluster(cluster: NetCluster, options: AnalyseOptions = {}): Map<string, WorkloadNetworkFacts> {
  const maxExamples = options.examples ?? EXAMPLES;
  // --- classes, in namespace order so that each namespace is one contiguous index range
  const workloads = [...cluster.workloads].sort(compareNames);
  const byKey = new Map<string, PodClass>();
  const classes: PodClass[] = [];
  const portSig: number[] = [];
  const portSigIds = new Map<string, number>();
  for (const w of workloads) {
    const key = classKey(w);
    let c = byKey.get(key);
    if (!c) {
      c = { index: classes.length, namespace: w.namespace, labels: w.labels, workloads: [] };
      byKey.set(key, c);
      classes.push(c);
      const sig = portSignature(w);
      let id = portSigIds.get(sig);
      if (id === undefined) portSigIds.set(sig, (id = portSigIds.size));
      portSig.push(id);
    }
    c.workloads.push(w);
  }
  const n = classes.length;
  const words = Math.max(1, Math.ceil(n / 32));
  const newBits = (): Bits => new Uint32Array(words);

  /** A class set from sorted, distinct indices. */
  const classSet = (idx: Int32Array): ClassSet => {
    if (idx.length <= words) return { idx, bits: null };
    const bits = newBits();
    for (const i of idx) setBit(bits, i);
    return { idx, bits };
  };
  const EMPTY: ClassSet = { idx: new Int32Array(0), bits: null };
  const ALL = classSet(Int32Array.from({ length: n }, (_, i) => i));
  const allBits = ALL.bits ?? (() => {
    const b = newBits();
    for (let i = 0; i < n; i++) setBit(b, i);
    return b;
  })();
  /** Union of sorted index lists (rules OR their peers). */
  const union = (sets: readonly ClassSet[]): ClassSet => {
    const nonEmpty = sets.filter((s) => s.idx.length > 0);
    if (nonEmpty.length === 0) return EMPTY;
    if (nonEmpty.length === 1) return nonEmpty[0] as ClassSet;
    const merged = new Int32Array(nonEmpty.reduce((sum, s) => sum + s.idx.length, 0));
    let k = 0;
    for (const s of nonEmpty) {
      merged.set(s.idx, k);
      k += s.idx.length;
    }
    merged.sort();
    let out = 0;
    for (let i = 0; i < merged.length; i++) if (i === 0 || merged[i] !== merged[i - 1]) merged[out++] = merged[i] as number;
    return classSet(merged.slice(0, out));
  };
  /** target |= s */
  const orSet = (target: Bits, s: ClassSet): void => {
    if (s.bits) orInto(target, s.bits);
    else for (const i of s.idx) setBit(target, i);
  };
  /** target |= s & dense */
  const orAndSet = (target: Bits, s: ClassSet, dense: Bits): void => {
    if (s.bits) orAndInto(target, s.bits, dense);
    else for (const i of s.idx) if (has(dense, i)) setBit(target, i);
  };

  const nsRange = new Map<string, [number, number]>();
  for (const c of classes) {
    const r = nsRange.get(c.namespace);
    if (r) r[1] = c.index + 1;
    else nsRange.set(c.namespace, [c.index, c.index + 1]);
  }
  const nsEnd = new Int32Array(n);
  for (const [lo, hi] of nsRange.values()) for (let i = lo; i < hi; i++) nsEnd[i] = hi;
  const byLabel = new Map<string, number[]>();
  for (const c of classes) {
    for (const [k, v] of Object.entries(c.labels)) {
      const key = `${k}=${v}`;
      let list = byLabel.get(key);
      if (!list) byLabel.set(key, (list = []));
      list.push(c.index);
    }
  }

  // --- selector matching, memoised
  const nsMemo = new Map<string, string[]>();
  const matchingNamespaces = (selector: LabelSelector): string[] => {
    const key = JSON.stringify(selector);
    let list = nsMemo.get(key);
    if (!list) {
      list = [...nsRange.keys()].filter((ns) => selectorMatches(selector, namespaceLabelsOf(cluster, ns)));
      nsMemo.set(key, list);
    }
    return list;
  };
  const podMemo = new Map<string, ClassSet>();
  /** Classes in `namespaces` (undefined = all) whose labels match `selector` (undefined = any). */
  const matchPods = (namespaces: readonly string[] | undefined, selector: LabelSelector | undefined, memoKey: string): ClassSet => {
    const memo = podMemo.get(memoKey);
    if (memo) return memo;
    const found: number[] = [];
    const wanted = namespaces && namespaces.length > 1 ? new Set(namespaces) : undefined;
    const only = namespaces && namespaces.length === 1 ? namespaces[0] : undefined;
    const test = (i: number): void => {
      const c = classes[i] as PodClass;
      if (namespaces && (only !== undefined ? c.namespace !== only : !wanted?.has(c.namespace))) return;
      if (!selector || selectorMatches(selector, c.labels)) found.push(i);
    };
    let candidates: number[] | undefined;
    for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
      const list = byLabel.get(`${k}=${v}`) ?? [];
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    const inNamespaces = namespaces
      ? namespaces.reduce((sum, ns) => {
          const r = nsRange.get(ns);
          return sum + (r ? r[1] - r[0] : 0);
        }, 0)
      : n;
    if (candidates && candidates.length < inNamespaces) {
      candidates.forEach(test);
    } else if (namespaces) {
      const ordered = namespaces.map((ns) => nsRange.get(ns)).filter((r): r is [number, number] => !!r).sort((a, b) => a[0] - b[0]);
      for (const [lo, hi] of ordered) for (let i = lo; i < hi; i++) test(i);
    } else {
      for (let i = 0; i < n; i++) test(i);
    }
    const set = found.length === 0 ? EMPTY : found.length === n ? ALL : classSet(Int32Array.from(found));
    podMemo.set(memoKey, set);
    return set;
  };

  interface PeerSet {
    readonly classes: ClassSet;
    readonly all: boolean;
    readonly allPods: boolean;
    readonly external: boolean;
    readonly internet: boolean;
  }
  const internetMemo = new Map<string, boolean>();
  const EVERY_PEER: PeerSet = { classes: ALL, all: true, allPods: true, external: true, internet: true };
  const peerSet = (rule: PolicyRule, policyNamespace: string): PeerSet => {
    if (ruleHasNoPeerRestriction(rule)) return EVERY_PEER;
    const sets: ClassSet[] = [];
    let allPods = false;
    let external = false;
    let internet = false;
    for (const peer of rule.peers ?? []) {
      if (isEmptyPeer(peer)) return EVERY_PEER;
      allPods ||= peerSelectsAllPods(peer);
      if (peer.ipBlock) {
        external = true;
        const key = `${peer.ipBlock.cidr}|${(peer.ipBlock.except ?? []).join(',')}`;
        let reaches = internetMemo.get(key);
        if (reaches === undefined) internetMemo.set(key, (reaches = peerReachesInternet(peer)));
        internet ||= reaches;
      }
      if (peer.namespaceSelector || peer.podSelector) {
        const nsSel = peer.namespaceSelector;
        const namespaces = nsSel ? (isSelectAll(nsSel) ? undefined : matchingNamespaces(nsSel)) : [policyNamespace];
        const key = `${nsSel ? JSON.stringify(nsSel) : `ns:${policyNamespace}`}|${JSON.stringify(peer.podSelector ?? null)}`;
        sets.push(matchPods(namespaces, peer.podSelector, key));
      }
    }
    return { classes: union(sets), all: false, allPods, external, internet };
  };

  // --- policies → selected classes, isolation, pieces
  const ingressIso = newBits();
  const egressIso = newBits();
  const openAllPods = newBits();
  const inExternal = newBits();
  const inInternet = newBits();
  const egInternet = newBits();
  const policyNames = new Map<number, { all: Set<string>; ingress: Set<string>; egress: Set<string> }>();
  const pieces: Piece[] = [];
  const ingressPieces: Piece[] = [];
  const egressPieces: Piece[] = [];

  const addPieces = (
    direction: 'ingress' | 'egress',
    srcs: ClassSet,
    srcsAll: boolean,
    dests: ClassSet,
    destsAll: boolean,
    rule: PolicyRule,
    flags: { allPods: boolean; external: boolean; internet: boolean },
  ): void => {
    const groups: { ports: PortSet; key: string; dests: ClassSet; all: boolean }[] = [];
    if (rule.ports.named.length === 0) {
      if (rule.ports.numeric.length > 0 && dests.idx.length > 0) groups.push({ ports: rule.ports.numeric, key: portSetKey(rule.ports.numeric), dests, all: destsAll });
    } else {
      // Named ports resolve per destination; classes with the same named ports resolve alike.
      const bySig = new Map<number, { ports: PortSet; key: string } | null>();
      const byKey = new Map<string, { ports: PortSet; list: number[] }>();
      for (const i of dests.idx) {
        const sig = portSig[i] as number;
        let resolved = bySig.get(sig);
        if (resolved === undefined) {
          const ports = resolvePorts(rule.ports, ((classes[i] as PodClass).workloads[0] as NetWorkload).namedPorts);
          resolved = ports.length === 0 ? null : { ports, key: portSetKey(ports) };
          bySig.set(sig, resolved);
        }
        if (!resolved) continue;
        let g = byKey.get(resolved.key);
        if (!g) byKey.set(resolved.key, (g = { ports: resolved.ports, list: [] }));
        g.list.push(i);
      }
      for (const [key, g] of byKey) groups.push({ ports: g.ports, key, dests: classSet(Int32Array.from(g.list)), all: false });
    }
    for (const g of groups) {
      const piece: Piece = { id: pieces.length, srcs, dests: g.dests, srcsAll, destsAll: g.all, ports: g.ports, portKey: g.key };
      pieces.push(piece);
      (direction === 'ingress' ? ingressPieces : egressPieces).push(piece);
      if (direction === 'ingress') {
        if (flags.allPods) orSet(openAllPods, g.dests);
        if (flags.external) orSet(inExternal, g.dests);
        if (flags.internet) orSet(inInternet, g.dests);
      }
    }
  };

  for (const policy of cluster.policies) {
    if (!nsRange.has(policy.namespace)) continue; // no workloads there
    const selected = matchPods([policy.namespace], policy.podSelector, `ns:${policy.namespace}|${JSON.stringify(policy.podSelector)}`);
    if (selected.idx.length === 0) continue;
    for (const i of selected.idx) {
      let names = policyNames.get(i);
      if (!names) policyNames.set(i, (names = { all: new Set(), ingress: new Set(), egress: new Set() }));
      names.all.add(policy.name);
      if (policy.ingressIsolating) names.ingress.add(policy.name);
      if (policy.egressIsolating) names.egress.add(policy.name);
    }
    if (policy.ingressIsolating) {
      orSet(ingressIso, selected);
      for (const rule of policy.ingress) {
        const peers = peerSet(rule, policy.namespace);
        if (peers.classes.idx.length === 0 && !peers.external) continue;
        addPieces('ingress', peers.classes, peers.all, selected, false, rule, peers);
      }
    }
    if (policy.egressIsolating) {
      orSet(egressIso, selected);
      for (const rule of policy.egress) {
        const peers = peerSet(rule, policy.namespace);
        addPieces('egress', selected, false, peers.classes, peers.all, rule, peers);
        if (peers.internet && rule.ports.numeric.length > 0) orSet(egInternet, selected);
      }
    }
  }

  // --- per-class piece lists (grouped by shared class sets, see PiecesByClass)
  const inBySrc = new PiecesByClass(n);
  const inByDest = new PiecesByClass(n);
  const egBySrc = new PiecesByClass(n);
  const egByDest = new PiecesByClass(n);
  const inGlobal: Piece[] = [];
  const egGlobal: Piece[] = [];
  for (const p of ingressPieces) {
    if (p.srcsAll) inGlobal.push(p);
    else inBySrc.add(p.id, p.srcs);
    inByDest.add(p.id, p.dests);
  }
  for (const p of egressPieces) {
    egBySrc.add(p.id, p.srcs);
    if (p.destsAll) egGlobal.push(p);
    else egByDest.add(p.id, p.dests);
  }

  const notIngressIso = newBits();
  const notEgressIso = newBits();
  for (let i = 0; i < words; i++) {
    notIngressIso[i] = (allBits[i] as number) & ~(ingressIso[i] as number);
    notEgressIso[i] = (allBits[i] as number) & ~(egressIso[i] as number);
  }

  /** Pieces grouped by port set, with the union of one side's sets (dense: it is a union). */
  const groupByPorts = (list: readonly Piece[], side: 'srcs' | 'dests'): { ports: PortSet; bits: Bits }[] => {
    const groups = new Map<string, { ports: PortSet; bits: Bits }>();
    for (const p of list) {
      let g = groups.get(p.portKey);
      if (!g) groups.set(p.portKey, (g = { ports: p.ports, bits: newBits() }));
      orSet(g.bits, p[side]);
    }
    return [...groups.values()];
  };
  const inGlobalGroups = groupByPorts(inGlobal, 'dests');
  const egGlobalGroups = groupByPorts(egGlobal, 'srcs');
  const baseOut = newBits();
  orInto(baseOut, notIngressIso);
  for (const g of inGlobalGroups) orInto(baseOut, g.bits);
  const baseIn = newBits();
  orInto(baseIn, notEgressIso);
  for (const g of egGlobalGroups) orInto(baseIn, g.bits);

  // --- weighted counting tables: per byte of the bitset, the number of workloads it stands for
  const table = new Int32Array(words * 4 * 256);
  for (let b = 0; b < words * 4; b++) {
    for (let v = 1; v < 256; v++) {
      const low = v & -v;
      const bit = 31 - Math.clz32(low);
      const c = classes[b * 8 + bit];
      table[b * 256 + v] = (table[b * 256 + (v ^ low)] as number) + (c ? c.workloads.length : 0);
    }
  }
  const summarise = (bits: Bits): Summary => {
    let count = 0;
    for (let w = 0; w < words; w++) {
      const x = bits[w] as number;
      if (x === 0) continue;
      const base = w * 1024;
      count +=
        (table[base + (x & 255)] as number) +
        (table[base + 256 + ((x >>> 8) & 255)] as number) +
        (table[base + 512 + ((x >>> 16) & 255)] as number) +
        (table[base + 768 + (x >>> 24)] as number);
    }
    // Namespaces hit: find the next set bit, count its namespace, jump to the namespace's end.
    let namespaces = 0;
    let i = 0;
    while (i < n) {
      let w = i >>> 5;
      let x = ((bits[w] as number) >>> (i & 31)) << (i & 31);
      while (x === 0 && ++w < words) x = bits[w] as number;
      if (x === 0) break;
      const bit = w * 32 + 31 - Math.clz32(x & -x);
      if (bit >= n) break;
      namespaces++;
      i = nsEnd[bit] as number;
    }
    const examples: NetWorkload[] = [];
    outer: for (let w = 0; w < words; w++) {
      let x = bits[w] as number;
      while (x !== 0) {
        const t = x & -x;
        const c = classes[w * 32 + 31 - Math.clz32(t)] as PodClass;
        for (const wl of c.workloads) {
          examples.push(wl);
          if (examples.length > maxExamples) break outer;
        }
        x ^= t;
      }
    }
    return { count, namespaces, examples };
  };

  // Classes with the same pieces (a "signature") share one result, computed once in a
  // scratch bitset; only the summary and each member's own membership are kept.
  const scratch = newBits();
  const pool: Bits[] = [];
  let pooled = 0;
  const take = (): Bits => {
    const b = pool[pooled];
    pooled++;
    if (b) {
      b.fill(0);
      return b;
    }
    const fresh = newBits();
    pool.push(fresh);
    return fresh;
  };
  const groupPooled = (list: readonly Piece[], side: 'srcs' | 'dests'): { ports: PortSet; bits: Bits }[] => {
    const groups = new Map<string, { ports: PortSet; bits: Bits }>();
    for (const p of list) {
      let g = groups.get(p.portKey);
      if (!g) groups.set(p.portKey, (g = { ports: p.ports, bits: take() }));
      orSet(g.bits, p[side]);
    }
    return [...groups.values()];
  };

  interface Result {
    readonly summary: Summary;
    /** The class itself is in the set. */
    readonly self: boolean;
    /** ...and no other workload of its namespace is. */
    readonly aloneInNamespace: boolean;
  }
  /** Any set bit in [lo, hi). */
  const anyInRange = (bits: Bits, lo: number, hi: number): boolean => {
    for (let i = lo; i < hi; ) {
      if ((i & 31) === 0 && hi - i >= 32) {
        if (bits[i >>> 5] !== 0) return true;
        i += 32;
      } else {
        if (has(bits, i)) return true;
        i++;
      }
    }
    return false;
  };
  const bySignature = (key: (c: number) => string, compute: (c: number, bits: Bits) => void): Result[] => {
    const buckets = new Map<string, number[]>();
    for (let c = 0; c < n; c++) {
      const k = key(c);
      const list = buckets.get(k);
      if (list) list.push(c);
      else buckets.set(k, [c]);
    }
    const results: Result[] = new Array<Result>(n);
    for (const members of buckets.values()) {
      scratch.fill(0);
      pooled = 0;
      compute(members[0] as number, scratch);
      const summary = summarise(scratch);
      for (const c of members) {
        const self = has(scratch, c);
        let alone = false;
        if (self && (classes[c] as PodClass).workloads.length === 1) {
          const [lo, hi] = nsRange.get((classes[c] as PodClass).namespace) as [number, number];
          scratch[c >>> 5] = (scratch[c >>> 5] as number) & ~(1 << (c & 31));
          alone = !anyInRange(scratch, lo, hi);
          setBit(scratch, c);
        }
        results[c] = { summary, self, aloneInNamespace: alone };
      }
    }
    return results;
  };

  const outbound = bySignature(
    (c) => `${has(egressIso, c) ? 1 : 0}|${egBySrc.key(c)}|${inBySrc.key(c)}`,
    (c, bits) => {
      const ins = inBySrc.pieces(c);
      if (!has(egressIso, c)) {
        orInto(bits, baseOut);
        for (const id of ins) orSet(bits, (pieces[id] as Piece).dests);
        return;
      }
      const groups = [...groupPooled(ins.map((id) => pieces[id] as Piece), 'dests'), ...inGlobalGroups];
      for (const id of egBySrc.pieces(c)) {
        const h = pieces[id] as Piece;
        orAndSet(bits, h.dests, notIngressIso);
        for (const g of groups) if (portsOverlap(h.ports, g.ports)) orAndSet(bits, h.dests, g.bits);
      }
    },
  );
  const inbound = bySignature(
    (c) => `${has(ingressIso, c) ? 1 : 0}|${inByDest.key(c)}|${egByDest.key(c)}`,
    (c, bits) => {
      const eg = egByDest.pieces(c);
      if (!has(ingressIso, c)) {
        orInto(bits, baseIn);
        for (const id of eg) orSet(bits, (pieces[id] as Piece).srcs);
        return;
      }
      const groups = [...groupPooled(eg.map((id) => pieces[id] as Piece), 'srcs'), ...egGlobalGroups];
      for (const id of inByDest.pieces(c)) {
        const g = pieces[id] as Piece;
        const srcs = g.srcsAll ? ALL : g.srcs;
        orAndSet(bits, srcs, notEgressIso);
        for (const h of groups) if (portsOverlap(g.ports, h.ports)) orAndSet(bits, srcs, h.bits);
      }
    },
  );

  /** Count and namespaces of a set, leaving out the workload itself. */
  const without = (r: Result): { count: number; namespaces: number } => ({
    count: r.summary.count - (r.self ? 1 : 0),
    namespaces: r.summary.namespaces - (r.aloneInNamespace ? 1 : 0),
  });

  const names = (w: NetWorkload, s: Summary): string[] =>
    s.examples
      .filter((e) => e !== w)
      .slice(0, maxExamples)
      .map((e) => `${e.namespace}/${e.name}`);

  const out = new Map<string, WorkloadNetworkFacts>();
  for (const c of classes) {
    const i = c.index;
    const o = outbound[i] as Result;
    const inn = inbound[i] as Result;
    const reach = without(o);
    const from = without(inn);
    const policies = policyNames.get(i);
    const ingressIsolated = has(ingressIso, i);
    const egressIsolated = has(egressIso, i);
    const networkPolicies = [...(policies?.all ?? [])].sort();
    const ingressPolicies = [...(policies?.ingress ?? [])].sort();
    const egressPolicies = [...(policies?.egress ?? [])].sort();
    for (const w of c.workloads) {
      out.set(w.id, {
        ingressIsolated,
        egressIsolated,
        networkPolicies,
        ingressPolicies,
        egressPolicies,
        ingressOpenToAllPods: !ingressIsolated || has(openAllPods, i),
        ingressOpenToExternal: !ingressIsolated || has(inExternal, i),
        ingressOpenToInternet: !ingressIsolated || has(inInternet, i),
        egressOpenToInternet: !egressIsolated || has(egInternet, i),
        inboundWorkloads: from.count,
        inboundNamespaces: from.namespaces,
        inboundExamples: names(w, inn.summary),
        blastRadius: reach.count,
        blastRadiusNamespaces: reach.namespaces,
        blastRadiusExamples: names(w, o.summary),
      });
    }
  }
  return out;
}

function isSelectAll(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

