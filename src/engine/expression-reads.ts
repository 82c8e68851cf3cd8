import { childrenOf, type CelNode } from './cel-ast.js';

/**
 * The top-level fields of `resource` an expression reads (`resource.x…`, `has(resource.x)`),
 * or null when it uses `resource` any other way (`resource["x"]`, passing it whole), in
 * which case it needs every field. Lets the engine build a resource's view from only the
 * fields its kind's rules read, instead of converting every attribute.
 */
export function resourceFieldsRead(ast: CelNode): Set<string> | null {
  const fields = new Set<string>();
  let whole = false;
  const visit = (node: CelNode, parent: CelNode | undefined): void => {
    if (node.type === 'ident' && node.name === 'resource') {
      if (parent?.type === 'select' && parent.target === node) fields.add(parent.field);
      else whole = true;
      return;
    }
    for (const child of childrenOf(node)) visit(child, node);
  };
  visit(ast, undefined);
  return whole ? null : fields;
}

/** Whether the expression names the variable anywhere (a comprehension variable of that name counts too). */
export function mentionsVariable(ast: CelNode, name: string): boolean {
  return (ast.type === 'ident' && ast.name === name) || childrenOf(ast).some((child) => mentionsVariable(child, name));
}
