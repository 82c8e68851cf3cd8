import type { Environment } from '@marcbachmann/cel-js';
import { celAst, childrenOf, type CelNode } from './cel-ast.js';
import { celEnvironment, RE2_MATCHES } from './cel-env.js';

/**
 * cel-js runs `string.matches` as a JavaScript RegExp (backtracking: a pattern can take
 * minutes) and refuses another overload of it, so an expression is handed to cel-js with
 * every `x.matches(p)` renamed `x.zt_re2_matches(p)`, which cel-env.ts runs by RE2. Only
 * the method name changes in the expression text; the rewritten expression is parsed
 * again and must have the same tree as the original with those calls renamed and no
 * `matches` left anywhere, so cel-js's RegExp can never run.
 */

type CallNode = Extract<CelNode, { type: 'call' }>;

/** `x.matches(p)`: CEL's regular-expression test, the one shape that type-checks. */
export function isMatchesCall(node: CelNode): node is CallNode & { receiver: CelNode } {
  return node.type === 'call' && node.name === 'matches' && node.receiver !== undefined && node.args.length === 1;
}

/** Every `x.matches(p)` in the expression, outermost first. */
export function matchesCalls(ast: CelNode): (CallNode & { receiver: CelNode })[] {
  const found: (CallNode & { receiver: CelNode })[] = [];
  const visit = (node: CelNode): void => {
    if (isMatchesCall(node)) found.push(node);
    for (const child of childrenOf(node)) visit(child);
  };
  visit(ast);
  return found;
}

/** Past whitespace and `//` comments from `i`. */
function skipBlank(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (!text.startsWith('//', i)) return i;
    while (i < text.length && text[i] !== '\n') i++;
  }
}

/** Where `name` starts in `receiver.name(…)`, reading from the end of the receiver (closing parentheses allowed before the dot). */
function methodNameAt(text: string, receiverEnd: number, name: string): number | undefined {
  let i = skipBlank(text, receiverEnd);
  while (text[i] === ')') i = skipBlank(text, i + 1);
  if (text[i] !== '.') return undefined;
  i = skipBlank(text, i + 1);
  const after = text[i + name.length];
  return text.startsWith(name, i) && (after === undefined || !/\w/.test(after)) ? i : undefined;
}

function sameLiteral(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a.constructor !== b.constructor) return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  // An unsigned int literal: cel-js's UnsignedInt holds its value as a bigint.
  return 'value' in a && 'value' in b && a.value === b.value;
}

/** Whether `rewritten` is `original` with its `matches` calls renamed, and nothing else changed. */
function sameTreeRenamed(original: CelNode, rewritten: CelNode): boolean {
  if (original.type !== rewritten.type) return false;
  switch (original.type) {
    case 'literal':
      if (!sameLiteral(original.value, (rewritten as typeof original).value)) return false;
      break;
    case 'ident':
      if (original.name !== (rewritten as typeof original).name) return false;
      break;
    case 'select':
    case 'index': {
      const other = rewritten as typeof original;
      if (original.optional !== other.optional || (original.type === 'select' && original.field !== (other as typeof original).field)) return false;
      break;
    }
    case 'unary':
    case 'binary':
      if (original.operator !== (rewritten as typeof original).operator) return false;
      break;
    case 'call': {
      const other = rewritten as typeof original;
      const expected = isMatchesCall(original) ? RE2_MATCHES : original.name;
      if (other.name !== expected || (original.receiver === undefined) !== (other.receiver === undefined)) return false;
      break;
    }
    case 'other':
      if (original.op !== (rewritten as typeof original).op) return false;
      break;
    case 'conditional':
    case 'list':
    case 'map':
      break;
  }
  const a = childrenOf(original);
  const b = childrenOf(rewritten);
  return a.length === b.length && a.every((child, i) => sameTreeRenamed(child, b[i] as CelNode));
}

const mentionsMatches = (node: CelNode): boolean => (node.type === 'call' && node.name === 'matches') || childrenOf(node).some(mentionsMatches);

/** An expression as cel-js parsed it. */
type Parsed = ReturnType<Environment['parse']>;

/**
 * The expression as cel-js runs it, `matches` by RE2. `parsed`: the expression as written,
 * parsed by celEnvironment() (and type-checked, so every `matches` is `x.matches(p)`);
 * returned as it is when it has no `matches`.
 */
export function runnableByCel(expression: string, parsed: Parsed, ast: CelNode = celAst(parsed)): Parsed {
  const calls = matchesCalls(ast);
  if (calls.length === 0) {
    if (mentionsMatches(ast)) throw new Error(`matches() could not be prepared for RE2 in: ${expression}`);
    return parsed;
  }
  let text = expression;
  // From the last call back, so earlier offsets stay put.
  const offsets = calls.map((call) => methodNameAt(expression, call.receiver.end, 'matches'));
  for (const offset of [...offsets].sort((a, b) => (b ?? -1) - (a ?? -1))) {
    if (offset === undefined) break;
    text = `${text.slice(0, offset)}${RE2_MATCHES}${text.slice(offset + 'matches'.length)}`;
  }
  const program = celEnvironment().parse(text);
  const rewritten = celAst(program);
  if (offsets.includes(undefined) || mentionsMatches(rewritten) || !sameTreeRenamed(ast, rewritten)) {
    throw new Error(`matches() could not be prepared for RE2 in: ${expression}`);
  }
  return program;
}
