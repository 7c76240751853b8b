/**
 * The Chat Completions request body (`POST {baseUrl}/chat/completions`) for a prompt; the history becomes
 * `messages` in chat-messages.ts.
 *
 * What is sent, checked against OpenAI's API reference and the local servers (vLLM, Ollama, llama.cpp, LM Studio):
 * - `stream: true` with `stream_options: {include_usage: true}`: the usage chunk is how token counts arrive; every
 *   server named accepts the option.
 * - No `max_tokens` / `max_completion_tokens`: keel sets no output limit. OpenAI refuses `max_tokens` for its
 *   reasoning models while Ollama reads only `max_tokens`, so leaving both out is also the one portable choice.
 * - `tools` only when there are some (OpenAI refuses an empty array), as `{type: "function", function: {name,
 *   description, parameters}}`; chat has no freeform tools, so custom tools are dropped.
 * - No `parallel_tool_calls`: OpenAI refuses it without `tools` and for its reasoning models on this endpoint, and
 *   several compatible servers do not know it. Parallel calls, when a model makes them, are handled.
 * - Responses-only fields (`store`, `previous_response_id`, `reasoning`, `include`, `prompt_cache_key`) are not sent.
 * - An output schema goes as `response_format: {type: "json_schema", json_schema: {name, schema, strict}}` (OpenAI's
 *   structured outputs; vLLM, Ollama and LM Studio take the same shape).
 */
import type { Prompt, ToolSpec } from '../model-event.ts';
import { chatMessages, type ChatMessage } from './chat-messages.ts';

export interface ChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: true;
  stream_options: { include_usage: true };
  /** Omitted when empty: the OpenAI API rejects an empty `tools` array. */
  tools?: ChatTool[];
  response_format?: { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict: boolean } };
}

export function buildChatRequest(prompt: Prompt): ChatRequest {
  const body: ChatRequest = {
    model: prompt.model,
    messages: chatMessages(prompt.instructions, prompt.input),
    stream: true,
    stream_options: { include_usage: true },
  };
  const tools = prompt.tools.flatMap(chatTool);
  if (tools.length > 0) body.tools = tools;
  if (prompt.outputSchema !== undefined) {
    const { name, schema, strict } = prompt.outputSchema;
    body.response_format = { type: 'json_schema', json_schema: { name, schema, strict } };
  }
  return body;
}

/** Chat offers function tools only; custom (freeform) tools are dropped. */
function chatTool(tool: ToolSpec): ChatTool[] {
  if (tool.type !== 'function') return [];
  return [{ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }];
}
