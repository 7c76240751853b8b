/**
 * Head-and-tail truncation of text for the model: when a text is over a byte or a line budget, keep its first lines
 * and its last lines and say, in between, exactly what was left out. Budgets count UTF-8 bytes, cuts never fall
 * inside a character, and the work is linear in the input (only the two ends are scanned line by line).
 *
 * The core works on a text known only by its two ends (`TextExtremes`), so output captured by a bounded
 * `HeadTailBuffer` truncates exactly as the whole text would, as long as each kept end is at least half the budget.
 */

export interface TruncationLimits {
  /** Budget for the kept text, in UTF-8 bytes; at most half of it goes to the head. */
  maxBytes: number;
  /** Budget in lines; half (rounded down) for the head, the rest for the tail. */
  maxLines: number;
}

export const DEFAULT_TRUNCATION_LIMITS: TruncationLimits = { maxBytes: 10 * 1024, maxLines: 256 };

/**
 * A text known by its first and last bytes. When nothing was dropped, `head` and `tail` may both be the whole text.
 * Contract: `head` is bytes `[0, head.length)` and `tail` is bytes `[totalBytes - tail.length, totalBytes)` of the
 * text; `newlineCount` counts `\n` in the whole text; `tail` is non-empty whenever `totalBytes > 0`.
 */
export interface TextExtremes {
  head: Buffer;
  tail: Buffer;
  totalBytes: number;
  newlineCount: number;
}

const NEWLINE = 0x0a;

export function truncateForModel(text: string, limits: Partial<TruncationLimits> = {}): string {
  const bytes = Buffer.from(text, 'utf8');
  return truncateExtremes({ head: bytes, tail: bytes, totalBytes: bytes.length, newlineCount: countNewlines(bytes) }, limits);
}

/** Lines as a reader counts them: a final newline does not start another line; an empty text has none. */
export function countLines(totalBytes: number, newlineCount: number, lastByte: number | undefined): number {
  if (totalBytes === 0) return 0;
  return lastByte === NEWLINE ? newlineCount : newlineCount + 1;
}

export function truncateExtremes(text: TextExtremes, partialLimits: Partial<TruncationLimits> = {}): string {
  const limits = { ...DEFAULT_TRUNCATION_LIMITS, ...partialLimits };
  const { head, tail, totalBytes: total } = text;
  const lastByte = tail.length > 0 ? tail[tail.length - 1] : head[total - 1];
  const totalLines = countLines(total, text.newlineCount, lastByte);
  const complete = head.length >= total;
  if (complete && total <= limits.maxBytes && totalLines <= limits.maxLines) return head.toString('utf8', 0, total);

  const headLines = Math.floor(limits.maxLines / 2);
  const tailLines = limits.maxLines - headLines;

  const headCut = cutHead(head, Math.min(Math.floor(limits.maxBytes / 2), head.length, total), headLines);
  const tailOffset = total - tail.length;
  const minTailStart = Math.max(tailOffset, total - (limits.maxBytes - headCut.end), headCut.end);
  const tailCut = cutTail(tail, tailOffset, minTailStart, tailLines);

  const omittedBytes = tailCut.start - headCut.end;
  const middleNewlines = text.newlineCount - headCut.newlines - countNewlines(tail, tailCut.start - tailOffset);
  const headEndsClean = headCut.end === 0 || head[headCut.end - 1] === NEWLINE;
  // A head cut inside a line leaves that line partly shown; its newline is the first one of the middle.
  const omittedLines = Math.max(0, middleNewlines - (headEndsClean ? 0 : 1));

  let marker: string;
  if (headEndsClean && tailCut.clean) marker = `[... omitted ${omittedLines} of ${totalLines} lines ...]`;
  else if (omittedLines > 0) marker = `[... omitted ${omittedLines} of ${totalLines} lines (${omittedBytes} of ${total} bytes) ...]`;
  else marker = `[... omitted ${omittedBytes} of ${total} bytes ...]`;

  return (
    `Total output lines: ${totalLines}\n\n` +
    head.toString('utf8', 0, headCut.end) +
    `\n${marker}\n\n` +
    tail.toString('utf8', tailCut.start - tailOffset)
  );
}

interface HeadCut {
  /** Exclusive end of the kept head. */
  end: number;
  /** Newlines in `[0, end)`. */
  newlines: number;
}

/** The first `maxLines` lines of `head`, or fewer bytes than that when they do not fit in `limit`. */
function cutHead(head: Buffer, limit: number, maxLines: number): HeadCut {
  let newlines = 0;
  let from = 0;
  while (newlines < maxLines) {
    const at = head.indexOf(NEWLINE, from);
    if (at === -1 || at >= limit) break;
    newlines++;
    from = at + 1;
    if (newlines === maxLines) return { end: at + 1, newlines };
  }
  // Bytes between the last newline and the character boundary are never newlines, so the count stays right.
  return { end: charBoundaryAtOrBefore(head, limit), newlines };
}

interface TailCut {
  /** Absolute start of the kept tail. */
  start: number;
  /** Whether `start` is the start of a line (as far as the kept bytes can tell). */
  clean: boolean;
}

/** The last `maxLines` lines, starting no earlier than `minStart` (absolute); `offset` is where `tail` begins. */
function cutTail(tail: Buffer, offset: number, minStart: number, maxLines: number): TailCut {
  const total = offset + tail.length;
  if (minStart >= total) return { start: total, clean: total === 0 || tail[tail.length - 1] === NEWLINE };
  // A final newline ends the last line rather than starting an empty one.
  let from = tail[tail.length - 1] === NEWLINE ? tail.length - 2 : tail.length - 1;
  let found = 0;
  while (found < maxLines && from >= 0) {
    const at = tail.lastIndexOf(NEWLINE, from);
    if (at === -1 || offset + at + 1 < minStart) break;
    found++;
    if (found === maxLines) return { start: offset + at + 1, clean: true };
    from = at - 1;
  }
  const start = offset + charBoundaryAtOrAfter(tail, minStart - offset);
  // The byte before `start` is known only when it is still inside `tail`; otherwise call it unclean (honest marker).
  const clean = start === 0 || (start - 1 >= offset && tail[start - 1 - offset] === NEWLINE);
  return { start, clean };
}

export function countNewlines(bytes: Buffer, from = 0): number {
  let count = 0;
  let at = bytes.indexOf(NEWLINE, from);
  while (at !== -1) {
    count++;
    at = bytes.indexOf(NEWLINE, at + 1);
  }
  return count;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** Length a UTF-8 lead byte announces (1 for ASCII and for bytes that cannot lead). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead < 0xf8) return 4;
  if (lead >= 0xe0) return lead < 0xf0 ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1;
}

/**
 * The largest cut `<= at` that does not split a character, judged from bytes before `at` only (the byte at `at`
 * may not be known when the middle of a text was dropped).
 */
export function charBoundaryAtOrBefore(bytes: Buffer, at: number): number {
  let lead = at - 1;
  let back = 0;
  while (lead >= 0 && back < 3 && isContinuation(bytes[lead])) {
    lead--;
    back++;
  }
  if (lead < 0) return at;
  const leadByte = bytes[lead] as number;
  if (leadByte < 0xc0) return at;
  return lead + sequenceLength(leadByte) > at ? lead : at;
}

/** The smallest cut `>= at` that does not split a character. */
export function charBoundaryAtOrAfter(bytes: Buffer, at: number): number {
  let cut = at;
  let skipped = 0;
  while (cut < bytes.length && skipped < 3 && isContinuation(bytes[cut])) {
    cut++;
    skipped++;
  }
  return cut;
}
