import type { ErrorCode } from '../errors/catalog.js';
import { ZtError } from '../errors/zt-error.js';

/**
 * The text without a leading UTF-8 byte-order mark. Editors on Windows write one; JSON.parse
 * refuses it, while zt's YAML and CSV readers accept it, so every JSON reader drops it first.
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Where JSON.parse stopped. V8 gives "position N" for most errors; for an unexpected
 * token it quotes a few characters instead, which we find in the text.
 */
function jsonErrorOffset(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return Number(position[1]);
  // V8 quotes up to 10 characters either side of the bad token, with "..." where it cut.
  const quoted = /(\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  const context = quoted?.[2];
  if (!context) return undefined;
  const start = text.indexOf(context);
  if (start < 0) return undefined;
  if (quoted[1]) return start + 10;
  const token = /Unexpected token '([\s\S])'/.exec(message)?.[1];
  const inContext = token === undefined ? -1 : context.indexOf(token);
  return start + Math.max(0, inContext);
}

/**
 * JSON.parse with a catalogue error naming the file and line where parsing stopped
 * (never the content: a wrong file may hold secrets).
 */
export function parseJsonText(text: string, file: string, code: ErrorCode): unknown {
  try {
    return JSON.parse(withoutBom(text));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(text, message);
    const line = offset === undefined ? undefined : lineOf(text, offset);
    const reason = message.split(/,\s*(?:\.\.\.)?"|\s+in JSON at| is not valid JSON/)[0]?.replace(/\s+/g, ' ').trim();
    throw new ZtError(code, `${file}${line ? `:${line}` : ''} is not valid JSON (${reason || 'syntax error'})`, {
      location: line === undefined ? { file } : { file, line },
    });
  }
}
