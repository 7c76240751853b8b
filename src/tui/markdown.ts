/**
 * Markdown for the terminal: an assistant message turned into styled logical lines (wrapping comes later). It is a
 * line-by-line reading of the parts of Markdown models actually write, not a CommonMark implementation: every source
 * line gives at most one output line, so a message that is still streaming renders the same way it will when done,
 * and anything not understood is shown as written. Tables are the one block read as a whole, to line their columns
 * up, but they too give one line per source line (the delimiter row becomes a rule).
 */
import { renderInline } from './markdown-inline.ts';
import { tableAt } from './markdown-table.ts';
import { sanitizeLines } from '../util/text/sanitize.ts';
import type { Line, SpanStyle } from '../util/text/styled.ts';
import { styled } from '../util/text/styled.ts';

const CODE: SpanStyle = { color: 'cyan' };
const DIM: SpanStyle = { dim: true };
const CODE_INDENT = '    ';
const RULE = '─'.repeat(20);

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
    const table = tableAt(sources, index, startsBlock);
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

/** Whether a line starts a block that a table cannot run into: a fence, a heading, a quote. */
function startsBlock(source: string): boolean {
  return openFence(source) !== undefined || HEADING.test(source) || QUOTE.test(source);
}

/** Whether blockLine would take the line for paragraph text. */
function isParagraph(source: string): boolean {
  return ![HEADING, THEMATIC_BREAK, QUOTE, PIPE_LINE, BULLET, ORDERED].some((pattern) => pattern.test(source));
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

