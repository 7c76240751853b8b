/**
 * What one character is, for everything the UI edits and draws: a grapheme cluster (Unicode's extended grapheme
 * cluster, as Intl.Segmenter finds it: a letter with its accents, an emoji with its modifiers, a flag), and the
 * columns a terminal gives it. The prompt editor moves and deletes by these clusters, rows are cut between them, and
 * widths are added up cluster by cluster, so the editor and the rest of the screen agree on what is one character and
 * how wide it is.
 *
 * Text may be long (a paste of thousands of lines, the end of a streaming answer on every frame), so clusters are
 * found by segmenting only short stretches, and not at all between two characters that can never join.
 */
import { charWidth } from './char-width.ts';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * How far, in UTF-16 units, to look for a place where a cluster boundary is certain before segmenting from further
 * away (from the start of the range, or in windows of this size). Clusters are rarely longer than a few units.
 */
const SCAN = 256;

/** The fewest units segmented at a time, unless the text ends sooner. */
const MIN_SEGMENT = 32;

/**
 * Characters that may join the character before or after them into one cluster, by their general properties: marks
 * (virama linkers among them), format and control characters (ZWJ among them), unassigned code points, regional
 * indicators, emoji modifiers and Hangul jamo. This only spares most of the asking: the letters that join too (spacing
 * vowel signs such as Thai SARA AM, prepended signs, Kirat Rai vowels) are caught by asking the segmenter, once per
 * code point.
 */
const MAY_JOIN =
  /[\p{M}\p{Cc}\p{Cf}\p{Cs}\p{Cn}\p{Zl}\p{Zp}\p{Regional_Indicator}\p{Emoji_Modifier}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]/u;

/** Whether each code point below its length is a loner (1), may join (2), or has not been looked at yet (0). */
const loners = new Uint8Array(0x30000);

/**
 * Whether a character never joins its neighbours: between two such characters a cluster boundary is certain, whatever
 * comes before them (printable ASCII, most letters, CJK ideographs, Hangul syllables, punctuation, most emoji).
 */
