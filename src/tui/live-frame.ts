/**
 * The live area, bottom to top: the status line, the hint line, the pane that takes the keys, the prompts queued for
 * the running task, and above them whatever is in progress in the transcript (streamed text, running commands), given
 * the rows left over. The live area leaves one row of the screen free (see Screen).
 */
import type { Pane } from './panes/pane.ts';
import type { LiveCursor } from './screen.ts';
import { span, type Line } from '../util/text/styled.ts';
import { truncateLine, wrapLines } from '../util/text/wrap.ts';

export interface FrameParts {
  width: number;
  height: number;
  pane: Pane;
  queued: readonly string[];
  hint: Line;
  status: Line;
  /** The transcript's live rows, at most `maxRows` of them. */
  live(maxRows: number): Line[];
}

export function liveFrame(parts: FrameParts): { rows: Line[]; cursor: LiveCursor | null } {
  const { width, height } = parts;
  const footer = [truncateLine(parts.hint, width), parts.status];
  const room = height - 1 - footer.length;
  const bottom = parts.pane.render({ width, height, room });
  const queued = parts.queued.flatMap((text) => wrapLines([{ spans: [span(`↳ queued: ${text.replace(/\s+/g, ' ')}`, { dim: true })], indent: 2 }], width));
  const top = queued.length > 0 ? [{ spans: [] }, ...queued, { spans: [] }] : [{ spans: [] }];
  const live = parts.live(Math.max(0, room - bottom.rows.length - top.length));
  const above = live.length + top.length;
  const cursor = bottom.cursor === null ? null : { row: bottom.cursor.row + above, col: bottom.cursor.col };
  return { rows: [...live, ...top, ...bottom.rows, ...footer], cursor };
}
