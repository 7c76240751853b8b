/**
 * Renders a step as Chat Completions streams it: `data: <chunk>` frames, then `data: [DONE]`.
 *
 *   role chunk (`delta: {role: "assistant", content: ""}`),
 *   per output: text → one content delta per word; reasoning → deltas in the flavor's reasoning field, or in
 *     `content` inside `<think>` tags cut across chunks (`<th`, `ink>`; `</thi`, `nk>`);
 *     a tool call → a chunk opening it (index, id, type, name, empty arguments) and three argument pieces,
 *   a finish chunk (`finish_reason` "tool_calls" when any tool was called, else "stop"),
 *   a usage chunk (`choices: []`) when the request set `stream_options.include_usage` and the flavor allows,
 *   `[DONE]`.
 *
 * Custom tool calls go out as `{type: "custom", custom: {name, input}}`, the shape OpenAI uses for custom tools on
 * this endpoint. A failed step is the role chunk followed by an `{"error": {...}}` chunk and no `[DONE]`.
 */
import type { ChatFlavor, ChatReasoningPlace, FailedStep, ResponseStep, ScriptOutput, ScriptUsage } from './script.ts';
import type { IdSource } from './id-source.ts';
import type { SseFrame } from './sse-frame.ts';
import { splitPieces, splitWords } from './text-chunks.ts';

export interface ChatRenderContext {
  completionId: string;
  model: string;
  created: number;
  ids: IdSource;
  includeUsage: boolean;
  flavor: ChatFlavor;
}

type Delta = Record<string, unknown>;

function usageOf(usage: ScriptUsage | undefined): Delta {
  const prompt = usage?.input_tokens ?? 0;
  const completion = usage?.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage?.reasoning_tokens ?? 0 },
  };
}

class ChunkList {
  readonly frames: SseFrame[] = [];

  constructor(
    private readonly ctx: ChatRenderContext,
    private readonly usageField: boolean,
  ) {}

  private push(choices: unknown[], extra: Delta = {}): void {
    const { completionId: id, created, model } = this.ctx;
    // With include_usage the real API puts `usage: null` on every chunk but the last.
    const usage = this.usageField ? { usage: null } : {};
    const chunk = { id, object: 'chat.completion.chunk', created, model, choices, ...usage, ...extra };
    this.frames.push({ data: JSON.stringify(chunk) });
  }

  delta(delta: Delta, finishReason: string | null = null): void {
    this.push([{ index: 0, delta, logprobs: null, finish_reason: finishReason }]);
  }

  usage(usage: Delta): void {
    this.push([], { usage });
  }

  raw(data: string): void {
    this.frames.push({ data });
  }
}

function renderToolCall(out: ChunkList, output: ScriptOutput, toolIndex: number, ctx: ChatRenderContext): void {
  if (output.type !== 'function_call' && output.type !== 'custom_tool_call') return;
  const id = ctx.flavor.toolCallIds === false ? {} : { id: output.call_id ?? ctx.ids.next('call') };
  if (output.type === 'function_call') {
    const open = { index: toolIndex, ...id, type: 'function', function: { name: output.name, arguments: '' } };
    out.delta({ tool_calls: [open] });
    for (const piece of splitPieces(output.arguments, 3)) {
      out.delta({ tool_calls: [{ index: toolIndex, function: { arguments: piece } }] });
    }
  } else {
    const open = { index: toolIndex, ...id, type: 'custom', custom: { name: output.name, input: '' } };
    out.delta({ tool_calls: [open] });
    for (const piece of splitPieces(output.input, 3)) {
      out.delta({ tool_calls: [{ index: toolIndex, custom: { input: piece } }] });
    }
  }
}

function renderReasoning(out: ChunkList, text: string, place: ChatReasoningPlace): void {
  switch (place) {
    case 'reasoning_content':
    case 'reasoning':
      for (const piece of splitWords(text)) out.delta({ [place]: piece });
      return;
    case 'think_tags':
    case 'think_close_only':
      if (place === 'think_tags') for (const content of ['<th', 'ink>\n']) out.delta({ content });
      for (const content of splitWords(text)) out.delta({ content });
      for (const content of ['\n</thi', 'nk>\n\n']) out.delta({ content });
      return;
  }
}

export function renderChatChunks(step: ResponseStep | FailedStep, ctx: ChatRenderContext): SseFrame[] {
  const sendUsage = ctx.includeUsage && ctx.flavor.usage !== false;
  const out = new ChunkList(ctx, sendUsage);
  out.delta({ role: 'assistant', content: '' });
  if (step.type === 'failed') {
    out.raw(JSON.stringify({ error: { message: step.message, type: 'server_error', param: null, code: step.code } }));
    return out.frames;
  }
  const reasoningField = ctx.flavor.reasoningField ?? 'reasoning_content';
  let toolCalls = 0;
  for (const output of step.outputs) {
    switch (output.type) {
      case 'text':
        for (const content of splitWords(output.text)) out.delta({ content });
        break;
      case 'reasoning':
        renderReasoning(out, output.summary.join('\n\n'), reasoningField);
        break;
      case 'function_call':
      case 'custom_tool_call':
        renderToolCall(out, output, toolCalls, ctx);
        toolCalls += 1;
        break;
    }
  }
  out.delta({}, toolCalls > 0 ? 'tool_calls' : 'stop');
  if (sendUsage) out.usage(usageOf(step.usage));
  out.raw('[DONE]');
  return out.frames;
}
