/** Plain-text layout helpers for the table reporter: width measuring, wrapping, column fitting. */

// SGR sequences only: the table reporter emits nothing else.
const ansiPattern = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

/** Columns a string takes on a terminal (code points of its visible text). */
export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

const GLUE = '\u0000';

/** Marks text that wrap() must keep on one line (its spaces do not break). */
export function keep(text: string): string {
  return text.replaceAll(' ', GLUE);
}

/** Splits a plain word that is too long into pieces of at most `width` code points. */
function splitWord(word: string, width: number): string[] {
  if (visibleLength(word) <= width || word !== stripAnsi(word)) return [word];
  const chars = [...word];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += width) pieces.push(chars.slice(i, i + width).join(''));
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
