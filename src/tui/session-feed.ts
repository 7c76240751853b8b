/**
 * One session on screen: its transcript view, fed with the session's recorded transcript (a resumed session) and then
 * with its events as they come, until the engine ends. What the events mean for the rest of the UI is the sink's
 * business; the feed only keeps them flowing, and a bug in drawing one of them from ending the session.
 *
 * A recorded transcript is shown under one header: its own first one (the session as it began), or, when it has none
 * up front (it begins at the session's last compaction, read from there on), the live session's, which it then waits
 * for. Headers of later runs inside it are not shown again either way.
 */
import type { EventMsg } from '../protocol/index.ts';
import { notice } from './notice.ts';
import type { SessionHandle } from './session-handle.ts';
import { span, type Line } from '../util/text/styled.ts';
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
  /** Whether the recorded transcript brought its own header, which then stands for the live one. */
  private ownHeader = false;
  /** Whether the recorded transcript waits for the live header, having none of its own (see the top of this file). */
  private replayPending = false;

  constructor(
    readonly handle: SessionHandle,
    version: string,
    private readonly sink: FeedSink,
  ) {
    this.transcript = new TranscriptView({ version });
  }

  /** Shows the recorded transcript, if there is one, then the live events. */
  start(): void {
    const [first] = this.handle.replay;
    if (first !== undefined) {
      this.ownHeader = first.type === 'session_configured';
      if (this.ownHeader) this.showReplay();
      else this.replayPending = true;
    }
    this.pump = this.consume();
  }

  /**
   * The recorded transcript as the engine's resume plan made it (no stale questions, a cut-off task already closed),
   * under its header, then the note that it resumed. One that begins at a compaction says so first.
   */
  private showReplay(): void {
    const { replay, cutOff, replayFromCompaction } = this.handle;
    if (this.ownHeader) this.take(replay[0]!, null, true);
    if (replayFromCompaction) this.transcript.commitLines([compactedEarlier(this.handle.agent.sessionId)]);
    // Later runs' headers are not shown again; the plan keeps them only in a transcript read from a compaction.
    for (const msg of replay) if (msg.type !== 'session_configured') this.take(msg, null, true);
    this.transcript.endReplay();
    this.transcript.commitLines([notice(cutOff ? RESUMED_CUT_OFF : RESUMED, 'cyan')]);
    this.sink.committed(this.transcript.takeCommitted());
  }

  /** Ends the session: the engine interrupts what runs, flushes and closes its log; resolves once all that is done. */
  async end(): Promise<void> {
    this.handle.agent.submit({ type: 'shutdown' });
    await this.pump;
  }

  private async consume(): Promise<void> {
    for await (const event of this.handle.agent.events) {
      try {
        // The recorded transcript's own header stands for the live one.
        this.take(event.msg, event.id, !(this.ownHeader && event.msg.type === 'session_configured'));
        // The engine's first event is its header, under which a recorded transcript without one is shown.
        if (this.replayPending) {
          this.replayPending = false;
          this.showReplay();
        }
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

/** The dim line over a transcript that begins at a compaction: what came before is in the log, and how to read it. */
function compactedEarlier(sessionId: string): Line {
  return { spans: [span(`The earlier part of this conversation was compacted; keel sessions show ${sessionId} shows all of it.`, { dim: true })] };
}

/** Closes a session that was opened but will not be shown. */
export async function discard(handle: SessionHandle): Promise<void> {
  handle.agent.submit({ type: 'shutdown' });
  for await (const _event of handle.agent.events) {
    // Drained only so that the engine finishes and flushes.
  }
  await handle.close();
}
