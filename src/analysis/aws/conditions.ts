import { CONDITION_OPERATORS } from '../../inventory/aws-condition-operators.js';
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

/**
 * The values a key may take in the situation analysed, when it is not one value: each
 * entry is one possible request (`null`: the key absent from it). `range` means the two
 * entries are the ends of an interval of dates (aws:TokenIssueTime: issued at most 36 hours
 * before the as-of time), so an ordering comparison that holds at both ends holds
 * between them, and an equality is never decided.
 */
export interface KeyWorlds {
  readonly values: readonly (readonly string[] | null)[];
  readonly range: boolean;
}

/**
 * What an attack step's situation says beyond plain values: keys whose value is one of a
 * few possibilities (the caller's MFA state, when its token was issued), and keys the
 * caller chooses (tags it sets on what it creates: aws:RequestTag/…, aws:TagKeys).
 */
export interface Situation {
  /** Lower-case key → its possible values. */
  readonly worlds?: ReadonlyMap<string, KeyWorlds>;
  /** Lower-case keys, or prefixes ending in `/`, whose value the caller chooses. */
  readonly chosen?: readonly string[];
  /** Distinguishes situations in memo keys: equal keys, equal situations. */
  readonly key: string;
}

/** Context lookup: request keys first, then the principal's own (aws:username, …). */
export interface Context {
  get(key: string): readonly string[] | null | undefined;
  /** Possible values of a key the situation does not fix (see Situation). */
  worlds?(key: string): KeyWorlds | undefined;
  /** The caller chooses this key's value. */
  chooses?(key: string): boolean;
}

