// SGR sequences: the only escapes zt's own outputs carry (colours).
const ansiPattern = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * East Asian Wide and Fullwidth code points (Unicode UAX #11), the ranges terminals draw two
 * columns wide: Hangul Jamo, CJK punctuation and ideographs, Hiragana, Katakana, Hangul
 * syllables, fullwidth forms, and the supplementary ideographic planes.
 */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    cp === 0x2329 ||
    cp === 0x232a ||
    (cp >= 0x2e80 && cp <= 0x3247 && cp !== 0x303f) ||
    (cp >= 0x3250 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0xa4c6) ||
    (cp >= 0xa960 && cp <= 0xa97c) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6b) ||
    (cp >= 0xff01 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1b000 && cp <= 0x1b001) ||
    (cp >= 0x1f200 && cp <= 0x1f251) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

const emoji = /\p{Extended_Pictographic}/u;
const emojiPresentation = /\p{Emoji_Presentation}/u;
const zeroWidth = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

/** Columns one user-perceived character takes: 2 for wide CJK and emoji, 0 for marks and format characters. */
function graphemeWidth(grapheme: string): number {
  const cp = grapheme.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (zeroWidth.test(grapheme)) return 0;
  if (emoji.test(grapheme) && (emojiPresentation.test(grapheme) || grapheme.includes('\ufe0f'))) return 2;
  return isWide(cp) ? 2 : 1;
}

/** The columns a text takes on a terminal: its graphemes' display widths, colours not counted. */
export function displayWidth(text: string): number {
  const plain = stripAnsi(text);
  // Printable ASCII, by far the common case: one column per character.
  if (/^[\x20-\x7e]*$/.test(plain)) return plain.length;
  let width = 0;
  for (const { segment } of graphemes.segment(plain)) width += graphemeWidth(segment);
  return width;
}

/** The text's graphemes, for cutting it at a display width without splitting a character. */
export function graphemesOf(text: string): string[] {
  return [...graphemes.segment(text)].map((s) => s.segment);
}

/** The display width of one grapheme (see displayWidth). */
export function widthOfGrapheme(grapheme: string): number {
  return graphemeWidth(grapheme);
}
