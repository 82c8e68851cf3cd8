import type { z } from 'zod';
import { childrenOf, type CelNode } from './cel-ast.js';
import { objectShape } from './schema-shape.js';

/** A reference to a field of `resource` that the kind does not have. */
export interface UnknownField {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly known: readonly string[];
}

/** `resource.a.b.c` as the list [a, b, c], or undefined when the chain does not start at `resource`. */
function selectChain(node: CelNode): string[] | undefined {
  const fields: string[] = [];
  let current = node;
  while (current.type === 'select') {
    fields.unshift(current.field);
    current = current.target;
  }
  return current.type === 'ident' && current.name === 'resource' && fields.length > 0 ? fields : undefined;
}

/**
 * Walks a parsed expression and checks every `resource.x.y` chain against the kind's
 * schema plus the derived fields. Lists, maps and untyped parts end the check (their
 * contents are reached through macros whose variables we do not type).
 */
export function findUnknownFields(ast: CelNode, schema: z.ZodType, derived: readonly string[]): UnknownField[] {
  const problems: UnknownField[] = [];
  const visit = (node: CelNode, isSelectTarget: boolean): void => {
    // Only the outermost select of a chain is checked (it covers the whole chain).
    if (node.type === 'select' && !isSelectTarget) {
      const fields = selectChain(node);
      const problem = fields && checkChain(fields, schema, derived);
      if (problem) problems.push({ ...problem, start: node.start, end: node.end });
    }
    for (const child of childrenOf(node)) visit(child, node.type === 'select');
  };
  visit(ast, false);
  return problems;
}

function checkChain(fields: readonly string[], schema: z.ZodType, derived: readonly string[]): Omit<UnknownField, 'start' | 'end'> | undefined {
  const [first] = fields;
  if (first !== undefined && derived.includes(first)) return undefined;
  let shape = objectShape(schema);
  for (let i = 0; i < fields.length && shape; i++) {
    const field = fields[i] as string;
    const next = Object.hasOwn(shape, field) ? shape[field] : undefined;
    if (!next) {
      const known = Object.keys(shape).concat(i === 0 ? derived : []);
      return { path: fields.slice(0, i + 1).join('.'), known: known.sort() };
    }
    shape = objectShape(next);
  }
  return undefined;
}
