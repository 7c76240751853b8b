/**
 * The headless front end: one task, rendered for people or as JSON lines, then shutdown. It never reads input
 * while running. Exit codes: 0 done, 1 the task ended in an error, 130 interrupted (SIGINT), 143 terminated (SIGTERM).
 */
import type { Agent } from '../core/agent.ts';
import type { UserInput } from '../protocol/index.ts';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_TASK_ERROR, SIGNAL_EXIT_CODES, type StopSignal } from '../util/exit-codes.ts';

export type { StopSignal } from '../util/exit-codes.ts';
import { HumanRenderer } from './human-renderer.ts';
import { jsonlEvent, jsonlHeader } from './jsonl-renderer.ts';
import type { Style } from './style.ts';



export interface ExecIo {
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(path: string, text: string): Promise<void>;
  /** Subscribes to a stop signal; returns the unsubscribe function. */
  onSignal(signal: StopSignal, handler: () => void): () => void;
  /** Leaves at once (a second Ctrl+C): the caller stops every process keel started before exiting. */
  exitNow(code: number): never;
}

export interface ExecOptions {
  agent: Agent;
  /** The task; null continues the session's cut-off task (a resume without a prompt). */
  prompt: string | null;
  /** Sent with the prompt, after its text (`keel exec -i`); none without a prompt. */
  images?: readonly UserInput[];
  json: boolean;
  outputLastMessage: string | null;
  version: string;
  style: Style;
  io: ExecIo;
}


export async function runExec(options: ExecOptions): Promise<number> {
  const { agent, io, style } = options;
  const human = options.json ? null : new HumanRenderer({ stdout: io.stdout, stderr: io.stderr, style, version: options.version });
  let stoppedBy: StopSignal | null = null;
  let failed = false;
  let aborted = false;
  let started = false;
  let lastMessage: string | null = null;

  const onStop = (signal: StopSignal) => () => {
    if (stoppedBy !== null) {
      if (human) io.stderr(style.red('stopping now\n'));
      io.exitNow(SIGNAL_EXIT_CODES[signal]);
    }
    stoppedBy = signal;
    if (human) io.stderr(style.yellow(`\n${signal === 'SIGINT' ? 'Ctrl+C' : signal}: interrupting the task (press Ctrl+C again to quit at once)\n`));
    agent.submit({ type: 'interrupt' });
  };
  const unsubscribe = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => io.onSignal(signal, onStop(signal)));

  try {
    if (options.json) io.stdout(jsonlHeader(agent.sessionId, options.version));
    if (options.prompt === null) {
      agent.submit({ type: 'continue_task' });
    } else {
      agent.submit({ type: 'add_to_history', text: options.prompt });
      agent.submit({ type: 'user_turn', items: [{ type: 'text', text: options.prompt }, ...(options.images ?? [])] });
    }
    for await (const event of agent.events) {
      if (options.json) io.stdout(jsonlEvent(event));
      else human!.render(event);
      const msg = event.msg;
      if (msg.type === 'task_started') started = true;
      if (msg.type === 'error') failed = true;
      // A turn refused before its task started (images for a model that takes none) ends the run too.
      if (msg.type === 'error' && !started) agent.submit({ type: 'shutdown' });
      if (msg.type === 'turn_aborted') aborted = true;
      if (msg.type === 'agent_message') lastMessage = msg.message;
      if (msg.type === 'task_complete' || msg.type === 'turn_aborted') agent.submit({ type: 'shutdown' });
    }
  } finally {
    for (const off of unsubscribe) off();
  }
  if (options.outputLastMessage !== null) await io.writeFile(options.outputLastMessage, lastMessage ?? '');
  // A signal that arrived after the task had finished did not change its outcome.
  if (stoppedBy !== null && aborted) return SIGNAL_EXIT_CODES[stoppedBy];
  if (aborted) return EXIT_INTERRUPTED;
  return failed ? EXIT_TASK_ERROR : EXIT_OK;
}
