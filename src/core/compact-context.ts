/**
 * Compacting a session's context: one ordinary model request (the history plus the summary instruction, no tools)
 * whose answer replaces the history (see compaction.ts for what the new history holds).
 *
 * Safety: nothing changes until the summary is in hand. The new history is then written to the log as one record
 * and made durable before it is used, so a kill at any point leaves the old history or the new one, never a mix.
 * A failed or interrupted summary request leaves the history as it was. Every call is answered before the cut
 * (the history is normalized first), so no call or output can straddle it.
 *
 * When the history is too big even to be summarized, the summary is written from a cut-down copy: first with
 * reasoning dropped and long outputs trimmed, then from only the newest part of it (after the user's own messages,
 * so the task is never lost). A warning says so.
 */
import type { CompactionReason, MessageItem, ResponseItem, TokenUsage } from '../protocol/index.ts';
import { messageText } from '../protocol/index.ts';
import type { ModelError, Prompt } from '../model/model-event.ts';
import {
  compactedHistory,
  compactionCut,
  estimateFixedTokens,
  estimateTokens,
  hasModelWork,
  largestPart,
  shrunkForSummary,
  summaryRequestMessage,
  userMessagesBudget,
} from './compaction.ts';
import { formatTokens } from '../util/format-tokens.ts';
import { withRetries, type Attempt, type TurnDeps } from './model-turn.ts';

export type CompactionDeps = Pick<TurnDeps, 'client' | 'prompts' | 'history' | 'recorder' | 'retry' | 'emit' | 'tokens' | 'contextWindow'>;

export interface CompactionRequest {
  reason: CompactionReason;
  model: string;
  /** The person's addition to the instruction (`/compact keep the API notes`); null: none. */
  instruction: string | null;
  projectInstructions: MessageItem | null;
  /** The full current environment message. */
  environment: MessageItem;
  /** Compactions before this one, over the session's life. */
  previous: number;
  /** The total tokens the server last reported for this session's context; null: unknown. */
  lastReported: number | null;
}

export type CompactionOutcome =
  | { type: 'compacted'; tokensBefore: number; tokensAfter: number; number: number }
  /** There is nothing the model has said or done yet that a summary could replace. */
  | { type: 'nothing_to_compact' }
  | { type: 'failed'; error: ModelError }
  | { type: 'aborted' };

/** Shares of the (trimmed) history a cut-down summary request keeps, tried in turn after the whole one. */
const SHRINK_SHARES = [1, 0.5, 0.25, 0.1];

export async function compactContext(deps: CompactionDeps, request: CompactionRequest, signal: AbortSignal): Promise<CompactionOutcome> {
  for (const synthetic of deps.history.normalize()) deps.recorder.recordItem(synthetic);
  const items = [...deps.history.items];
  const cut = compactionCut(items);
  const summarized = items.slice(0, cut);
  if (!hasModelWork(summarized)) return { type: 'nothing_to_compact' };
  deps.emit({ type: 'compaction_started', reason: request.reason });
  await deps.recorder.flush();

  const instruction = summaryRequestMessage(request.instruction);
  const budget = userMessagesBudget(deps.contextWindow(request.model));
  let result = await summarize(deps, deps.prompts.summary(request.model, [...summarized, instruction], false), signal);
  let usedShare: number | null = null;
  for (const share of SHRINK_SHARES) {
    if (result.type !== 'failed' || result.error.kind !== 'context_window_exceeded') break;
    const shrunk = shrunkForSummary(summarized, share, budget);
    usedShare = share;
    result = await summarize(deps, deps.prompts.summary(request.model, [...shrunk.items, instruction], true), signal);
  }
  if (result.type === 'aborted') return result;
  if (result.type === 'failed') {
    if (result.error.kind !== 'context_window_exceeded') return result;
    const fixed = estimateFixedTokens(deps.prompts.fixedParts.instructions, []);
    const biggest = largestPart(shrunkForSummary(summarized, SHRINK_SHARES.at(-1)!, budget).items, fixed);
    return {
      type: 'failed',
      error: {
        kind: 'context_window_exceeded',
        message:
          `the conversation cannot be compacted: even its newest tenth, with long outputs trimmed, does not fit ` +
          `${request.model}'s context window (${result.error.message}). The biggest part is ${biggest.what}, about ` +
          `${formatTokens(biggest.tokens)} tokens. Start a new session and give it the task again, or use a model ` +
          `with a larger context window.`,
      },
    };
  }
  const history = compactedHistory({
    projectInstructions: request.projectInstructions,
    environment: request.environment,
    summarized,
    summary: result.summary,
    tail: items.slice(cut),
    userMessagesBudget: budget,
  });
  const fixed = estimateFixedTokens(deps.prompts.fixedParts.instructions, deps.prompts.fixedParts.tools);
  const estimatedBefore = estimateTokens(items) + fixed;
  // The server's own count of the whole history when it read it all; else the best figure there is.
  const counted = usedShare === null ? (result.usage?.input_tokens ?? 0) : 0;
  const tokensBefore = counted > 0 ? counted : Math.max(request.lastReported ?? 0, estimatedBefore);
  const tokensAfter = estimateTokens(history) + fixed;
  const number = request.previous + 1;
  deps.recorder.recordCompaction({ history, reason: request.reason, tokensBefore, tokensAfter, number });
  // Durable before it is used: the next request must never carry a history the log does not hold.
  await deps.recorder.flush();
  deps.history.replaceAll(history);
  // The server's chain holds the old history; the compacted one starts a new chain.
  deps.prompts.forget();
  // The summary request's usage counts towards the session's tokens; the context it reports is the old one, which
  // `context_compacted` then supersedes.
  if (result.usage !== null) deps.emit(deps.tokens.add(result.usage, deps.contextWindow(request.model)));
  deps.emit({ type: 'context_compacted', reason: request.reason, tokens_before: tokensBefore, tokens_after: tokensAfter, compactions: number });
  // Said after the fact, so the cut-down summary is not mistaken for a failed compaction.
  if (usedShare !== null) {
    deps.emit({
      type: 'warning',
      message:
        usedShare === 1
          ? 'the whole conversation did not fit for summarizing, so the summary was written with reasoning left out and long outputs trimmed'
          : `the whole conversation did not fit for summarizing, so the summary was written from its newest ${Math.round(usedShare * 100)}% (and the user's messages)`,
    });
  }

  return { type: 'compacted', tokensBefore, tokensAfter, number };
}

