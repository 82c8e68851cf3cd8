/**
 * `JSON.stringify(value, null, space) + '\n'` (space ≥ 1), byte for byte, as a sequence of chunks.
 *
 * Why: V8 builds one huge string slowly (a 100 MB report took 4.5 s as one string and
 * under 1 s in chunks) and holds it, and its copy on the way out, in memory at once.
 * Containers down to `streamDepth` are walked here; anything deeper is handed to
 * JSON.stringify whole, at its indentation (see `whole`).
 */

import { inChunks } from './chunks.js';

/** What JSON.stringify serialises for a value in an object: undefined means "omit the key". */
function jsonValue(key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  return value;
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** How the output is laid out: indent width, and how deep containers are walked here. */
export interface JsonLayout {
  /** Spaces per indent level (1 or more), as JSON.stringify's third argument. */
  readonly space: number;
  /**
   * Levels of containers walked before JSON.stringify takes over: deep enough to reach
   * the large arrays (findings at depth 1 of a report, SARIF results at depth 3).
   */
  readonly streamDepth: number;
}

/**
 * JSON.stringify's text for a value at nesting `level`, indented as it sits there. The
 * value is wrapped in `level` one-element arrays and the wrapper's text sliced off: that
 * is cheaper than stringifying at level 0 and re-indenting every line.
 */
function whole(value: unknown, level: number, space: number): string {
  if (level === 0) return JSON.stringify(value, null, space);
  let wrapped = value;
  for (let i = 0; i < level; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, space);
  // Each wrapper adds "[\n" + its inner indent before, and "\n" + its own indent + "]" after.
  const before = level * 2 + (space * level * (level + 1)) / 2;
  const after = level * 2 + (space * level * (level - 1)) / 2;
  return text.slice(before, text.length - after);
}

/**
 * Elements JSON.stringify is given at once: fewer calls than one per element, and each
 * batch's text (tens of kilobytes) stays under V8's large-object size, as larger strings
 * are each given fresh memory (page faults: 512 findings per batch made rendering a 100k
 * report 40% slower than 64).
 */
const LEAF_BATCH = 64;

const hasToJSON = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function';

/**
 * An array's elements, as its text without the closing bracket: "[" then each element on
 * its own line. A batch of elements is one JSON.stringify call whose brackets are cut off;
 * a batch holding a toJSON element goes element by element, as toJSON is given the
 * element's index in the whole array (in a batch it would see its index in the batch).
 */
function* leafElements(array: readonly unknown[], level: number, space: number): Generator<string> {
  const closing = level * space + 2; // "\n" + indent + "]"
  for (let start = 0; start < array.length; start += LEAF_BATCH) {
    const batch = array.slice(start, start + LEAF_BATCH);
    const opening = start === 0 ? '[' : ',';
    if (!batch.some(hasToJSON)) {
      const text = whole(batch, level, space);
      yield opening + text.slice(1, text.length - closing);
      continue;
    }
    const inner = ' '.repeat((level + 1) * space);
    for (let i = 0; i < batch.length; i++) {
      const element = jsonValue(String(start + i), batch[i]);
      const separator = `${start + i === 0 ? '[' : ','}\n${inner}`;
      yield separator + (isOmitted(element) ? 'null' : whole(element, level + 1, space));
    }
  }
}

function* pieces(value: unknown, level: number, layout: JsonLayout): Generator<string> {
  if (value === null || typeof value !== 'object' || level >= layout.streamDepth) {
    yield whole(value, level, layout.space);
    return;
  }
  const indent = ' '.repeat(level * layout.space);
  const inner = indent + ' '.repeat(layout.space);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    // Elements below the streamed levels (a report's findings): stringified in batches.
    if (level + 1 >= layout.streamDepth) {
      yield* leafElements(value, level, layout.space);
      yield `\n${indent}]`;
      return;
    }
    for (let i = 0; i < value.length; i++) {
      const separator = i === 0 ? `[\n${inner}` : `,\n${inner}`;
      const element = jsonValue(String(i), value[i]);
      if (isOmitted(element)) yield `${separator}null`;
      else {
        yield separator;
        yield* pieces(element, level + 1, layout);
      }
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const member = jsonValue(key, (value as Record<string, unknown>)[key]);
    if (isOmitted(member)) continue;
    yield first ? `{\n${inner}${JSON.stringify(key)}: ` : `,\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* pieces(member, level + 1, layout);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/**
 * The pretty-printed JSON of `value` plus a trailing newline, lazily, in chunks of about
 * 1 MB, so only one chunk need be in memory at a time.
 */
export function* prettyJsonChunks(value: unknown, layout: JsonLayout): Generator<string> {
  yield* inChunks(pieces(jsonValue('', value), 0, layout));
  yield '\n';
}

/** The whole text at once, for small outputs and for tests. */
export function prettyJson(value: unknown, layout: JsonLayout): string {
  return [...prettyJsonChunks(value, layout)].join('');
}
