/** /new and /resume: opening another session and putting it on screen in place of the one there. */
import type { NoteColor } from './run-slash-command.ts';
import { discard, type SessionFeed } from './session-feed.ts';
import type { SessionHandle } from './session-handle.ts';

/** What switching needs of the app. */
export interface SwitchHost {
  /** Whether a task runs in the session on screen: a switch waits until none does. */
  running(): boolean;
  /** Whether keel is leaving (a signal, a closed terminal): a session opened meanwhile is closed again, not shown. */
  leaving(): boolean;
  /** Shows a note that keel is busy, or (null) takes it away. */
  busy(message: string | null): void;
  note(text: string, color: NoteColor): void;
  /** The session on screen. */
  readonly shown: SessionFeed;
  /** Puts `next` on screen; the one before it has ended. */
  show(next: SessionHandle): void;
}

/** Opens a session with `open` (`what` names it in notes) and shows it once the current one has ended. */
export async function switchSession(host: SwitchHost, open: () => Promise<SessionHandle>, what: string): Promise<void> {
  if (host.running()) return host.note(`a task is running: interrupt it first (Esc), then ${what}`, 'yellow');
  host.busy(`opening ${what}…`);
  let next: SessionHandle;
  try {
    next = await open();
  } catch (error) {
    host.busy(null);
    return host.note(`could not open ${what}: ${(error as Error).message}`, 'red');
  }
  if (host.leaving()) return discard(next);
  await host.shown.end();
  if (host.leaving()) return discard(next);
  host.busy(null);
  host.show(next);
}
