/**
 * Inline Markdown within one line: `code`, *emphasis* of the kinds models write, [links](url) and <autolinks>, and
 * backslash escapes. Anything that does not pair up is shown as written.
 */
import type { Span, SpanStyle } from '../util/text/styled.ts';

const CODE: SpanStyle = { color: 'cyan' };
const DIM: SpanStyle = { dim: true };
const UNDERLINE: SpanStyle = { underline: true };

/** A construct found in inline text: what it renders as, and the index just past it. */
interface Inline {
  spans: Span[];
  end: number;
}

/** Styles given by emphasis runs, by marker and run length; runs not listed are never emphasis. */
const EMPHASIS: Record<string, SpanStyle | undefined> = {
  '*': { italic: true },
  '**': { bold: true },
  '***': { bold: true, italic: true },
  _: { italic: true },
  __: { bold: true },
  ___: { bold: true, italic: true },
  '~~': DIM,
};

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const AUTOLINK = /<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>/y;

/** Spans for inline Markdown (code, emphasis, links) in `text`, each with `style` under its own. */
export function renderInline(text: string, style?: SpanStyle): Span[] {
  const out: Span[] = [];
  let plainStart = 0;
  let index = 0;
  while (index < text.length) {
    const found = inlineAt(text, index, style);
    if (found === undefined) {
      index += 1;
      continue;
    }
    if (index > plainStart) appendSpan(out, piece(text.slice(plainStart, index), style));
    for (const part of found.spans) appendSpan(out, part);
    index = found.end;
    plainStart = index;
  }
  if (text.length > plainStart) appendSpan(out, piece(text.slice(plainStart), style));
  return out;
}

function inlineAt(text: string, index: number, style: SpanStyle | undefined): Inline | undefined {
  switch (text[index]) {
    case '\\':
      return escaped(text, index, style);
    case '`':
      return codeSpan(text, index, style);
    case '*':
    case '_':
    case '~':
      return emphasis(text, index, style);
    case '[':
      return link(text, index, style);
    case '<':
      return autolink(text, index, style);
    default:
      return undefined;
  }
}

/** A backslash before ASCII punctuation shows the punctuation as it is (a backslash-star is a star, not emphasis). */
function escaped(text: string, index: number, style: SpanStyle | undefined): Inline | undefined {
  const next = text[index + 1];
  if (next === undefined || !ASCII_PUNCTUATION.test(next)) return undefined;
  return { spans: [piece(next, style)], end: index + 2 };
}

/** The length of the run of `text[index]` starting at `index`. */
function runLength(text: string, index: number): number {
  let end = index;
  while (text[end] === text[index]) end += 1;
  return end - index;
}

/** Where the code span whose backtick run starts at `index` closes (a run of the same length), or -1. */
function codeSpanClose(text: string, index: number): number {
  const length = runLength(text, index);
  let search = index + length;
  for (;;) {
    const next = text.indexOf('`', search);
    if (next === -1) return -1;
    const closing = runLength(text, next);
    if (closing === length) return next;
    search = next + closing;
  }
}

/** `code`: shown as written. A backtick run with no closing run is literal as a whole. */
function codeSpan(text: string, index: number, style: SpanStyle | undefined): Inline {
  const length = runLength(text, index);
  const close = codeSpanClose(text, index);
  if (close === -1) return { spans: [piece(text.slice(index, index + length), style)], end: index + length };
  let content = text.slice(index + length, close);
  // One space on each side lets code start or end with a backtick: `` `x` ``.
  const padded = content.length > 2 && content.startsWith(' ') && content.endsWith(' ');
  if (padded && content.trim() !== '') content = content.slice(1, -1);
  return { spans: [piece(content, merge(style, CODE))], end: close + length };
}

/**
 * *italic*, **bold**, ***both*** (or with underscores), ~~strike~~. An opening run must be followed by a non-space and
 * a closing one preceded by one; underscores also need a word boundary on their outer side, so snake_case_names stay
 * as they are. Runs only pair with runs of the same length, and a run that pairs with nothing is literal as a whole.
 */
