/**
 * One frame of the live area from what the UI knows: the view state's status line, hint and queued prompts around
 * the pane that takes the keys, and the transcript's live rows above them.
 */
import { runningCount } from './background-state.ts';
import { hintLine } from './hint-line.ts';
import { promptLabel } from './image-labels.ts';
import { liveFrame } from './live-frame.ts';
import type { Pane } from './panes/pane.ts';
import type { Screen } from './screen.ts';
import { statusLine } from './status-line.ts';
import type { TranscriptView } from './transcript.ts';
import type { ViewState } from './view-state.ts';

export interface FrameSources {
  view: ViewState;
  pane: Pane;
  transcript: TranscriptView;
  /** The prompt's text, for the hint line. */
  promptText: string;
  /** Whether one more Ctrl+C quits. */
  quitArmed: boolean;
  home: string | undefined;
  now: number;
}

export function drawFrame(screen: Screen, sources: FrameSources): void {
  const { view, pane, now } = sources;
  const width = screen.columns;
  // Until the session says how it is configured, the status line would show defaults, not the settings in force.
  const status = view.status.model === '' ? { spans: [] } : statusLine(view.status, width, sources.home, runningCount(view.background));
  const frame = liveFrame({
    width,
    height: screen.rows,
    pane,
    queued: view.queued.map((prompt) => promptLabel(prompt.text, prompt.images.map((image) => image.name ?? 'image'))),
    hint: hintLine(view, pane.kind, sources.promptText, sources.quitArmed, now),
    status,
    live: (maxRows) => sources.transcript.live(width, maxRows, now),
  });
  screen.setLive(frame.rows, frame.cursor);
  screen.render();
}
