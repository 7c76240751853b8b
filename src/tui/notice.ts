/** Lines of the UI's own (notes, answers), with a hanging indent. */
import { sanitize } from '../util/text/sanitize.ts';
import { span, type Line } from '../util/text/styled.ts';

/** A line of the UI's own; its text may quote a file, a log or an error, so it is made safe to draw. */
export function notice(text: string, color: 'red' | 'yellow' | 'cyan' | 'green' | null): Line {
  return { spans: [span(sanitize(text), color === null ? undefined : { color })], indent: 2 };
}
