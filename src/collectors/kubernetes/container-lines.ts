import type { YamlDocument } from './yaml-documents.js';

/**
 * The lines of a workload's containers (and their env vars) in its manifest, so a finding
 * on one container points at that container (SARIF regions, the table's file:line). js-yaml
 * keeps no positions, so the block-style YAML that Helm, kustomize and `kubectl get -o yaml`
 * write is read by its indentation: every `containers:`, `initContainers:` and
 * `ephemeralContainers:` key, the entries of its sequence, each entry's `name:`, and within
 * an entry the entries of `env:`. Keys are the container name and `container/var` (names
 * are unique within a pod, and a var within its container). Anything else (flow style,
 * JSON, a name given twice) gives no line, and findings keep the document's line.
 */

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

/** Container and env var lines of one YAML document, 1-based file lines; undefined when none are found. */
export function containerLines(doc: YamlDocument): Record<string, number> | undefined {
  if (!/(?:containers|Containers):/.test(doc.text)) return undefined;
  const lines = doc.text.split('\n');
  const found = new Map<string, number>();
  const twice = new Set<string>();
  const put = (key: string, index: number): void => {
    if (found.has(key)) twice.add(key);
    else found.set(key, doc.firstLine + index);
  };
  for (let i = 0; i < lines.length; i++) {
    const match = LIST_KEY.exec(lines[i] as string);
    if (!match) continue;
    const keyColumn = (lines[i] as string).indexOf(match[2] as string);
    for (const item of sequenceItems(lines, i, keyColumn, lines.length)) {
      const name = keyValue(lines, item, 'name');
      if (name === undefined || name === '') continue;
      put(name, item.start);
      const envAt = keyLine(lines, item, 'env');
      if (envAt === undefined) continue;
      for (const env of sequenceItems(lines, envAt, item.column, item.end)) {
        const varName = keyValue(lines, env, 'name');
        if (varName !== undefined && varName !== '') put(`${name}/${varName}`, env.start);
      }
    }
  }
  for (const key of twice) found.delete(key);
  return found.size > 0 ? Object.fromEntries([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : undefined;
}
