/**
 * Chat Completions chunks → `ModelEvent`s. Text and reasoning stream through as deltas; the items themselves
 * (reasoning, assistant message, then every tool call in index order) are emitted only when the response is
 * known to be finished: at `[DONE]`, or when the body ends after a `finish_reason`.
 *
 * Reasoning arrives in one of three shapes, and never becomes part of the answer:
 * - `delta.reasoning_content`: DeepSeek's API, llama.cpp's server (`--reasoning-format deepseek`, its default),
 *   LM Studio, vLLM before it renamed the field;
 * - `delta.reasoning`: vLLM since the rename, Ollama's OpenAI compatibility, OpenRouter (a string; some proxies
 *   send `{text}`);
 * - `<think>…</think>` inside `delta.content` (see think-tags.ts).
 * The reasoning item records which field it came in (`chat_field`), because the request sends it back in that
 * same field (see chat-messages.ts).
 */
import { randomUUID } from 'node:crypto';
import { assistantMessage, type ChatReasoningOrigin, type ResponseItem, type TokenUsage } from '../../protocol/index.ts';
import { dataExcerpt } from '../data-excerpt.ts';
import { kindForErrorCode } from '../error-codes.ts';
import type { StreamEnd } from '../http-stream.ts';
import { isRecord } from '../is-record.ts';
import type { ModelError, ModelEvent } from '../model-event.ts';
import type { SseMessage } from '../sse-parser.ts';
import { failureForEnd, type StreamMapper } from '../stream-model-events.ts';
import { ThinkTagSplitter, type ContentPiece } from './think-tags.ts';

interface PendingCall {
  id: string | undefined;
  name: string | undefined;
  /** Argument fragments, joined once at the end. */
  arguments: string[];
}

export interface ChatEventMapperOptions {
  /** Names generated call ids when the server sent neither call ids nor a chunk id. Default: random. */
  fallbackKey?: string;
}

export class ChatEventMapper implements StreamMapper {
  private created = false;
  private finished = false;
  private chunkId: string | undefined;
  private usage: TokenUsage | null = null;
  private text: string[] = [];
  /** Reasoning from a delta field, and the field it came in (the first one seen). */
  private readonly reasoning: string[] = [];
  private reasoningField: ChatReasoningField | undefined;
  /** Reasoning found in `<think>` tags in the content. */
  private tagReasoning: string[] = [];
  private readonly tags = new ThinkTagSplitter();
  /** Keyed by the server's `index`: parallel calls arrive interleaved, each fragment naming its call. */
  private readonly calls = new Map<number, PendingCall>();
  private readonly fallbackKey: string;

  constructor(options: ChatEventMapperOptions = {}) {
    this.fallbackKey = options.fallbackKey ?? randomUUID().replaceAll('-', '').slice(0, 12);
  }

  onMessage(message: SseMessage): ModelEvent[] {
    if (message.data.trim() === '[DONE]') return this.complete();
    let chunk: unknown;
    try {
      chunk = JSON.parse(message.data);
    } catch {
      return [failed({ kind: 'malformed', message: `chat chunk is not JSON: ${dataExcerpt(message.data)}` })];
    }
    if (!isRecord(chunk)) return [failed({ kind: 'malformed', message: `chat chunk is not a JSON object: ${dataExcerpt(message.data)}` })];
    if (chunk['error'] !== undefined) return [failed(chatStreamError(chunk['error']))];

    const events: ModelEvent[] = [];
    if (!this.created) {
      this.created = true;
      // Chat ids cannot continue a conversation (no `previous_response_id`), so none is reported.
      events.push({ type: 'created', responseId: null });
    }
    if (this.chunkId === undefined && typeof chunk['id'] === 'string' && chunk['id'].length > 0) this.chunkId = chunk['id'];
    if (isRecord(chunk['usage'])) this.usage = chatUsage(chunk['usage']);

    const choices = chunk['choices'];
    const choice = Array.isArray(choices) && isRecord(choices[0]) ? choices[0] : undefined;
    if (choice === undefined) return events; // e.g. the trailing usage-only chunk
    const delta = isRecord(choice['delta']) ? choice['delta'] : {};
    const reasoning = reasoningText(delta);
    if (reasoning) {
      this.reasoning.push(reasoning.text);
      this.reasoningField ??= reasoning.field;
      events.push({ type: 'reasoning_content_delta', delta: reasoning.text });
    }
    if (typeof delta['content'] === 'string' && delta['content'].length > 0) {
      for (const piece of this.tags.push(delta['content'])) this.addContent(piece, events);
    }
    if (Array.isArray(delta['tool_calls'])) this.addCallFragments(delta['tool_calls']);
    if (typeof choice['finish_reason'] === 'string' && choice['finish_reason'].length > 0) this.finished = true;
    return events;
  }

  onEnd(end: StreamEnd): ModelEvent[] {
    // After a finish_reason everything the model said has arrived; only usage or [DONE] could still be missing.
    if (this.finished) return this.complete();
    return [failed(failureForEnd(end, 'a finish_reason or [DONE]'))];
  }

