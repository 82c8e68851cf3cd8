/**
 * The one reader of cel-js's parsed expressions. cel-js does not document its AST
 * (`{op, args, start, end}`, with `args` shaped by `op`), so everything else in the
 * engine reads this typed copy instead: a cel-js upgrade that changes the AST is then
 * fixed here alone.
 */

/** Where a node is in its expression (character offsets), for error carets. */
interface Span {
  readonly start: number;
  readonly end: number;
}

export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | 'in' | '&&' | '||';

export type CelNode = Span &
  (
    | { readonly type: 'literal'; readonly value: unknown }
    | { readonly type: 'ident'; readonly name: string }
    /** `target.field`, or `target.?field` when optional. */
    | { readonly type: 'select'; readonly target: CelNode; readonly field: string; readonly optional: boolean }
    /** `target[index]`, or `target[?index]` when optional. */
    | { readonly type: 'index'; readonly target: CelNode; readonly index: CelNode; readonly optional: boolean }
    | { readonly type: 'unary'; readonly operator: '!' | '-'; readonly operand: CelNode }
    | { readonly type: 'binary'; readonly operator: BinaryOperator; readonly left: CelNode; readonly right: CelNode }
    | { readonly type: 'conditional'; readonly condition: CelNode; readonly then: CelNode; readonly otherwise: CelNode }
    | { readonly type: 'list'; readonly items: readonly CelNode[] }
    | { readonly type: 'map'; readonly entries: readonly (readonly [CelNode, CelNode])[] }
    /** `name(args)`, or `receiver.name(args)` (macros such as `has` and `all` included, unexpanded). */
    | { readonly type: 'call'; readonly name: string; readonly receiver: CelNode | undefined; readonly args: readonly CelNode[] }
    /** Anything else cel-js may produce: only its sub-expressions are known. */
    | { readonly type: 'other'; readonly op: string; readonly children: readonly CelNode[] }
  );

interface RawNode {
  readonly op: string;
  readonly args: unknown;
  readonly start?: number;
  readonly end?: number;
}

const isRaw = (value: unknown): value is RawNode => typeof value === 'object' && value !== null && 'op' in value && 'args' in value;

const BINARY = new Set<string>(['==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'in', '&&', '||']);

/** The sub-expressions anywhere in `args` (nested lists included), in order. */
function nodesIn(args: unknown): CelNode[] {
  if (Array.isArray(args)) return args.flatMap(nodesIn);
  return isRaw(args) ? [toNode(args)] : [];
}

function toNode(raw: RawNode): CelNode {
  const span = { start: raw.start ?? 0, end: raw.end ?? 0 };
  const { op, args } = raw;
  const list = Array.isArray(args) ? (args as unknown[]) : undefined;
  switch (op) {
    case 'value':
      return { ...span, type: 'literal', value: args };
    case 'id':
      if (typeof args === 'string') return { ...span, type: 'ident', name: args };
      break;
    case '.':
    case '.?':
      if (list && isRaw(list[0]) && typeof list[1] === 'string') {
        return { ...span, type: 'select', target: toNode(list[0]), field: list[1], optional: op === '.?' };
      }
      break;
    case '[]':
    case '[?]':
      if (list && isRaw(list[0]) && isRaw(list[1])) {
        return { ...span, type: 'index', target: toNode(list[0]), index: toNode(list[1]), optional: op === '[?]' };
      }
      break;
    case '!_':
    case '-_':
      if (isRaw(args)) return { ...span, type: 'unary', operator: op === '!_' ? '!' : '-', operand: toNode(args) };
      break;
    case '?:':
      if (list && list.length === 3 && list.every(isRaw)) {
        const [condition, then, otherwise] = list.map(toNode) as [CelNode, CelNode, CelNode];
        return { ...span, type: 'conditional', condition, then, otherwise };
      }
      break;
    case 'list':
      if (list && list.every(isRaw)) return { ...span, type: 'list', items: list.map(toNode) };
      break;
    case 'map':
      if (list && list.every((e) => Array.isArray(e) && e.length === 2 && isRaw(e[0]) && isRaw(e[1]))) {
        return { ...span, type: 'map', entries: (list as [RawNode, RawNode][]).map(([k, v]) => [toNode(k), toNode(v)] as const) };
      }
      break;
    case 'call':
      if (list && typeof list[0] === 'string' && Array.isArray(list[1]) && list[1].every(isRaw)) {
        return { ...span, type: 'call', name: list[0], receiver: undefined, args: list[1].map(toNode) };
      }
      break;
    case 'rcall':
      if (list && typeof list[0] === 'string' && isRaw(list[1]) && Array.isArray(list[2]) && list[2].every(isRaw)) {
        return { ...span, type: 'call', name: list[0], receiver: toNode(list[1]), args: list[2].map(toNode) };
      }
      break;
    default:
      if (BINARY.has(op) && list && list.length === 2 && isRaw(list[0]) && isRaw(list[1])) {
        return { ...span, type: 'binary', operator: op as BinaryOperator, left: toNode(list[0]), right: toNode(list[1]) };
      }
  }
  return { ...span, type: 'other', op, children: nodesIn(args) };
}

/** The typed tree of a program cel-js parsed (`env.parse(expression)`). */
export function celAst(program: { readonly ast: unknown }): CelNode {
  const { ast } = program;
  if (!isRaw(ast)) throw new TypeError('cel-js returned a program without an AST');
  return toNode(ast);
}

/** A node's sub-expressions, in source order. */
export function childrenOf(node: CelNode): readonly CelNode[] {
  switch (node.type) {
    case 'literal':
    case 'ident':
      return [];
    case 'select':
      return [node.target];
    case 'index':
      return [node.target, node.index];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'conditional':
      return [node.condition, node.then, node.otherwise];
    case 'list':
      return node.items;
    case 'map':
      return node.entries.flat();
    case 'call':
      return node.receiver ? [node.receiver, ...node.args] : node.args;
    case 'other':
      return node.children;
  }
}
