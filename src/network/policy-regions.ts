/**
 * The lines of one NetworkPolicy rule (`spec.ingress[2]`) in the manifest the policy was
 * read from, so SARIF can point a pull request's reviewer at the rule that opens a path.
 * The snapshot keeps the line each object starts on; the rule inside it is found by a scan
 * of the block-style YAML that `kubectl`, Helm and Kustomize write: the object's keys,
 * `spec:` among them, its `ingress:`/`egress:` list and that list's `- ` items by their
 * indentation. Anything else (flow style `ingress: [...]`, JSON) gives the key's line or
 * the object's own, never a guess past it.
 */

export interface LineRegion {
  readonly startLine: number;
  readonly endLine: number;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const isContent = (line: string | undefined): line is string => line !== undefined && line.trim() !== '' && !line.trimStart().startsWith('#');
const isMarker = (line: string): boolean => /^(---|\.\.\.)(\s|$)/.test(line);

/** Column of the object's keys on its first line: after `- ` for an item of a List. */
function keyColumn(line: string): number {
  const item = /^(\s*-\s+)/.exec(line);
  return item?.[1] ? item[1].length : indentOf(line);
}

/** Last content line of the block that starts at `from` and holds the lines indented more than `indent` (and `- ` items at `indent` when `items`). */
function blockEnd(lines: readonly string[], from: number, end: number, indent: number, items = false): number {
  let last = from;
  for (let i = from + 1; i < end; i++) {
    const line = lines[i];
    if (!isContent(line)) continue;
    if (isMarker(line)) break;
    const at = indentOf(line);
    if (at < indent || (at === indent && !(items && line.trimStart().startsWith('-')))) break;
    last = i;
  }
  return last;
}

/** The key `name:` directly inside the block [from, end) whose keys sit at `column`; its line index and what follows the colon. */
function keyIn(lines: readonly string[], from: number, end: number, column: number, name: string, firstLineColumn?: number): { at: number; rest: string } | undefined {
  const pattern = new RegExp(`^${name}\\s*:(.*)$`);
  for (let i = from; i < end; i++) {
    const line = lines[i];
    if (!isContent(line)) continue;
    const col = i === from && firstLineColumn !== undefined ? firstLineColumn : indentOf(line);
    if (col !== column) continue;
    const m = pattern.exec(line.slice(col));
    if (m) return { at: i, rest: (m[1] ?? '').replace(/\s+#.*$/, '').trim() };
  }
  return undefined;
}

/**
 * Lines of `spec.<direction>[index]` of the object starting on `objectLine` (1-based) of
 * `text`; the `<direction>:` key's lines when its items cannot be told apart; the object's
 * first line when the key cannot be found.
 */
export function policyRuleRegion(text: string, objectLine: number, direction: 'ingress' | 'egress', index: number): LineRegion {
  const fallback = { startLine: objectLine, endLine: objectLine };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = objectLine - 1;
  const first = lines[start];
  if (!isContent(first)) return fallback;
  const column = keyColumn(first);
  const objectEnd = blockEnd(lines, start, lines.length, column - 1) + 1;
  const spec = keyIn(lines, start, objectEnd, column, 'spec', column);
  if (!spec || spec.rest !== '') return spec ? { startLine: spec.at + 1, endLine: spec.at + 1 } : fallback;
  const specEnd = blockEnd(lines, spec.at, objectEnd, column) + 1;
  const child = lines.slice(spec.at + 1, specEnd).find(isContent);
  if (child === undefined) return fallback;
  const key = keyIn(lines, spec.at + 1, specEnd, indentOf(child), direction);
  if (!key) return { startLine: spec.at + 1, endLine: spec.at + 1 };
  const keyIndent = indentOf(lines[key.at] as string);
  const keyEnd = blockEnd(lines, key.at, specEnd, keyIndent, true);
  const whole = { startLine: key.at + 1, endLine: Math.max(key.at, keyEnd) + 1 };
  if (key.rest !== '') return whole;
  // Block sequence: items are `- ` lines at one indentation (which may equal the key's).
  let itemIndent = -1;
  const items: number[] = [];
  for (let i = key.at + 1; i < specEnd; i++) {
    const line = lines[i];
    if (!isContent(line)) continue;
    const at = indentOf(line);
    if (itemIndent < 0) {
      if (!line.trimStart().startsWith('-') || at < keyIndent) break;
      itemIndent = at;
    }
    if (at < itemIndent || (at === itemIndent && !line.trimStart().startsWith('-'))) break;
    if (at === itemIndent) items.push(i);
  }
  const item = items[index];
  if (item === undefined) return whole;
  const next = items[index + 1];
  const last = next !== undefined ? lastContentBefore(lines, next, item) : blockEnd(lines, item, specEnd, itemIndent);
  return { startLine: item + 1, endLine: last + 1 };
}

function lastContentBefore(lines: readonly string[], next: number, floor: number): number {
  for (let i = next - 1; i > floor; i--) if (isContent(lines[i])) return i;
  return floor;
}
