import type { z } from 'zod';
import type { ErrorCode } from '../errors/catalog.js';
import { ZtError } from '../errors/zt-error.js';
import { withoutBom } from './json-text.js';
import { formatZodPath } from './zod-problems.js';

/**
 * Checking a user's JSON file (an export, a report) against the shape zt reads, before
 * anything reads it: a value of the wrong type is exit 2 naming the file, the line and
 * column of the value and its JSON path — never a crash or a silently dropped object later.
 */

export interface JsonSource {
  /** The file's text as read (a leading byte-order mark is allowed). */
  readonly text: string;
  /** The file as the user named it. */
  readonly file: string;
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/**
 * Line and column (1-based) where the value at `path` starts in a JSON text that parses;
 * undefined when the path is not in it (a missing field: the caller points at its parent).
 * One pass over the text up to the value, no second parse.
 */
export function jsonValuePosition(source: string, path: readonly PropertyKey[]): { line: number; column: number } | undefined {
  const text = withoutBom(source);
  let i = 0;
  const skipWhitespace = (): void => {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  };
  const skipString = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const readKey = (): string => {
    const start = i;
    skipString();
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    skipWhitespace();
    const first = text[i];
    if (first === '"') return skipString();
    if (first !== '{' && first !== '[') {
      while (i < text.length && !WHITESPACE.has(text[i] as string) && text[i] !== ',' && text[i] !== '}' && text[i] !== ']') i++;
      return;
    }
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        skipString();
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      i++;
      if (depth === 0) return;
    }
  };
  for (const part of path) {
    skipWhitespace();
    if (text[i] === '{' && typeof part === 'string') {
      i++;
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') return undefined;
        const key = readKey();
        skipWhitespace();
        i++; // the colon
        if (key === part) break;
        skipValue();
        skipWhitespace();
        if (text[i] !== ',') return undefined;
        i++;
      }
    } else if (text[i] === '[' && typeof part === 'number') {
      i++;
      for (let index = 0; index < part; index++) {
        skipWhitespace();
        if (text[i] === ']') return undefined;
        skipValue();
        skipWhitespace();
        if (text[i] !== ',') return undefined;
        i++;
      }
      skipWhitespace();
      if (text[i] === ']') return undefined;
    } else return undefined;
  }
  skipWhitespace();
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < i && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: i - lineStart + 1 };
}

/** The value a problem is about: the deepest part of its path present in the text. */
function positionOf(text: string, path: readonly PropertyKey[]): { line: number; column: number } | undefined {
  for (let length = path.length; length >= 0; length--) {
    const position = jsonValuePosition(text, path.slice(0, length));
    if (position) return position;
  }
  return undefined;
}

export interface ShapeCheckOptions {
  /** The catalogue code of the failure (exit 2 codes: ZT_AWS_EXPORT_INVALID, ZT_EXPORT_INVALID, ZT_REPORT_INVALID). */
  readonly code: ErrorCode;
  /** Replaces the code's catalogue hint. */
  readonly hint?: string;
}

/**
 * The value as the schema reads it, or a ZtError naming the file, the line and column and
 * the JSON path of the first value that does not fit (and how many more there are). The
 * message says what was expected, never the value found (a wrong file may hold secrets).
 */
export function checkJsonShape<S extends z.ZodType>(schema: S, value: unknown, source: JsonSource, options: ShapeCheckOptions): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const [first, ...rest] = parsed.error.issues;
  const path = first?.path ?? [];
  const shown = formatZodPath(path) || '(the top level)';
  const position = positionOf(source.text, path);
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  throw new ZtError(options.code, `${shown}: ${first?.message ?? 'unexpected value'}${more}`, {
    location: { file: source.file, ...(position ?? {}), path: shown },
    ...(options.hint !== undefined ? { hint: options.hint } : {}),
  });
}
