/**
 * keel's Responses-shaped history rewritten as Chat Completions `messages`.
 *
 * Choices where the Chat API has no direct equivalent, or where real servers differ:
 * - `developer` messages become `system` messages: most local servers and chat templates know no `developer`
 *   role (OpenAI accepts `system` for every model). System/developer messages before the first other message are
 *   merged into the leading system message, because many templates reject a system message anywhere but first.
 * - Consecutive user messages (project instructions, environment, prompt) become one: DeepSeek's reasoner and
 *   strict chat templates refuse "successive user or assistant messages". Text-only content stays a string, since
 *   some servers (DeepSeek) take no content arrays; a message with images needs the array form.
 * - Tool calls of one model response (consecutive calls, possibly after the response's text) become ONE assistant
 *   message with several `tool_calls`, as a chat model would have produced them.
 * - A custom (freeform) tool call is replayed as a function call whose arguments are `{"input": <text>}`: chat has
 *   no freeform calls and the call must stay in history next to its output. A local shell call is replayed as a
 *   function call named `local_shell` with its action as arguments.
 * - Arguments that are not a JSON object are replayed as `{}`: Ollama refuses the whole request over one malformed
 *   replayed call ("invalid tool call arguments"), and vLLM substitutes `{}` itself. The call's output already told
 *   the model what was wrong with them.
 * - Reasoning goes back on the assistant message of its response, in the field the server streamed it in
 *   (`reasoning_content`: DeepSeek, llama.cpp; `reasoning`: vLLM, Ollama, OpenRouter), because DeepSeek's thinking
 *   mode refuses a request whose tool-calling assistant messages lack their `reasoning_content`, and templates of
 *   interleaved-thinking models (gpt-oss, Qwen3) render it. When the server uses `reasoning_content`, a tool-calling
 *   message without reasoning gets an empty one, which DeepSeek accepts. Reasoning that came as `<think>` tags in the
 *   content, or from the Responses API, is not sent: those servers did not ask for it and templates strip it.
 */
import { callIdOf, messageText, type ChatReasoningOrigin, type MessageItem, type ReasoningItem, type ResponseItem } from '../../protocol/index.ts';

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatAssistantMessage {
  role: 'assistant';
  content: string | null;
  tool_calls?: ChatToolCall[];
  reasoning_content?: string;
  reasoning?: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | ChatAssistantMessage
  | { role: 'tool'; tool_call_id: string; content: string };

/** Reasoning waiting for the assistant message of its response. */
interface ReturnedReasoning {
  text: string;
  fields: Array<'reasoning_content' | 'reasoning'>;
}

export function chatMessages(instructions: string, input: readonly ResponseItem[]): ChatMessage[] {
  const leadingSystem: string[] = instructions.length > 0 ? [instructions] : [];
  const messages: ChatMessage[] = [];
  // The assistant message the next tool call joins; closed by anything that ends the model's response.
  let open: ChatAssistantMessage | null = null;
  let reasoning: ReturnedReasoning | null = null;
  let usesReasoningContent = false;

  const startAssistant = (message: ChatAssistantMessage): void => {
    if (reasoning !== null) for (const field of reasoning.fields) message[field] = reasoning.text;
    reasoning = null;
    messages.push(message);
    open = message;
  };
  const addCall = (call: ChatToolCall): void => {
    if (open) (open.tool_calls ??= []).push(call);
    else startAssistant({ role: 'assistant', content: null, tool_calls: [call] });
  };
  const addOther = (message: ChatMessage): void => {
    open = null;
    // Reasoning whose response said nothing else has no message to travel on.
    reasoning = null;
    const previous = messages.at(-1);
    if (message.role === 'user' && previous?.role === 'user') messages[messages.length - 1] = joinUserMessages(previous, message);
    else messages.push(message);
  };

  for (const item of input) {
    switch (item.type) {
      case 'message': {
        const message = chatMessage(item);
        if (message.role === 'assistant') startAssistant(message);
        else if (message.role === 'system' && messages.length === 0) leadingSystem.push(message.content);
        else addOther(message);
        break;
      }
      case 'function_call':
        addCall({ id: item.call_id, type: 'function', function: { name: item.name, arguments: objectArguments(item.arguments) } });
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
        addOther({ role: 'tool', tool_call_id: item.call_id, content: item.output });
        break;
      case 'reasoning': {
        const origin = chatOrigin(item);
        // Reasoning from the Responses API has no place in a chat message; it does not end the response either.
        if (origin === undefined) break;
        open = null;
        reasoning = returnedReasoning(item, origin);
        if (reasoning?.fields.includes('reasoning_content')) usesReasoningContent = true;
        break;
      }
    }
  }
  if (usesReasoningContent) {
    for (const message of messages) {
      if (message.role === 'assistant' && message.tool_calls !== undefined) message.reasoning_content ??= '';
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

type UserMessage = Extract<ChatMessage, { role: 'user' }>;

function joinUserMessages(first: UserMessage, second: UserMessage): UserMessage {
  if (typeof first.content === 'string' && typeof second.content === 'string') {
    return { role: 'user', content: `${first.content}\n\n${second.content}` };
  }
  return { role: 'user', content: [...contentParts(first.content), ...contentParts(second.content)] };
}

function contentParts(content: string | ChatContentPart[]): ChatContentPart[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

const RETURNED_FIELDS: { readonly [O in ChatReasoningOrigin]: ReturnedReasoning['fields'] } = {
  reasoning_content: ['reasoning_content'],
  reasoning: ['reasoning'],
  reasoning_content_and_reasoning: ['reasoning_content', 'reasoning'],
  content: [],
};

function chatOrigin(item: ReasoningItem): ChatReasoningOrigin | undefined {
  return item.content?.find((part) => part.chat_field !== undefined)?.chat_field;
}

/** The reasoning of a Chat response, when its server wants it back. */
function returnedReasoning(item: ReasoningItem, origin: ChatReasoningOrigin): ReturnedReasoning | null {
  const fields = RETURNED_FIELDS[origin];
  if (fields.length === 0) return null;
  return { text: (item.content ?? []).map((part) => part.text).join(''), fields };
}

/** The arguments as sent when they are a JSON object (byte for byte), else `{}` (see the file comment). */
function objectArguments(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return raw;
  } catch {
    // Malformed: replaced below.
  }
  return '{}';
}
