/**
 * Markdown for the terminal: an assistant message turned into styled logical lines (wrapping comes later). It is a
 * line-by-line reading of the parts of Markdown models actually write, not a CommonMark implementation: every source
 * line gives at most one output line, so a message that is still streaming renders the same way it will when done,
 * and anything not understood is shown as written. Tables are the one block read as a whole, to line their columns
 * up, but they too give one line per source line (the delimiter row becomes a rule).
 */
import { sanitizeLines } from './text/sanitize.ts';
import type { Line, Span, SpanStyle } from './text/styled.ts';
import { styled } from './text/styled.ts';
import { textWidth } from './text/width.ts';

const CODE: SpanStyle = { color: 'cyan' };
const DIM: SpanStyle = { dim: true };
const UNDERLINE: SpanStyle = { underline: true };
const CODE_INDENT = '    ';
const RULE = '─'.repeat(20);
const COLUMN_SEPARATOR = ' │ ';
const RULE_JOINT = '─┼─';

/**
 * The message's lines. Blank lines between blocks become one empty line however many there were; blank lines at the
 * start and the end are left out, as the caller decides the spacing around a message.
 */
export function renderMarkdown(text: string): Line[] {
  return renderMarkdownLines(sanitizeLines(text));
}

/** Where a text stands after some of its lines: inside a code block opened by a fence, or (undefined) not. */
export interface CodeFence {
  readonly marker: string;
  readonly indent: number;
  readonly language: string;
}

/**
 * Whether the lines after `source` are inside a code block, given whether `source` itself was (`fence`). Lets a
 * caller that receives a text line by line know, at any line, how rendering from there must begin.
 */
export function fenceAfter(source: string, fence: CodeFence | undefined): CodeFence | undefined {
  if (fence !== undefined) return closesFence(source, fence) ? undefined : fence;
  return openFence(source);
}

/**
 * Like renderMarkdown, for lines already split and sanitized, starting inside the code block `fence` when there is
 * one (as found with fenceAfter): a window onto the end of a longer text renders as it does in the whole.
 */
export function renderMarkdownLines(sources: readonly string[], fence?: CodeFence): Line[] {
  const out: Line[] = [];
  let blankPending = false;
  const emit = (target: Line): void => {
    if (blankPending && out.length > 0) out.push({ spans: [] });
    blankPending = false;
    out.push(target);
  };
  let open = fence;
  // The depth of the quote whose paragraph the previous line continued: a following paragraph line without `>`
  // belongs to it (lazy continuation).
  let quoteDepth = 0;
  for (let index = 0; index < sources.length; index++) {
    const source = sources[index]!;
    if (open !== undefined) {
      if (closesFence(source, open)) open = undefined;
      else emit(codeLine(stripIndent(source, open.indent)));
      continue;
    }
    open = openFence(source);
    if (open !== undefined) {
      quoteDepth = 0;
      if (open.language !== '') emit({ spans: [{ text: open.language, style: DIM }] });
      continue;
    }
    if (source.trim() === '') {
      quoteDepth = 0;
      blankPending = true;
      continue;
    }
    const table = tableAt(sources, index);
    if (table !== undefined) {
      quoteDepth = 0;
      for (const row of table.lines) emit(row);
      index = table.end - 1;
      continue;
    }
    const quote = QUOTE.exec(source);
    if (quote !== null) {
      const depth = quote[1]!.split('>').length - 1;
      const content = quote[2]!;
      emit(quoteLine(depth, content));
      // A heading or a rule is a whole block: nothing continues it.
      quoteDepth = content.trim() === '' || HEADING.test(content) || THEMATIC_BREAK.test(content) ? 0 : depth;
      continue;
    }
    if (quoteDepth > 0 && isParagraph(source)) {
      emit(quoteLine(quoteDepth, source.trim()));
      continue;
    }
    quoteDepth = 0;
    emit(blockLine(source));
  }
  return out;
}

type Fence = CodeFence;

/** A fence opening line: three or more backticks or tildes, then an optional info string whose first word is kept. */
function openFence(source: string): Fence | undefined {
  const match = /^( *)(`{3,}|~{3,})(.*)$/.exec(source);
  if (match === null) return undefined;
  const [, indent = '', marker = '', info = ''] = match;
  // A backtick fence's info string cannot hold backticks: ```a``` on one line is inline code.
  if (marker.startsWith('`') && info.includes('`')) return undefined;
  return { marker, indent: indent.length, language: info.trim().split(/\s+/)[0] ?? '' };
}

function closesFence(source: string, fence: Fence): boolean {
  const match = /^ *(`{3,}|~{3,})\s*$/.exec(source);
  const marker = match?.[1];
  return marker !== undefined && marker[0] === fence.marker[0] && marker.length >= fence.marker.length;
}

