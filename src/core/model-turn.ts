/**
 * One turn: a model request (re-sent on transient failures) and the tool work it triggers. Calls are recorded the
 * moment they arrive and run in call order while the stream goes on; every call gets its output recorded before
 * the turn returns — a real one, a partial one when interrupted, or `aborted` when it never started. When a
 * response's tool work changed files, `turn_diff` follows it with the task's diff so far.
 */
import { isToolCall, messageText, type MessageItem, type ResponseItem, type TokenUsage } from '../protocol/index.ts';
import type { ModelClient, ModelError, Prompt } from '../model/model-event.ts';
import { isRetryable } from '../model/model-error.ts';
import { retryDelayMs } from '../model/retry-schedule.ts';
import { abortableDelay } from '../util/abortable-delay.ts';
import type { PromptBuilder } from './prompt-builder.ts';
import type { TokenTotals } from './token-totals.ts';
import type { TurnContext } from './turn-context.ts';
import type { TaskFiles } from './task-files.ts';
import { runToolCall, type CallDeps } from './run-tool-call.ts';

export interface RetryOptions {
  /** How many times a failed request is re-sent before the error ends the turn. */
  maxRetries: number;
  random: () => number;
}

export interface TurnDeps extends CallDeps {
  client: ModelClient;
  prompts: PromptBuilder;
  retry: RetryOptions;
  tokens: TokenTotals;
  /** The usable context window of a model, when known (for the UIs' "context left"). */
  contextWindow(model: string): number | null;
  /** The running task's snapshots and diff; a new one for each task. */
  diff: TaskFiles;
}

export type TurnOutcome =
  | { type: 'completed'; toolCalls: number; lastAgentMessage: string | null; endTurn: boolean | null; usage: TokenUsage | null }
  | { type: 'failed'; error: ModelError }
  | { type: 'aborted' };

type CompletedSample = { type: 'completed'; toolCalls: number; lastAgentMessage: string | null; endTurn: boolean | null; usage: TokenUsage | null };

type SampleOutcome =
  | CompletedSample
  | { type: 'failed'; error: ModelError; toolCalls: number }
  | { type: 'aborted' };

export async function runTurn(deps: TurnDeps, context: TurnContext, signal: AbortSignal): Promise<TurnOutcome> {
  const outcome = await withRetries<CompletedSample>(deps, signal, async () => {
    for (const synthetic of deps.history.normalize()) deps.recorder.recordItem(synthetic);
    // The log must describe what is about to be sent before it is sent.
    await deps.recorder.flush();
    const { prompt, sent } = deps.prompts.build(context.model, deps.history.items);
    return sample(deps, prompt, sent, context, signal);
  });
  return outcome.type === 'failed' ? { type: 'failed', error: outcome.error } : outcome;
}

export type Attempt<T> = T | { type: 'failed'; error: ModelError } | { type: 'aborted' };

/**
 * Sends a request until it succeeds, fails in a way sending it again cannot help, or runs out of retries; each
 * retry is announced (`stream_error`) and waited for, and an interrupt ends the wait at once.
 */
export async function withRetries<T extends { type: 'completed' }>(
  deps: Pick<TurnDeps, 'retry' | 'emit'>,
  signal: AbortSignal,
  attempt: () => Promise<Attempt<T>>,
): Promise<Attempt<T>> {
  for (let number = 1; ; number++) {
    const outcome = await attempt();
    if (signal.aborted || outcome.type === 'aborted') return { type: 'aborted' };
    if (outcome.type !== 'failed') return outcome;
    const { error } = outcome;
    if (!isRetryable(error.kind) || number > deps.retry.maxRetries) return outcome;
    const delayMs = retryDelayMs(error, number, deps.retry.random);
    deps.emit({
      type: 'stream_error',
      kind: error.kind,
      attempt: number,
      max_attempts: deps.retry.maxRetries,
      delay_ms: delayMs,
      message: `retrying ${number}/${deps.retry.maxRetries} in ${formatDelay(delayMs)}: ${error.message}`,
    });
    if (!(await abortableDelay(delayMs, signal))) return { type: 'aborted' };
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

async function sample(
  deps: TurnDeps,
  prompt: Prompt,
  sent: readonly ResponseItem[],
  context: TurnContext,
  signal: AbortSignal,
): Promise<SampleOutcome> {
  const output: ResponseItem[] = [];
  let toolCalls = 0;
  let lastAgentMessage: string | null = null;
  let tools: Promise<void> = Promise.resolve();
  let changedFiles = false;
  const followUps: MessageItem[] = [];
  const diff = deps.diff;
  let terminal: { type: 'completed'; responseId: string | null; usage: TokenUsage | null; endTurn: boolean | null } | { type: 'failed'; error: ModelError } | null = null;

  for await (const event of deps.client.stream(prompt, signal)) {
    switch (event.type) {
      case 'created':
      case 'output_item_added':
        break;
      case 'text_delta':
        deps.emit({ type: 'agent_message_delta', delta: event.delta });
        break;
      case 'reasoning_summary_delta':
      case 'reasoning_content_delta':
        deps.emit({ type: 'agent_reasoning_delta', delta: event.delta });
        break;
      case 'output_item_done': {
        const item = event.item;
        if (item.type === 'message' && item.role === 'assistant') {
          record(deps, item, output);
          lastAgentMessage = messageText(item);
          deps.emit({ type: 'agent_message', message: lastAgentMessage });
        } else if (item.type === 'reasoning') {
          record(deps, item, output);
          // Chat servers send the raw thinking and no summary; it is shown the same way.
          const summary = item.summary.map((part) => part.text).join('\n\n');
          const text = summary || (item.content ?? []).map((part) => part.text).join('');
          if (text) deps.emit({ type: 'agent_reasoning', text });
        } else if (isToolCall(item)) {
          record(deps, item, output);
          toolCalls++;
          tools = tools.then(async () => {
            if (await runToolCall(deps, item, context, signal, diff, (message) => followUps.push(message))) changedFiles = true;
          });
        }
        // Anything else the model echoes back (outputs, user messages) is not part of its answer.
        break;
      }
      case 'completed':
        // The server holds this response from now on, even if its tool work is interrupted later.
        deps.prompts.completed(event.responseId, sent, output);
        terminal = event;
        break;
      case 'failed':
        terminal = event;
        break;
    }
  }
  await tools;
  // After every output of the response, so no message comes between a call and its answer.
  for (const message of followUps) {
    deps.history.record(message);
    deps.recorder.recordItem(message);
  }
  // Also when interrupted: the files did change, and the diff says how.
  if (changedFiles) {
    const unified = await diff.diffIfChanged(context.cwd);
    if (unified !== null) deps.emit({ type: 'turn_diff', unified_diff: unified });
  }
  if (signal.aborted) return { type: 'aborted' };
  if (terminal === null) {
    // The adapter contract promises a terminal event unless aborted; treat a broken promise as an incomplete stream.
    return { type: 'failed', toolCalls, error: { kind: 'stream_incomplete', message: 'stream ended without a result' } };
  }
  if (terminal.type === 'failed') return { type: 'failed', error: terminal.error, toolCalls };
  if (terminal.usage) deps.emit(deps.tokens.add(terminal.usage, deps.contextWindow(context.model)));
  return { type: 'completed', toolCalls, lastAgentMessage, endTurn: terminal.endTurn, usage: terminal.usage };
}

function record(deps: TurnDeps, item: ResponseItem, output: ResponseItem[]): void {
  deps.history.record(item);
  deps.recorder.recordItem(item);
  output.push(item);
}
