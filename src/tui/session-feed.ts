/**
 * One session on screen: its transcript view, fed with the session's recorded transcript (a resumed session) and then
 * with its events as they come, until the engine ends. What the events mean for the rest of the UI is the sink's
 * business; the feed only keeps them flowing, and a bug in drawing one of them from ending the session.
 */
import type { EventMsg } from '../protocol/index.ts';
import { notice } from './notice.ts';
import type { SessionHandle } from './session-handle.ts';
import type { Line } from './text/styled.ts';
import { TranscriptView } from './transcript.ts';

export interface FeedSink {
  /** An engine event, after the transcript took it in; `submission` is null for a replayed one. */
  event(msg: EventMsg, submission: string | null): void;
  /** Lines the transcript committed since the last call, to print. */
  committed(lines: Line[]): void;
}

const RESUMED = 'Resumed. Type a message to go on.';
const RESUMED_CUT_OFF =
  'Resumed. keel stopped in the middle of the last task; what was running was recorded as aborted. Type a message to go on.';

export class SessionFeed {
  readonly transcript: TranscriptView;
  private pump: Promise<void> = Promise.resolve();

  constructor(
    readonly handle: SessionHandle,
    version: string,
    private readonly sink: FeedSink,
  ) {
    this.transcript = new TranscriptView({ version });
  }

  /** Shows the recorded transcript, if there is one, then the live events. */
  start(): void {
    const { replay, cutOff } = this.handle;
    if (replay.length > 0) {
      // Shown as the engine's resume plan made it: one header, no stale questions, a cut-off task already closed.
      for (const msg of replay) this.take(msg, null, true);
      this.transcript.commitLines([notice(cutOff ? RESUMED_CUT_OFF : RESUMED, 'cyan')]);
      this.sink.committed(this.transcript.takeCommitted());
    }
    this.pump = this.consume();
  }

  /** Ends the session: the engine interrupts what runs, flushes and closes its log; resolves once all that is done. */
  async end(): Promise<void> {
    this.handle.agent.submit({ type: 'shutdown' });
    await this.pump;
  }

  private async consume(): Promise<void> {
    // A resumed session's header was shown before its transcript.
    const replayed = this.handle.replay.length > 0;
    for await (const event of this.handle.agent.events) {
      try {
        this.take(event.msg, event.id, !(replayed && event.msg.type === 'session_configured'));
      } catch (error) {
        // A bug in drawing one event must not end the session: the engine and the log go on regardless.
        this.transcript.commitLines([notice(`keel could not display a ${event.msg.type} event: ${(error as Error).message}`, 'red')]);
      }
      this.sink.committed(this.transcript.takeCommitted());
    }
    await this.handle.close();
  }

  private take(msg: EventMsg, submission: string | null, shown: boolean): void {
    if (shown) this.transcript.apply(msg);
    this.sink.event(msg, submission);
  }
}

/** Closes a session that was opened but will not be shown. */
export async function discard(handle: SessionHandle): Promise<void> {
  handle.agent.submit({ type: 'shutdown' });
  for await (const _event of handle.agent.events) {
    // Drained only so that the engine finishes and flushes.
  }
  await handle.close();
}
