import { portSetKey, type PortSet, type RulePorts } from '../network-ports.js';
import type { ClassSet, ClassSpace } from './class-sets.js';
import type { ReachabilityIndex } from './reachability-index.js';

/**
 * Step 2 (part) — allow rules as "pieces": sources × destinations × ports, each side a
 * set of classes. A piece's ports hold for every one of its destinations: named ports
 * resolve per destination, so a rule with named ports becomes one piece per distinct
 * resolution (destinations where nothing resolves get none). A piece's id is its index
 * in `all`.
 */

export interface Piece {
  readonly id: number;
  readonly srcs: ClassSet;
  readonly dests: ClassSet;
  /** Sources are every peer (the rule has no peer restriction). */
  readonly srcsAll: boolean;
  /** Destinations are every peer (an egress rule without peer restriction and without named ports). */
  readonly destsAll: boolean;
  readonly ports: PortSet;
  readonly portKey: string;
}

export type Direction = 'ingress' | 'egress';

export class Pieces {
  readonly all: Piece[] = [];
  readonly ingress: Piece[] = [];
  readonly egress: Piece[] = [];

  private readonly index: ReachabilityIndex;
  private readonly sets: ClassSpace;

  constructor(index: ReachabilityIndex, sets: ClassSpace) {
    this.index = index;
    this.sets = sets;
  }

  /** Adds the pieces of one rule of `direction`; returns them (none when no port applies). */
  add(direction: Direction, srcs: ClassSet, srcsAll: boolean, dests: ClassSet, destsAll: boolean, ports: RulePorts): Piece[] {
    const groups: { ports: PortSet; key: string; dests: ClassSet; all: boolean }[] = [];
    if (ports.named.length === 0) {
      if (ports.numeric.length > 0 && dests.idx.length > 0) groups.push({ ports: ports.numeric, key: portSetKey(ports.numeric), dests, all: destsAll });
    } else {
      // Named ports resolve per destination; classes with the same named ports resolve alike.
      const resolve = this.index.portsResolver(ports);
      const byKey = new Map<string, { ports: PortSet; list: number[] }>();
      for (const i of dests.idx) {
        const resolved = resolve(i);
        if (!resolved) continue;
        let g = byKey.get(resolved.key);
        if (!g) byKey.set(resolved.key, (g = { ports: resolved.ports, list: [] }));
        g.list.push(i);
      }
      for (const [key, g] of byKey) groups.push({ ports: g.ports, key, dests: this.sets.set(Int32Array.from(g.list)), all: false });
    }
    const added: Piece[] = [];
    for (const g of groups) {
      const piece: Piece = { id: this.all.length, srcs, dests: g.dests, srcsAll, destsAll: g.all, ports: g.ports, portKey: g.key };
      this.all.push(piece);
      (direction === 'ingress' ? this.ingress : this.egress).push(piece);
      added.push(piece);
    }
    return added;
  }
}
