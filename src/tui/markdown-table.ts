/**
 * GitHub-style tables in a message: found from their delimiter row, their cells read as inline Markdown, and their
 * columns lined up as rendered. They still give one line per source line, the delimiter row becoming a rule.
 */
import { renderInline } from './markdown-inline.ts';
import { styled, type Line, type Span, type SpanStyle } from '../util/text/styled.ts';
import { textWidth } from '../util/text/width.ts';

const DIM: SpanStyle = { dim: true };
const COLUMN_SEPARATOR = ' │ ';
const RULE_JOINT = '─┼─';

/** Whether a line starts a block of another kind (a fence, a heading, a quote): no table starts with or runs into one. */
export type BlockStart = (source: string) => boolean;

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
export function tableAt(sources: readonly string[], index: number, startsBlock: BlockStart): Table | undefined {
  const header = sources[index]!;
  const delimiter = sources[index + 1];
  if (delimiter === undefined || !DELIMITER_CHARACTERS.test(delimiter) || !delimiter.includes('-')) return undefined;
  if (startsBlock(header)) return undefined;
  const heads = tableCells(header);
  const marks = tableCells(delimiter);
  if (heads === undefined || marks === undefined || marks.length !== heads.length) return undefined;
  if (!marks.every((mark) => DELIMITER_CELL.test(mark))) return undefined;
  const rows = [heads];
  let end = index + 2;
  for (; end < sources.length; end++) {
    const source = sources[end]!;
    if (source.trim() === '' || startsBlock(source)) break;
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