function lookup(present: readonly ContextValues[]): (key: string) => readonly string[] | null | undefined {
  if (present.length === 0) return () => undefined;
  if (present.length === 1) {
    const only = present[0] as ContextValues;
    return (key) => only.get(key);
  }
  return (key) => {
    for (const layer of present) {
      const value = layer.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

export function contextOf(...layers: (ContextValues | undefined)[]): Context {
  return { get: lookup(layers.filter((l): l is ContextValues => l !== undefined && l.size > 0)) };
}

/** A context over value layers (first wins) and situations (first that knows a key wins). */
export function situatedContext(layers: readonly (ContextValues | undefined)[], situations: readonly (Situation | undefined)[]): Context {
  const get = lookup(layers.filter((l): l is ContextValues => l !== undefined && l.size > 0));
  const present = situations.filter((s): s is Situation => s !== undefined);
  if (present.length === 0) return { get };
  return {
    get,
    worlds(key) {
      for (const s of present) {
        const w = s.worlds?.get(key);
        if (w) return w;
      }
      return undefined;
    },
    chooses(key) {
      return present.some((s) => s.chosen?.some((c) => (c.endsWith('/') ? key.startsWith(c) : key === c)) ?? false);
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
    // Only the operators AWS documents (a typo such as `StringEqual` is never true).
    const unsupported = !CONDITION_OPERATORS.includes(op) || (op !== 'null' && compares[base] === undefined);
    for (const [key, values] of Object.entries(block)) {
      entries.push({ operator, key, lowerKey: key.toLowerCase(), values, base, negate: negated[op] !== undefined, ifExists, set, unsupported });
    }
  }
  return entries;
}

/**
 * One operator/key pair, restating AWS's condition-operator reference:
 * - the values listed for one key are ORed; a single-valued operator on a multi-valued key
 *   holds when any request value satisfies it;
 * - a key absent from the request: a positive operator is false, a negated one
 *   (StringNotEquals, NotIpAddress, ArnNotLike, …) true, `…IfExists` true;
 *   `ForAllValues:` is true (the empty set satisfies "every value"), `ForAnyValue:` false;
 * - `Null: true` holds when the key is absent, `Null: false` when it is present;
 * - `ForAllValues:` holds when every request value matches some listed value,
 *   `ForAnyValue:` when at least one does (negated bases invert the per-value match).
 * A key the situation leaves open is decided over its possible values (all true: true,
 * all false: false, else unknown); a key the caller chooses holds whenever some value
 * can satisfy it; an operator zt does not understand is always unknown.
 */
function evaluateEntry(entry: ConditionEntry, context: Context): Tri {
  if (entry.unsupported) return UNKNOWN;
  const actual = context.get(entry.lowerKey);
  if (actual !== undefined) return evaluateWith(entry, actual);
  if (context.chooses?.(entry.lowerKey)) return satisfiable(entry) ? TRUE : FALSE;
  const worlds = context.worlds?.(entry.lowerKey);
  if (!worlds) return UNKNOWN;
  if (worlds.range && entry.base === 'dateequals') return UNKNOWN;
  let anyTrue = false;
  let anyFalse = false;
  for (const value of worlds.values) {
    if (evaluateWith(entry, value) === TRUE) anyTrue = true;
    else anyFalse = true;
  }
  return anyTrue && anyFalse ? UNKNOWN : anyTrue ? TRUE : FALSE;
}

/** Whether a caller choosing the key's value (or leaving it out) can make the entry hold. */
function satisfiable(entry: ConditionEntry): boolean {
  return entry.negate || entry.ifExists || entry.set === 'all' || entry.base === 'null' || entry.values.length > 0;
}

function evaluateWith(entry: ConditionEntry, actual: readonly string[] | null): Tri {
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
 * to `unknownKeys` (policy spelling), and the entries to `unknownEntries`, only when the
 * result is UNKNOWN.
 */
export function evaluateConditions(entries: readonly ConditionEntry[], context: Context, unknownKeys?: string[], unknownEntries?: ConditionEntry[]): Tri {
  let result: Tri = TRUE;
  let pending: ConditionEntry[] | undefined;
  for (const entry of entries) {
    const r = evaluateEntry(entry, context);
    if (r === FALSE) return FALSE;
    if (r === UNKNOWN) {
      result = UNKNOWN;
      (pending ??= []).push(entry);
    }
  }
  if (result === UNKNOWN && pending) {
    if (unknownKeys) for (const e of pending) unknownKeys.push(e.key);
    if (unknownEntries) unknownEntries.push(...pending);
  }
  return result;
}

/** Keys whose condition reads "from where the request comes": shown as "holds only from …". */
const SOURCE_PHRASES: Readonly<Record<string, string>> = {
  'aws:sourceip': 'addresses',
  'aws:vpcsourceip': 'VPC addresses',
  'aws:sourcevpc': 'VPC',
  'aws:sourcevpce': 'VPC endpoint',
};

/**
 * The exact condition one undecided entry puts on an Allow ("holds only …") or, from a
 * Deny, the condition that must fail for the request to pass ("unless …"). `knownKey`
 * says whether AWS's catalogue knows the key; a key or operator zt does not know is
 * named as such, so a reader sees why the step is only conditional.
 */
export function describeCondition(entry: ConditionEntry, effect: 'Allow' | 'Deny', knownKey: boolean): string {
  const exact = `${entry.operator} ${entry.key} ${entry.values.join(' | ')}`;
  const deny = effect === 'Deny';
  const source = SOURCE_PHRASES[entry.lowerKey];
  let text: string;
  if (entry.unsupported) text = `${deny ? 'unless ' : ''}${exact} (operator not understood)`;
  else if (source && !entry.set && entry.base !== 'null') {
    // A Deny on "not from X" allows only from X, and the other way round.
    text = `holds only from ${entry.negate !== deny ? 'outside ' : ''}${source} ${entry.values.join(', ')} (${deny ? 'Deny ' : ''}${exact})`;
  } else if (entry.lowerKey === 'aws:multifactorauthpresent' && entry.base === 'bool' && !entry.set) {
    const wantsTrue = entry.values.some((v) => v.toLowerCase() === 'true');
    text = `holds only ${wantsTrue !== deny ? 'with' : 'without'} MFA (${deny ? 'Deny ' : ''}${exact})`;
  } else text = `${deny ? 'unless ' : ''}${exact}`;
  return knownKey || entry.unsupported ? text : `${text} (condition key not in AWS's catalogue)`;
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

/**
 * A context layer that knows the tags of the request's resource: `aws:ResourceTag/<key>`
 * and `iam:ResourceTag/<key>` are the tag's value, or absent (null) for a key the resource
 * does not carry — decided, not unknown. Tag keys compare case-insensitively, as condition
 * keys do. Over `base` (its entries win for every other key).
 */
export function withResourceTags(base: ContextValues | undefined, tags: Readonly<Record<string, string>>): ContextValues {
  const byKey = new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  const entries = new Map<string, readonly string[] | null>(base ?? []);
  // Never empty: an empty layer is skipped by lookup().
  entries.set('\u0000resource-tags', null);
  const tagOf = (key: string): readonly string[] | null | undefined => {
    for (const prefix of ['aws:resourcetag/', 'iam:resourcetag/']) {
      if (key.startsWith(prefix)) {
        const value = byKey.get(key.slice(prefix.length));
        return value === undefined ? null : [value];
      }
    }
    return undefined;
  };
  return new (class extends Map<string, readonly string[] | null> {
    override get(key: string): readonly string[] | null | undefined {
      if (super.has(key)) return super.get(key);
      return tagOf(key);
    }
  })(entries);
}
