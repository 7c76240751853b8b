/**
 * Where word motions and word deletions of the prompt editor stop. A word is a run of letters, digits, marks and
 * underscores in any script; everything else is space or punctuation. Text is stepped through by code point: a word
 * boundary never falls inside a cluster, since the marks that join letters are word characters themselves.
 */
import { splitsPair } from '../../util/text/grapheme.ts';

/** Chars that make up words for word motions and deletions (marks included so accented letters stay whole). */
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const SPACE_CHAR = /\s/u;

const isWord = (char: string): boolean => WORD_CHAR.test(char);
const isSpace = (char: string): boolean => SPACE_CHAR.test(char);
/** Punctuation and symbols: neither word nor space. */
const isOther = (char: string): boolean => !isWord(char) && !isSpace(char);

/** The code point ending just before `index` (for scanning backwards). */
function charBefore(text: string, index: number): string {
  return text.slice(splitsPair(text, index - 1) ? index - 2 : index - 1, index);
}

function charAt(text: string, index: number): string {
  return String.fromCodePoint(text.codePointAt(index)!);
}

/** Moves back from `index` over chars matching `test`. */
function skipBack(text: string, index: number, test: (char: string) => boolean): number {
  while (index > 0) {
    const char = charBefore(text, index);
    if (!test(char)) break;
    index -= char.length;
  }
  return index;
}

/** Moves forward from `index` over chars matching `test`. */
function skipForward(text: string, index: number, test: (char: string) => boolean): number {
  while (index < text.length) {
    const char = charAt(text, index);
    if (!test(char)) break;
    index += char.length;
  }
  return index;
}

/** The start of the word at or before `index` (Alt+Left): over anything else, then over the word. */
export function wordStartBefore(text: string, index: number): number {
  return skipBack(text, skipBack(text, index, (char) => !isWord(char)), isWord);
}

/** The end of the word at or after `index` (Alt+Right). */
export function wordEndAfter(text: string, index: number): number {
  return skipForward(text, skipForward(text, index, (char) => !isWord(char)), isWord);
}

/**
 * Where a backward word deletion starting at `index` ends: spaces, then a word (or, when the cursor follows
 * punctuation instead, that run of punctuation, so Ctrl+W always deletes something).
 */
export function wordDeletionStart(text: string, index: number): number {
  const afterSpaces = skipBack(text, index, isSpace);
  if (afterSpaces === 0) return 0;
  return skipBack(text, afterSpaces, isWord(charBefore(text, afterSpaces)) ? isWord : isOther);
}

/** The forward counterpart of `wordDeletionStart`. */
export function wordDeletionEnd(text: string, index: number): number {
  const afterSpaces = skipForward(text, index, isSpace);
  if (afterSpaces === text.length) return afterSpaces;
  return skipForward(text, afterSpaces, isWord(charAt(text, afterSpaces)) ? isWord : isOther);
}
