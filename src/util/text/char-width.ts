/**
 * The columns one code point takes on its own. Wide and Fullwidth characters of Unicode's East Asian Width property
 * count 2 (the tables are get-east-asian-width's, kept up with each Unicode release); what a terminal draws onto the
 * character before it counts 0 (nonspacing and enclosing marks, format characters such as ZWJ, Hangul medial vowels
 * and final consonants); everything else counts 1, Ambiguous characters included, as in any terminal not set up for a
 * CJK locale. What the characters after one make of it (VS16, a skin tone, a flag's second half) is the cluster's
 * business: see graphemeWidth in ./grapheme.ts.
 *
 * Control characters are not given a width of their own (they count 1): text is sanitized before it is measured.
 */
import { eastAsianWidth } from 'get-east-asian-width';

/** Nonspacing and enclosing marks, and format characters (zero-width joiner, zero-width space, BOM...). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/**
 * The width of each code point looked up so far, plus one (0: not yet), over the planes nearly all text is in: a
 * frame measures the same characters again and again, and a lookup costs a regular expression and a binary search.
 */
const known = new Uint8Array(0x30000);

export function charWidth(codePoint: number): 0 | 1 | 2 {
  // Nothing below U+0300 (the first combining mark) is wide or zero-width; the soft hyphen shows as a hyphen.
  if (codePoint < 0x300) return 1;
  const cached = codePoint < known.length ? known[codePoint]! : 0;
  if (cached !== 0) return (cached - 1) as 0 | 1 | 2;
  const width = lookUp(codePoint);
  if (codePoint < known.length) known[codePoint] = width + 1;
  return width;
}

function lookUp(codePoint: number): 0 | 1 | 2 {
  // Hangul Jamo vowels and trailing consonants join the leading consonant's two columns.
  if (codePoint >= 0x1160 && codePoint <= 0x11ff) return 0;
  // Asked before the width: some marks sit inside wide blocks (the kana voicing marks U+3099–U+309A are Wide).
  if (ZERO_WIDTH.test(String.fromCodePoint(codePoint))) return 0;
  return eastAsianWidth(codePoint);
}
