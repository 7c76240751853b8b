/**
 * The Responses API request body (`POST {baseUrl}/responses`) for a prompt.
 *
 * Checked against the API reference (the OpenAPI spec as the openai-python types restate it:
 * `response_create_params.py`, `response_input_item_param.py`, `function_tool_param.py`, `custom_tool_param.py`,
 * `shared_params/reasoning.py`): `instructions` is a string the API puts first in the model's context as its
 * system/developer message; `tool_choice: "auto"`; `parallel_tool_calls` a boolean (false: keel runs one call at a
 * time); `reasoning: {effort, summary}` only for reasoning models; `text: {verbosity}`; `prompt_cache_key` a
 * string (the session id, so requests of one session share a prompt cache); `max_output_tokens` is not sent (it
 * would cap reasoning and answer together, and the context window already bounds both). An output schema goes in
 * `text.format` as `{type: "json_schema", name, schema, strict}` (`response_text_config_param.py`,
 * `response_format_text_json_schema_config_param.py`), beside `text.verbosity` when both are sent.
 */
import type { ReasoningItem, ResponseItem } from '../../protocol/index.ts';
import type { Prompt, ToolSpec } from '../model-event.ts';
import type { ReasoningRequest, Verbosity } from '../reasoning-options.ts';

export type ResponsesTool =
  | { type: 'function'; name: string; description: string; strict: boolean; parameters: Record<string, unknown> }
  | { type: 'custom'; name: string; description: string; format?: Record<string, unknown> };

/** What a stateless request asks for so that a reasoning model's next request can carry its reasoning. */
export const ENCRYPTED_REASONING_INCLUDE = 'reasoning.encrypted_content';

export interface ResponsesRequest {
  model: string;
  instructions: string;
  input: Record<string, unknown>[];
  /** Omitted when there are none (a summary request), with `tool_choice` and `parallel_tool_calls`. */
  tools?: ResponsesTool[];
  tool_choice?: 'auto';
  parallel_tool_calls?: boolean;
  store: boolean;
  stream: true;
  prompt_cache_key?: string;
  previous_response_id?: string;
  reasoning?: ReasoningRequest;
  include?: string[];
  text?: { verbosity?: Verbosity; format?: ResponsesTextFormat };
}

export interface ResponsesTextFormat {
  type: 'json_schema';
  name: string;
  schema: Record<string, unknown>;
  strict: boolean;
}

export function buildResponsesRequest(prompt: Prompt): ResponsesRequest {
  const body: ResponsesRequest = {
    model: prompt.model,
    instructions: prompt.instructions,
    input: inputItems(prompt.input, prompt.store, prompt.reasoning !== undefined),
    ...(prompt.tools.length === 0
      ? {}
      : { tools: prompt.tools.map(responsesTool), tool_choice: 'auto' as const, parallel_tool_calls: prompt.parallelToolCalls }),
    store: prompt.store,
    stream: true,
  };
  if (prompt.promptCacheKey !== undefined) body.prompt_cache_key = prompt.promptCacheKey;
  if (prompt.previousResponseId !== undefined) body.previous_response_id = prompt.previousResponseId;
  if (prompt.reasoning !== undefined) {
    const reasoning: ReasoningRequest = {};
    if (prompt.reasoning.effort !== undefined) reasoning.effort = prompt.reasoning.effort;
    if (prompt.reasoning.summary !== undefined) reasoning.summary = prompt.reasoning.summary;
    // Nothing to tune (effort and summary both "none"): the server's defaults apply, the model still reasons.
    if (reasoning.effort !== undefined || reasoning.summary !== undefined) body.reasoning = reasoning;
    // Stateless, the server keeps nothing: without its encrypted reasoning the next request would have the model
    // reason from scratch. Stateful, `previous_response_id` carries it. Only reasoning models are asked: others
    // produce no reasoning to encrypt.
    if (!prompt.store) body.include = [ENCRYPTED_REASONING_INCLUDE];
  }
  if (prompt.verbosity !== undefined) body.text = { verbosity: prompt.verbosity };
  if (prompt.outputSchema !== undefined) {
    const { name, schema, strict } = prompt.outputSchema;
    body.text = { ...body.text, format: { type: 'json_schema', name, schema, strict } };
  }
  return body;
}

/**
 * `reasons`: the model takes reasoning. A model that does not refuses reasoning items (openai-agents-python#569:
 * "Reasoning input items can only be provided to a reasoning or computer use model"), so after a switch from a
 * reasoning model they stay in the history but are not sent. Stateful, they stay: there the calls keep their ids,
 * and the API refuses a call sent without the reasoning item it came with.
 */
function inputItems(items: readonly ResponseItem[], store: boolean, reasons: boolean): Record<string, unknown>[] {
  const input: Record<string, unknown>[] = [];
  for (const item of items) {
    let sent: Record<string, unknown> | null;
    if (item.type !== 'reasoning') sent = otherInput(item, store);
    else sent = reasons || store ? reasoningInput(item, store) : null;
    if (sent !== null) input.push(sent);
  }
  return input;
}

/**
 * With `store: false` nothing is kept server-side, so the ids of messages and calls name nothing there: they go only
 * to a server that stores responses (as Codex does; the reference marks them optional on calls and outputs, and a
 * whole item is not looked up by its id). A `status` the server sent is not part of keel's items (optional on
 * input), except on local shell calls, where the reference requires it.
 */
function otherInput(item: Exclude<ResponseItem, ReasoningItem>, store: boolean): Record<string, unknown> {
  if (store || !('id' in item) || item.id === undefined) return item;
  const { id: _id, ...rest } = item;
  return rest;
}

/**
 * A reasoning item as the API takes it back.
 *
 * - `content` (raw reasoning text) is never sent: the API refuses it in input ("Invalid 'input[N].content': array
 *   too long. Expected an array with maximum length 0"); the encrypted content is what carries the reasoning.
 * - `store: false`: the item goes back exactly as received, id, summary and encrypted content, and only when it has
 *   encrypted content. The id stays because the reference marks `id` required on an input reasoning item
 *   (`ResponseReasoningItemParam`: id, summary, type) and OpenAI's stateless pattern hands the returned output items
 *   back as they are: with the encrypted content present the server decrypts it instead of looking the id up.
 *   (Codex leaves the id out and is accepted too; the 404 other clients met, e.g. vercel/ai#7543, came from an id
 *   sent with `encrypted_content: null`.) Without encrypted content the item is left out: its id names nothing the
 *   server kept (that 404), and without the id it lacks a field the reference requires.
 * - `store: true`: the id names an item the server holds. An item with neither id nor encrypted content (the
 *   stateful prompt takes ids off items the server never stored) is left out for the same reason.
 */
function reasoningInput(item: ReasoningItem, store: boolean): Record<string, unknown> | null {
  const encrypted = typeof item.encrypted_content === 'string' && item.encrypted_content !== '';
  if (!encrypted && (!store || item.id === undefined)) return null;
  if (item.content === undefined) return item;
  const { content: _content, ...rest } = item;
  return rest;
}

function responsesTool(tool: ToolSpec): ResponsesTool {
  switch (tool.type) {
    case 'function':
      return { type: 'function', name: tool.name, description: tool.description, strict: tool.strict, parameters: tool.parameters };
    case 'custom': {
      const custom: ResponsesTool = { type: 'custom', name: tool.name, description: tool.description };
      if (tool.format !== undefined) custom.format = tool.format;
      return custom;
    }
  }
}
