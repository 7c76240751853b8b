/**
 * The rules Chat Completions applies to `messages` that matter to an agent: each assistant message with
 * `tool_calls` must be followed, before any other kind of message, by one `tool` message per call id; a `tool`
 * message must answer a call of the assistant message that opened its block.
 */
import { invalidType, isRecord, missing, reject, type RulesVerdict } from './rules-verdict.ts';

function unanswered(ids: Iterable<string>): RulesVerdict {
  return reject(
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
      `The following tool_call_ids did not have response messages: ${[...ids].join(', ')}`,
    'messages',
  );
}

export function checkChatRequest(body: unknown): RulesVerdict {
  if (!isRecord(body)) return invalidType('body', 'a JSON object', body);
  if (typeof body.model !== 'string' || body.model.length === 0) return missing('model');
  if (body.messages === undefined) return missing('messages');
  if (!Array.isArray(body.messages)) return invalidType('messages', 'an array', body.messages);
  // Call ids of the current assistant tool block still waiting for a tool message; null outside a block.
  let pending: Set<string> | null = null;
  for (const [index, message] of body.messages.entries()) {
    const at = `messages[${index}]`;
    if (!isRecord(message)) return invalidType(at, 'an object', message);
    if (typeof message.role !== 'string') return missing(`${at}.role`);
    if (message.role === 'tool') {
      if (pending === null) {
        return reject(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${index}].role`,
        );
      }
      const id = message.tool_call_id;
      if (typeof id !== 'string' || id.length === 0) return missing(`${at}.tool_call_id`);
      if (!pending.delete(id)) {
        return reject(
          `Invalid parameter: 'tool_call_id' of '${id}' not found in 'tool_calls' of previous message.`,
          `messages.[${index}].tool_call_id`,
        );
      }
      continue;
    }
    if (pending !== null && pending.size > 0) return unanswered(pending);
    pending = null;
    const toolCalls = message.tool_calls;
    if (message.role !== 'assistant' || toolCalls === undefined || toolCalls === null) continue;
    if (!Array.isArray(toolCalls)) return invalidType(`${at}.tool_calls`, 'an array', toolCalls);
    if (toolCalls.length === 0) {
      return reject(
        `Invalid '${at}.tool_calls': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
        `${at}.tool_calls`,
        'empty_array',
      );
    }
    pending = new Set();
    for (const [callIndex, call] of toolCalls.entries()) {
      const id = isRecord(call) ? call.id : undefined;
      if (typeof id !== 'string' || id.length === 0) return missing(`${at}.tool_calls[${callIndex}].id`);
      pending.add(id);
    }
  }
  if (pending !== null && pending.size > 0) return unanswered(pending);
  return { type: 'accept', conversation: body.messages, notes: [] };
}
