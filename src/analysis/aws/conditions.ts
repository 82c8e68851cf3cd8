import { wildcardMatcher } from './wildcard.js';

/**
 * IAM Condition evaluation with three outcomes. A request context says, per key, either
 * its values, `null` (known to be absent from the request) or nothing at all (unknown:
 * posture analysis rarely knows whether the caller will use MFA or which IP it comes
 * from). A condition on an unknown key is UNKNOWN and the key is reported, so the
 * caller can say "allowed if aws:MultiFactorAuthPresent is true" instead of guessing.
 */

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof UNKNOWN;

/** Lower-case key → values, or null when the key is known to be absent. */
export type ContextValues = ReadonlyMap<string, readonly string[] | null>;

/** Context lookup: request keys first, then the principal's own (aws:username, …). */
export interface Context {
  get(key: string): readonly string[] | null | undefined;
}

export function contextOf(...layers: (ContextValues | undefined)[]): Context {
  const present = layers.filter((l): l is ContextValues => l !== undefined && l.size > 0);
  if (present.length === 0) return { get: () => undefined };
  if (present.length === 1) {
    const only = present[0] as ContextValues;
    return { get: (key) => only.get(key) };
  }
  return {
    get(key) {
      for (const layer of present) {
        const value = layer.get(key);
        if (value !== undefined) return value;
      }
      return undefined;
    },
  };
}

export type ContextInput = Readonly<Record<string, string | number | boolean | null | readonly (string | number | boolean)[]>>;

/** Normalises `{ 'aws:MultiFactorAuthPresent': true, 'aws:SourceIp': '10.0.0.1' }`. */
export function normaliseContext(input: ContextInput | undefined): ContextValues {
  const out = new Map<string, readonly string[] | null>();
  if (!input) return out;
  for (const [key, value] of Object.entries(input)) {
    out.set(key.toLowerCase(), value === null ? null : Array.isArray(value) ? value.map(String) : [String(value)]);
  }
  return out;
}

type Compare = (actual: string, expected: string) => boolean;

const num = (v: string): number => (v.trim() === '' ? Number.NaN : Number(v));
const date = (v: string): number => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));

/** Base comparisons (negated operators use these and invert). */
const compares: Readonly<Record<string, Compare>> = {
  stringequals: (a, e) => a === e,
  stringequalsignorecase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  stringlike: (a, e) => wildcardMatcher(e)(a),
  numericequals: (a, e) => num(a) === num(e),
  numericlessthan: (a, e) => num(a) < num(e),
  numericlessthanequals: (a, e) => num(a) <= num(e),
  numericgreaterthan: (a, e) => num(a) > num(e),
  numericgreaterthanequals: (a, e) => num(a) >= num(e),
  dateequals: (a, e) => date(a) === date(e),
  datelessthan: (a, e) => date(a) < date(e),
  datelessthanequals: (a, e) => date(a) <= date(e),
  dategreaterthan: (a, e) => date(a) > date(e),
  dategreaterthanequals: (a, e) => date(a) >= date(e),
  bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  binaryequals: (a, e) => a === e,
  ipaddress: (a, e) => ipInCidr(a, e),
  arnequals: (a, e) => wildcardMatcher(e)(a),
  arnlike: (a, e) => wildcardMatcher(e)(a),
};

/** Negated operator → its positive base. A negated operator on an absent key is true. */
const negated: Readonly<Record<string, string>> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  numericnotequals: 'numericequals',
  datenotequals: 'dateequals',
  notipaddress: 'ipaddress',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
};

/** One operator/key pair of a Condition block, compiled. */
export interface ConditionEntry {
  /** As written in the policy, for reports: `BoolIfExists`. */
  readonly operator: string;
  /** As written in the policy: `aws:MultiFactorAuthPresent`. */
  readonly key: string;
  readonly lowerKey: string;
  readonly values: readonly string[];
  readonly base: string;
  readonly negate: boolean;
  readonly ifExists: boolean;
  readonly set: 'any' | 'all' | null;
  /** Operator not understood: always UNKNOWN. */
  readonly unsupported: boolean;
}

