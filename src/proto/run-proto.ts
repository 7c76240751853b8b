/**
 * `keel proto`: the engine's own protocol over standard I/O, for programs that embed keel. Submissions `{id, op}`
 * come in as JSON lines, events `{id, seq, msg}` go out as JSON lines, starting with `session_configured`; nothing
 * else is ever written to stdout (diagnostics go to stderr).
 *
 * The session ends with a `shutdown` op, the end of input (which sends one), a closed stdout, or SIGINT / SIGTERM /
 * SIGHUP (which send one too: a running task is interrupted, its calls answered, the log flushed). In every case
 * `shutdown_complete` is the last line. A second signal leaves at once. Exit code: 0, or 128 + N when signal N ended
 * the session.
 */
import type { Agent } from '../core/agent.ts';
import type { Op } from '../protocol/index.ts';
import { EXIT_OK, SIGNAL_EXIT_CODES, type StopSignal } from '../util/exit-codes.ts';
import { parseSubmissionLine, PROTO_ID } from './parse-submission-line.ts';
import { ProtoWriter } from './proto-writer.ts';

export interface ProtoIo {
  /** Standard input, one string per line (line end removed), ending at EOF. */
  lines: AsyncIterable<string>;
  /** Writes one event line. Must not throw, also once the reader has gone (see `onOutputClosed`). */
  stdout(text: string): void;
  stderr(text: string): void;
  /** Subscribes to a stop signal; returns the unsubscribe function. */
  onSignal(signal: StopSignal, handler: () => void): () => void;
  /** Calls `handler` once if stdout's reader goes away (EPIPE): nobody hears the session any more. */
  onOutputClosed(handler: () => void): void;
  /** Leaves at once (a second signal); the caller stops every process keel started first. */
  exitNow(code: number): never;
}

export interface ProtoOptions {
  agent: Agent;
  io: ProtoIo;
}

/** What ended the session; only a signal changes the exit code. */
type Ending = { type: 'client' } | { type: 'end_of_input' } | { type: 'output_closed' } | { type: 'signal'; signal: StopSignal };

export async function runProto({ agent, io }: ProtoOptions): Promise<number> {
  const writer = new ProtoWriter(io.stdout);
  let ending: Ending | null = null;

  const submit = (clientId: string, op: Op): void => {
    writer.bind(agent.submit(op), clientId);
  };
  /** Sends the one `shutdown` of the session, unless one was sent already. */
  const shutDown = (why: Ending): void => {
    if (ending !== null) return;
    ending = why;
    submit(PROTO_ID, { type: 'shutdown' });
  };

  let signals = 0;
  const onStop = (signal: StopSignal) => () => {
    signals += 1;
    if (signals > 1) {
      io.stderr('keel proto: stopping now\n');
      io.exitNow(SIGNAL_EXIT_CODES[signal]);
    }
    io.stderr(`keel proto: ${signal}: shutting the session down (send it again to quit at once)\n`);
    shutDown({ type: 'signal', signal });
  };
  const unsubscribe = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => io.onSignal(signal, onStop(signal)));
  io.onOutputClosed(() => {
    io.stderr('keel proto: standard output was closed: shutting the session down\n');
    shutDown({ type: 'output_closed' });
  });

  const readInput = async (): Promise<void> => {
    let lineNumber = 0;
    for await (const line of io.lines) {
      lineNumber += 1;
      const verdict = parseSubmissionLine(line, lineNumber);
      if (verdict.type === 'blank') continue;
      // Nothing may follow `shutdown_complete`, so nothing more goes to the engine or to stdout.
      if (ending !== null) {
        io.stderr(`keel proto: line ${lineNumber} ignored: the session is shutting down\n`);
        continue;
      }
      if (verdict.type === 'malformed') {
        writer.protocolError(verdict.id, verdict.message);
        continue;
      }
      const { id, op } = verdict.submission;
      if (op.type === 'shutdown') ending = { type: 'client' };
      submit(id, op);
    }
    shutDown({ type: 'end_of_input' });
  };

  let reading: Promise<void> | null = null;
  try {
    for await (const event of agent.events) {
      writer.engineEvent(event);
      // Input is read only once `session_configured` is out: no protocol error can come before it.
      reading ??= readInput().catch((error: unknown) => {
        io.stderr(`keel proto: standard input failed (${(error as Error).message}): shutting the session down\n`);
        shutDown({ type: 'end_of_input' });
      });
    }
  } finally {
    for (const off of unsubscribe) off();
  }
  // `reading` is left as it is: input may stay open after a `shutdown` op; the caller closes it.
  const ended = ending as Ending | null;
  return ended?.type === 'signal' ? SIGNAL_EXIT_CODES[ended.signal] : EXIT_OK;
}
