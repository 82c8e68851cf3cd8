import { parseJsonWithPositions, type Position } from './json-positions.js';
import type { YamlDocument } from './yaml-documents.js';

/**
 * The lines of a workload's containers (and their env vars) in its manifest, so a finding
 * on one container points at that container (SARIF regions, the table's file:line). js-yaml
 * keeps no positions, so the block-style YAML that Helm, kustomize and `kubectl get -o yaml`
 * write is read by its indentation: every `containers:`, `initContainers:` and
 * `ephemeralContainers:` key, the entries of its sequence, each entry's `name:`, and within
 * an entry the entries of `env:`. Keys are the container name and `container/var` (names
 * are unique within a pod, and a var within its container); the column is the entry's `-`.
 * JSON (`kubectl get -o json`, compact or pretty) is parsed with positions instead, the
 * column being the entry's `{`. The items of a `List` are read one by one (two Deployments
 * of a List may both have a container `app`). Anything else (YAML flow style, a name given
 * twice) gives no line, and findings keep the document's (or the item's) line.
 */

/** Where each container and env var is: 1-based file lines and columns, keyed `name` and `name/var`. */
export interface ElementPositions {
  readonly lines: Readonly<Record<string, number>>;
  readonly columns: Readonly<Record<string, number>>;
}

