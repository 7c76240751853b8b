/**
 * The Chat Completions request body (`POST {baseUrl}/chat/completions`) for a prompt: keel's Responses-shaped
 * history rewritten as chat messages.
 *
 * Choices where the Chat API has no direct equivalent:
 * - `developer` messages become `system` messages: most local servers and chat templates know no `developer`
 *   role. System/developer messages before the first other message are merged into the leading system message,
 *   because many templates reject a system message anywhere but first.
 * - Tool calls of one model response (consecutive calls, possibly after the response's text, with reasoning in
 *   between) become ONE assistant message with several `tool_calls`, as a chat model would have produced them.
 * - A custom (freeform) tool call is replayed as a function call whose arguments are `{"input": <text>}`: chat has
 *   no freeform calls and the call must stay in history next to its output.
 * - A local shell call is replayed as a function call named `local_shell` with its action as arguments.
 * - Reasoning items are omitted: several servers reject reasoning sent back in input messages.
 * - Responses-only fields (`store`, `previous_response_id`, `reasoning`, `parallel_tool_calls`) are not sent.
 */
import { callIdOf, messageText, type MessageItem, type ResponseItem } from '../../protocol/index.ts';
import type { Prompt, ToolSpec } from '../model-event.ts';

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

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
  return body;
}

export function chatMessages(instructions: string, input: ResponseItem[]): ChatMessage[] {
  const leadingSystem: string[] = instructions.length > 0 ? [instructions] : [];
  const messages: ChatMessage[] = [];
  // The assistant message the next tool call joins; closed by anything that ends the model's response.
  let open: Extract<ChatMessage, { role: 'assistant' }> | null = null;

  const addCall = (call: ChatToolCall): void => {
    if (open) {
      (open.tool_calls ??= []).push(call);
      return;
    }
    open = { role: 'assistant', content: null, tool_calls: [call] };
    messages.push(open);
  };

  for (const item of input) {
    switch (item.type) {
      case 'message': {
        open = null;
        const message = chatMessage(item);
        if (message.role === 'system' && messages.length === 0) leadingSystem.push(message.content);
        else messages.push(message);
        if (message.role === 'assistant') open = message;
        break;
      }
      case 'function_call':
        addCall({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
        break;
      case 'custom_tool_call':
        addCall({ id: item.call_id, type: 'function', function: { name: item.name, arguments: JSON.stringify({ input: item.input }) } });
        break;
      case 'local_shell_call': {
        const id = callIdOf(item);
        // Without any id no output can refer to it; the engine's history normalization has dropped its pair too.
        if (id !== undefined) addCall({ id, type: 'function', function: { name: 'local_shell', arguments: JSON.stringify(item.action) } });
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output':
        open = null;
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: item.output });
        break;
      case 'reasoning':
        break; // see the file comment; it does not close the open assistant message either
    }
  }
  if (leadingSystem.length > 0) messages.unshift({ role: 'system', content: leadingSystem.join('\n\n') });
  return messages;
}

function chatMessage(item: MessageItem): ChatMessage {
  switch (item.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: messageText(item) };
    case 'assistant':
      return { role: 'assistant', content: messageText(item) };
    case 'user':
      return { role: 'user', content: userContent(item) };
  }
}

/** Plain text unless the message holds images, which need the multi-part form. */
function userContent(item: MessageItem): string | ChatContentPart[] {
  if (!item.content.some((part) => part.type === 'input_image')) return messageText(item);
  return item.content.map((part) =>
    part.type === 'input_image' ? { type: 'image_url', image_url: { url: part.image_url } } : { type: 'text', text: part.text },
  );
}

/** Chat offers function tools only; custom (freeform) tools are dropped. */
function chatTool(tool: ToolSpec): ChatTool[] {
  if (tool.type !== 'function') return [];
  return [{ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }];
}
