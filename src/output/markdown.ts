/**
 * Escaping for every Markdown zt writes (the audit summary, `zt diff -f markdown`, the
 * access review). Names, messages and ids come from the audited systems, from reports
 * and from rule files, so a resource named `evil|<img src=x onerror=alert(1)>` must show
 * as that text in a pull-request comment, not split a table, render HTML or become a link.
 *
 * The target is GitHub Flavored Markdown, also read raw on a terminal (`zt access-review`
 * and `zt diff -f markdown` write to stdout). Text made safe here:
 * - stays on its line and cannot drive a terminal: newlines, tabs and CR LF become a space,
 *   every other control character (ESC, C1, bidi overrides) U+FFFD (`terminalText`,
 *   text/terminal-text.ts, the one control-character escaper);
 * - keeps its backslashes: `\` is written `\\`, so no character after it is read as escaped;
 * - cannot split a table cell: `|` is written `\|` (shown as `|` outside tables too);
 * - cannot be HTML or an entity: `&`, `<` and `>` are written as entities (which also
 *   rules out `<scheme:…>` autolinks);
 * - cannot open or close a code span: a backtick becomes `'`;
 * - cannot form a link or an image: `](` is written `\](`, so no `[text](target)` closes;
 * - cannot carry a script or inline-data URL even where a link might form: `javascript:`,
 *   `vbscript:` and `data:` before a target have their colon written `&#58;` (shown as `:`).
 * Emphasis characters (`*`, `_`, `~`) are left alone: they change how text looks, never
 * what it links to or runs, and IAM actions such as `s3:*` read better unescaped.
 */

import { terminalText } from '../text/terminal-text.js';

/** URL schemes that run script or inline content when a link is followed. */
const DANGEROUS_SCHEME = /\b(javascript|vbscript|data):(?=\S)/gi;

/** Text from outside zt, inline in a paragraph, list item or heading, or as (part of) a table cell. */
export function markdownText(text: string): string {
  return terminalText(text)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, "'")
    .replace(/\]\(/g, '\\](')
    .replace(DANGEROUS_SCHEME, '$1&#58;')
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
  let body = terminalText(text);
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Markdown zt has built itself (a `<br>`-joined list of escaped items): `md` takes it as is. */
export class Markdown {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Marks text zt has already made safe Markdown, for `md`. */
export const trusted = (text: string): Markdown => new Markdown(text);

/**
 * A line of Markdown whose fixed parts are zt's own and whose every interpolated string is
 * outside text, escaped with `markdownText` — so a renderer built from `md` lines cannot
 * forget to escape a field. Numbers are written as they are, `trusted(…)` values as given.
 *
 *     md`| ${p.name} | ${p.plane} | ${count} |`
 */
export function md(strings: TemplateStringsArray, ...values: readonly (string | number | Markdown)[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += (typeof value === 'number' ? String(value) : value instanceof Markdown ? value.text : markdownText(value)) + (strings[i + 1] ?? '');
  });
  return out;
}
