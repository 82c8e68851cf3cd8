import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalText, terminalTexts } from '../../../src/text/terminal-text.js';

// The one control-character escaper for text that may reach a terminal (src/text/terminal-text.ts).

const ESC = '\u001b';

describe('terminalText: one piece of outside text', () => {
  it('leaves ordinary text, including non-Latin and right-to-left scripts, as it is', () => {
    for (const text of ['lee.chen@example.com', 'Zoë Ångström', 'ユーザー', 'مستخدم', 'user/svc → sts:AssumeRole', '']) expect(terminalText(text)).toBe(text);
  });

  it('keeps the text on its line: CR LF, LF, CR and tab become one space each', () => {
    expect(terminalText('a\r\nb\nc\rd\te')).toBe('a b c d e');
  });

  it('shows every other control as U+FFFD: ESC (OSC 52, CSI), BEL, NUL, DEL, C1 and bidi overrides', () => {
    expect(terminalText(`${ESC}]52;c;aGk=\u0007`)).toBe('\ufffd]52;c;aGk=\ufffd');
    expect(terminalText(`${ESC}[2J${ESC}]0;title\u0007`)).toBe('\ufffd[2J\ufffd]0;title\ufffd');
    expect(terminalText('\u0000\u007f\u0080\u009b\u009d\u009f')).toBe('\ufffd'.repeat(6));
    expect(terminalText('invoice\u202efdp.exe \u2066x\u2069')).toBe('invoice\ufffdfdp.exe \ufffdx\ufffd');
  });

  it('terminalTexts escapes every string and key of a JSON-like value, keeping the rest', () => {
    expect(terminalTexts({ [`k${ESC}`]: [`v${ESC}[31m`, 1, true, null], n: { s: 'a\nb' } })).toEqual({ 'k\ufffd': ['v\ufffd[31m', 1, true, null], n: { s: 'a b' } });
  });
});

describe('terminalSafe: a whole rendered output', () => {
  it('keeps line structure (LF, CR LF, tab) and SGR colour sequences, nothing else', () => {
    const coloured = `${ESC}[1m${ESC}[31mhigh${ESC}[39m${ESC}[22m\tx\r\ny\n`;
    expect(terminalSafe(coloured)).toBe(coloured);
    expect(terminalSafe(`a${ESC}]52;c;aGk=\u0007b\rc${ESC}[2Jd\u009b31m`)).toBe('a\ufffd]52;c;aGk=\ufffdb\ufffdc\ufffd[2Jd\ufffd31m');
  });

  it('is idempotent and linear', () => {
    const text = `${ESC}[31m${'x'.repeat(1000)}\u0007`.repeat(1000);
    const started = Date.now();
    const once = terminalSafe(text);
    expect(terminalSafe(once)).toBe(once);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
