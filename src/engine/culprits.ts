import type { Resource } from '../inventory/snapshot.js';
import type { FindingElement } from '../model/finding.js';
import { childrenOf, type CelNode } from './cel-ast.js';
import type { Program } from './program.js';
import { ResourceView, type DerivedParts, type FieldPlan } from './resource-view.js';

/**
 * Which named elements of a list field make a rule fail: the containers of a workload,
 * and within a failing container the env vars. A rule that judges a list only through
 * `resource.<field>.all(x, …)` fails because of some elements; which ones is found by
 * running the rule itself with the list cut down to each element alone (the `all` of a
 * one-element list is its predicate on that element; everything else the rule reads is
 * unchanged), after checking that the rule passes with the list empty (else the failure
 * is not the elements'). The same one level down: `x.<sub>.all(y, …)` inside the
 * predicate names the failing `<sub>` elements of a failing element. Nothing is inferred
 * from the rule's text beyond that shape, so the answer is the rule's own verdict.
 */

/** The lists a rule judges element by element: `resource.<field>`, and `<element>.<sub>` within. */
export interface CulpritPath {
  readonly field: string;
  readonly sub?: string;
}

const isSelectOf = (node: CelNode, ident: string): node is Extract<CelNode, { type: 'select' }> =>
  node.type === 'select' && node.target.type === 'ident' && node.target.name === ident;

/** Every `all` call whose receiver is `<ident>.<field>`, and whether `<ident>.<field>` appears anywhere else. */
function allCallsOver(roots: readonly CelNode[], ident: string, field: string): { calls: Extract<CelNode, { type: 'call' }>[]; elsewhere: boolean } {
  const calls: Extract<CelNode, { type: 'call' }>[] = [];
  let elsewhere = false;
  const visit = (node: CelNode, parent: CelNode | undefined): void => {
    if (isSelectOf(node, ident) && node.field === field) {
      if (parent?.type === 'call' && parent.name === 'all' && parent.receiver === node && parent.args.length === 2 && parent.args[0]?.type === 'ident') calls.push(parent);
      else elsewhere = true;
      return;
    }
    for (const child of childrenOf(node)) visit(child, node);
  };
  for (const root of roots) visit(root, undefined);
  return { calls, elsewhere };
}

/** The list fields `resource.<field>.all(…)` reads, in source order. */
function candidateFields(roots: readonly CelNode[], ident: string): string[] {
  const found: string[] = [];
  const visit = (node: CelNode, parent: CelNode | undefined): void => {
    if (isSelectOf(node, ident) && parent?.type === 'call' && parent.name === 'all' && parent.receiver === node && !found.includes(node.field)) found.push(node.field);
    for (const child of childrenOf(node)) visit(child, node);
  };
  for (const root of roots) visit(root, undefined);
  return found;
}

/**
 * The path a rule's failures can be traced along, or undefined. Only one list field per
 * level (a rule judging two lists is not traced), read only through `all`.
 */
export function culpritPath(when: CelNode | undefined, assert: CelNode): CulpritPath | undefined {
  const roots = when ? [when, assert] : [assert];
  const fields = candidateFields([assert], 'resource');
  if (fields.length !== 1) return undefined;
  const field = fields[0] as string;
  const { calls, elsewhere } = allCallsOver(roots, 'resource', field);
  if (elsewhere || calls.length === 0) return undefined;
  // One level down: the same shape over the element variable of every such call.
  let sub: string | undefined;
  for (const call of calls) {
    const variable = (call.args[0] as Extract<CelNode, { type: 'ident' }>).name;
    const predicate = call.args[1] as CelNode;
    const inner = candidateFields([predicate], variable);
    const candidate = inner.length === 1 && !allCallsOver([predicate], variable, inner[0] as string).elsewhere ? inner[0] : undefined;
    if (candidate === undefined || (sub !== undefined && sub !== candidate)) {
      sub = undefined;
      break;
    }
    sub = candidate;
  }
  return sub === undefined ? { field } : { field, sub };
}

/** How a finding's message names its elements, by the field they come from (singular, plural). */
const NOUNS: Readonly<Record<string, readonly [string, string]>> = { allContainers: ['container', 'containers'], containers: ['container', 'containers'], env: ['env var', 'env vars'] };

