import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../src/text/display-width.js';

describe('displayWidth', () => {
  it('counts ASCII one column each and ignores colours', () => {
    expect(displayWidth('zt audit')).toBe(8);
    expect(displayWidth('\u001b[31mhigh\u001b[39m')).toBe(4);
  });
  it('counts CJK, fullwidth forms and emoji two columns, combining marks none', () => {
    expect(displayWidth('山田太郎')).toBe(8);
    expect(displayWidth('アカウント')).toBe(10);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('🔑')).toBe(2);
    expect(displayWidth('👩‍💻')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('café')).toBe(4);
  });
});
