import type { NetWorkload } from '../network-policy.js';
import type { PodClass } from './classes.js';
import type { Bits } from './class-sets.js';
import type { ReachabilityContext } from './context.js';

/**
 * Part of step 3 — a set of classes as the facts report it: how many workloads it stands
 * for, in how many namespaces, and the first few in display order. Per-byte weight tables
 * count the workloads without walking them; namespaces are counted by jumping from a set
 * bit to the end of its namespace's range.
 */

export interface Summary {
  readonly count: number;
  readonly namespaces: number;
  /** Up to maxExamples + 1 workloads in display order (one more, in case the workload itself is among them). */
  readonly examples: readonly NetWorkload[];
}

export function summariser({ index, sets, maxExamples }: ReachabilityContext): (bits: Bits) => Summary {
  const { classes, n, namespaceEnd: nsEnd } = index;
  const { words } = sets;
  // Per byte of the bitset, the number of workloads each of its 256 values stands for.
  const table = new Int32Array(words * 4 * 256);
  for (let b = 0; b < words * 4; b++) {
    for (let v = 1; v < 256; v++) {
      const low = v & -v;
      const bit = 31 - Math.clz32(low);
      const c = classes[b * 8 + bit];
      table[b * 256 + v] = (table[b * 256 + (v ^ low)] as number) + (c ? c.workloads.length : 0);
    }
  }
  return (bits) => {
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
}
