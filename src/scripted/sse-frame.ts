/**
 * One Server-Sent Events frame. Responses frames carry an `event:` line naming the type; Chat frames do not.
 * `data` is always a single line (JSON never contains raw newlines), so one `data:` line suffices.
 */
export interface SseFrame {
  event?: string;
  data: string;
}

export function encodeFrame(frame: SseFrame): string {
  return `${frame.event === undefined ? '' : `event: ${frame.event}\n`}data: ${frame.data}\n\n`;
}

/** What the `malformedAfterEvents` fault sends: a frame whose data cannot be parsed as JSON. */
export const MALFORMED_FRAME = 'data: {"type": this is not json\n\n';
