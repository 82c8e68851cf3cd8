import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isZtError } from '../../../src/errors/zt-error.js';
import { checkJsonShape, jsonValuePosition } from '../../../src/text/json-shape.js';

const text = `{
  "a": "x\\"}]",
  "list": [
    { "b": 1 },
    { "b": [1, 2, {"c": true}], "d": "two" }
  ],
  "e": null
}`;

describe('jsonValuePosition: where a path starts in a JSON text', () => {
  it.each<[(string | number)[], number | undefined, string | undefined]>([
    [[], 1, '{'],
    [['a'], 2, '"x\\"}]"'],
    [['list'], 3, '['],
    [['list', 0, 'b'], 4, '1 }'],
    [['list', 1, 'b', 2, 'c'], 5, 'true}'],
    [['list', 1, 'd'], 5, '"two"'],
    [['e'], 7, 'null'],
    [['missing'], undefined, undefined],
    [['list', 2], undefined, undefined],
    [['a', 'x'], undefined, undefined],
  ])('%j', (path, line, starts) => {
    const position = jsonValuePosition(text, path);
    if (line === undefined) return expect(position).toBeUndefined();
    expect(position?.line).toBe(line);
    expect(text.split('\n')[line - 1]!.slice(position!.column - 1)).toMatch(new RegExp(`^${starts!.replace(/[\\[\]{}"]/g, (c) => `\\${c}`)}`));
  });

  it('a byte-order mark does not move the position', () => {
    expect(jsonValuePosition(`\uFEFF${text}`, ['list', 1, 'd'])).toEqual(jsonValuePosition(text, ['list', 1, 'd']));
  });
});

describe('checkJsonShape', () => {
  const schema = z.object({ list: z.array(z.object({ b: z.number(), d: z.string().optional() })) });

  it('returns the value when it fits', () => {
    expect(checkJsonShape(schema, { list: [{ b: 1 }] }, { text: '{"list":[{"b":1}]}', file: 'f.json' }, { code: 'ZT_EXPORT_INVALID' })).toEqual({ list: [{ b: 1 }] });
  });

  it('names the file, the line and column of the value, and its JSON path; counts the other problems', () => {
    let caught: unknown;
    try {
      checkJsonShape(schema, JSON.parse(text), { text, file: 'f.json' }, { code: 'ZT_EXPORT_INVALID' });
    } catch (error) {
      caught = error;
    }
    expect(isZtError(caught)).toBe(true);
    const error = caught as { code: string; message: string; location: unknown };
    expect(error.code).toBe('ZT_EXPORT_INVALID');
    expect(error.message).toMatch(/^list\[1\]\.b: .*expected number.*$/);
    expect(error.location).toEqual({ file: 'f.json', line: 5, column: 12, path: 'list[1].b' });
  });

  it('a missing field points at the object that lacks it', () => {
    const missing = '{\n  "list": [\n    { "d": "x" }\n  ]\n}';
    expect(() => checkJsonShape(schema, JSON.parse(missing), { text: missing, file: 'm.json' }, { code: 'ZT_EXPORT_INVALID' })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^list\[0\]\.b: /), location: { file: 'm.json', line: 3, column: 5, path: 'list[0].b' } }),
    );
  });
});