type Summary = { type: 'completed'; summary: string; usage: TokenUsage | null };

/** One summary request, re-sent by the normal retry rules; a reply without words is a failure. */
async function summarize(deps: CompactionDeps, prompt: Prompt, signal: AbortSignal): Promise<Attempt<Summary>> {
  return withRetries<Summary>(deps, signal, async () => {
    let text = '';
    let usage: TokenUsage | null = null;
    let failure: ModelError | null = null;
    let completed = false;
    for await (const event of deps.client.stream(prompt, signal)) {
      if (event.type === 'output_item_done' && event.item.type === 'message' && event.item.role === 'assistant') {
        // The last message is the summary; a model that says something first ("Sure.") does not replace it.
        const said = messageText(event.item).trim();
        if (said !== '') text = said;
      } else if (event.type === 'completed') {
        completed = true;
        usage = event.usage;
      } else if (event.type === 'failed') {
        failure = event.error;
      }
      // Tool calls cannot be answered here (none were offered) and are not part of the history: ignored.
    }
    if (signal.aborted) return { type: 'aborted' };
    if (failure !== null) return { type: 'failed', error: failure };
    if (!completed) return { type: 'failed', error: { kind: 'stream_incomplete', message: 'stream ended without a result' } };
    if (text === '') {
      return { type: 'failed', error: { kind: 'malformed', message: 'the model answered the summary request without any text' } };
    }
    return { type: 'completed', summary: text, usage };
  });
}

/** Why a request does not fit even after compacting: its biggest part and what to do about it. */
export function stillTooBig(
  items: readonly ResponseItem[],
  prompts: CompactionDeps['prompts'],
  model: string,
  serverMessage: string,
  compacted: boolean,
): ModelError {
  const fixed = estimateFixedTokens(prompts.fixedParts.instructions, prompts.fixedParts.tools);
  const biggest = largestPart(items, fixed);
  const advice = biggest.what.startsWith('a user message')
    ? 'Send it again shorter (or as a file the model can read in parts).'
    : biggest.what.startsWith('the project instructions')
      ? 'Shorten AGENTS.md or lower project_doc_max_bytes.'
      : biggest.what.startsWith('the output')
        ? 'Ask for less output at once (head, grep, a narrower command).'
        : 'Use a model with a larger context window.';
  return {
    kind: 'context_window_exceeded',
    message:
      `the request does not fit ${model}'s context window ` +
      `${compacted ? 'even after compacting the conversation' : 'and there is nothing yet to compact'} ` +
      `(${serverMessage}). The biggest part is ${biggest.what}, about ${formatTokens(biggest.tokens)} tokens. ${advice}`,
  };
}
