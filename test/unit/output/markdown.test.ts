import { describe, expect, it } from 'vitest';
import { markdownCode, markdownText, md, trusted } from '../../../src/output/markdown.js';

/** Cells of a GFM table row: GitHub splits on every pipe that has no backslash before it. */
const cells = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1);

describe('markdownText', () => {
  it('leaves ordinary text as it is (the demo outputs depend on it)', () => {
    for (const text of ['lee.chen@example.com', 'Acme Labs (labs.example.com)', 'user/svc/build-agent → sts:AssumeRole', 's3:* on ["arn:aws:s3:::b/*"]', 'x [declared]', 'snake_case']) {
      expect(markdownText(text)).toBe(text);
    }
  });

  it('keeps text on one line and in one table cell', () => {
    expect(markdownText('a\r\nb\nc\td\re')).toBe('a b c d e');
    expect(markdownText('  padded  ')).toBe('padded');
    expect(markdownText('a|b')).toBe('a\\|b');
    const row = `| ${markdownText('x | y \\| z \\')} | next |`;
    expect(cells(row)).toHaveLength(2);
  });

  it('keeps backslashes literal, so nothing after them is read as escaped', () => {
    expect(markdownText('C:\\temp\\*')).toBe('C:\\\\temp\\\\*');
    expect(markdownText('a\\|b')).toBe('a\\\\\\|b');
  });

  it('writes HTML, entities and autolinks as text', () => {
    expect(markdownText('evil|<img src=x onerror=alert(1)>')).toBe('evil\\|&lt;img src=x onerror=alert(1)&gt;');
    expect(markdownText('&lt;b&gt; &#60;i>')).toBe('&amp;lt;b&amp;gt; &amp;#60;i&gt;');
    expect(markdownText('<javascript:alert(1)>')).not.toMatch(/</);
  });

  it('cannot open a code span or close a link', () => {
    expect(markdownText('`rm -rf /`')).toBe("'rm -rf /'");
    expect(markdownText('[click](javascript:alert(1))')).toBe('[click\\](javascript&#58;alert(1))');
    expect(markdownText('![x](https://t.example/p.png)')).toBe('![x\\](https://t.example/p.png)');
    expect(markdownText('a\\](b)')).toBe('a\\\\\\](b)');
  });

  it('cannot drive a terminal: escape sequences, C1 controls and bidi overrides show as U+FFFD', () => {
    const hostile = 'a\u001b]52;c;SGVsbG8=\u0007b\u001b[2Jc\u009b31md\u202ee\u0000f';
    expect(markdownText(hostile)).toBe('a\ufffd]52;c;SGVsbG8=\ufffdb\ufffd[2Jc\ufffd31md\ufffde\ufffdf');
    expect(markdownCode(hostile)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('takes the colon out of script and inline-data URLs (shown as a colon, never a scheme)', () => {
    expect(markdownText('javascript:alert(1) VBScript:msgbox data:text/html;base64,PHNjcmlwdD4=')).toBe(
      'javascript&#58;alert(1) VBScript&#58;msgbox data&#58;text/html;base64,PHNjcmlwdD4=',
    );
    // Words, not URLs: left alone.
    expect(markdownText('no data: the kind was not read; metadata:x')).toBe('no data: the kind was not read; metadata:x');
  });
});

describe('md', () => {
  it('escapes every interpolated string, writes numbers as they are and trusted Markdown as given', () => {
    const name = 'evil|<b>[x](javascript:1)\u001b[2J';
    expect(md`| ${name} | ${3} | ${trusted('a<br>b')} |`).toBe('| evil\\|&lt;b&gt;[x\\](javascript&#58;1)\ufffd[2J | 3 | a<br>b |');
    expect(md`plain`).toBe('plain');
  });
});

describe('markdownCode', () => {
  it('is a plain code span for ordinary text', () => {
    expect(markdownCode('ZT-IDN-001')).toBe('`ZT-IDN-001`');
    expect(markdownCode('a<b>&c')).toBe('`a<b>&c`');
  });

  it('fences with more backticks than the text holds, padding a backtick at either end', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('``x')).toBe('``` ``x ```');
    expect(markdownCode(' x ')).toBe('`  x  `');
    expect(markdownCode('a\nb')).toBe('`a b`');
  });

  it('escapes pipes in a table cell only', () => {
    expect(markdownCode('a|b')).toBe('`a|b`');
    expect(markdownCode('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(cells(`| ${markdownCode('x|y', { inTable: true })} | z |`)).toHaveLength(2);
  });
});
