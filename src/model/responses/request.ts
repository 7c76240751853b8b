/**
 * The Responses API request body (`POST {baseUrl}/responses`) for a prompt.
 */
import type { ResponseItem } from '../../protocol/index.ts';
import type { Prompt, ToolSpec } from '../model-event.ts';

export type ResponsesTool =
  | { type: 'function'; name: string; description: string; strict: boolean; parameters: Record<string, unknown> }
  | { type: 'custom'; name: string; description: string; format?: Record<string, unknown> };

export interface ResponsesRequest {
  model: string;
  instructions: string;
  input: Record<string, unknown>[];
  tools: ResponsesTool[];
  tool_choice: 'auto';
  parallel_tool_calls: boolean;
  store: boolean;
  stream: true;
  prompt_cache_key?: string;
  previous_response_id?: string;
  reasoning?: { effort?: string; summary?: string };
  include?: string[];
}

export function buildResponsesRequest(prompt: Prompt): ResponsesRequest {
  const body: ResponsesRequest = {
    model: prompt.model,
    instructions: prompt.instructions,
    input: prompt.input.map((item) => inputItem(item, prompt.store)),
    tools: prompt.tools.map(responsesTool),
    tool_choice: 'auto',
    parallel_tool_calls: prompt.parallelToolCalls,
    store: prompt.store,
    stream: true,
  };
  if (prompt.promptCacheKey !== undefined) body.prompt_cache_key = prompt.promptCacheKey;
  if (prompt.previousResponseId !== undefined) body.previous_response_id = prompt.previousResponseId;
  if (prompt.reasoning !== undefined) {
    const reasoning: { effort?: string; summary?: string } = {};
    if (prompt.reasoning.effort !== undefined) reasoning.effort = prompt.reasoning.effort;
    if (prompt.reasoning.summary !== undefined) reasoning.summary = prompt.reasoning.summary;
    body.reasoning = reasoning;
    // Without the encrypted reasoning, a stateless follow-up request would make the model reason from scratch.
    body.include = ['reasoning.encrypted_content'];
  }
  return body;
}

/**
 * An input item as sent. With `store: false` nothing is kept server-side, so an item id would name an item the
 * server cannot find (a 400): ids go only to a server that stores responses. Raw reasoning text is not accepted
 * back as input, so reasoning `content` holding `reasoning_text` parts is left out (the encrypted content carries it).
 */
function inputItem(item: ResponseItem, store: boolean): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...item };
  if (!store) delete copy['id'];
  if (item.type === 'reasoning' && item.content?.some((part) => part.type === 'reasoning_text')) delete copy['content'];
  return copy;
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
