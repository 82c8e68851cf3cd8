import type { BinaryOperator, CelNode } from './cel-ast.js';
import { re2Pattern } from './re2.js';

/**
 * A faster way to run the common shapes of rule expressions, in front of cel-js.
 *
 * Why: the audit evaluates every rule on every resource of its kind, and cel-js's
 * interpreter works out the runtime type of every operand of every operator (`resource`
 * is a map, so everything read from it is dyn); its values also need converting (JSON
 * whole numbers become BigInt ints), which copies every object holding a number. Most
 * rule expressions are field reads, comparisons of strings, bools and ints,
 * `&&`/`||`/`!`, `in`, `size`, `has` and the list macros, on plain JSON values.
 *
 * Values are the resource's fields as they are, unconverted: a safe-integer number is a
 * CEL int (as values.ts would make it), any other number a double, on which this path
 * does no arithmetic or comparison. Int literals are numbers here; double literals are
 * not compiled (2.0 and 2 are one JavaScript number). Timestamps are Dates, as in cel-js
 * (`now`, `timestamp(string)`); durations are FastDuration (see there).
 *
 * How it stays exact: an expression is compiled once into JavaScript closures for those
 * operations only, and each closure answers only when its operands have the one plain
 * type whose CEL meaning is not in doubt (a string with a string, a bool, an int with an
 * int, a plain object's own key …). Anything else — a missing key, mixed types, a value
 * that would be an error, a timestamp, an unsigned literal, a function it does not know —
 * returns NOT_HANDLED, and the caller evaluates the whole expression with cel-js, which
 * then gives its own result or error. Expressions using a construct it does not compile
 * at all always go to cel-js. A test (test/unit/engine/differential.test.ts) runs every
 * bundled rule both ways over the rule cases, the demo organisation and a synthetic
 * estate and requires the same answers.
 */

/** The fast path does not answer this evaluation: run cel-js. */
export const NOT_HANDLED: unique symbol = Symbol('not handled');
type Value = unknown;
type Fn = (bindings: Readonly<Record<string, unknown>>, locals: unknown[]) => Value;

/**
 * A JSON object as the CEL views hold it (not an array, Date, Map or class instance).
 * Members whose value is undefined count as absent (values.ts leaves them out for cel-js).
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** A plain object's keys, leaving out members whose value is undefined. */
const keysOf = (o: Record<string, unknown>): string[] => Object.keys(o).filter((k) => o[k] !== undefined);

/** A CEL int as the raw view holds it. */
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** null, a string, bool, int or double, a list or a plain object: what JSON attributes become. */
function isJsonValue(v: unknown): boolean {
  const t = typeof v;
  return v === null || t === 'string' || t === 'boolean' || t === 'number' || Array.isArray(v) || isPlainObject(v);
}

/** Two values of one of the types whose CEL equality is JavaScript's ===: string, bool, int. */
function sameScalarType(a: unknown, b: unknown): boolean {
  const t = typeof a;
  if (t !== typeof b) return false;
  return t === 'string' || t === 'boolean' || (t === 'number' && isInt(a) && isInt(b));
}

/** Int arithmetic stays exact only within the safe integers; beyond, cel-js decides. */
const safeInt = (n: number): Value => (Number.isSafeInteger(n) ? n : NOT_HANDLED);

/** CEL `==` where its meaning is certain. */
function equals(x: unknown, y: unknown): Value {
  if (sameScalarType(x, y)) return x === y;
  // Across types, null equals only null (checked against cel-js for scalars, lists and maps).
  if (x === null || y === null) return isJsonValue(x) && isJsonValue(y) ? x === y : NOT_HANDLED;
  return NOT_HANDLED;
}

/** A binary operator: both operands compiled, evaluated left to right, `apply` on two answered values. */
function binary(left: CelNode, right: CelNode, scope: Scope, apply: (x: unknown, y: unknown) => Value): Fn | null {
  const a = compileNode(left, scope);
  const c = compileNode(right, scope);
  if (!a || !c) return null;
  return (b, l) => {
    const x = a(b, l);
    if (x === NOT_HANDLED) return NOT_HANDLED;
    const y = c(b, l);
    return y === NOT_HANDLED ? NOT_HANDLED : apply(x, y);
  };
}

/** The names given to comprehension variables, and the slot each one reads. */
class Scope {
  readonly slots = new Map<string, number>();
  count = 0;
  bind(name: string): { slot: number; previous: number | undefined } {
    const previous = this.slots.get(name);
    const slot = this.count++;
    this.slots.set(name, slot);
    return { slot, previous };
  }
  unbind(name: string, previous: number | undefined): void {
    if (previous === undefined) this.slots.delete(name);
    else this.slots.set(name, previous);
  }
}

