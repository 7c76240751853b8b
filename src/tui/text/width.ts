/**
 * How many terminal columns text takes. Widths follow Unicode's East Asian Width property (Wide and Fullwidth count 2)
 * and emoji presentation; combining marks and format characters count 0. Where terminals disagree (emoji ZWJ
 * sequences) the count errs on the wide side: a row that comes out a little short is harmless, one that comes out too
 * long makes the terminal wrap it and breaks the layout.
 *
 * Text is measured in units of one character plus what a terminal draws together with it as one emoji, two columns
 * wide: a character followed by VARIATION SELECTOR-16 (`⚠️`, `❤️`), an emoji followed by a skin-tone modifier (`👍🏽`),
 * and a pair of regional indicators (a flag, `🇫🇷`). `sliceByWidth` and `fitEnd` never cut through such a unit.
 *
 * Control characters are not given a width of their own (they count 1): text is sanitized before it is measured.
 */

/** Nonspacing and enclosing marks, and format characters (zero-width joiner, zero-width space, BOM...). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** Printable ASCII only: every character is one column. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Inclusive ranges of double-width code points, sorted, as flat [first, last, first, last, ...] pairs. They leave
 * out the combining marks inside CJK blocks (U+302A–U+302D, U+3099–U+309A), so that a hit here settles the width
 * without the slower zero-width test.
 */
const WIDE_RANGES: readonly number[] = [
  0x1100, 0x115f, // Hangul Jamo leading consonants
  0x231a, 0x231b, // watch, hourglass
  0x2329, 0x232a, // angle brackets
  0x23e9, 0x23ec,
  0x23f0, 0x23f0,
  0x23f3, 0x23f3,
  0x25fd, 0x25fe,
  0x2614, 0x2615,
  0x2648, 0x2653, // zodiac
  0x267f, 0x267f,
  0x2693, 0x2693,
  0x26a1, 0x26a1,
  0x26aa, 0x26ab,
  0x26bd, 0x26be,
  0x26c4, 0x26c5,
  0x26ce, 0x26ce,
  0x26d4, 0x26d4,
  0x26ea, 0x26ea,
  0x26f2, 0x26f3,
  0x26f5, 0x26f5,
  0x26fa, 0x26fa,
  0x26fd, 0x26fd,
  0x2705, 0x2705,
  0x270a, 0x270b,
  0x2728, 0x2728,
  0x274c, 0x274c,
  0x274e, 0x274e,
  0x2753, 0x2755,
  0x2757, 0x2757,
  0x2795, 0x2797,
  0x27b0, 0x27b0,
  0x27bf, 0x27bf,
  0x2b1b, 0x2b1c,
  0x2b50, 0x2b50,
  0x2b55, 0x2b55,
  0x2e80, 0x3029, // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
  0x302e, 0x303e,
  0x3041, 0x3098, // kana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed CJK, CJK compatibility
  0x309b, 0x33ff,
  0x3400, 0x4dbf, // CJK extension A
  0x4e00, 0xa4cf, // CJK unified ideographs, Yi
  0xa960, 0xa97f, // Hangul Jamo extended A
  0xac00, 0xd7a3, // Hangul syllables
  0xf900, 0xfaff, // CJK compatibility ideographs
  0xfe10, 0xfe19, // vertical forms
  0xfe30, 0xfe6f, // CJK compatibility forms, small form variants
  0xff00, 0xff60, // fullwidth forms
  0xffe0, 0xffe6, // fullwidth signs
  0x16fe0, 0x16fe3,
  0x16ff0, 0x16ff1,
  0x17000, 0x18cff, // Tangut, Khitan
  0x1aff0, 0x1b2ff, // kana supplements
  0x1f004, 0x1f004,
  0x1f0cf, 0x1f0cf,
  0x1f18e, 0x1f18e,
  0x1f191, 0x1f19a,
  0x1f200, 0x1f202,
  0x1f210, 0x1f23b,
  0x1f240, 0x1f248,
  0x1f250, 0x1f251,
  0x1f260, 0x1f265,
  0x1f300, 0x1f64f, // pictographs, emoticons
  0x1f680, 0x1f6ff, // transport and map symbols
  0x1f7e0, 0x1f7eb, // coloured circles and squares
  0x1f7f0, 0x1f7f0,
  0x1f90c, 0x1f9ff, // supplemental symbols and pictographs
  0x1fa70, 0x1faff, // symbols and pictographs extended A
  0x20000, 0x2fffd, // CJK extensions B and later
  0x30000, 0x3fffd,
];

function isWide(codePoint: number): boolean {
  let low = 0;
  let high = WIDE_RANGES.length / 2 - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (codePoint < WIDE_RANGES[middle * 2]!) high = middle - 1;
    else if (codePoint > WIDE_RANGES[middle * 2 + 1]!) low = middle + 1;
    else return true;
  }
  return false;
}

