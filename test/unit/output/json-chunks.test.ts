import { describe, expect, it } from 'vitest';
import { prettyJson, prettyJsonChunks } from '../../../src/output/json-chunks.js';

// The chunked writer must give exactly JSON.stringify's bytes, whatever the shape.
const shapes: Record<string, unknown> = {
  scalars: { a: 1, b: 'two', c: true, d: null, e: -0.5 },
  empties: { a: [], b: {}, c: [[]], d: [{}], e: { f: {} } },
  omitted: { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s')], d: 1, e: Symbol('t') },
  allOmitted: { a: undefined },
  toJSON: { when: new Date(0), nested: { toJSON: () => ({ x: [1, 2] }) } },
  escapes: { 'quote"key': 'line\nbreak\t"quoted" \u2028 é ☃', back: '\\' },
  deep: { a: [{ b: [{ c: [1, { d: [2, [3, { e: 'f' }]] }] }] }] },
  topArray: [1, 'x', { y: [{}, []] }],
};

describe('prettyJsonChunks', () => {
  for (const [name, value] of Object.entries(shapes)) {
    for (const space of [1, 2]) {
      for (const streamDepth of [0, 1, 2, 3, 10]) {
        it(`${name}, space ${space}, streamDepth ${streamDepth}: same bytes as JSON.stringify`, () => {
          expect(prettyJson(value, { space, streamDepth })).toBe(`${JSON.stringify(value, null, space)}\n`);
        });
      }
    }
  }

  it('gives the same bytes for arrays longer than a batch, whatever their elements', () => {
    // Elements are stringified in batches of 64; toJSON must still see the index in the whole array.
    const indexed = { toJSON: (key: string) => `index ${key}` };
    const mixed = Array.from({ length: 300 }, (_, i) =>
      i % 97 === 0 ? undefined : i % 89 === 0 ? () => i : i === 150 ? indexed : i > 130 && i % 5 === 0 ? new Date(i) : { n: i, s: `é"${i}`, a: [i] },
    );
    const plain = Array.from({ length: 129 }, (_, i) => ({ n: i }));
    for (const value of [{ list: mixed }, { list: plain }, mixed, [plain]]) {
      for (const streamDepth of [1, 2, 3]) {
        expect(prettyJson(value, { space: 2, streamDepth })).toBe(`${JSON.stringify(value, null, 2)}\n`);
      }
    }
  });

  it('splits a large array into chunks of about a megabyte, joined to the same bytes', () => {
    const findings = Array.from({ length: 20_000 }, (_, i) => ({ id: `resource-${i}`, message: 'x'.repeat(100), tags: [i, { n: i }] }));
    const report = { schemaVersion: 1, findings };
    const chunks = [...prettyJsonChunks(report, { space: 2, streamDepth: 2 })];
    expect(chunks.length).toBeGreaterThan(2);
    // A chunk closes at the first batch of elements (64) that takes it past 1 MiB.
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeLessThan(2 ** 20 + 64 * 300);
    expect(chunks.join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
});