const ROOT_VARIABLES = new Set(['resource', 'meta', 'now']);

/**
 * A CEL duration, held as cel-js's Duration compares it (its valueOf: milliseconds as a
 * double). Only made by `timestamp - timestamp` and by duration literals in whole units,
 * and only compared (`<` `<=` `>` `>=`), where that number is all cel-js uses.
 */
class FastDuration {
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
}

const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * `a - b` of two timestamps, as cel-js computes it: Duration.fromMilliseconds(ms) keeps
 * whole seconds as a BigInt and the rest as nanos, and compares by
 * seconds × 1000 + nanos / 1e6, which is not always ms itself once ms × 1e6 passes 2^53.
 */
function durationBetween(a: Date, b: Date): FastDuration {
  const ms = a.getTime() - b.getTime();
  const totalNanos = BigInt(Math.trunc(ms * 1_000_000));
  const seconds = totalNanos / NANOS_PER_SECOND;
  const nanos = Number(totalNanos % NANOS_PER_SECOND);
  return new FastDuration(Number(seconds) * 1000 + nanos / 1_000_000);
}

/** Milliseconds of the duration literal units compiled here (cel-js also takes fractions, signs, ns/us and sums). */
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** `duration("2160h")`: a whole number of one unit, else not compiled. */
function durationLiteral(text: string): FastDuration | null {
  const m = /^(\d{1,9})(h|ms|m|s)$/.exec(text);
  return m ? new FastDuration(Number(m[1]) * (UNIT_MS[m[2] as string] as number)) : null;
}

// cel-js's timestamp(string) bounds (0001-01-01 … 9999-12-31T23:59:59.999Z, in ms).
const MIN_TIMESTAMP_MS = -62135596800000;
const MAX_TIMESTAMP_MS = 253402300799999;

/** `timestamp(s)` as cel-js parses it (a JavaScript Date of a 20–30 character string); anything it rejects is left to it. */
function timestampOf(v: unknown): Value {
  if (typeof v !== 'string' || v.length < 20 || v.length > 30) return NOT_HANDLED;
  const d = new Date(v);
  const ms = d.getTime();
  return ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS ? d : NOT_HANDLED;
}

/** `<` `<=` `>` `>=`: ints, timestamps and durations, each only with its own type. */
function ordered(x: unknown, y: unknown, compare: (a: number, b: number) => boolean): Value {
  if (isInt(x) && isInt(y)) return compare(x, y);
  if (x instanceof Date && y instanceof Date) return compare(x.getTime(), y.getTime());
  if (x instanceof FastDuration && y instanceof FastDuration) return compare(x.ms, y.ms);
  return NOT_HANDLED;
}

