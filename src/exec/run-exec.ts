/**
 * The headless front end: one task, rendered for people or as JSON lines, then shutdown. It never reads input
 * while running. It ends with a verdict (exec-result.ts): `exec_result` before `shutdown_complete` with --json, one
 * line on stderr without. Exit codes: 0 completed, 1 failed (an error, or an answer that does not follow
 * --output-schema), 3 the quota is exhausted, 4 a refused or denied call with --fail-on-refusal, 130 interrupted
 * (SIGINT), 143 terminated (SIGTERM), 129 hung up (SIGHUP).
 */
import type { Agent } from '../core/agent.ts';
import type { UserInput } from '../protocol/index.ts';
import { SIGNAL_EXIT_CODES, type StopSignal } from '../util/exit-codes.ts';
import type { ExecResult } from './exec-result.ts';
import { HumanRenderer } from './human-renderer.ts';
import { jsonlEvent, jsonlHeader, jsonlResult } from './jsonl-renderer.ts';
import type { AnswerCheck, AnswerSchema } from './output-schema.ts';
import { RunTally } from './run-tally.ts';
import type { Style } from './style.ts';
import { verdictLine } from './verdict-line.ts';

export type { StopSignal } from '../util/exit-codes.ts';

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
  /** --output-schema: the format asked of the model and the check of its final answer; null: free text. */
  outputSchema?: AnswerSchema | null;
  /** --fail-on-refusal: a finished task with a refused or denied call exits 4 instead of 0. */
  failOnRefusal?: boolean;
  version: string;
  style: Style;
  io: ExecIo;
}

export async function runExec(options: ExecOptions): Promise<number> {
  const { agent, io, style } = options;
  const schema = options.outputSchema ?? null;
  const tally = new RunTally();
  let stoppedBy: StopSignal | null = null;
  let started = false;
  let lastMessage: string | null = null;
  /** The final answer checked against the schema; null until the task completed without an error, or no schema. */
  let answer: AnswerCheck | null = null;
  let result: ExecResult | null = null;
  const human = options.json
    ? null
    : new HumanRenderer({
        stdout: io.stdout,
        stderr: io.stderr,
        style,
        version: options.version,
        // With a schema, stdout gets the checked answer as compact JSON, or nothing.
        ...(schema === null ? {} : { finalAnswer: () => (answer?.type === 'valid' ? answer.json : null) }),
      });
  const verdict = (): ExecResult =>
    tally.verdict({ sessionId: agent.sessionId, stoppedBy, failOnRefusal: options.failOnRefusal === true, answerRejected: answer?.type === 'invalid' });

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
    if (schema !== null) {
      if (agent.setOutputSchema === undefined) throw new Error('this agent cannot ask the model for an output format');
      agent.setOutputSchema(schema.format);
    }
    if (options.json) io.stdout(jsonlHeader(agent.sessionId, options.version));
    if (options.prompt === null) {
      agent.submit({ type: 'continue_task' });
    } else {
      agent.submit({ type: 'add_to_history', text: options.prompt });
      agent.submit({ type: 'user_turn', items: [{ type: 'text', text: options.prompt }, ...(options.images ?? [])] });
    }
    for await (const event of agent.events) {
      const msg = event.msg;
      tally.observe(msg);
      // Checked before the event is rendered: the renderer prints what the check made of the answer.
      if (msg.type === 'task_complete' && schema !== null && !tally.failed) answer = schema.check(msg.last_agent_message);
      // The verdict is complete once the engine is done: every later event is the end of the session itself.
      if (msg.type === 'shutdown_complete') {
        result = verdict();
        if (options.json) io.stdout(jsonlResult(result));
      }
      if (options.json) io.stdout(jsonlEvent(event));
      else human!.render(event);
      if (msg.type === 'task_complete' && answer?.type === 'invalid') {
        io.stderr(style.red(`keel: the final answer does not follow --output-schema ${schema!.path}: ${answer.problem}\n`));
      }
      if (msg.type === 'task_started') started = true;
      // A turn refused before its task started (images for a model that takes none) ends the run too.
      if (msg.type === 'error' && !started) agent.submit({ type: 'shutdown' });
      if (msg.type === 'agent_message') lastMessage = msg.message;
      if (msg.type === 'task_complete' || msg.type === 'turn_aborted') agent.submit({ type: 'shutdown' });
    }
  } finally {
    for (const off of unsubscribe) off();
  }
  if (options.outputLastMessage !== null) await io.writeFile(options.outputLastMessage, lastMessage ?? '');
  // A signal that arrived after the task had finished did not change its outcome (the tally saw no turn_aborted).
  result ??= verdict();
  if (human) io.stderr(`${verdictLine(result, style)}\n`);
  return result.exit_code;
}
