import fc from 'fast-check';

/** A change to an input's text, with a description a failing case prints. */
export interface Mutation {
  readonly describe: string;
  apply(text: string): string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in a JSON document (the root included), in document order. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

function replaceAt(root: Json, path: (string | number)[], make: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return make(root) ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    const next = rest.length === 0 ? make(copy[head as number] as Json) : replaceAt(copy[head as number] as Json, rest, make);
    if (next === undefined) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  if (root !== null && typeof root === 'object') {
    const copy: { [key: string]: Json } = { ...root };
    const next = rest.length === 0 ? make(copy[head as string] as Json) : replaceAt(copy[head as string] as Json, rest, make);
    if (next === undefined) delete copy[head as string];
    else copy[head as string] = next;
    return copy;
  }
  return root;
}

/** Values of the kinds that break readers: other types, edge numbers, hostile text. */
const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e308, -0, '', ' ', '0', 'null', 'NaN', '2026-02-30T00:00:00Z', '\u001b[31mred', '../../etc/passwd', '*', [], {}, [null], { '': null }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

/**
 * A JSON mutation: at a path chosen by a fraction of the document's paths, the value is
 * replaced by an odd one or removed. Texts that do not parse as JSON are left to textMutation.
 */
export const jsonMutation: fc.Arbitrary<Mutation> = fc
  .tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.option(oddValue, { freq: 5 }))
  .map(([where, value]) => ({
    describe: `JSON: at path #${where.toFixed(4)} ${value === null ? 'removed' : `set to ${JSON.stringify(value)?.slice(0, 60)}`}`,
    apply(text: string): string {
      let root: Json;
      try {
        root = JSON.parse(text) as Json;
      } catch {
        return text;
      }
      const paths = pathsOf(root);
      const path = paths[Math.floor(where * paths.length)] ?? [];
      return JSON.stringify(replaceAt(root, path, () => (value === null ? undefined : value)), null, 2);
    },
  }));

/** A text mutation: cut short, bytes inserted, a line dropped, or the whole file noise. */
export const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((where) => ({
    describe: `text: cut at ${where.toFixed(4)}`,
    apply: (text: string) => text.slice(0, Math.floor(where * text.length)),
  })),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(': ', '- ', '{', '[', '"', '\t', '\n  ', '&a *a', '!!binary', '\u0000', '\ufeff', '---\n'))).map(([where, insert]) => ({
    describe: `text: ${JSON.stringify(insert)} inserted at ${where.toFixed(4)}`,
    apply: (text: string) => {
      const at = Math.floor(where * text.length);
      return text.slice(0, at) + insert + text.slice(at);
    },
  })),
  fc.double({ min: 0, max: 1, noNaN: true }).map((where) => ({
    describe: `text: line at ${where.toFixed(4)} dropped`,
    apply: (text: string) => {
      const lines = text.split('\n');
      lines.splice(Math.floor(where * lines.length), 1);
      return lines.join('\n');
    },
  })),
  fc.string({ maxLength: 200 }).map((noise) => ({ describe: `text: replaced by ${JSON.stringify(noise).slice(0, 80)}`, apply: () => noise })),
);