function compileNode(node: CelNode, scope: Scope): Fn | null {
  switch (node.type) {
    case 'literal': {
      const v = node.value;
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return () => v;
      if (typeof v === 'bigint') {
        const n = Number(v);
        return Number.isSafeInteger(n) ? () => n : null;
      }
      return null;
    }
    case 'ident': {
      const { name } = node;
      const slot = scope.slots.get(name);
      if (slot !== undefined) return (_b, locals) => locals[slot];
      if (!ROOT_VARIABLES.has(name)) return null;
      return (b) => {
        const v = b[name];
        return v === undefined ? NOT_HANDLED : v;
      };
    }
    case 'select': {
      const { target, field: key } = node;
      if (node.optional) return null;
      // `resource.x`: the root view is always a plain object (resource-view.ts builds it), read directly.
      if (target.type === 'ident' && target.name === 'resource' && !scope.slots.has('resource')) {
        return (b) => {
          const o = b.resource as Record<string, unknown> | undefined;
          if (typeof o !== 'object' || o === null) return NOT_HANDLED;
          const v = Object.hasOwn(o, key) ? o[key] : undefined;
          return v === undefined ? NOT_HANDLED : v;
        };
      }
      const of = compileNode(target, scope);
      if (!of) return null;
      return (b, l) => {
        const o = of(b, l);
        if (!isPlainObject(o) || !Object.hasOwn(o, key)) return NOT_HANDLED;
        const v = o[key];
        return v === undefined ? NOT_HANDLED : v;
      };
    }
    case 'index':
      if (node.optional) return null;
      return binary(node.target, node.index, scope, (o, i) => {
        let v: unknown;
        if (Array.isArray(o) && isInt(i)) v = i >= 0 && i < o.length ? o[i] : undefined;
        else if (isPlainObject(o) && typeof i === 'string' && Object.hasOwn(o, i)) v = o[i];
        return v === undefined ? NOT_HANDLED : v;
      });
    case 'binary':
      return compileBinary(node.operator, node.left, node.right, scope);
    case 'unary': {
      if (node.operator !== '!') return null;
      const a = compileNode(node.operand, scope);
      if (!a) return null;
      return (b, l) => {
        const x = a(b, l);
        return typeof x === 'boolean' ? !x : NOT_HANDLED;
      };
    }
    case 'conditional': {
      const a = compileNode(node.condition, scope);
      const t = compileNode(node.then, scope);
      const e = compileNode(node.otherwise, scope);
      if (!a || !t || !e) return null;
      return (b, l) => {
        const x = a(b, l);
        return x === true ? t(b, l) : x === false ? e(b, l) : NOT_HANDLED;
      };
    }
    case 'list': {
      const items = node.items.map((a) => compileNode(a, scope));
      if (items.some((i) => i === null)) return null;
      // A list of literals is built once: nothing here changes a list it is given.
      if (node.items.every((a) => a.type === 'literal')) {
        const constant = Object.freeze(items.map((f) => (f as Fn)({}, EMPTY)));
        return () => constant;
      }
      const fns = items as Fn[];
      return (b, l) => {
        const out: unknown[] = [];
        for (let i = 0; i < fns.length; i++) {
          const v = (fns[i] as Fn)(b, l);
          if (v === NOT_HANDLED) return NOT_HANDLED;
          out.push(v);
        }
        return out;
      };
    }
    case 'call':
      return node.receiver ? compileMethod(node.name, node.receiver, node.args, scope) : compileCall(node.name, node.args, scope);
    default:
      return null;
  }
}

function compileBinary(operator: BinaryOperator, left: CelNode, right: CelNode, scope: Scope): Fn | null {
  switch (operator) {
    case '==':
      return binary(left, right, scope, (x, y) => equals(x, y));
    case '!=':
      return binary(left, right, scope, (x, y) => {
        const same = equals(x, y);
        return same === NOT_HANDLED ? NOT_HANDLED : !same;
      });
    case '<':
      return binary(left, right, scope, (x, y) => ordered(x, y, (a, c) => a < c));
    case '<=':
      return binary(left, right, scope, (x, y) => ordered(x, y, (a, c) => a <= c));
    case '>':
      return binary(left, right, scope, (x, y) => ordered(x, y, (a, c) => a > c));
    case '>=':
      return binary(left, right, scope, (x, y) => ordered(x, y, (a, c) => a >= c));
    case '+':
      return binary(left, right, scope, (x, y) => {
        if (isInt(x) && isInt(y)) return safeInt(x + y);
        if (typeof x === 'string' && typeof y === 'string') return x + y;
        return Array.isArray(x) && Array.isArray(y) ? [...(x as unknown[]), ...(y as unknown[])] : NOT_HANDLED;
      });
    case '-':
      return binary(left, right, scope, (x, y) => {
        if (isInt(x) && isInt(y)) return safeInt(x - y);
        return x instanceof Date && y instanceof Date ? durationBetween(x, y) : NOT_HANDLED;
      });
    case 'in':
      return binary(left, right, scope, (x, y) => {
        if (Array.isArray(y)) {
          if (x !== null && typeof x !== 'string' && typeof x !== 'boolean' && !isInt(x)) return NOT_HANDLED;
          // cel-js's list membership is its equality, which for a null, string, bool or int
          // against any JSON value is === (another type is simply unequal, never an error).
          for (let i = 0; i < y.length; i++) if (!isJsonValue(y[i])) return NOT_HANDLED;
          return y.includes(x);
        }
        if (isPlainObject(y) && typeof x === 'string') return Object.hasOwn(y, x) && y[x] !== undefined;
        return NOT_HANDLED;
      });
    case '&&':
    case '||': {
      const a = compileNode(left, scope);
      const c = compileNode(right, scope);
      if (!a || !c) return null;
      // CEL: `false && x` is false and `true || x` is true whatever x is (even an error).
      const decisive = operator === '||';
      return (b, l) => {
        const x = a(b, l);
        if (x === decisive) return decisive;
        if (x !== !decisive) return NOT_HANDLED;
        const y = c(b, l);
        return typeof y === 'boolean' ? y : NOT_HANDLED;
      };
    }
    default:
      return null;
  }
}

