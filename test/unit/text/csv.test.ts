import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from '../../../src/text/csv.js';
import { yamlPathLines } from '../../../src/text/yaml-lines.js';

describe('parseCsv', () => {
  it('reads RFC 4180: quoted commas, doubled quotes, line breaks inside quotes, each record with the line it starts on', () => {
    const text = 'a,b,c\r\n"1,5","say ""hi""","two\r\nlines"\r\nx,,z\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1,5', 'say "hi"', 'two\r\nlines'] },
      { line: 4, cells: ['x', '', 'z'] },
    ]);
  });

  it('drops the BOM Excel writes, accepts LF and lone CR line ends, a missing final line end, and skips blank lines', () => {
    expect(parseCsv('\uFEFFa,b\nc,d\r\re,f')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['c', 'd'] },
      { line: 4, cells: ['e', 'f'] },
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('keeps a trailing empty cell and a lone quote inside an unquoted field', () => {
    expect(parseCsv('a,\r\nab"c,d')).toEqual([
      { line: 1, cells: ['a', ''] },
      { line: 2, cells: ['ab"c', 'd'] },
    ]);
  });

  it('counts lines inside quoted fields for every kind of line end, and reads a trailing comma at the very end as an empty cell', () => {
    expect(parseCsv('"a\rb","c\nd\r\ne"\r\nx,"",\r\n""\r\ny,')).toEqual([
      { line: 1, cells: ['a\rb', 'c\nd\r\ne'] },
      { line: 5, cells: ['x', '', ''] },
      { line: 7, cells: ['y', ''] },
    ]);
    // A lone quoted empty field is a blank line; a large file reads the same as a small one.
    expect(parseCsv('""')).toEqual([]);
    const big = Array.from({ length: 20_000 }, (_, i) => `r${i},"q""${i}",x`).join('\r\n');
    const rows = parseCsv(big);
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]).toEqual({ line: 20_000, cells: ['r19999', 'q"19999', 'x'] });
  });

  it.each([
    ['a never-closed quote, at the line it opens', 'a,b\r\nc,"open\r\nmore', 2, /never closed/],
    ['text after a closing quote', 'a,b\r\n"x"y,z', 2, /closing quote/],
    ['text after a closing quote on a later line of the field', 'a\r\n"x\ny"z', 3, /closing quote/],
  ])('refuses %s', (_what, text, line, message) => {
    try {
      parseCsv(text);
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).line).toBe(line);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('yamlPathLines', () => {
  it('gives the line of keys and sequence items by path, block and compact sequences alike', () => {
    const text = ['identity:', '  breakGlass: [a]', 'review:', '  # who reviews', '  reviewers:', '    - reviewer: a', '      plane: aws', '    - reviewer: b', '      namespace: shop', 'other:', '- x', '- y: 1', '  z: 2'].join('\n');
    expect(yamlPathLines(text)).toMatchObject({
      identity: 1,
      'identity.breakGlass': 2,
      'review.reviewers': 5,
      'review.reviewers[0]': 6,
      'review.reviewers[0].plane': 7,
      'review.reviewers[1]': 8,
      'review.reviewers[1].namespace': 9,
      'other[0]': 11,
      'other[1].y': 12,
      'other[1].z': 13,
    });
  });
});
