/**
 * The rules the Responses API applies to `POST /v1/responses` that matter to an agent: required fields, the types
 * of tool items, reasoning parameters and items (reasoning-rules.ts), `previous_response_id` resolution, and tool
 * call / output pairing over the whole conversation.
 */
import { checkReasoningItem, checkReasoningParams } from './reasoning-rules.ts';
import type { ResponseStore } from './response-store.ts';
import { invalidType, isRecord, missing, reject, type RulesVerdict } from './rules-verdict.ts';
import { checkToolPairing, itemType, pairingId } from './tool-pairing.ts';

const CALL_TYPES = new Set(['function_call', 'custom_tool_call', 'local_shell_call']);
const OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output']);

/** The request's input as a list of items; a string input is shorthand for one user message. */
export function inputItems(input: unknown): unknown[] | undefined {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input : undefined;
}

function checkItem(item: unknown, index: number, store: boolean): RulesVerdict | undefined {
  const at = `input[${index}]`;
  if (!isRecord(item)) return invalidType(at, 'an object', item);
  const type = itemType(item);
  if (type === undefined) return missing(`${at}.type`);
  if (type === 'reasoning') return checkReasoningItem(item, index, store);
  if (!CALL_TYPES.has(type) && !OUTPUT_TYPES.has(type)) return undefined;
  if (pairingId(item) === undefined) return missing(`${at}.call_id`);
  if (type === 'function_call' && typeof item.arguments !== 'string') {
    // The classic bug: sending the parsed arguments object instead of the model's JSON text.
    return invalidType(`${at}.arguments`, 'a string', item.arguments);
  }
  if (OUTPUT_TYPES.has(type) && typeof item.output !== 'string' && !Array.isArray(item.output)) {
    return invalidType(`${at}.output`, 'one of a string or array of content items', item.output);
  }
  return undefined;
}

export function checkResponsesRequest(body: unknown, store: ResponseStore): RulesVerdict {
  if (!isRecord(body)) return invalidType('body', 'a JSON object', body);
  if (typeof body.model !== 'string' || body.model.length === 0) return missing('model');
  if (body.input === undefined) return missing('input');
  const input = inputItems(body.input);
  if (!input) return invalidType('input', 'one of a string or array of input items', body.input);
  const params = checkReasoningParams(body);
  if (params) return params;
  // The API's default is to store responses.
  const stores = body.store !== false;
  for (const [index, item] of input.entries()) {
    const problem = checkItem(item, index, stores);
    if (problem) return problem;
  }
  let chain: readonly unknown[] = [];
  const previous = body.previous_response_id;
  if (previous !== undefined && previous !== null) {
    if (typeof previous !== 'string') return invalidType('previous_response_id', 'a string', previous);
    const found = store.get(previous);
    if (!found) {
      return reject(
        `Previous response with id '${previous}' not found.`,
        'previous_response_id',
        'previous_response_not_found',
      );
    }
    chain = found;
  }
  return checkToolPairing([...chain, ...input]);
}
