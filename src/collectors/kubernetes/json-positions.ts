/**
 * JSON parsed with the position of every object and array, for the container lines of a
 * `kubectl get -o json` export or any JSON manifest (JSON.parse keeps no positions). The
 * grammar is RFC 8259's; a text it refuses gives undefined, and the caller keeps the
 * document's line (the document itself was parsed by JSON.parse or js-yaml already).
 */

export interface Position {
  /** 1-based, within the parsed text. */
  readonly line: number;
  /** 1-based, in UTF-16 code units from the start of the line (as SARIF's default column kind). */
  readonly column: number;
}

export interface PositionedJson {
  readonly value: unknown;
  /** The opening `{` or `[` of each object and array of `value`. */
  readonly positions: WeakMap<object, Position>;
}

/** Deeper nesting than any manifest has: refused rather than risking the stack. */
const MAX_DEPTH = 512;

class Refused extends Error {}

export function parseJsonWithPositions(text: string): PositionedJson | undefined {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positionAt = (offset: number): Position => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] as number) + 1 };
  };
  const positions = new WeakMap<object, Position>();
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
  };
  const expect = (char: string): void => {
    if (text[at] !== char) throw new Refused();
    at++;
  };
  const string = (): string => {
    const start = at;
    expect('"');
    for (;;) {
      const c = text[at];
      if (c === undefined || c < ' ') throw new Refused();
      if (c === '"') break;
      at += c === '\\' ? 2 : 1;
    }
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const scalar = (): unknown => {
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(at, at + 400));
    if (!match) throw new Refused();
    at += match[0].length;
    return JSON.parse(match[0]) as unknown;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Refused();
    skipSpace();
    const c = text[at];
    if (c === '"') return string();
    if (c === '{') {
      const object: Record<string, unknown> = {};
      positions.set(object, positionAt(at));
      at++;
      skipSpace();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        skipSpace();
        const key = string();
        skipSpace();
        expect(':');
        // As JSON.parse: the last of a repeated key wins; `__proto__` is an own key.
        Object.defineProperty(object, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect('}');
        return object;
      }
    }
    if (c === '[') {
      const array: unknown[] = [];
      positions.set(array, positionAt(at));
      at++;
      skipSpace();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (;;) {
        array.push(value(depth + 1));
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        expect(']');
        return array;
      }
    }
    return scalar();
  };
  try {
    const parsed = value(0);
    skipSpace();
    return at === text.length ? { value: parsed, positions } : undefined;
  } catch (error) {
    if (error instanceof Refused || error instanceof SyntaxError) return undefined;
    throw error;
  }
}
