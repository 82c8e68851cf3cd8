/**
 * Sets of pod classes: the algebra every step of the reachability analysis works in.
 *
 * A ClassSet is sorted class indices, plus a bitset when the set is large enough that
 * word operations beat walking the indices. Pieces usually hold a few classes of one
 * namespace, so keeping them sparse keeps memory and time near-linear in the cluster.
 * Unions of many sets (reach results) are plain bitsets (`Bits`).
 */

export type Bits = Uint32Array;

export interface ClassSet {
  readonly idx: Int32Array;
  readonly bits: Uint32Array | null;
}

export function orInto(target: Bits, source: Bits): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) | (source[i] as number);
}

export function orAndInto(target: Bits, a: Bits, b: Bits): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) | ((a[i] as number) & (b[i] as number));
}

export function has(bits: Bits, i: number): boolean {
  return (((bits[i >>> 5] as number) >>> (i & 31)) & 1) === 1;
}

export function setBit(bits: Bits, i: number): void {
  bits[i >>> 5] = (bits[i >>> 5] as number) | (1 << (i & 31));
}

/** target |= s */
export function orSet(target: Bits, s: ClassSet): void {
  if (s.bits) orInto(target, s.bits);
  else for (const i of s.idx) setBit(target, i);
}

/** target |= s & dense */
export function orAndSet(target: Bits, s: ClassSet, dense: Bits): void {
  if (s.bits) orAndInto(target, s.bits, dense);
  else for (const i of s.idx) if (has(dense, i)) setBit(target, i);
}

/** Any set bit in [lo, hi). */
export function anyInRange(bits: Bits, lo: number, hi: number): boolean {
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
}

/** Sets over the classes 0 … n-1 of one cluster: bitset size, the empty and full sets, construction and union. */
export class ClassSpace {
  /** Words of a bitset over the classes. */
  readonly words: number;
  readonly EMPTY: ClassSet = { idx: new Int32Array(0), bits: null };
  readonly ALL: ClassSet;
  /** Every class, as a bitset. */
  readonly allBits: Bits;

  /** Number of classes. */
  readonly n: number;

  constructor(n: number) {
    this.n = n;
    this.words = Math.max(1, Math.ceil(n / 32));
    this.ALL = this.set(Int32Array.from({ length: n }, (_, i) => i));
    this.allBits = this.ALL.bits ?? (() => {
      const b = this.newBits();
      for (let i = 0; i < n; i++) setBit(b, i);
      return b;
    })();
  }

  newBits(): Bits {
    return new Uint32Array(this.words);
  }

  /** A class set from sorted, distinct indices. */
  set(idx: Int32Array): ClassSet {
    if (idx.length <= this.words) return { idx, bits: null };
    const bits = this.newBits();
    for (const i of idx) setBit(bits, i);
    return { idx, bits };
  }

  /** Union of sorted index lists (rules OR their peers). */
  union(sets: readonly ClassSet[]): ClassSet {
    const nonEmpty = sets.filter((s) => s.idx.length > 0);
    if (nonEmpty.length === 0) return this.EMPTY;
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
    return this.set(merged.slice(0, out));
  }
}