function isLoner(codePoint: number): boolean {
  if (codePoint < 0x7f) return codePoint >= 0x20;
  const known = codePoint < loners.length ? loners[codePoint] : 0;
  if (known !== 0) return known === 1;
  const char = String.fromCodePoint(codePoint);
  // Alone between two letters, it neither joins what is before it (as marks do) nor what is after it (as prepended
  // signs do); doubled, it does not join itself (as regional indicators and jamo do, the only ones left that join
  // anything, and then only their own kinds). Two such characters side by side are then two clusters.
  const loner =
    !MAY_JOIN.test(char) && [...graphemes.segment(`a${char}a`)].length === 3 && [...graphemes.segment(char + char)].length === 2;
  if (codePoint < loners.length) loners[codePoint] = loner ? 1 : 2;
  return loner;
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

function isPrintableAscii(code: number): boolean {
  return code >= 0x20 && code < 0x7f;
}

/** Whether `index` falls between the two halves of a surrogate pair. */
export function splitsPair(text: string, index: number): boolean {
  const high = text.charCodeAt(index - 1);
  const low = text.charCodeAt(index);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/** The code point ending just before `index`. */
function codePointBefore(text: string, index: number): number {
  return splitsPair(text, index - 1) ? text.codePointAt(index - 2)! : text.charCodeAt(index - 1);
}

/**
 * Whether a character joins a neighbour only when both are regional indicators (a flag is a pair of them): loners,
 * and regional indicators themselves, which join nothing else before or after them.
 */
function joinsOnlyFlags(codePoint: number): boolean {
  return isLoner(codePoint) || isRegionalIndicator(codePoint);
}

/** Whether a cluster boundary falls at `index` for certain, from the two characters on either side of it alone. */
function certainBoundary(text: string, index: number): boolean {
  if (isPrintableAscii(text.charCodeAt(index - 1)) && isPrintableAscii(text.charCodeAt(index))) return true;
  if (index <= 0 || index >= text.length || splitsPair(text, index)) return false;
  const before = codePointBefore(text, index);
  const after = text.codePointAt(index)!;
  // Two regional indicators pair up or not depending on the whole run before them.
  if (isRegionalIndicator(before) && isRegionalIndicator(after)) return false;
  return joinsOnlyFlags(before) && joinsOnlyFlags(after);
}

/** Start of the last grapheme cluster of text[from, to), segmenting only what is needed (from..to not empty). */
export function graphemeStartBefore(text: string, from: number, to: number): number {
  const last = splitsPair(text, to - 1) ? to - 2 : to - 1;
  if (last <= from || certainBoundary(text, last)) return Math.max(from, last);
  // Segment from the nearest certain boundary; failing one close by, from `from` (slower, but still linear).
  const stop = Math.max(from, last - SCAN);
  let start = last - 1;
  while (start > stop && !certainBoundary(text, start)) start -= 1;
  if (!certainBoundary(text, start)) start = from;
  return start + graphemes.segment(text.slice(start, to)).containing(to - start - 1)!.index;
}

/**
 * The grapheme clusters of text[from, to) taken one after another from `from` (which counts as a cluster start).
 * Runs of loners need no segmenter; other stretches are segmented up to the next certain boundary, or in windows whose
 * last cluster is left for the next window (it may go on past the window's end).
 */
export class GraphemeWalk {
  private ends: number[] = [];
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly to: number,
  ) {}

  /** The end of the cluster that starts at `at`: `from` at first, then always where the last cluster ended. */
  endOf(at: number): number {
    if (this.next < this.ends.length) return this.ends[this.next++]!;
    const after = at + (this.text.codePointAt(at)! > 0xffff ? 2 : 1);
    if (after >= this.to || certainBoundary(this.text, after)) return Math.min(after, this.to);
    const emoji = this.emojiEnd(at, after);
    if (emoji !== -1) return emoji;
    this.ends = this.segmentFrom(at);
    this.next = 1;
    return this.ends[0]!;
  }

  /**
   * The end of a run of printable ASCII from `at`, at most to `max`, whose chars are each a cluster of their own (the
   * run's last is left out when what follows it is not ASCII: a mark may join it), or `at` itself when there is none or
   * the walk is inside a segmented stretch.
   */
  asciiRun(at: number, max = this.to): number {
    if (this.next < this.ends.length) return at;
    const text = this.text;
    const limit = Math.min(max, this.to);
    let end = at;
    while (end < limit && isPrintableAscii(text.charCodeAt(end))) end += 1;
    if (end < this.to && !isPrintableAscii(text.charCodeAt(end))) end -= 1;
    return Math.max(at, end);
  }

  /**
   * The end of the cluster at `at` when it is one of the commonest joins and a loner (or the end) follows it, so that
   * the boundary after it is certain: a loner with VS16 or a skin tone after it (Extend characters that link nothing
   * onwards), or a pair of regional indicators (`at` starts a cluster, so it starts a pair). -1 for anything else.
   * Text with an emoji here and there is then measured without the segmenter, which costs microseconds a call.
   */
  private emojiEnd(at: number, after: number): number {
    const text = this.text;
    const first = text.codePointAt(at)!;
    const second = text.codePointAt(after)!;
    const joined = isRegionalIndicator(first) ? isRegionalIndicator(second) : (second === VS16 || isSkinTone(second)) && isLoner(first);
    if (!joined) return -1;
    const end = after + (second > 0xffff ? 2 : 1);
    if (end >= this.to) return this.to;
    // After a flag, a regional indicator starts a pair of its own.
    return joinsOnlyFlags(text.codePointAt(end)!) ? end : -1;
  }

  /** Ends of the clusters from `at` on, as far as they are known for certain. */
  private segmentFrom(at: number): number[] {
    const text = this.text;
    // Segment at least a few units at a time (each call of the segmenter has a cost of its own), up to a boundary
    // that is certain, or else to the end of a window.
    const limit = Math.min(this.to, at + SCAN);
    let stop = Math.min(limit, at + MIN_SEGMENT);
    while (stop < limit && !certainBoundary(text, stop)) stop += 1;
    // Up to a certain boundary, or the end, every cluster is final; in a window cut short the last one may not be.
    const final = stop < limit || limit === this.to;
    const end = final ? stop : splitsPair(text, limit) ? limit - 1 : limit;
    const ends: number[] = [];
    for (const { segment, index } of graphemes.segment(text.slice(at, end))) ends.push(at + index + segment.length);
    if (!final) {
      ends.pop();
      // One cluster filling the whole window: take it from the rest of the text, however long that is.
      if (ends.length === 0) ends.push(at + graphemes.segment(text.slice(at, this.to)).containing(0)!.segment.length);
    }
    return ends;
  }
}

/** The end of the cluster that starts at `index`. */
export function graphemeEnd(text: string, index: number): number {
  return new GraphemeWalk(text, text.length).endOf(index);
}

// ---- columns ------------------------------------------------------------------------------------------------------


/** Where the piece measured by the last call of `pieceWidth` ends (kept here to spare an allocation per character). */
let pieceEnd = 0;

/**
 * Columns of the piece of a cluster that starts with the character at `index` (its end goes to `pieceEnd`): the
 * character's own width, or 2 when it is followed by VS16 or a skin-tone modifier that makes it an emoji, or when it
 * is the first of a pair of regional indicators. The caller keeps track of pairing: `index` is never the second
 * indicator of a pair.
 */
function pieceWidth(text: string, index: number): number {
  const codePoint = text.codePointAt(index)!;
  const end = index + (codePoint > 0xffff ? 2 : 1);
  const next = text.charCodeAt(end);
  if (next === VS16 && EMOJI.test(String.fromCodePoint(codePoint))) {
    pieceEnd = end + 1;
    return 2;
  }
  // Skin-tone modifiers and regional indicators are all written with the high surrogate U+D83C.
  if (next === 0xd83c) {
    const following = text.codePointAt(end)!;
    if (
      (isSkinTone(following) && MODIFIER_BASE.test(String.fromCodePoint(codePoint))) ||
      (isRegionalIndicator(following) && isRegionalIndicator(codePoint))
    ) {
      pieceEnd = end + 2;
      return 2;
    }
  }
  pieceEnd = end;
  return charWidth(codePoint);
}

/**
 * The columns of text[start, end), a run of whole clusters (usually one). A cluster is as wide as its base character,
 * or 2 when what follows the base makes an emoji of it: VS16 (`⚠️`), a skin-tone modifier after a modifier base
 * (`👍🏽`), a second regional indicator (a flag, `🇫🇷`). Other characters joined into it that have a width of their own
 * (the next emoji of a ZWJ sequence, a skin tone after a letter, a spacing vowel) add theirs: where terminals
 * disagree, the count errs on the wide side, since a row that comes out a little short is harmless and one that
 * comes out too long makes the terminal wrap it and breaks the layout.
 *
 * Measured piece by piece, which never crosses a cluster boundary: the width of any text is the sum of its clusters'.
 */
export function graphemeWidth(text: string, start = 0, end = text.length): number {
  if (end - start === 1 || (end - start === 2 && splitsPair(text, start + 1))) return charWidth(text.codePointAt(start)!);
  let total = 0;
  for (let index = start; index < end; index = pieceEnd) total += pieceWidth(text, index);
  return total;
}

/** Longest run of regional indicators looked back over to tell whether a position falls inside a flag. */
const MAX_FLAG_RUN = 512;

/**
 * Whether the character at `index` is what makes an emoji of the one before it, and so is counted with it: a
 * skin-tone modifier after a modifier base, or the second regional indicator of a pair (pairs are counted from the
 * start of a run of them, as far back as `MAX_FLAG_RUN` indicators; a position further into a run is taken to start
 * a pair). A VS16 needs no check: on its own it is zero-width anyway.
 */
export function continuesEmoji(text: string, index: number): boolean {
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