const LIST_KEYS: ReadonlySet<string> = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Collects positions; a key given twice is dropped (its line would be a guess). */
class Positions {
  private readonly found = new Map<string, Position>();
  private readonly twice = new Set<string>();
  put(key: string, position: Position): void {
    if (this.found.has(key)) this.twice.add(key);
    else this.found.set(key, position);
  }
  result(): ElementPositions | undefined {
    for (const key of this.twice) this.found.delete(key);
    if (this.found.size === 0) return undefined;
    const sorted = [...this.found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { lines: Object.fromEntries(sorted.map(([k, p]) => [k, p.line])), columns: Object.fromEntries(sorted.map(([k, p]) => [k, p.column])) };
  }
}

const LIST_KEY = /^(\s*)(?:-\s+)?(containers|initContainers|ephemeralContainers):\s*(?:#.*)?$/;

interface Item {
  /** Index of the entry's `-` line. */
  readonly start: number;
  /** Index after the entry's last line. */
  readonly end: number;
  /** Column of the entry's keys (after `- `). */
  readonly column: number;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const isBlank = (line: string): boolean => line.trim() === '' || line.trimStart().startsWith('#');

/** The entries of the block sequence under the key at `keyIndex` (whose key starts at `keyColumn`), within [.., limit). */
function sequenceItems(lines: readonly string[], keyIndex: number, keyColumn: number, limit: number): Item[] {
  const starts: { index: number; column: number }[] = [];
  let dashColumn: number | undefined;
  let end = limit;
  for (let j = keyIndex + 1; j < limit; j++) {
    const line = lines[j] as string;
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    const dash = /^(\s*)-(\s+|$)/.exec(line);
    if (dash && (dashColumn === undefined ? indent >= keyColumn : indent === dashColumn)) {
      dashColumn ??= indent;
      starts.push({ index: j, column: indent + 1 + (dash[2] ?? '').length });
      continue;
    }
    if (dashColumn === undefined || indent <= dashColumn) {
      end = j;
      break;
    }
  }
  return starts.map((s, k) => ({ start: s.index, end: starts[k + 1]?.index ?? end, column: (dashColumn ?? 0) + 2 > s.column ? (dashColumn ?? 0) + 2 : s.column }));
}

/** A plain or quoted scalar, its comment dropped. */
function scalar(text: string): string | undefined {
  const value = text.trim();
  const quoted = /^(['"])(.*)\1\s*(?:#.*)?$/.exec(value);
  if (quoted) return quoted[2];
  const plain = value.replace(/\s+#.*$/, '').trim();
  return plain === '' || /^[[{&*!|>]/.test(plain) ? undefined : plain;
}

/** The value of `key:` among the entry's own keys (on its dash line or at its column). */
function keyValue(lines: readonly string[], item: Item, key: string): string | undefined {
  const pattern = new RegExp(`^${key}:(?:\\s+(.*))?$`);
  for (let j = item.start; j < item.end; j++) {
    const line = lines[j] as string;
    if (isBlank(line)) continue;
    const own = j === item.start ? line.slice(item.column) : indentOf(line) === item.column ? line.trimStart() : undefined;
    const match = own === undefined ? null : pattern.exec(own);
    if (match) return match[1] === undefined ? '' : scalar(match[1]);
  }
  return undefined;
}

/** Index of the entry's own `key:` line introducing a block, if any. */
function keyLine(lines: readonly string[], item: Item, key: string): number | undefined {
  for (let j = item.start; j < item.end; j++) {
    const line = lines[j] as string;
    const own = j === item.start ? line.slice(item.column) : indentOf(line) === item.column ? line.trimStart() : undefined;
    if (own !== undefined && new RegExp(`^${key}:\\s*(?:#.*)?$`).test(own)) return j;
  }
  return undefined;
}

/** Container and env var positions of one YAML document (or of one item's lines of a List). */
export function containerLines(doc: YamlDocument): ElementPositions | undefined {
  if (/^\s*[{[]/.test(doc.text)) return jsonContainerLines(doc, undefined)?.[0];
  return yamlContainerLines(doc.text, doc.firstLine);
}

/**
 * The same for each item of a List document: `itemLines` are the items' file lines (from
 * itemLines), the entry of item i undefined when nothing is found in it.
 */
export function listItemContainerLines(doc: YamlDocument, itemLines: readonly number[] | undefined, count: number): (ElementPositions | undefined)[] {
  if (/^\s*[{[]/.test(doc.text)) return jsonContainerLines(doc, count) ?? [];
  if (itemLines === undefined) return [];
  const lines = doc.text.split('\n');
  return itemLines.map((line, i) => {
    const from = line - doc.firstLine;
    const to = i + 1 < itemLines.length ? (itemLines[i + 1] as number) - doc.firstLine : itemsEnd(lines, from);
    return yamlContainerLines(lines.slice(from, to).join('\n'), line);
  });
}

/** Index after the last line of a top-level `items:` sequence whose last entry starts at `from`. */
function itemsEnd(lines: readonly string[], from: number): number {
  for (let j = from + 1; j < lines.length; j++) if (/^[^\s#-]/.test(lines[j] as string)) return j;
  return lines.length;
}

function yamlContainerLines(text: string, firstLine: number): ElementPositions | undefined {
  if (!/(?:containers|Containers):/.test(text)) return undefined;
  const lines = text.split('\n');
  const found = new Positions();
  const at = (index: number): Position => ({ line: firstLine + index, column: indentOf(lines[index] as string) + 1 });
  for (let i = 0; i < lines.length; i++) {
    const match = LIST_KEY.exec(lines[i] as string);
    if (!match) continue;
    const keyColumn = (lines[i] as string).indexOf(match[2] as string);
    for (const item of sequenceItems(lines, i, keyColumn, lines.length)) {
      const name = keyValue(lines, item, 'name');
      if (name === undefined || name === '') continue;
      found.put(name, at(item.start));
      const envAt = keyLine(lines, item, 'env');
      if (envAt === undefined) continue;
      for (const env of sequenceItems(lines, envAt, item.column, item.end)) {
        const varName = keyValue(lines, env, 'name');
        if (varName !== undefined && varName !== '') found.put(`${name}/${varName}`, at(env.start));
      }
    }
  }
  return found.result();
}

/**
 * JSON: the whole document (count undefined) or each of the `count` entries of its top-level
 * `items`, undefined when the text is not JSON this parser reads or the items do not match.
 */
function jsonContainerLines(doc: YamlDocument, count: number | undefined): (ElementPositions | undefined)[] | undefined {
  const parsed = parseJsonWithPositions(doc.text);
  if (parsed === undefined) return undefined;
  const { positions } = parsed;
  const fileAt = (object: object): Position | undefined => {
    const p = positions.get(object);
    return p === undefined ? undefined : { line: doc.firstLine + p.line - 1, column: p.column };
  };
  const collect = (root: unknown): ElementPositions | undefined => {
    const found = new Positions();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) {
        for (const v of value) visit(v);
        return;
      }
      if (typeof value !== 'object' || value === null) return;
      for (const [key, inner] of Object.entries(value)) {
        if (LIST_KEYS.has(key) && Array.isArray(inner)) {
          for (const container of inner) {
            const name = nameOf(container);
            const at = name === undefined ? undefined : fileAt(container as object);
            if (name === undefined || at === undefined) continue;
            found.put(name, at);
            const env = (container as Record<string, unknown>).env;
            for (const variable of Array.isArray(env) ? env : []) {
              const varName = nameOf(variable);
              const varAt = varName === undefined ? undefined : fileAt(variable as object);
              if (varName !== undefined && varAt !== undefined) found.put(`${name}/${varName}`, varAt);
            }
          }
        }
        visit(inner);
      }
    };
    visit(root);
    return found.result();
  };
  if (count === undefined) return [collect(parsed.value)];
  const items = typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as Record<string, unknown>).items : undefined;
  if (!Array.isArray(items) || items.length !== count) return undefined;
  return items.map(collect);
}

const nameOf = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const name = (value as Record<string, unknown>).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
};
