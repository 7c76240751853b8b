/**
 * Styled text, the TUI's unit of output: a line is a list of spans, each with its own style. Everything the UI
 * draws is built as lines first, wrapped to the terminal's width, and turned into escape codes only at the end.
 * Span text never holds control characters or newlines (see `sanitize` in ./sanitize.ts).
 */
export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray';

export interface SpanStyle {
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  color?: Color;
}

export interface Span {
  text: string;
  style?: SpanStyle;
}

export interface Line {
  spans: Span[];
  /** Columns that rows after the first are indented by when the line is wrapped (list items, quoted output). */
  indent?: number;
}

export function span(text: string, style?: SpanStyle): Span {
  return style === undefined ? { text } : { text, style };
}

export function line(...spans: Array<Span | string>): Line {
  return { spans: spans.map((part) => (typeof part === 'string' ? { text: part } : part)) };
}

/** A line whose every span gets `style` added to its own. */
export function styled(target: Line, style: SpanStyle): Line {
  return { ...target, spans: target.spans.map((part) => ({ text: part.text, style: { ...style, ...part.style } })) };
}

export const EMPTY_LINE: Line = { spans: [] };

export function plainText(target: Line): string {
  return target.spans.map((part) => part.text).join('');
}

const COLOR_CODES: Record<Color, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };

/** SGR parameters for a style; colours are left out when `color` is false (NO_COLOR), attributes stay. */
function sgr(style: SpanStyle | undefined, color: boolean): string {
  if (style === undefined) return '';
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dim) codes.push(2);
  if (style.italic) codes.push(3);
  if (style.underline) codes.push(4);
  if (style.inverse) codes.push(7);
  if (color && style.color !== undefined) codes.push(COLOR_CODES[style.color]);
  return codes.length === 0 ? '' : `\u001b[${codes.join(';')}m`;
}

/** One row, already no wider than the screen, as text with escape codes; every style is reset at its end. */
export function lineToAnsi(row: Line, color: boolean): string {
  let out = '';
  for (const part of row.spans) {
    const open = sgr(part.style, color);
    out += open === '' ? part.text : `${open}${part.text}\u001b[0m`;
  }
  return out;
}
