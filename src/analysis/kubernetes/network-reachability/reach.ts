import { portsOverlap, type PortSet } from '../network-ports.js';
import type { PodClass } from './classes.js';
import { anyInRange, type Bits, type ClassSpace, has, orAndSet, orInto, orSet, setBit } from './class-sets.js';
import type { ReachabilityContext } from './context.js';
import type { Piece } from './pieces.js';
import { PiecesByClass } from './pieces-by-class.js';
import type { PolicyOutcome } from './policies.js';
import { type Summary, summariser } from './summary.js';

/**
 * Step 3 — per class, the classes it may open a connection to (outbound: the blast
 * radius) and those that may connect to it (inbound). Both ends must allow a connection:
 *
 *   outbound(c) = ⋃ over c's egress pieces h of  h.dests ∩ (not ingress-isolated
 *                 ∪ ⋃ ingress pieces naming c as a source with ports overlapping h's)
 *
 * and the mirror image for inbound; a class not isolated in a direction takes every class
 * on that side (less the other end's isolation). Classes with the same piece lists (a
 * "signature") share one computation in a scratch bitset; only its summary and each
 * member's own membership are kept. One hop only: what a reached class reaches is not added.
 */

export interface Reach {
  readonly summary: Summary;
  /** The class itself is in the set. */
  readonly self: boolean;
  /** ...and no other workload of its namespace is. */
  readonly aloneInNamespace: boolean;
}

export interface ReachSets {
  /** Per class index. */
  readonly outbound: readonly Reach[];
  readonly inbound: readonly Reach[];
}

/** Pieces grouped by port set, with the union of one side's sets (dense: it is a union). */
interface PortGroup {
  readonly ports: PortSet;
  readonly bits: Bits;
}

function groupByPorts(list: readonly Piece[], side: 'srcs' | 'dests', newBits: () => Bits): PortGroup[] {
  const groups = new Map<string, PortGroup>();
  for (const p of list) {
    let g = groups.get(p.portKey);
    if (!g) groups.set(p.portKey, (g = { ports: p.ports, bits: newBits() }));
    orSet(g.bits, p[side]);
  }
  return [...groups.values()];
}

/** Bitsets reused across signatures: `reset()` before each, `take()` hands out a cleared one. */
class BitsPool {
  private readonly pool: Bits[] = [];
  private used = 0;

  private readonly sets: ClassSpace;

  constructor(sets: ClassSpace) {
    this.sets = sets;
  }

  reset(): void {
    this.used = 0;
  }

  take(): Bits {
    const b = this.pool[this.used];
    this.used++;
    if (b) {
      b.fill(0);
      return b;
    }
    const fresh = this.sets.newBits();
    this.pool.push(fresh);
    return fresh;
  }
}

export function computeReach(ctx: ReachabilityContext, policies: PolicyOutcome): ReachSets {
  const { index, sets } = ctx;
  const { classes, n } = index;
  const { words, allBits, ALL } = sets;
  const { ingressIsolated: ingressIso, egressIsolated: egressIso } = policies;
  const pieces = policies.pieces.all;

  // Per-class piece lists, grouped by shared class sets (see PiecesByClass). Pieces whose
  // side is every peer are "global": they apply to every class and are kept apart.
  const inBySrc = new PiecesByClass(n);
  const inByDest = new PiecesByClass(n);
  const egBySrc = new PiecesByClass(n);
  const egByDest = new PiecesByClass(n);
  const inGlobal: Piece[] = [];
  const egGlobal: Piece[] = [];
  for (const p of policies.pieces.ingress) {
    if (p.srcsAll) inGlobal.push(p);
    else inBySrc.add(p.id, p.srcs);
    inByDest.add(p.id, p.dests);
  }
  for (const p of policies.pieces.egress) {
    egBySrc.add(p.id, p.srcs);
    if (p.destsAll) egGlobal.push(p);
    else egByDest.add(p.id, p.dests);
  }

  const notIngressIso = sets.newBits();
  const notEgressIso = sets.newBits();
  for (let i = 0; i < words; i++) {
    notIngressIso[i] = (allBits[i] as number) & ~(ingressIso[i] as number);
    notEgressIso[i] = (allBits[i] as number) & ~(egressIso[i] as number);
  }

  // What every class not isolated in a direction reaches / is reached by, before its own pieces.
  const newBits = () => sets.newBits();
  const inGlobalGroups = groupByPorts(inGlobal, 'dests', newBits);
  const egGlobalGroups = groupByPorts(egGlobal, 'srcs', newBits);
  const baseOut = sets.newBits();
  orInto(baseOut, notIngressIso);
  for (const g of inGlobalGroups) orInto(baseOut, g.bits);
  const baseIn = sets.newBits();
  orInto(baseIn, notEgressIso);
  for (const g of egGlobalGroups) orInto(baseIn, g.bits);

  const summarise = summariser(ctx);
  const scratch = sets.newBits();
  const pool = new BitsPool(sets);
  const take = () => pool.take();

  /** Classes bucketed by `key`; `compute` runs once per bucket, for its first member, into the scratch bitset. */
  const bySignature = (key: (c: number) => string, compute: (c: number, bits: Bits) => void): Reach[] => {
    const buckets = new Map<string, number[]>();
    for (let c = 0; c < n; c++) {
      const k = key(c);
      const list = buckets.get(k);
      if (list) list.push(c);
      else buckets.set(k, [c]);
    }
    const results: Reach[] = new Array<Reach>(n);
    for (const members of buckets.values()) {
      scratch.fill(0);
      pool.reset();
      compute(members[0] as number, scratch);
      const summary = summarise(scratch);
      for (const c of members) {
        const self = has(scratch, c);
        let alone = false;
        if (self && (classes[c] as PodClass).workloads.length === 1) {
          const [lo, hi] = index.namespaceRange((classes[c] as PodClass).namespace);
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
      const groups = [...groupByPorts(ins.map((id) => pieces[id] as Piece), 'dests', take), ...inGlobalGroups];
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
      const groups = [...groupByPorts(eg.map((id) => pieces[id] as Piece), 'srcs', take), ...egGlobalGroups];
      for (const id of inByDest.pieces(c)) {
        const g = pieces[id] as Piece;
        const srcs = g.srcsAll ? ALL : g.srcs;
        orAndSet(bits, srcs, notEgressIso);
        for (const h of groups) if (portsOverlap(g.ports, h.ports)) orAndSet(bits, srcs, h.bits);
      }
    },
  );
  return { outbound, inbound };
}