  private addCallFragments(fragments: unknown[]): void {
    fragments.forEach((fragment, position) => {
      if (!isRecord(fragment)) return;
      // Servers that omit `index` send each call whole, so its position in the list identifies it.
      const index = typeof fragment['index'] === 'number' ? fragment['index'] : position;
      let call = this.calls.get(index);
      if (!call) {
        call = { id: undefined, name: undefined, arguments: [] };
        this.calls.set(index, call);
      }
      // Some servers repeat id and name on every fragment; the first one counts.
      if (call.id === undefined && typeof fragment['id'] === 'string' && fragment['id'].length > 0) call.id = fragment['id'];
      const fn = isRecord(fragment['function']) ? fragment['function'] : {};
      if (call.name === undefined && typeof fn['name'] === 'string' && fn['name'].length > 0) call.name = fn['name'];
      if (typeof fn['arguments'] === 'string') call.arguments.push(fn['arguments']);
    });
  }

  private addContent(piece: ContentPiece, events: ModelEvent[]): void {
    switch (piece.type) {
      case 'text':
        this.text.push(piece.text);
        events.push({ type: 'text_delta', delta: piece.text });
        break;
      case 'reasoning':
        // A server that sends a reasoning field and keeps the tags in the content too (llama.cpp's
        // `--reasoning-format deepseek-legacy`) says the same thing twice: the field wins.
        if (this.reasoningField !== undefined) break;
        this.tagReasoning.push(piece.text);
        events.push({ type: 'reasoning_content_delta', delta: piece.text });
        break;
      case 'implied_reasoning_end':
        // What streamed as text was thinking. Its deltas are out already; the items say what it was.
        if (this.reasoningField === undefined) this.tagReasoning = [[...this.text, piece.text].join('').trimEnd()];
        this.text = [];
        break;
    }
  }

  private complete(): ModelEvent[] {
    const events: ModelEvent[] = [];
    for (const piece of this.tags.end()) this.addContent(piece, events);
    const items: ResponseItem[] = [];
    const reasoning = this.reasoningItem();
    if (reasoning !== null) items.push(reasoning);
    if (this.text.length > 0) items.push(assistantMessage(this.text.join('')));
    const indices = [...this.calls.keys()].sort((a, b) => a - b);
    for (const index of indices) {
      const call = this.calls.get(index);
      if (!call) continue;
      items.push({
        type: 'function_call',
        name: call.name ?? '',
        arguments: call.arguments.join(''),
        call_id: call.id ?? `call_${this.chunkId ?? this.fallbackKey}_${index}`,
      });
    }
    for (const item of items) events.push({ type: 'output_item_done', item });
    events.push({ type: 'completed', responseId: null, usage: this.usage, endTurn: null });
    return events;
  }

  private reasoningItem(): ResponseItem | null {
    const origin: ChatReasoningOrigin | undefined = this.reasoningField ?? (this.tagReasoning.length > 0 ? 'content' : undefined);
    if (origin === undefined) return null;
    const text = (origin === 'content' ? this.tagReasoning : this.reasoning).join('');
    if (text === '') return null;
    return { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text, chat_field: origin }] };
  }
}

type ChatReasoningField = Exclude<ChatReasoningOrigin, 'content'>;

/**
 * The reasoning text of a delta and the field it came in. A server that sends the text under both names (an old
 * name kept as an alias) is told so, so that both go back.
 */
function reasoningText(delta: Record<string, unknown>): { text: string; field: ChatReasoningField } | undefined {
  const content = fieldText(delta['reasoning_content']);
  const reasoning = fieldText(delta['reasoning']);
  if (content !== undefined) return { text: content, field: reasoning === content ? 'reasoning_content_and_reasoning' : 'reasoning_content' };
  if (reasoning !== undefined) return { text: reasoning, field: 'reasoning' };
  return undefined;
}

/** A string, or `{text}` / `{content}` as some proxies send it. */
function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (!isRecord(value)) return undefined;
  const text = typeof value['text'] === 'string' ? value['text'] : value['content'];
  return typeof text === 'string' && text.length > 0 ? text : undefined;
}

function chatUsage(raw: Record<string, unknown>): TokenUsage {
  const input = count(raw['prompt_tokens']);
  const output = count(raw['completion_tokens']);
  const promptDetails = isRecord(raw['prompt_tokens_details']) ? raw['prompt_tokens_details'] : {};
  const completionDetails = isRecord(raw['completion_tokens_details']) ? raw['completion_tokens_details'] : {};
  return {
    input_tokens: input,
    cached_input_tokens: count(promptDetails['cached_tokens']),
    output_tokens: output,
    reasoning_output_tokens: count(completionDetails['reasoning_tokens']),
    total_tokens: typeof raw['total_tokens'] === 'number' ? raw['total_tokens'] : input + output,
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * An error sent inside the stream (`{"error": {...}}`). It has the shape of an HTTP error body, so it is read the
 * same way: `code`, then `type`, through the shared table (error-codes.ts).
 */
function chatStreamError(error: unknown): ModelError {
  const message =
    isRecord(error) && typeof error['message'] === 'string'
      ? error['message']
      : typeof error === 'string'
        ? error
        : 'the model reported an error without a message';
  // As on the Responses path, an unknown code is taken for transient trouble: a retry is the useful answer.
  const kind = isRecord(error) ? kindForErrorCode(error['code'], error['type']) : undefined;
  return { kind: kind ?? 'server', message };
}

function failed(error: ModelError): ModelEvent {
  return { type: 'failed', error };
}