export function charWidth(codePoint: number): 0 | 1 | 2 {
  // Nothing below U+0300 (the first combining mark) is wide or zero-width; the soft hyphen shows as a hyphen.
  if (codePoint < 0x300) return 1;
  // Hangul Jamo vowels and trailing consonants join the leading consonant's two columns.
  if (codePoint >= 0x1160 && codePoint <= 0x11ff) return 0;
  if (isWide(codePoint)) return 2;
  return ZERO_WIDTH.test(String.fromCodePoint(codePoint)) ? 0 : 1;
}

const VS16 = 0xfe0f;

/** Characters that VS16 turns into a two-column emoji (`⚠️`, `❤️`, keycap digits). */
const EMOJI = /^\p{Emoji}$/u;

/** Characters that a skin-tone modifier joins, making one two-column emoji (`👍🏽`, `☝🏽`). */
const MODIFIER_BASE = /^\p{Emoji_Modifier_Base}$/u;

function isRegionalIndicator(codePoint: number): boolean {
  return codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff;
}

function isSkinTone(codePoint: number): boolean {
  return codePoint >= 0x1f3fb && codePoint <= 0x1f3ff;
}

/** Where the unit measured by the last call of `unitWidth` ends (kept here to spare an allocation per character). */
let unitEnd = 0;

/**
 * Columns of the unit that starts with the character at `index` (its end goes to `unitEnd`): the character's own width,
 * or 2 when it is followed by VS16 or a skin-tone modifier that makes it an emoji, or when it is the first of a pair of
 * regional indicators. The caller keeps track of pairing: `index` is never the second indicator of a pair.
 */
function unitWidth(text: string, index: number): number {
  const codePoint = text.codePointAt(index)!;
  const end = index + (codePoint > 0xffff ? 2 : 1);
  const next = text.charCodeAt(end);
  if (next === VS16 && EMOJI.test(String.fromCodePoint(codePoint))) {
    unitEnd = end + 1;
    return 2;
  }
  // Skin-tone modifiers and regional indicators are all written with the high surrogate U+D83C.
  if (next === 0xd83c) {
    const following = text.codePointAt(end)!;
    if (
      (isSkinTone(following) && MODIFIER_BASE.test(String.fromCodePoint(codePoint))) ||
      (isRegionalIndicator(following) && isRegionalIndicator(codePoint))
    ) {
      unitEnd = end + 2;
      return 2;
    }
  }
  unitEnd = end;
  return charWidth(codePoint);
}

/** Longest run of regional indicators looked back over to tell whether a position falls inside a flag. */
const MAX_FLAG_RUN = 512;

/**
 * Whether the character at `index` was already counted with the one before it: a skin-tone modifier after a modifier
 * base, or the second regional indicator of a pair (pairs are counted from the start of a run of them, as far back as
 * `MAX_FLAG_RUN` indicators; a position further into a run is taken to start a pair). A VS16 needs no check: on its
 * own it is zero-width anyway.
 */
function continuesUnit(text: string, index: number): boolean {
  if (index === 0 || text.charCodeAt(index) !== 0xd83c) return false;
  const codePoint = text.codePointAt(index)!;
  // The character before: a surrogate pair ending at `index`, or else the single unit there.
  const astral = index >= 2 ? text.codePointAt(index - 2)! : 0;
  const before = astral > 0xffff ? astral : text.charCodeAt(index - 1);
  if (isSkinTone(codePoint)) return MODIFIER_BASE.test(String.fromCodePoint(before));
  if (!isRegionalIndicator(codePoint) || !isRegionalIndicator(before)) return false;
  let run = 0;
  for (let at = index - 2; at >= 0 && run < MAX_FLAG_RUN && isRegionalIndicator(text.codePointAt(at)!); at -= 2) run += 1;
  return run % 2 === 1;
}

export function textWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let total = 0;
  for (let index = 0; index < text.length; index = unitEnd) total += unitWidth(text, index);
  return total;
}

/** The longest prefix of at most `width` columns; a character that does not fit goes to `rest` with its marks. */
export function sliceByWidth(text: string, width: number): { head: string; rest: string } {
  const end = fitEnd(text, 0, width);
  return { head: text.slice(0, end), rest: text.slice(end) };
}

/**
 * The index in `text` where a row starting at `start` with `width` columns to fill must end: the first character that
 * does not fit, or `text.length`. Zero-width characters always fit, so they stay with the character before them; so
 * does whatever makes an emoji of it (VS16, a skin-tone modifier, the second half of a flag), even at `start`.
 */
export function fitEnd(text: string, start: number, width: number): number {
  let used = 0;
  let index = start;
  if (index < text.length && continuesUnit(text, index)) index += 2;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    // Printable ASCII is one column, unless a VS16 follows (keycaps: `#️⃣`, `1️⃣`).
    if (code >= 0x20 && code < 0x7f && text.charCodeAt(index + 1) !== VS16) {
      if (used + 1 > width) break;
      used += 1;
      index += 1;
      continue;
    }
    const columns = unitWidth(text, index);
    if (used + columns > width) break;
    used += columns;
    index = unitEnd;
  }
  return index;
}
