/**
 * The part of the live area that takes the keys: the prompt editor, an approval question, a list to pick from, or a
 * note that keel is busy. Each pane handles its own keys (as its keymap says) and draws itself; what a key asks of
 * the rest of the UI (send a prompt, stop the task, quit, answer the engine, close the pane) it returns, for the app
 * to do. A pane reads the view state but never changes it.
 */
import type { ReviewDecision } from '../../protocol/index.ts';
import type { ImageUserInput } from '../../util/load-image.ts';
import type { Key } from '../input/keys.ts';
import type { LiveCursor } from '../screen.ts';
import type { Line } from '../../util/text/styled.ts';

export type PaneKind = 'prompt' | 'approval' | 'picker' | 'busy';

export type PaneResult =
  /** Nothing for the app to do: the pane dealt with the key, or had no use for it. */
  | { type: 'handled' }
  /** The prompt's text, to be run as a /command or sent to the engine, with the images attached to it (read). */
  | { type: 'send'; text: string; images: readonly ImageUserInput[] }
  /** Stop the running task (nothing happens when none runs). */
  | { type: 'interrupt' }
  /** Quit; not `confirmed` (a first Ctrl+C), it only arms a second press that quits. */
  | { type: 'quit'; confirmed: boolean }
  /** The answer to the approval question on screen. */
  | { type: 'answer'; decision: ReviewDecision }
  /** The pane is done: it goes, and then `then` runs (what a pick starts may open a pane of its own). */
  | { type: 'close'; then: (() => void) | null };

export const HANDLED: PaneResult = { type: 'handled' };

/** Where a pane is drawn: the screen's width and height, and the rows the live area has above its footer. */
export interface PaneArea {
  width: number;
  height: number;
  room: number;
}

/** A pane's rows (already fitted to the width) and where the cursor goes in them, or null to hide it. */
export interface PaneView {
  rows: Line[];
  cursor: LiveCursor | null;
}

export interface Pane {
  readonly kind: PaneKind;
  handleKey(key: Key): PaneResult;
  render(area: PaneArea): PaneView;
}
