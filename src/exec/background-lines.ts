/**
 * How `keel exec` tells people about background processes (`exec_command` left running, `write_stdin` talking to
 * them, the ones keel stopped as it left). Pure apart from the clock it is given: it returns lines, the renderer
 * styles and prints them.
 *
 * Lifecycle it relies on (events.ts): a backgrounded `exec_command_end` carries the `process_id` that later
 * `write_stdin` calls (begin with `interaction_input`) name; `background_processes` lists the whole set whenever it
 * changes, and the session's shutdown stops every running one before `shutdown_complete`, so the last list seen
 * before that event says which ones it stopped.
 */
import { scriptOf } from '../util/command-line.ts';
import { formatDuration } from '../util/format-duration.ts';
import type { BackgroundProcess, EventOf } from '../protocol/index.ts';
import { quoteArgv } from '../util/shell-quote.ts';

/** A `write_stdin` call between its begin and end. */
interface Interaction {
  processId: number;
  /** '' for a poll. */
  input: string;
}

export type InteractionLine =
  /** Nothing to show now: a poll that found nothing new, right after another one (counted, said with the next line). */
  | { type: 'quiet' }
  | { type: 'shown'; tone: 'plain' | 'ok' | 'failed' | 'stopped'; line: string };

/** Commands are cut to this many characters in one-line notes (the `$` line shows them whole). */
const NOTE_COMMAND_CHARS = 60;
const INPUT_CHARS = 40;

export class BackgroundLines {
  private readonly interactions = new Map<string, Interaction>();
  /** Scripts of the processes seen going to the background, by id (write_stdin's begin only has the argv). */
  private readonly scripts = new Map<number, string>();
  /** Per process: quiet polls not shown since its last shown line, and whether the last thing shown was one. */
  private readonly quiet = new Map<number, { lastWasQuiet: boolean; hidden: number }>();
  private listed: readonly BackgroundProcess[] = [];
  /** When each process was first listed as stopped (epoch ms), for how long it had run. */
  private readonly stoppedAt = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * What the `$` line shows for a begin: for `exec_command` the script as the model wrote it (not the `bash -lc`
   * around it). Null for a `write_stdin` call, which shows nothing until it ends (one line per interaction).
   */
  begin(msg: EventOf<'exec_command_begin'>): string | null {
    if (msg.interaction_input !== undefined && msg.process_id !== undefined) {
      this.interactions.set(msg.call_id, { processId: msg.process_id, input: msg.interaction_input });
      return null;
    }
    return msg.process_id !== undefined ? scriptOf(msg.command) : quoteArgv(msg.command);
  }

  /** Whether this end closes a `write_stdin` call (then `interaction` renders it, not the command renderer). */
  isInteraction(callId: string): boolean {
    return this.interactions.has(callId);
  }

  /** The line that says an `exec_command` went on running; `script` is what its `$` line showed. */
  backgrounded(processId: number | undefined, script: string): string {
    if (processId === undefined) return `▸ running in background: ${script}`;
    this.scripts.set(processId, script);
    return `▸ running in background as session ${processId}: ${script}`;
  }

  /** The one line of a `write_stdin` call, from its end. */
  interaction(msg: EventOf<'exec_command_end'>): InteractionLine {
    const call = this.interactions.get(msg.call_id)!;
    this.interactions.delete(msg.call_id);
    const id = call.processId;
    const counter = this.quiet.get(id) ?? { lastWasQuiet: false, hidden: 0 };
    this.quiet.set(id, counter);
    const isQuiet = call.input === '' && msg.status === 'backgrounded' && msg.aggregated_output === '';
    if (isQuiet && counter.lastWasQuiet) {
      counter.hidden++;
      return { type: 'quiet' };
    }
    const hidden = counter.hidden > 0 ? ` (after ${counter.hidden} more ${counter.hidden === 1 ? 'poll' : 'polls'} with no output)` : '';
    counter.lastWasQuiet = isQuiet;
    counter.hidden = 0;
    const script = this.scripts.get(id);
    const what = call.input === '' ? 'polled' : `sent ${visibleInput(call.input)}`;
    const head = `↳ session ${id}${script === undefined ? '' : ` (${cut(script, NOTE_COMMAND_CHARS)})`} · ${what}${hidden}`;
    switch (msg.status) {
      case 'backgrounded':
        return { type: 'shown', tone: 'plain', line: `${head} · still running` };
      case 'aborted':
        return { type: 'shown', tone: 'stopped', line: `${head} · stopped waiting; it is still running` };
      case 'completed':
        return { type: 'shown', tone: 'ok', line: `${head} · ✓ exited with code 0` };
      case 'failed':
      case 'timed_out':
        return { type: 'shown', tone: 'failed', line: `${head} · ✗ exited with code ${msg.exit_code ?? '?'}` };
    }
  }

  /** Takes the latest list of the session's background processes. */
  update(msg: EventOf<'background_processes'>): void {
    this.listed = msg.processes;
    for (const process of msg.processes) {
      if (process.status === 'stopped' && !this.stoppedAt.has(process.id)) this.stoppedAt.set(process.id, this.now());
    }
  }

  /**
   * At `shutdown_complete`: `stopped 2 background processes at exit: 3 \`npm run dev\` (running 1m 02s), 4 …`, or null
   * when keel stopped none.
   */
  stoppedAtExit(): string | null {
    const stopped = this.listed.filter((process) => process.status === 'stopped');
    if (stopped.length === 0) return null;
    const each = stopped.map((process) => {
      const ran = (this.stoppedAt.get(process.id) ?? this.now()) - process.started_at;
      return `${process.id} \`${cut(process.command, NOTE_COMMAND_CHARS)}\` (running ${formatDuration(ran)})`;
    });
    const noun = stopped.length === 1 ? 'background process' : 'background processes';
    return `stopped ${stopped.length} ${noun} at exit: ${each.join(', ')}`;
  }
}



/** Input as a JSON string, so a newline or Ctrl+C shows as `\n` or `\u0003` and not as a broken line. */
function visibleInput(chars: string): string {
  return cut(JSON.stringify(chars), INPUT_CHARS);
}

function cut(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