export function compileCondition(condition: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> | undefined): ConditionEntry[] {
  if (!condition) return [];
  const entries: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    let op = operator.toLowerCase();
    let set: 'any' | 'all' | null = null;
    if (op.startsWith('foranyvalue:')) {
      set = 'any';
      op = op.slice('foranyvalue:'.length);
    } else if (op.startsWith('forallvalues:')) {
      set = 'all';
      op = op.slice('forallvalues:'.length);
    }
    const ifExists = op.endsWith('ifexists') && op !== 'ifexists';
    if (ifExists) op = op.slice(0, -'ifexists'.length);
    const base = negated[op] ?? op;
    const unsupported = op !== 'null' && compares[base] === undefined;
    for (const [key, values] of Object.entries(block)) {
      entries.push({ operator, key, lowerKey: key.toLowerCase(), values, base, negate: negated[op] !== undefined, ifExists, set, unsupported });
    }
  }
  return entries;
}

function evaluateEntry(entry: ConditionEntry, context: Context): Tri {
  if (entry.unsupported) return UNKNOWN;
  const actual = context.get(entry.lowerKey);
  if (actual === undefined) return UNKNOWN;
  if (entry.base === 'null') {
    const wantsAbsent = entry.values.some((v) => v.toLowerCase() === 'true');
    const wantsPresent = entry.values.some((v) => v.toLowerCase() === 'false');
    const absent = actual === null || actual.length === 0;
    return (absent && wantsAbsent) || (!absent && wantsPresent) ? TRUE : FALSE;
  }
  if (actual === null) {
    if (entry.ifExists) return TRUE;
    if (entry.set === 'all') return TRUE;
    if (entry.set === 'any') return FALSE;
    return entry.negate ? TRUE : FALSE;
  }
  const compare = compares[entry.base] as Compare;
  const one = (value: string): boolean => {
    const hit = entry.values.some((expected) => compare(value, expected));
    return entry.negate ? !hit : hit;
  };
  if (entry.set === 'all') return actual.every(one) ? TRUE : FALSE;
  if (entry.set === 'any') return actual.some(one) ? TRUE : FALSE;
  // A single-valued operator on a multi-valued key: true when any value satisfies it.
  return actual.some(one) ? TRUE : FALSE;
}

/**
 * AND over all entries: FALSE wins, then UNKNOWN. Keys that made it UNKNOWN are added
 * to `unknownKeys` (policy spelling) only when the result is UNKNOWN.
 */
export function evaluateConditions(entries: readonly ConditionEntry[], context: Context, unknownKeys?: string[]): Tri {
  let result: Tri = TRUE;
  let pending: string[] | undefined;
  for (const entry of entries) {
    const r = evaluateEntry(entry, context);
    if (r === FALSE) return FALSE;
    if (r === UNKNOWN) {
      result = UNKNOWN;
      (pending ??= []).push(entry.key);
    }
  }
  if (result === UNKNOWN && unknownKeys && pending) unknownKeys.push(...pending);
  return result;
}

// ---- IP addresses ----

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

function ipv6(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  const [head, tail, ...rest] = text.split('::');
  if (rest.length > 0) return undefined;
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? h.length !== 8 : missing < 0) return undefined;
  const all = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    value = (value << 16n) + BigInt(Number.parseInt(g, 16));
  }
  return value;
}

/** True when `address` lies in `cidr` (a bare address means /32 or /128). */
export function ipInCidr(address: string, cidr: string): boolean {
  const [net, bitsText] = cidr.trim().split('/');
  const a4 = ipv4(address.trim());
  const n4 = ipv4(net ?? '');
  if (a4 !== undefined && n4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!(bits >= 0 && bits <= 32)) return false;
    if (bits === 0) return true;
    const size = 2 ** (32 - bits);
    return Math.floor(a4 / size) === Math.floor(n4 / size);
  }
  const a6 = ipv6(address.trim());
  const n6 = ipv6(net ?? '');
  if (a6 !== undefined && n6 !== undefined) {
    const bits = bitsText === undefined ? 128 : Number(bitsText);
    if (!(bits >= 0 && bits <= 128)) return false;
    const shift = BigInt(128 - bits);
    return a6 >> shift === n6 >> shift;
  }
  return false;
}
