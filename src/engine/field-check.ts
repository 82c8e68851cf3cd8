import type { z } from 'zod';

/** A reference to a field of `resource` that the kind does not have. */
export interface UnknownField {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly known: readonly string[];
}

interface AstNode {
  readonly op: string;
  readonly args: unknown;
  readonly start?: number;
  readonly end?: number;
}

const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && 'op' in value && 'args' in value;

type SchemaDef = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType };
const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Unwraps nullable/optional/default so the object shape underneath can be read. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if ((def.type === 'nullable' || def.type === 'optional' || def.type === 'default') && def.innerType) {
      current = def.innerType;
    } else return current;
  }
}

/** `resource.a.b.c` as the list [a, b, c] with the node of the outermost select, or undefined. */
function selectChain(node: AstNode): { fields: string[]; node: AstNode } | undefined {
  const fields: string[] = [];
  let current: AstNode = node;
  while (current.op === '.' || current.op === '.?') {
    const [target, field] = current.args as [unknown, unknown];
    if (!isNode(target) || typeof field !== 'string') return undefined;
    fields.unshift(field);
    current = target;
  }
  return current.op === 'id' && current.args === 'resource' && fields.length > 0 ? { fields, node } : undefined;
}

/**
 * Walks a parsed expression and checks every `resource.x.y` chain against the kind's
 * schema plus the derived fields. Lists, maps and untyped parts end the check (their
 * contents are reached through macros whose variables we do not type).
 */
export function findUnknownFields(ast: unknown, schema: z.ZodType, derived: readonly string[]): UnknownField[] {
  const problems: UnknownField[] = [];
  const visit = (value: unknown, parentIsSelect: boolean): void => {
    if (Array.isArray(value)) {
      value.forEach((v) => visit(v, false));
      return;
    }
    if (!isNode(value)) return;
    const isSelect = value.op === '.' || value.op === '.?';
    if (isSelect && !parentIsSelect) {
      const chain = selectChain(value);
      if (chain) {
        const problem = checkChain(chain.fields, schema, derived);
        if (problem) problems.push({ ...problem, start: value.start ?? 0, end: value.end ?? 0 });
      }
    }
    // Unary operators (`!resource.x`) hold their operand directly, not in a list.
    if (Array.isArray(value.args)) value.args.forEach((arg, i) => visit(arg, isSelect && i === 0));
    else visit(value.args, false);
  };
  visit(ast, false);
  return problems;
}

function checkChain(
  fields: readonly string[],
  schema: z.ZodType,
  derived: readonly string[],
): Omit<UnknownField, 'start' | 'end'> | undefined {
  const [first] = fields;
  if (first !== undefined && derived.includes(first)) return undefined;
  let current = unwrap(schema);
  for (let i = 0; i < fields.length; i++) {
    const def = defOf(current);
    if (def.type !== 'object' || !def.shape) return undefined;
    const field = fields[i] as string;
    const next = def.shape[field];
    if (!next) {
      const known = Object.keys(def.shape).concat(i === 0 ? derived : []);
      return { path: fields.slice(0, i + 1).join('.'), known: known.sort() };
    }
    current = unwrap(next);
  }
  return undefined;
}

/**
 * The top-level fields of `resource` an expression reads (`resource.x…`, `has(resource.x)`),
 * or null when it uses `resource` any other way (`resource["x"]`, passing it whole), in
 * which case it needs every field. Lets the engine build a resource's CEL view from only
 * the fields its kind's rules read, instead of converting every attribute.
 */
export function resourceFieldsRead(ast: unknown): Set<string> | null {
  const fields = new Set<string>();
  let whole = false;
  const visit = (value: unknown, parent: AstNode | undefined, index: number): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, undefined, -1);
      return;
    }
    if (!isNode(value)) return;
    if (value.op === 'id' && value.args === 'resource') {
      const field = parent && (parent.op === '.' || parent.op === '.?') && index === 0 ? (parent.args as unknown[])[1] : undefined;
      if (typeof field === 'string') fields.add(field);
      else whole = true;
      return;
    }
    // Unary operators hold their operand directly, not in a list.
    if (Array.isArray(value.args)) value.args.forEach((arg, i) => visit(arg, value, i));
    else visit(value.args, value, 0);
  };
  visit(ast, undefined, -1);
  return whole ? null : fields;
}

/** Whether the expression names the variable anywhere (a comprehension variable of that name counts too). */
export function mentionsVariable(ast: unknown, name: string): boolean {
  const visit = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(visit);
    if (!isNode(value)) return false;
    if (value.op === 'id' && value.args === name) return true;
    return visit(value.args);
  };
  return visit(ast);
}
