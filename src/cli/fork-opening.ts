/** What `keel fork` and /fork say about a fork they made, in the UI and on the command line. */
import { readSnapshotEvents, type ForkedSession, type LoggedPrompt } from '../store/index.ts';
import { sanitize } from '../util/text/sanitize.ts';
import { sliceByWidth, textWidth } from '../util/text/width.ts';
import type { ForkRestore, SessionOpening } from '../tui/session-handle.ts';
import { SnapshotService } from '../core/snapshot-service.ts';
import { warn } from './warnings.ts';

/** The session a fork was made from, where it is recorded and the directory it works in. */
export interface ForkSource {
  id: string;
  path: string;
  cwd: string;
}

/** How the UI opens the fork: the note, the prompt forked at, in the box unsent, and the offer to put the files back. */
export function forkOpening(fork: ForkedSession, source: ForkSource, home: string): SessionOpening {
  return {
    note: `forked from ${source.id.slice(0, 8)} at prompt ${fork.prompt.number}: change the prompt below and send it`,
    draft: { text: fork.prompt.text, images: fork.prompt.imageInputs },
    restore: fork.snapshot === null ? null : forkRestore(home, source, fork.prompt.task),
  };
}

/** The source's task `task` and every later one undone, from the source's own snapshot records. */
function forkRestore(home: string, source: ForkSource, task: number): ForkRestore {
  const service = new SnapshotService({ home, cwd: source.cwd, sessionId: source.id, tasksSoFar: 0, recorded: readSnapshotEvents(source.path) });
  return {
    task,
    preview: () => service.undo({ task, andLater: true, preview: true, force: false }),
    apply: (force) => service.undo({ task, andLater: true, preview: false, force }),
  };
}

/** Damaged lines of the source are left out of the fork, as a resume of it would leave them out: said, not hidden. */
export function warnSkippedLines(fork: ForkedSession, sourcePath: string): void {
  for (const problem of fork.problems) warn(`${sourcePath}:${problem.line}: ${problem.message} (this line is left out of the fork)`);
}

/** A prompt's first line, safe to print, at most `width` columns (`…` where it was cut, or where more lines follow). */
export function promptHeadline(prompt: Pick<LoggedPrompt, 'text' | 'images'>, width: number): string {
  const lines = prompt.text.trim().split('\n');
  let shown = sanitize(lines[0]!.trim());
  if (shown === '') shown = prompt.images.length > 0 ? `[image: ${sanitize(prompt.images.join(', '))}]` : '(empty)';
  const cut = lines.length > 1;
  if (textWidth(shown) + (cut ? 1 : 0) <= width) return cut ? `${shown}…` : shown;
  return `${sliceByWidth(shown, Math.max(0, width - 1)).head.trimEnd()}…`;
}

/** The numbered list `keel fork SESSION_ID` prints, one prompt a line, each at most `width` columns. */
export function promptList(prompts: readonly LoggedPrompt[], width: number): string[] {
  const digits = String(prompts.length).length;
  return prompts.map((prompt) => {
    const number = `${String(prompt.number).padStart(digits)}. `;
    const marks = [prompt.images.length > 0 ? `${prompt.images.length} image${prompt.images.length === 1 ? '' : 's'}` : '', prompt.queued ? 'queued' : '']
      .filter((mark) => mark !== '')
      .map((mark) => `  (${mark})`)
      .join('');
    const room = Math.max(8, width - number.length - marks.length);
    return `${number}${promptHeadline(prompt, room)}${marks}`;
  });
}