function sizeOf(v: unknown): Value {
  if (typeof v === 'string') return SURROGATE.test(v) ? NOT_HANDLED : v.length;
  if (Array.isArray(v)) return v.length;
  if (isPlainObject(v)) return keysOf(v).length;
  return NOT_HANDLED;
}

function compileCall(name: string, callArgs: readonly CelNode[], scope: Scope): Fn | null {
  const [arg] = callArgs;
  if (!arg || callArgs.length !== 1) return null;
  if (name === 'timestamp') {
    const a = compileNode(arg, scope);
    return a ? (b, l) => timestampOf(a(b, l)) : null;
  }
  if (name === 'duration') {
    if (arg.type !== 'literal' || typeof arg.value !== 'string') return null;
    const duration = durationLiteral(arg.value);
    return duration ? () => duration : null;
  }
  if (name === 'size') {
    const a = compileNode(arg, scope);
    if (!a) return null;
    return (b, l) => sizeOf(a(b, l));
  }
  if (name === 'has') {
    if (arg.type !== 'select' || arg.optional) return null;
    const key = arg.field;
    const of = compileNode(arg.target, scope);
    if (!of) return null;
    return (b, l) => {
      const o = of(b, l);
      if (!isPlainObject(o)) return NOT_HANDLED;
      return Object.hasOwn(o, key) && o[key] !== undefined;
    };
  }
  return null;
}

const STRING_METHODS: Readonly<Record<string, (s: string, arg: string) => boolean>> = {
  startsWith: (s, arg) => s.startsWith(arg),
  endsWith: (s, arg) => s.endsWith(arg),
  contains: (s, arg) => s.includes(arg),
};

/** `cel.bind(name, init, body)`: body with name bound to init's value. */
function compileBind(callArgs: readonly CelNode[], scope: Scope): Fn | null {
  const [variable, init, body] = callArgs as [CelNode, CelNode, CelNode];
  if (variable.type !== 'ident') return null;
  const value = compileNode(init, scope);
  if (!value) return null;
  const { slot, previous } = scope.bind(variable.name);
  const inner = compileNode(body, scope);
  scope.unbind(variable.name, previous);
  if (!inner) return null;
  return (b, l) => {
    const v = value(b, l);
    if (v === NOT_HANDLED) return NOT_HANDLED;
    const saved = l[slot];
    l[slot] = v;
    try {
      return inner(b, l);
    } finally {
      l[slot] = saved;
    }
  };
}

function compileMethod(name: string, receiver: CelNode, callArgs: readonly CelNode[], scope: Scope): Fn | null {
  if (name === 'bind' && receiver.type === 'ident' && receiver.name === 'cel' && !scope.slots.has('cel') && callArgs.length === 3) {
    return compileBind(callArgs, scope);
  }
  const target = compileNode(receiver, scope);
  if (!target) return null;
  if (name === 'size' && callArgs.length === 0) return (b, l) => sizeOf(target(b, l));
  const stringMethod = STRING_METHODS[name];
  if (stringMethod && callArgs.length === 1) {
    const a = compileNode(callArgs[0] as CelNode, scope);
    if (!a) return null;
    return (b, l) => {
      const s = target(b, l);
      const arg = typeof s === 'string' ? a(b, l) : NOT_HANDLED;
      return typeof s === 'string' && typeof arg === 'string' ? stringMethod(s, arg) : NOT_HANDLED;
    };
  }
  if (name === 'matches' && callArgs.length === 1) {
    // RE2, as cel-js runs it here (cel-env.ts); a pattern that is not RE2 syntax is cel-js's error to report.
    const arg = callArgs[0] as CelNode;
    if (arg.type === 'literal' && typeof arg.value === 'string') {
      const re = re2Pattern(arg.value);
      if (!re.ok) return null;
      return (b, l) => {
        const v = target(b, l);
        return typeof v === 'string' ? re.test(v) : NOT_HANDLED;
      };
    }
    const a = compileNode(arg, scope);
    if (!a) return null;
    return (b, l) => {
      const v = target(b, l);
      const source = typeof v === 'string' ? a(b, l) : NOT_HANDLED;
      if (typeof v !== 'string' || typeof source !== 'string') return NOT_HANDLED;
      const re = re2Pattern(source);
      return re.ok ? re.test(v) : NOT_HANDLED;
    };
  }
  if (name === 'lowerAscii' && callArgs.length === 0) {
    return (b, l) => {
      const v = target(b, l);
      // As cel-js does it (every letter, not only ASCII ones).
      return typeof v === 'string' ? v.toLowerCase() : NOT_HANDLED;
    };
  }
  if ((name === 'indexOf' || name === 'lastIndexOf') && callArgs.length === 1) {
    const a = compileNode(callArgs[0] as CelNode, scope);
    if (!a) return null;
    const last = name === 'lastIndexOf';
    return (b, l) => {
      const v = target(b, l);
      const arg = typeof v === 'string' ? a(b, l) : NOT_HANDLED;
      // Indexes count code points in CEL, code units here: the same only without surrogate pairs.
      if (typeof v !== 'string' || typeof arg !== 'string' || SURROGATE.test(v) || SURROGATE.test(arg)) return NOT_HANDLED;
      return last ? v.lastIndexOf(arg) : v.indexOf(arg);
    };
  }
  if (name === 'substring' && (callArgs.length === 1 || callArgs.length === 2)) {
    const from = compileNode(callArgs[0] as CelNode, scope);
    const to = callArgs.length === 2 ? compileNode(callArgs[1] as CelNode, scope) : undefined;
    if (!from || to === null) return null;
    return (b, l) => {
      const v = target(b, l);
      if (typeof v !== 'string' || SURROGATE.test(v)) return NOT_HANDLED;
      const start = from(b, l);
      const end = to ? to(b, l) : v.length;
      // Out of range is an error in CEL: cel-js reports it.
      if (!isInt(start) || !isInt(end) || start < 0 || end > v.length || start > end) return NOT_HANDLED;
      return v.slice(start, end);
    };
  }
  if (['all', 'exists', 'exists_one', 'filter', 'map'].includes(name) && callArgs.length === 2) {
    const [variable, body] = callArgs as [CelNode, CelNode];
    if (variable.type !== 'ident') return null;
    const varName = variable.name;
    const { slot, previous } = scope.bind(varName);
    const predicate = compileNode(body, scope);
    scope.unbind(varName, previous);
    if (!predicate) return null;
    return comprehension(name, target, predicate, slot);
  }
  return null;
}

