/** Plain-text tables for terminals: display width, wrapping (identifiers at their separators), column fitting, box drawing. */
import { displayWidth, graphemesOf, stripAnsi, widthOfGrapheme } from '../text/display-width.js';

export { stripAnsi };

/** Columns a string takes on a terminal (display width: CJK and emoji count two, colours none). */
export function visibleLength(text: string): number {
  // Glued spaces (keep()) are spaces on the terminal.
  return displayWidth(text.replaceAll(GLUE, ' '));
}

const GLUE = '\u0000';

/** Marks text that wrap() must keep on one line (its spaces do not break). */
export function keep(text: string): string {
  return text.replaceAll(' ', GLUE);
}

/** Where an identifier may break: after a separator, so `token.actions.githubusercontent.com` wraps at its dots. */
const BREAK_AFTER = new Set(['.', '/', ':', '-', '_', '@', ',', '=', '>', '|']);

/**
 * Splits a plain word longer than `width` columns into pieces that fit, each ending after a
 * separator when one falls past the first quarter of the line, else at the width (never inside a
 * character). Coloured words are left whole (zt colours only short words).
 */
function splitWord(word: string, width: number): string[] {
  if (visibleLength(word) <= width || word !== stripAnsi(word)) return [word];
  const pieces: string[] = [];
  let current: string[] = [];
  let currentWidth = 0;
  let lastBreak = -1;
  for (const grapheme of graphemesOf(word)) {
    const w = widthOfGrapheme(grapheme);
    if (currentWidth + w > width && current.length > 0) {
      const cut = lastBreak >= Math.floor(current.length / 4) ? lastBreak + 1 : current.length;
      pieces.push(current.slice(0, cut).join(''));
      current = current.slice(cut);
      currentWidth = current.reduce((sum, g) => sum + widthOfGrapheme(g), 0);
      lastBreak = -1;
      current.forEach((g, i) => {
        if (BREAK_AFTER.has(g)) lastBreak = i;
      });
    }
    current.push(grapheme);
    currentWidth += w;
    if (BREAK_AFTER.has(grapheme)) lastBreak = current.length - 1;
  }
  if (current.length > 0) pieces.push(current.join(''));
  return pieces;
}

/**
 * Wraps text to `width` columns on spaces. The first line starts with `indent`, the
 * following ones with `hanging` (defaults to `indent`). Words longer than a line are cut.
 * Coloured words are measured by their visible text and never cut.
 */
export function wrap(text: string, width: number, indent = '', hanging = indent): string[] {
  const lines: string[] = [];
  let current = indent;
  let currentLength = visibleLength(indent);
  let empty = true;
  for (const rawWord of text.split(/\s+/).filter((w) => w.length > 0)) {
    const prefixLength = visibleLength(lines.length === 0 && empty ? indent : hanging);
    for (const word of splitWord(rawWord, Math.max(1, width - prefixLength))) {
      const length = visibleLength(word);
      if (!empty && currentLength + 1 + length > width) {
        lines.push(current);
        current = hanging;
        currentLength = visibleLength(hanging);
        empty = true;
      }
      current += empty ? word : ` ${word}`;
      currentLength += empty ? length : length + 1;
      empty = false;
    }
  }
  if (!empty || lines.length === 0) lines.push(current.trimEnd());
  return lines.map((line) => line.replaceAll(GLUE, ' '));
}

/**
 * Column widths (padding included) that fit `available` columns of cell space: each
 * column gets its natural width, then the widest shrinkable columns give way, never
 * below their minimum. The result may still exceed `available` when the minimums do.
 */
export function fitColumns(natural: readonly number[], minimum: readonly number[], available: number): number[] {
  const widths = natural.map((n, i) => Math.max(n, minimum[i] ?? 0));
  let excess = widths.reduce((a, b) => a + b, 0) - available;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      const w = widths[i] ?? 0;
      if (w > (minimum[i] ?? 0) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    }
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    excess--;
  }
  return widths;
}

/** The widest line of a possibly multi-line cell text. */
export function cellWidth(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleLength));
}

/**
 * A cell's text wrapped to `width` columns (each of its lines on its own): identifiers wrap
 * at their separators instead of being cut.
 */
export function wrapCell(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => (line.trim() === '' ? [''] : wrap(line, Math.max(1, width))))
    .join('\n');
}

/**
 * A table laid out for `width` columns: each column's width (padding included) from its
 * widest cell, narrowed from the widest down to its minimum, and every cell wrapped to it.
 * Borders take `columns + 1`.
 */
export function layoutTable(head: readonly string[], rows: readonly (readonly string[])[], minimum: readonly number[], width: number): { widths: number[]; rows: string[][] } {
  const natural = head.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))) + 2);
  const widths = fitColumns(natural, minimum, width - (head.length + 1));
  return { widths, rows: rows.map((row) => row.map((cell, i) => wrapCell(cell, (widths[i] ?? 3) - 2))) };
}

/**
 * Draws a box table of cells already wrapped to their columns (layoutTable, wrapCell): a
 * space of padding each side, `├─┼─┤` under the header, and between body rows when
 * `rowRules`. Drawn here rather than by cli-table3, which measured every cell again on every
 * line it drew (seconds for a few hundred findings) and cut what it judged too wide with "…".
 */
export function drawTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  widths: readonly number[],
  options: { readonly aligns?: readonly ('left' | 'right')[]; readonly rowRules: boolean },
): string[] {
  const rule = (left: string, mid: string, right: string) => `${left}${widths.map((w) => '─'.repeat(w)).join(mid)}${right}`;
  const rowLines = (cells: readonly string[]): string[] => {
    const split = widths.map((_, i) => (cells[i] ?? '').split('\n'));
    const height = Math.max(1, ...split.map((lines) => lines.length));
    const out: string[] = [];
    for (let line = 0; line < height; line++) {
      const parts = widths.map((w, i) => {
        const text = split[i]?.[line] ?? '';
        const pad = ' '.repeat(Math.max(0, w - 2 - visibleLength(text)));
        return options.aligns?.[i] === 'right' ? ` ${pad}${text} ` : ` ${text}${pad} `;
      });
      out.push(`│${parts.join('│')}│`);
    }
    return out;
  };
  const lines = [rule('┌', '┬', '┐'), ...rowLines(head), rule('├', '┼', '┤')];
  rows.forEach((row, i) => {
    if (i > 0 && options.rowRules) lines.push(rule('├', '┼', '┤'));
    lines.push(...rowLines(row));
  });
  lines.push(rule('└', '┴', '┘'));
  return lines;
}

/**
 * A box table fitted to `width` terminal columns (at least 60): layoutTable, then drawTable.
 * Cells must already be safe for a terminal (text/terminal-text.ts).
 */
export function fittedTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  minimum: readonly number[],
  width: number,
  options: { readonly aligns?: readonly ('left' | 'right')[]; readonly rowRules?: boolean } = {},
): string[] {
  // A header is never broken: its column is at least as wide as it.
  const floor = head.map((h, i) => Math.max(minimum[i] ?? 0, cellWidth(h) + 2));
  const layout = layoutTable(head, rows, floor, Math.max(60, width));
  return drawTable(head, layout.rows, layout.widths, { ...(options.aligns ? { aligns: options.aligns } : {}), rowRules: options.rowRules ?? false });
}
