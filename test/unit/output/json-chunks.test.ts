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

  it('splits a large array into chunks of about a megabyte, joined to the same bytes', () => {
    const findings = Array.from({ length: 20_000 }, (_, i) => ({ id: `resource-${i}`, message: 'x'.repeat(100), tags: [i, { n: i }] }));
    const report = { schemaVersion: 1, findings };
    const chunks = [...prettyJsonChunks(report, { space: 2, streamDepth: 2 })];
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeLessThan(2 ** 20 + 1000);
    expect(chunks.join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
});