/** A line of code, verbatim; when wrapped it stays inside the block's margin. */
function codeLine(code: string): Line {
  return { spans: [{ text: CODE_INDENT + code, style: CODE }], indent: CODE_INDENT.length };
}

/** Code inside an indented fence (in a list item, say) loses as much of its indentation as the fence had. */
function stripIndent(source: string, indent: number): string {
  let start = 0;
  while (start < indent && source[start] === ' ') start += 1;
  return source.slice(start);
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$/;
const QUOTE = /^ {0,3}((?:> ?)+)(.*)$/;
const PIPE_LINE = /^\s*\|/;
const BULLET = /^( *)[-*+][ \t]+(.*)$/;
const ORDERED = /^( *)(\d{1,9}[.)])[ \t]+(.*)$/;

/** One line outside a code block, by the first kind of block it could be. */
function blockLine(source: string): Line {
  const heading = HEADING.exec(source);
  if (heading !== null) return headingLine(heading[1]!.length, heading[2] ?? '');
  if (THEMATIC_BREAK.test(source)) return { spans: [{ text: RULE, style: DIM }] };
  const quote = QUOTE.exec(source);
  if (quote !== null) return quoteLine(quote[1]!.split('>').length - 1, quote[2]!);
  // A table row with no table around it (no delimiter row): as written.
  if (PIPE_LINE.test(source)) return { spans: [{ text: source.trimEnd() }] };
  const bullet = BULLET.exec(source);
  if (bullet !== null) return listItem(`${bullet[1]!}• `, bullet[2]!);
  const ordered = ORDERED.exec(source);
  if (ordered !== null) return listItem(`${ordered[1]!}${ordered[2]!} `, ordered[3]!);
  return paragraphLine(source);
}

/** Whether blockLine would take the line for paragraph text. */
function isParagraph(source: string): boolean {
  return ![HEADING, THEMATIC_BREAK, QUOTE, PIPE_LINE, BULLET, ORDERED].some((pattern) => pattern.test(source));
}

type Alignment = 'left' | 'center' | 'right';

/** A table: its lines (one per source line, the delimiter row becoming a rule) and the index just past it. */
interface Table {
  lines: Line[];
  end: number;
}

/** Only these characters can make a delimiter row; checked before anything costlier, as every line is tried. */
const DELIMITER_CHARACTERS = /^[\s|:-]+$/;
const DELIMITER_CELL = /^:?-+:?$/;

/**
 * A GitHub-style table starting at `index`: a header row, a delimiter row with as many cells (`---`, `:---:`,
 * `---:`), then rows up to a blank line, a line without a pipe, or the start of another block (fence, heading, quote).
 */
function tableAt(sources: readonly string[], index: number): Table | undefined {
  const header = sources[index]!;
  const delimiter = sources[index + 1];
  if (delimiter === undefined || !DELIMITER_CHARACTERS.test(delimiter) || !delimiter.includes('-')) return undefined;
  if (HEADING.test(header) || QUOTE.test(header)) return undefined;
  const heads = tableCells(header);
  const marks = tableCells(delimiter);
  if (heads === undefined || marks === undefined || marks.length !== heads.length) return undefined;
  if (!marks.every((mark) => DELIMITER_CELL.test(mark))) return undefined;
  const rows = [heads];
  let end = index + 2;
  for (; end < sources.length; end++) {
    const source = sources[end]!;
    if (source.trim() === '' || openFence(source) !== undefined || HEADING.test(source) || QUOTE.test(source)) break;
    const cells = tableCells(source);
    if (cells === undefined) break;
    rows.push(cells);
  }
  const alignments = marks.map((mark): Alignment => {
    if (mark.endsWith(':')) return mark.startsWith(':') ? 'center' : 'right';
    return 'left';
  });
  const lead = header.length - header.trimStart().length;
  return { lines: tableLines(rows, alignments, lead), end };
}

/**
 * The cells of a table row, trimmed, or undefined when it has no pipe to separate them. Leading and trailing pipes
 * are optional; a backslash keeps the character after it from separating cells, and `\|` stands for a pipe in the cell
 * (even inside code). Other escapes are left for the inline rendering.
 */
