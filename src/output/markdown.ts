/**
 * Escaping for every Markdown zt writes (the audit summary, `zt diff -f markdown`, the
 * access review). Names, messages and ids come from the audited systems, from reports
 * and from rule files, so a resource named `evil|<img src=x onerror=alert(1)>` must show
 * as that text in a pull-request comment, not split a table, render HTML or become a link.
 *
 * The target is GitHub Flavored Markdown. Text made safe here:
 * - stays on its line: control characters (newlines, tabs, CR LF as one) become a space;
 * - keeps its backslashes: `\` is written `\\`, so no character after it is read as escaped;
 * - cannot split a table cell: `|` is written `\|` (shown as `|` outside tables too);
 * - cannot be HTML or an entity: `&`, `<` and `>` are written as entities (which also
 *   rules out `<scheme:…>` autolinks);
 * - cannot open or close a code span: a backtick becomes `'`;
 * - cannot form a link or an image: `](` is written `\](`, so no `[text](target)` closes.
 * Emphasis characters (`*`, `_`, `~`) are left alone: they change how text looks, never
 * what it links to or runs, and IAM actions such as `s3:*` read better unescaped.
 */

/** Text from outside zt, inline in a paragraph, list item or heading, or as (part of) a table cell. */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n|[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, "'")
    .replace(/\]\(/g, '\\](')
    .trim();
}

/** A table cell's content: `markdownText`, with `—` for an empty value so the cell is visibly empty. */
export function markdownCell(text: string, empty = ''): string {
  const escaped = markdownText(text);
  return escaped === '' ? empty : escaped;
}

/**
 * Text from outside zt as a code span (shown verbatim, in monospace). The fence is longer
 * than any run of backticks inside; a space pads text that starts or ends with a backtick.
 * In a table cell `|` is still written `\|`: GitHub splits cells before it reads code spans.
 */
export function markdownCode(text: string, options: { readonly inTable?: boolean } = {}): string {
  let body = text.replace(/\r\n|[\u0000-\u001f\u007f]/g, ' ');
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
