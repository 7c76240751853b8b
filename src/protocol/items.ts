/**
 * Conversation items: the history keel keeps and sends to the model. The shapes follow the Responses API input
 * items; the Chat Completions adapter converts them. Items are plain JSON so they can be logged and read back.
 */
import * as z from 'zod/mini';

export const InputTextPart = z.object({ type: z.literal('input_text'), text: z.string() });
export const OutputTextPart = z.object({ type: z.literal('output_text'), text: z.string() });
export const InputImagePart = z.object({ type: z.literal('input_image'), image_url: z.string() });
export const ContentPart = z.discriminatedUnion('type', [InputTextPart, OutputTextPart, InputImagePart]);
export type ContentPart = z.infer<typeof ContentPart>;

export const MessageItem = z.object({
  type: z.literal('message'),
  id: z.optional(z.string()),
  role: z.enum(['user', 'assistant', 'developer', 'system']),
  content: z.array(ContentPart),
});
export type MessageItem = z.infer<typeof MessageItem>;

/**
 * Where a Chat Completions server streamed a reasoning text: the delta field (`reasoning_content`, `reasoning`, or
 * both names at once) or `content` (inside `<think>` tags). The text is sent back in later requests in the same
 * field; reasoning that came in the content is not sent back.
 */
export const ChatReasoningOrigin = z.enum(['reasoning_content', 'reasoning', 'reasoning_content_and_reasoning', 'content']);
export type ChatReasoningOrigin = z.infer<typeof ChatReasoningOrigin>;

export const ReasoningItem = z.object({
  type: z.literal('reasoning'),
  id: z.optional(z.string()),
  summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })),
  content: z.optional(
    z.array(
      z.object({
        type: z.string(),
        text: z.string(),
        /**
         * Chat Completions only (see ChatReasoningOrigin). It lives on the `reasoning_text` part, which the
         * Responses request never sends back, so it cannot reach the Responses API.
         */
        chat_field: z.optional(ChatReasoningOrigin),
      }),
    ),
  ),
  encrypted_content: z.optional(z.nullable(z.string())),
});
export type ReasoningItem = z.infer<typeof ReasoningItem>;

export const FunctionCallItem = z.object({
  type: z.literal('function_call'),
  id: z.optional(z.string()),
  name: z.string(),
  /** The model's JSON text, unparsed: it may be malformed and must be kept exactly as sent. */
  arguments: z.string(),
  call_id: z.string(),
});
export type FunctionCallItem = z.infer<typeof FunctionCallItem>;

export const FunctionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string(),
  output: z.string(),
});
export type FunctionCallOutputItem = z.infer<typeof FunctionCallOutputItem>;

export const CustomToolCallItem = z.object({
  type: z.literal('custom_tool_call'),
  id: z.optional(z.string()),
  name: z.string(),
  input: z.string(),
  call_id: z.string(),
});
export type CustomToolCallItem = z.infer<typeof CustomToolCallItem>;

export const CustomToolCallOutputItem = z.object({
  type: z.literal('custom_tool_call_output'),
  call_id: z.string(),
  output: z.string(),
});
export type CustomToolCallOutputItem = z.infer<typeof CustomToolCallOutputItem>;

export const LocalShellCallItem = z.object({
  type: z.literal('local_shell_call'),
  id: z.optional(z.string()),
  call_id: z.optional(z.string()),
  status: z.string(),
  action: z.object({
    type: z.literal('exec'),
    command: z.array(z.string()),
    timeout_ms: z.optional(z.nullable(z.number())),
    working_directory: z.optional(z.nullable(z.string())),
    env: z.optional(z.nullable(z.record(z.string(), z.string()))),
  }),
});
export type LocalShellCallItem = z.infer<typeof LocalShellCallItem>;

export const ResponseItem = z.discriminatedUnion('type', [
  MessageItem,
  ReasoningItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  CustomToolCallItem,
  CustomToolCallOutputItem,
  LocalShellCallItem,
]);
export type ResponseItem = z.infer<typeof ResponseItem>;

/** Items the model issues that demand exactly one output in every later request. */
export type ToolCallItem = FunctionCallItem | CustomToolCallItem | LocalShellCallItem;
export type ToolOutputItem = FunctionCallOutputItem | CustomToolCallOutputItem;

export function isToolCall(item: ResponseItem): item is ToolCallItem {
  return item.type === 'function_call' || item.type === 'custom_tool_call' || item.type === 'local_shell_call';
}

export function isToolOutput(item: ResponseItem): item is ToolOutputItem {
  return item.type === 'function_call_output' || item.type === 'custom_tool_call_output';
}

/** The id that pairs a call with its output; a local shell call without `call_id` is answered by its `id`. */
export function callIdOf(item: ToolCallItem): string | undefined {
  return item.type === 'local_shell_call' ? (item.call_id ?? item.id) : item.call_id;
}

export function userMessage(text: string): MessageItem {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

export function assistantMessage(text: string): MessageItem {
  return { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] };
}

/** The concatenated text of a message's text parts. */
export function messageText(item: MessageItem): string {
  return item.content.map((part) => (part.type === 'input_image' ? '' : part.text)).join('');
}