function tableCells(source: string): string[] | undefined {
  const text = source.trim();
  const cells: string[] = [];
  let cell = '';
  let pipes = 0;
  let endsWithPipe = false;
  for (let at = 0; at < text.length; at++) {
    const character = text[at]!;
    endsWithPipe = false;
    if (character === '\\' && at + 1 < text.length) {
      const next = text[at + 1]!;
      cell += next === '|' ? next : character + next;
      at += 1;
    } else if (character === '|') {
      cells.push(cell.trim());
      cell = '';
      pipes += 1;
      endsWithPipe = true;
    } else {
      cell += character;
    }
  }
  if (pipes === 0) return undefined;
  if (!endsWithPipe) cells.push(cell.trim());
  if (text.startsWith('|')) cells.shift();
  return cells.length === 0 ? undefined : cells;
}

/**
 * A table's rows with every column padded to its widest cell, measured as rendered. Cells are read as inline
 * Markdown; the header is bold, and a dim rule takes the delimiter row's place. A row with more cells than the header
 * gets extra columns rather than losing text.
 */
function tableLines(rows: readonly string[][], alignments: readonly Alignment[], lead: number): Line[] {
  const columns = Math.max(...rows.map((row) => row.length));
  const cells = rows.map((row, rowIndex) =>
    Array.from({ length: columns }, (_, column): Span[] => {
      const spans = renderInline(row[column] ?? '');
      return rowIndex === 0 ? styled({ spans }, { bold: true }).spans : spans;
    }),
  );
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(1, ...cells.map((row) => textWidth(row[column]!.map((part) => part.text).join('')))),
  );
  const margin = lead > 0 ? [{ text: ' '.repeat(lead) }] : [];
  const rowLine = (row: Span[][]): Line => {
    const spans: Span[] = [...margin];
    // Empty cells at the end of a row are left out, and the last one shown is not padded on its right: a row ends
    // with no spaces for the screen to wrap.
    const shown = Math.max(1, row.findLastIndex((cell) => cell.some((part) => part.text !== '')) + 1);
    row.slice(0, shown).forEach((cell, column) => {
      const room = widths[column]! - textWidth(cell.map((part) => part.text).join(''));
      const alignment = alignments[column] ?? 'left';
      const before = alignment === 'right' ? room : alignment === 'center' ? Math.floor(room / 2) : 0;
      const after = column === shown - 1 ? 0 : room - before;
      if (column > 0) spans.push({ text: COLUMN_SEPARATOR, style: DIM });
      if (before > 0) spans.push({ text: ' '.repeat(before) });
      spans.push(...cell);
      if (after > 0) spans.push({ text: ' '.repeat(after) });
    });
    return lead > 0 ? { spans, indent: lead } : { spans };
  };
  const rule: Line = {
    spans: [...margin, { text: widths.map((width) => '─'.repeat(width)).join(RULE_JOINT), style: DIM }],
  };
  const [head = [], ...body] = cells;
  return [rowLine(head), rule, ...body.map(rowLine)];
}

function headingLine(level: number, content: string): Line {
  // A closing run of hashes is decoration ("## Title ##"), unless it is part of a word ("# C#").
  const title = content.replace(/(?:^|[ \t]+)#+[ \t]*$/, '').trim();
  return styled({ spans: renderInline(title) }, level <= 2 ? { bold: true, underline: true } : { bold: true });
}

/** Quoted content is read as a block of its own (a list item, a heading), dim, behind one bar per level. */
function quoteLine(depth: number, content: string): Line {
  const prefix = '│ '.repeat(depth);
  if (content.trim() === '') return { spans: [{ text: prefix.trimEnd(), style: DIM }] };
  const body = styled(blockLine(content.trimEnd()), DIM);
  return { spans: [{ text: prefix, style: DIM }, ...body.spans], indent: prefix.length + (body.indent ?? 0) };
}

/** A list item keeps its source indentation (which is what nests it) and hangs wrapped text under its first word. */
function listItem(marker: string, content: string): Line {
  return { spans: [{ text: marker }, ...renderInline(content.trimEnd())], indent: marker.length };
}

/** Leading spaces stay: under a list item they line the text up with the item's. */
function paragraphLine(source: string): Line {
  const content = source.trim();
  const lead = source.length - source.trimStart().length;
  const spans = renderInline(content);
  return lead === 0 ? { spans } : { spans: [{ text: ' '.repeat(lead) }, ...spans], indent: lead };
}

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
function renderInline(text: string, style?: SpanStyle): Span[] {
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
