/**
 * Streams SSE frames over an HTTP response, misbehaving as a step's faults say. Frames are counted as sent, so
 * `dropAfterEvents: 2` means the client receives exactly two whole frames and then the connection ends.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { StreamFaults } from './script.ts';
import { encodeFrame, MALFORMED_FRAME, type SseFrame } from './sse-frame.ts';

/** How a stream ended: all frames sent, cut by a fault, or abandoned by the client or a closing server. */
export type SendOutcome = 'completed' | 'dropped' | 'stalled' | 'gone';

export interface SendHooks {
  /**
   * Runs just before the last frame is written, while the connection is still healthy. The server stores a
   * response here: a client may send a request continuing it as soon as it reads the terminal event.
   */
  beforeLastFrame?: () => void;
}

function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.socket === null || res.socket.destroyed;
}

function closedOrAborted(res: ServerResponse, signal: AbortSignal): Promise<void> {
  if (isGone(res) || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('close', () => resolve());
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Ends the TCP connection after what was written is flushed, without finishing the chunked body. */
function drop(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  socket.end(() => socket.destroy());
}

export async function sendFrames(
  res: ServerResponse,
  frames: readonly SseFrame[],
  faults: StreamFaults,
  signal: AbortSignal,
  hooks: SendHooks = {},
): Promise<SendOutcome> {
  // A write to a connection the client closed raises 'error'; that is the client's choice, not a server failure.
  res.on('error', () => undefined);
  // A count beyond the stream's length means "after the last frame".
  const clamp = (count: number | undefined) => (count === undefined ? undefined : Math.min(count, frames.length));
  const dropAt = clamp(faults.dropAfterEvents);
  const stallAt = clamp(faults.stallAfterEvents);
  const malformedAt = clamp(faults.malformedAfterEvents);
  // With a rate, frame N is due N / rate seconds after the first; frames already due go out without a pause.
  let firstSentAt = 0;
  const paceWait = (index: number): number =>
    faults.eventsPerSecond ? Math.max(0, firstSentAt + (index * 1000) / faults.eventsPerSecond - performance.now()) : 0;
  for (let sent = 0; sent <= frames.length; sent += 1) {
    if (dropAt === sent) {
      drop(res);
      return 'dropped';
    }
    if (stallAt === sent) {
      await closedOrAborted(res, signal);
      return 'stalled';
    }
    if (malformedAt === sent && !isGone(res)) res.write(MALFORMED_FRAME);
    const frame = frames[sent];
    if (frame === undefined) break;
    const pause = sent === 0 ? 0 : (faults.delayMs ?? 0) + paceWait(sent);
    if (pause > 0) {
      try {
        await delay(pause, undefined, { signal });
      } catch {
        return 'gone'; // the server is closing; the abort is the expected way out of the pause
      }
    }
    if (isGone(res) || signal.aborted) return 'gone';
    if (sent === frames.length - 1) hooks.beforeLastFrame?.();
    if (sent === 0) firstSentAt = performance.now();
    res.write(encodeFrame(frame));
  }
  res.end();
  return 'completed';
}
