/**
 * The one control-character escaper for text that may reach a terminal. Resource names,
 * messages, rule texts and server answers come from outside zt: a name holding
 * `ESC ] 52 ; c ; … BEL` writes the reader's clipboard, `ESC [ 2 J` clears the screen,
 * `ESC ] 0 ; … BEL` sets the window title, a lone CR or a bidi override makes a line show
 * something other than what it holds. None of that may reach a terminal from zt.
 *
 * What a terminal may act on instead of showing: the C0 controls (U+0000–U+001F, ESC
 * among them), DEL, the C1 controls (U+0080–U+009F: 8-bit CSI, OSC, DCS), and the Unicode
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
 *
 * - `terminalText(text)` is for one piece of outside text inside an output (a table cell,
 *   a Markdown line, a message): it stays on its line — CR LF, CR, LF and tab become a
 *   space — and every other control becomes U+FFFD, visibly.
 * - `terminalSafe(output)` is for a whole rendered output on its way out (cli: every text
 *   format on stdout, everything on stderr): line breaks and tabs are kept, and so are the
 *   SGR colour sequences (`ESC [ … m`) zt's own table writes; every other control becomes
 *   U+FFFD. Outside text has already been through `terminalText`, so this changes nothing
 *   a renderer got right, and catches whatever one forgot.
 *
 * JSON and SARIF escape control characters by their own syntax and are written as rendered.
 */

// Built from code points: the source holds no raw control or bidi characters.
const range = (from: number, to: number): string => `\\u${from.toString(16).padStart(4, '0')}-\\u${to.toString(16).padStart(4, '0')}`;
const CONTROLS = `${range(0x00, 0x1f)}${range(0x7f, 0x9f)}${range(0x202a, 0x202e)}${range(0x2066, 0x2069)}`;

const CONTROL = new RegExp(`\\r\\n|[${CONTROLS}]`, 'g');
/** In a whole output: zt's own SGR sequences and line structure pass, any other control is caught. */
const OUTPUT_CONTROL = new RegExp(`\\u001b\\[[0-9;]*m|\\r\\n|[${CONTROLS}]`, 'g');

export const REPLACEMENT = '\ufffd';

/** One piece of outside text, shown on its line: breaks and tabs become a space, other controls U+FFFD. */
export function terminalText(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\r\n' || c === '\n' || c === '\r' || c === '\t' ? ' ' : REPLACEMENT));
}

/** A whole rendered output: LF, CR LF, tab and SGR colour sequences kept, every other control U+FFFD. */
export function terminalSafe(output: string): string {
  return output.replace(OUTPUT_CONTROL, (c) => (c === '\n' || c === '\r\n' || c === '\t' || c.length > 1 ? c : REPLACEMENT));
}

/** A copy of a JSON-like value with every string (and key) through `terminalText`. */
export function terminalTexts<T>(value: T): T {
  if (typeof value === 'string') return terminalText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => terminalTexts(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [terminalText(k), terminalTexts(v)])) as T;
  }
  return value;
}