const noun = (field: string, count: number): string => (NOUNS[field] ?? [field, field])[count === 1 ? 0 : 1];

/** What the message gains: ` (containers "app", "init")`, or ` (container "app": env vars DB_PASSWORD, API_TOKEN)`. */
export function elementsText(elements: readonly FindingElement[]): string {
  const first = elements[0] as FindingElement;
  if (elements.every((e) => e.elements === undefined)) return ` (${noun(first.field, elements.length)} ${elements.map((e) => JSON.stringify(e.name)).join(', ')})`;
  const one = (e: FindingElement): string => {
    const inner = e.elements ?? [];
    const within = inner.length > 0 ? `: ${noun((inner[0] as FindingElement).field, inner.length)} ${inner.map((x) => x.name).join(', ')}` : '';
    return `${noun(e.field, 1)} ${JSON.stringify(e.name)}${within}`;
  };
  return ` (${elements.map(one).join('; ')})`;
}

const nameOf = (element: unknown): string | undefined => {
  if (typeof element !== 'object' || element === null) return undefined;
  const name = (element as Record<string, unknown>).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
};

/** The field's value as the rule sees it: a derived fact wins over the attribute. */
function valueOf(resource: Resource, derived: DerivedParts, field: string): unknown {
  for (let i = derived.length - 1; i >= 0; i--) {
    const part = derived[i] as Readonly<Record<string, unknown>>;
    if (Object.hasOwn(part, field)) return part[field];
  }
  return resource.attributes[field];
}

export interface CulpritContext {
  readonly program: Program;
  readonly path: CulpritPath;
  readonly now: Date;
  readonly plan: FieldPlan | null;
}

/**
 * The named elements a failing rule fails on, or undefined when the failure cannot be put
 * on elements (it fails with the list empty, an element is unnamed, or cutting the list
 * changes nothing). `lines`: the elements' manifest lines, keyed `name` and `name/sub`.
 */
export function findCulprits(context: CulpritContext, resource: Resource, derived: DerivedParts): FindingElement[] | undefined {
  const { path } = context;
  const list = valueOf(resource, derived, path.field);
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const fails = (value: readonly unknown[]): boolean => {
    const override = { [path.field]: value };
    const view = new ResourceView({ ...resource, attributes: { ...resource.attributes, ...override } }, [...derived, override], context.now, context.plan);
    return context.program.evaluate(view).status === 'fail';
  };
  if (fails([])) return undefined;
  const lines = resource.provenance.elementLines;
  const columns = resource.provenance.elementColumns;
  const out: FindingElement[] = [];
  for (const element of list) {
    const name = nameOf(element);
    if (name === undefined) return undefined;
    if (!fails([element])) continue;
    out.push(withLine({ field: path.field, name, ...subCulprits(element as Record<string, unknown>, name, path, fails, lines, columns) }, lines?.[name], columns?.[name]));
  }
  return out.length > 0 ? out : undefined;
}

function withLine(element: FindingElement, line: number | undefined, column: number | undefined): FindingElement {
  if (line === undefined) return element;
  return column === undefined ? { ...element, line } : { ...element, line, column };
}

/** The failing `sub` elements of one failing element, when they are all named. */
function subCulprits(
  element: Record<string, unknown>,
  name: string,
  path: CulpritPath,
  fails: (value: readonly unknown[]) => boolean,
  lines: Readonly<Record<string, number>> | undefined,
  columns: Readonly<Record<string, number>> | undefined,
): { elements?: FindingElement[] } {
  const sub = path.sub;
  if (sub === undefined) return {};
  const items = element[sub];
  if (!Array.isArray(items) || items.length === 0 || items.some((i) => nameOf(i) === undefined)) return {};
  if (fails([{ ...element, [sub]: [] }])) return {};
  const found = items
    .filter((item) => fails([{ ...element, [sub]: [item] }]))
    .map((item) => {
      const itemName = nameOf(item) as string;
      return withLine({ field: sub, name: itemName }, lines?.[`${name}/${itemName}`], columns?.[`${name}/${itemName}`]);
    });
  return found.length > 0 ? { elements: found } : {};
}
