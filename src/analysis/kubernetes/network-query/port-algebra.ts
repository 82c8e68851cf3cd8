import { ALL_PORTS, forEachOverlap, normalisePorts, portSetKey, type PortInterval, type PortSet } from '../network-ports.js';

/**
 * Port sets as the query engine combines them: intersection (both ends must allow a
 * port), difference (what a change opened), and an interning table so that a matrix of
 * thousands of cells holds small integer ids and each distinct union or intersection is
 * computed once.
 */

/** a ∩ b, both sorted and merged (as normalisePorts leaves them). */
export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  const out: PortInterval[] = [];
  forEachOverlap(a, b, (protocol, lo, hi) => {
    out.push({ protocol, lo, hi });
  });
  return out;
}

/** a − b. */
export function subtractPorts(a: PortSet, b: PortSet): PortSet {
  const out: PortInterval[] = [];
  for (const x of a) {
    let pieces: PortInterval[] = [x];
    for (const y of b) {
      if (y.protocol !== x.protocol) continue;
      const next: PortInterval[] = [];
      for (const p of pieces) {
        if (y.hi < p.lo || y.lo > p.hi) next.push(p);
        else {
          if (y.lo > p.lo) next.push({ protocol: p.protocol, lo: p.lo, hi: y.lo - 1 });
          if (y.hi < p.hi) next.push({ protocol: p.protocol, lo: y.hi + 1, hi: p.hi });
        }
      }
      pieces = next;
    }
    out.push(...pieces);
  }
  return normalisePorts(out);
}

export function unionPorts(a: PortSet, b: PortSet): PortSet {
  return normalisePorts([...a, ...b]);
}

/** "TCP/80", "TCP/8000-8080", "UDP/*" (every port of the protocol), "*" for every port of every protocol. */
export function formatPorts(set: PortSet): string[] {
  if (portSetKey(set) === portSetKey(ALL_PORTS)) return ['*'];
  return set.map((i) => (i.lo === 1 && i.hi === 65535 ? `${i.protocol}/*` : i.lo === i.hi ? `${i.protocol}/${i.lo}` : `${i.protocol}/${i.lo}-${i.hi}`));
}

/** Interned port sets: id 0 is the empty set, id 1 every port. */
export class PortSetTable {
  static readonly EMPTY = 0;
  static readonly ALL = 1;
  private readonly sets: PortSet[] = [[], ALL_PORTS];
  private readonly ids = new Map<string, number>([
    ['', 0],
    [portSetKey(ALL_PORTS), 1],
  ]);
  private readonly unions = new Map<number, number>();
  private readonly intersections = new Map<number, number>();

  id(set: PortSet): number {
    const key = portSetKey(set);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(set);
      this.ids.set(key, id);
    }
    return id;
  }

  get(id: number): PortSet {
    return this.sets[id] as PortSet;
  }

  union(a: number, b: number): number {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    if (a === 1 || b === 1) return 1;
    const key = a < b ? a * 0x100000 + b : b * 0x100000 + a;
    let id = this.unions.get(key);
    if (id === undefined) this.unions.set(key, (id = this.id(unionPorts(this.get(a), this.get(b)))));
    return id;
  }

  subtract(a: number, b: number): number {
    if (b === 0 || a === 0) return a;
    if (a === b || b === 1) return 0;
    return this.id(subtractPorts(this.get(a), this.get(b)));
  }

  intersect(a: number, b: number): number {
    if (a === b || b === 1) return a;
    if (a === 1) return b;
    if (a === 0 || b === 0) return 0;
    const key = a < b ? a * 0x100000 + b : b * 0x100000 + a;
    let id = this.intersections.get(key);
    if (id === undefined) this.intersections.set(key, (id = this.id(intersectPorts(this.get(a), this.get(b)))));
    return id;
  }
}