function emphasis(text: string, index: number, style: SpanStyle | undefined): Inline {
  const marker = text[index]!;
  const length = runLength(text, index);
  const literal: Inline = { spans: [piece(text.slice(index, index + length), style)], end: index + length };
  const added = EMPHASIS[marker.repeat(length)];
  const after = text[index + length];
  const before = text[index - 1];
  if (added === undefined || after === undefined || /\s/.test(after)) return literal;
  if (marker === '_' && before !== undefined && WORD_CHARACTER.test(before)) return literal;
  const close = emphasisClose(text, index + length, marker, length);
  if (close === -1) return literal;
  return { spans: renderInline(text.slice(index + length, close), merge(style, added)), end: close + length };
}

/** The start of the run closing an emphasis opened with `length` `marker`s, searching from `from`, or -1. */
function emphasisClose(text: string, from: number, marker: string, length: number): number {
  let index = from;
  while (index < text.length) {
    const character = text[index];
    if (character === '\\') {
      index += 2;
    } else if (character === '`') {
      const close = codeSpanClose(text, index);
      index = close === -1 ? index + runLength(text, index) : close + runLength(text, close);
    } else if (character === marker) {
      const run = runLength(text, index);
      if (run === length && !/\s/.test(text[index - 1]!) && closesWord(text, index + run, marker)) return index;
      index += run;
    } else {
      index += 1;
    }
  }
  return -1;
}

function closesWord(text: string, after: number, marker: string): boolean {
  return marker !== '_' || after >= text.length || !WORD_CHARACTER.test(text[after]!);
}

/** [text](url): the text underlined, then the address dimmed unless it only repeats the text. */
function link(text: string, index: number, style: SpanStyle | undefined): Inline | undefined {
  const labelEnd = closingBracket(text, index, '[', ']');
  if (labelEnd === -1 || text[labelEnd + 1] !== '(') return undefined;
  const targetEnd = closingBracket(text, labelEnd + 1, '(', ')');
  if (targetEnd === -1) return undefined;
  const label = text.slice(index + 1, labelEnd);
  const url = (text.slice(labelEnd + 2, targetEnd).trim().split(/\s+/)[0] ?? '').replace(/^<(.*)>$/, '$1');
  const end = targetEnd + 1;
  if (label === '') return { spans: [piece(url, merge(style, UNDERLINE))], end };
  const spans = renderInline(label, merge(style, UNDERLINE));
  if (url !== '' && url !== label) spans.push(piece(` (${url})`, merge(style, DIM)));
  return { spans, end };
}

/** The index of the bracket closing the one at `index`, allowing nested pairs and skipping code spans, or -1. */
function closingBracket(text: string, index: number, open: string, close: string): number {
  let depth = 0;
  for (let at = index; at < text.length; at += 1) {
    const character = text[at];
    if (character === '\\') {
      at += 1;
    } else if (character === '`') {
      const length = runLength(text, at);
      const end = codeSpanClose(text, at);
      at = (end === -1 ? at : end) + length - 1;
    } else if (character === open) {
      depth += 1;
    } else if (character === close) {
      depth -= 1;
      if (depth === 0) return at;
    }
  }
  return -1;
}

/** <scheme:address>: the address underlined. */
function autolink(text: string, index: number, style: SpanStyle | undefined): Inline | undefined {
  AUTOLINK.lastIndex = index;
  const match = AUTOLINK.exec(text);
  if (match === null) return undefined;
  return { spans: [piece(match[1]!, merge(style, UNDERLINE))], end: index + match[0].length };
}

function merge(outer: SpanStyle | undefined, added: SpanStyle): SpanStyle {
  return { ...outer, ...added };
}

function piece(text: string, style: SpanStyle | undefined): Span {
  return style === undefined ? { text } : { text, style };
}

/** Adds a span, joining it to the last one when both carry the very same style. */
function appendSpan(out: Span[], part: Span): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.style === part.style) out[out.length - 1] = piece(last.text + part.text, last.style);
  else out.push(part);
}