/** The list macros over a list (its elements) or a map (its keys). */
function comprehension(name: string, target: Fn, body: Fn, slot: number): Fn {
  return (b, l) => {
    const receiver = target(b, l);
    const items: readonly unknown[] | undefined = Array.isArray(receiver) ? (receiver as unknown[]) : isPlainObject(receiver) ? keysOf(receiver) : undefined;
    if (!items) return NOT_HANDLED;
    const saved = l[slot];
    try {
      switch (name) {
        case 'all':
        case 'exists': {
          // CEL: a false (all) or true (exists) decides even when other elements would error.
          const decisive = name === 'exists';
          let undecided = false;
          for (let i = 0; i < items.length; i++) {
            const item = items[i];
            l[slot] = item;
            const v = body(b, l);
            if (v === decisive) return decisive;
            if (v !== !decisive) undecided = true;
          }
          return undecided ? NOT_HANDLED : !decisive;
        }
        case 'exists_one': {
          let count = 0;
          for (let i = 0; i < items.length; i++) {
            const item = items[i];
            l[slot] = item;
            const v = body(b, l);
            if (typeof v !== 'boolean') return NOT_HANDLED;
            if (v) count++;
          }
          return count === 1;
        }
        case 'filter': {
          const out: unknown[] = [];
          for (let i = 0; i < items.length; i++) {
            const item = items[i];
            l[slot] = item;
            const v = body(b, l);
            if (typeof v !== 'boolean') return NOT_HANDLED;
            if (v) out.push(item);
          }
          return out;
        }
        default: {
          const out: unknown[] = [];
          for (let i = 0; i < items.length; i++) {
            const item = items[i];
            l[slot] = item;
            const v = body(b, l);
            if (v === NOT_HANDLED) return NOT_HANDLED;
            out.push(v);
          }
          return out;
        }
      }
    } finally {
      l[slot] = saved;
    }
  };
}

/** The compiled form of an expression, or null when it uses something only cel-js runs. */
export interface FastProgram {
  /** `bindings`: resource, meta and now, read by name (a plain object, or a class with getters). */
  (bindings: object): Value;
}

export function compileFast(ast: CelNode): FastProgram | null {
  const scope = new Scope();
  const fn = compileNode(ast, scope);
  if (!fn) return null;
  // One locals array per program, reused: evaluations never nest, and comprehensions and
  // cel.bind restore the slots they set.
  const locals = scope.count === 0 ? EMPTY : new Array<unknown>(scope.count);
  return (bindings) => fn(bindings as Readonly<Record<string, unknown>>, locals);
}

const EMPTY: unknown[] = [];
