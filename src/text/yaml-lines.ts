/**
 * Lines of the keys and sequence items of a block-style YAML document, by path
 * (`review.reviewers[1].plane`), for error locations in hand-written configuration:
 * js-yaml keeps no positions. Indentation decides nesting; `- key: value` items are
 * numbered per sequence. Flow collections and multi-line scalars are not entered (their
 * lines fall back to the key that holds them through lineForPath).
 */
export function yamlPathLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  // indent: the column that ends the entry's scope (an item's is its dash column + 0.5).
  const stack: { indent: number; path: string }[] = [{ indent: -1, path: '' }];
  const counters = new Map<string, number>();
  const join = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);
  const top = (): { indent: number; path: string } => stack[stack.length - 1] as { indent: number; path: string };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (/^\s*(#|$)/.test(raw) || /^(---|\.\.\.)\s*$/.test(raw)) return;
    let indent = raw.length - raw.trimStart().length;
    let content = raw.trimStart();
    while (content.startsWith('- ') || content === '-') {
      while (top().indent > indent) stack.pop();
      const parent = top().path;
      const n = counters.get(parent) ?? 0;
      counters.set(parent, n + 1);
      const path = `${parent}[${n}]`;
      lines[path] ??= line;
      stack.push({ indent: indent + 0.5, path });
      const rest = content.slice(1);
      const pad = rest.length - rest.trimStart().length;
      indent += 1 + pad;
      content = rest.trimStart();
      if (content === '') return;
    }
    const key = /^("[^"]*"|'[^']*'|[^\s:#'"{[][^:#]*?)\s*:(\s|$)/.exec(content)?.[1];
    if (key === undefined) return;
    while (top().indent >= indent) stack.pop();
    const path = join(top().path, key.replace(/^["']|["']$/g, ''));
    lines[path] ??= line;
    stack.push({ indent, path });
  });
  return lines;
}
