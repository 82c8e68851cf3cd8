import { terminalSafe } from '../text/terminal-text.js';
import type { Io } from './io.js';

/**
 * The choke point between zt and a terminal. `run()` hands every command `terminalIo(io)`:
 * whatever is written to its stdout or stderr — a table, Markdown, CSV, a diff, rule
 * listings, help, errors, warnings, collection issues — passes `terminalSafe`
 * (text/terminal-text.ts), so no escape sequence, C1 control or bidi override from an
 * audited system, a report or a rule file reaches the terminal, whichever command wrote
 * it and whether or not its renderer escaped the field. Only formats that escape control
 * characters by their own syntax are written as rendered, through `writeOutput`.
 */

/** JSON and SARIF write every control character in a string as `\uXXXX`: nothing to guard, and their bytes are data. */
const selfEscaping: ReadonlySet<string> = new Set(['json', 'sarif']);

export function escapesItself(format: string): boolean {
  return selfEscaping.has(format);
}

/** The unguarded stdout behind each guarded Io, for the self-escaping formats. */
const rawStdout = new WeakMap<Io, (text: string) => void>();

/** `io` with stdout and stderr guarded by `terminalSafe`. */
export function terminalIo(io: Io): Io {
  const guarded: Io = { ...io, stdout: (text) => io.stdout(terminalSafe(text)), stderr: (text) => io.stderr(terminalSafe(text)) };
  rawStdout.set(guarded, rawStdout.get(io) ?? io.stdout);
  return guarded;
}

/**
 * How a rendered output in `format` is written (to stdout or a file, the same bytes):
 * `guard` is `terminalSafe` unless the format escapes itself; `stdout` writes its
 * already-guarded text without guarding it again.
 */
export function outputChannel(io: Io, format: string): { readonly guard: (text: string) => string; readonly stdout: (text: string) => void } {
  return { guard: escapesItself(format) ? (text) => text : terminalSafe, stdout: rawStdout.get(io) ?? io.stdout };
}
