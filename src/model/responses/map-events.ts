/**
 * Responses API SSE messages → `ModelEvent`s. Stateless per message: every event carries what it needs.
 */
import { ResponseItem, type TokenUsage } from '../../protocol/index.ts';
import { dataExcerpt } from '../data-excerpt.ts';
import { isRecord } from '../is-record.ts';
import type { ModelEvent } from '../model-event.ts';
import type { SseMessage } from '../sse-parser.ts';
import type { StreamEnd } from '../http-stream.ts';
import { failureForEnd, type StreamMapper } from '../stream-model-events.ts';
import { responseFailure } from './response-failure.ts';

/** Item types keel models. Others (`web_search_call`, `image_generation_call`, …) are skipped, not errors. */
const KNOWN_ITEM_TYPES: Record<ResponseItem['type'], true> = {
  message: true,
  reasoning: true,
  function_call: true,
  function_call_output: true,
  custom_tool_call: true,
  custom_tool_call_output: true,
  local_shell_call: true,
};

export class ResponsesEventMapper implements StreamMapper {
  onMessage(message: SseMessage): ModelEvent[] {
    if (message.data === '[DONE]') return []; // some proxies end Responses streams Chat-style; completion decides
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return [malformed(`event ${quoteName(message.event)} is not JSON: ${dataExcerpt(message.data)}`)];
    }
    if (!isRecord(data)) return [malformed(`event ${quoteName(message.event)} is not a JSON object: ${dataExcerpt(message.data)}`)];
    const type = typeof data['type'] === 'string' ? data['type'] : message.event;
    return mapEvent(type, data);
  }

  onEnd(end: StreamEnd): ModelEvent[] {
    return [{ type: 'failed', error: failureForEnd(end, 'response.completed') }];
  }
}

function mapEvent(type: string | undefined, data: Record<string, unknown>): ModelEvent[] {
  const response = isRecord(data['response']) ? data['response'] : {};
  switch (type) {
    case 'response.created':
      return [{ type: 'created', responseId: stringOrNull(response['id']) }];
    case 'response.output_item.added':
    case 'response.output_item.done': {
      const item = readItem(data['item'], type);
      if (item === null) return [];
      if ('error' in item) return [malformed(item.error)];
      return [{ type: type === 'response.output_item.added' ? 'output_item_added' : 'output_item_done', item: item.item }];
    }
    case 'response.output_text.delta':
      return typeof data['delta'] === 'string' ? [{ type: 'text_delta', delta: data['delta'] }] : [];
    case 'response.reasoning_summary_text.delta': {
      if (typeof data['delta'] !== 'string') return [];
      const summaryIndex = typeof data['summary_index'] === 'number' ? data['summary_index'] : 0;
      return [{ type: 'reasoning_summary_delta', delta: data['delta'], summaryIndex }];
    }
    case 'response.reasoning_text.delta':
      return typeof data['delta'] === 'string' ? [{ type: 'reasoning_content_delta', delta: data['delta'] }] : [];
    case 'response.completed':
      return [
        {
          type: 'completed',
          responseId: stringOrNull(response['id']),
          usage: tokenUsage(response['usage']),
          endTurn: typeof response['end_turn'] === 'boolean' ? response['end_turn'] : null,
        },
      ];
    case 'response.failed':
      return [{ type: 'failed', error: responseFailure(response['error']) }];
    case 'response.incomplete': {
      const details = response['incomplete_details'];
      const reason = isRecord(details) && typeof details['reason'] === 'string' ? details['reason'] : 'no reason given';
      return [{ type: 'failed', error: { kind: 'stream_incomplete', message: `response incomplete: ${reason}` } }];
    }
    case 'error':
      // A stream-level error event ({type:"error", code, message}); nothing useful follows it.
      return [{ type: 'failed', error: responseFailure(isRecord(data['error']) ? data['error'] : data) }];
    default:
      return []; // in_progress, *.done, argument deltas and future events carry nothing keel needs
  }
}

type ReadItem = { item: ResponseItem } | { error: string } | null;

/** null: an item type keel does not model, skipped. */
function readItem(raw: unknown, eventType: string): ReadItem {
  if (!isRecord(raw)) return { error: `${eventType} has no item` };
  const itemType = raw['type'];
  if (typeof itemType !== 'string' || !Object.hasOwn(KNOWN_ITEM_TYPES, itemType)) return null;
  const parsed = ResponseItem.safeParse(itemType === 'message' ? withKnownParts(raw) : raw);
  if (parsed.success) return { item: parsed.data };
  // A known item that does not fit is not skipped: it may be a tool call whose output the next request must carry.
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { error: `${eventType} carried an invalid ${itemType} item${where}: ${issue?.message ?? 'invalid'}` };
}

/**
 * Message content may hold parts keel does not model. A refusal is what the model said, so it is kept as text;
 * other unknown parts are dropped rather than costing the whole message.
 */
function withKnownParts(raw: Record<string, unknown>): Record<string, unknown> {
  const content = raw['content'];
  if (!Array.isArray(content)) return raw;
  const parts: unknown[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part['type'] === 'refusal' && typeof part['refusal'] === 'string') parts.push({ type: 'output_text', text: part['refusal'] });
    else if (part['type'] === 'input_text' || part['type'] === 'output_text' || part['type'] === 'input_image') parts.push(part);
  }
  return { ...raw, content: parts };
}

export function tokenUsage(raw: unknown): TokenUsage | null {
  if (!isRecord(raw)) return null;
  const input = count(raw['input_tokens']);
  const output = count(raw['output_tokens']);
  const inputDetails = isRecord(raw['input_tokens_details']) ? raw['input_tokens_details'] : {};
  const outputDetails = isRecord(raw['output_tokens_details']) ? raw['output_tokens_details'] : {};
  return {
    input_tokens: input,
    cached_input_tokens: count(inputDetails['cached_tokens']),
    output_tokens: output,
    reasoning_output_tokens: count(outputDetails['reasoning_tokens']),
    total_tokens: typeof raw['total_tokens'] === 'number' ? raw['total_tokens'] : input + output,
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function malformed(message: string): ModelEvent {
  return { type: 'failed', error: { kind: 'malformed', message } };
}

function quoteName(event: string | undefined): string {
  return event === undefined ? '(unnamed)' : `"${event}"`;
}
