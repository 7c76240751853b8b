/**
 * The one writer of `keel proto`'s standard output: every line is an event `{id, seq, msg}`, whether the engine
 * emitted it or the protocol layer did (an `error` for a malformed input line).
 *
 * Numbering: `seq` is the event's position on stdout, from 0 (`session_configured`), one more for every line. The
 * engine numbers its own events the same way, so the two agree until the first protocol error; from then on the
 * writer's number is the one the client sees. The engine's numbers are never shown (they are not needed: the log
 * does not record them), so a client can rely on seq growing by exactly one from line to line.
 *
 * Ids: the engine's facade names submissions itself ("1", "2", …); the writer translates them back to the ids the
 * client gave. Events no submission caused keep the engine's own ids (`init` on `session_configured`,
 * `background` on background process changes).
 */
import type { Event, EventMsg } from '../protocol/index.ts';

export class ProtoWriter {
  private seq = 0;
  /** Engine submission id → the client's id. */
  private readonly clientIds = new Map<string, string>();

  /** `write` gets one whole line, newline included. It must not throw (a closed pipe is the caller's business). */
  constructor(private readonly write: (line: string) => void) {}

  /** Events whose id is `engineId` go out under `clientId`. Call it as soon as the engine named the submission. */
  bind(engineId: string, clientId: string): void {
    this.clientIds.set(engineId, clientId);
  }

  engineEvent(event: Event): void {
    this.emit(this.clientIds.get(event.id) ?? event.id, event.msg);
  }

  /** A problem of the protocol itself (a malformed line): an `error` with no model error kind. */
  protocolError(id: string, message: string): void {
    this.emit(id, { type: 'error', message, kind: null });
  }

  /** How many events were written so far (the next one's seq). */
  get written(): number {
    return this.seq;
  }

  private emit(id: string, msg: EventMsg): void {
    const event: Event = { id, seq: this.seq++, msg };
    this.write(`${JSON.stringify(event)}\n`);
  }
}
