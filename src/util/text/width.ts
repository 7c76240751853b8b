/**
 * How many terminal columns text takes, and where to cut it to fit a row: cluster by cluster, as ./grapheme.ts
 * defines a character and its width, so a row never ends inside a character (an accented letter, an emoji with its
 * modifiers, a flag) and is measured as the prompt editor measures it.
 */
import { charWidth } from './char-width.ts';
import { continuesEmoji, GraphemeWalk, graphemeWidth } from './grapheme.ts';

export { charWidth };

/** Printable ASCII only: every character is one column. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function textWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : graphemeWidth(text);
}

/** The longest prefix of at most `width` columns; a character that does not fit goes to `rest` whole. */
export function sliceByWidth(text: string, width: number): { head: string; rest: string } {
  const end = fitEnd(text, 0, width);
  return { head: text.slice(0, end), rest: text.slice(end) };
}

/**
 * The index in `text` where a row starting at `start` with `width` columns to fill must end: the end of the last
 * cluster that fits, or `text.length`. Zero-width clusters always fit. A row that starts on what makes an emoji of
 * the character before `start` (a skin tone, the second half of a flag: a span ended in between) first takes that
 * in, whatever the width; otherwise `start` counts as the start of a cluster.
 */
export function fitEnd(text: string, start: number, width: number): number {
  let index = start < text.length && continuesEmoji(text, start) ? start + 2 : start;
  const walk = new GraphemeWalk(text, text.length);
  let used = 0;
  while (index < text.length) {
    // Printable ASCII is one column a char: as many as the row has room for, without looking at each.
    const run = walk.asciiRun(index, index + Math.max(0, width - used));
    if (run > index) {
      used += run - index;
      index = run;
      continue;
    }
    const end = walk.endOf(index);
    const columns = graphemeWidth(text, index, end);
    if (used + columns > width) break;
    used += columns;
    index = end;
  }
  return index;
}

