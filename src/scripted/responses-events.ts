/**
 * Renders a step as the Responses API streams it. For a response the events are, in order:
 *
 *   response.created, response.in_progress,
 *   per output, at its output_index:
 *     text:      output_item.added, content_part.added, output_text.delta × words, output_text.done,
 *                content_part.done, output_item.done
 *     reasoning: output_item.added, then per summary paragraph: reasoning_summary_part.added,
 *                reasoning_summary_text.delta × words, reasoning_summary_text.done, reasoning_summary_part.done;
 *                then output_item.done
 *     function_call / custom_tool_call: output_item.added, function_call_arguments.delta × 3 (or
 *                custom_tool_call_input.delta × 3), ….done, output_item.done
 *   response.completed
 *
 * A failed step is response.created, response.in_progress, response.failed. Every event carries `type` and a
 * `sequence_number` from 0, as the real API does; clients must tolerate the ones they do not use.
 */
import type { IdSource } from './id-source.ts';
import type { FailedStep, ResponseStep, ScriptOutput, ScriptUsage } from './script.ts';
import type { SseFrame } from './sse-frame.ts';
import { splitPieces, splitWords } from './text-chunks.ts';

export interface ResponsesRenderContext {
  responseId: string;
  model: string;
  ids: IdSource;
  /** The request asked for `include: ["reasoning.encrypted_content"]`. */
  encryptedReasoning: boolean;
  createdAt: number;
}

export interface RenderedResponse {
  frames: SseFrame[];
  /** The output items as `response.completed` lists them; a stored response's contribution to its chain. */
  output: Record<string, unknown>[];
}

type Payload = Record<string, unknown>;

/**
 * The encrypted reasoning this server hands out for a reasoning item: opaque to clients, who must send it back
 * verbatim, which the rules then check (reasoning-rules.ts).
 */
export function scriptedEncryptedReasoning(itemId: string): string {
  return `scripted-encrypted:${itemId}`;
}

function usageOf(usage: ScriptUsage | undefined): Payload {
  const input = usage?.input_tokens ?? 0;
  const output = usage?.output_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.reasoning_tokens ?? 0 },
    total_tokens: input + output,
  };
}

class FrameList {
  readonly frames: SseFrame[] = [];

  add(type: string, payload: Payload): void {
    const data = { type, sequence_number: this.frames.length, ...payload };
    this.frames.push({ event: type, data: JSON.stringify(data) });
  }
}

function renderOutput(out: FrameList, output: ScriptOutput, index: number, ctx: ResponsesRenderContext): Payload {
  const at = { output_index: index };
  switch (output.type) {
    case 'text': {
      const id = ctx.ids.next('msg');
      const part = { item_id: id, ...at, content_index: 0 };
      const done = { type: 'output_text', text: output.text, annotations: [] };
      const item = { id, type: 'message', status: 'completed', role: 'assistant', content: [done] };
      out.add('response.output_item.added', { ...at, item: { ...item, status: 'in_progress', content: [] } });
      out.add('response.content_part.added', { ...part, part: { ...done, text: '' } });
      for (const delta of splitWords(output.text)) out.add('response.output_text.delta', { ...part, delta });
      out.add('response.output_text.done', { ...part, text: output.text });
      out.add('response.content_part.done', { ...part, part: done });
      out.add('response.output_item.done', { ...at, item });
      return item;
    }
    case 'reasoning': {
      const id = ctx.ids.next('rs');
      const summary = output.summary.map((text) => ({ type: 'summary_text', text }));
      const item: Payload = { id, type: 'reasoning', summary };
      if (ctx.encryptedReasoning) item.encrypted_content = scriptedEncryptedReasoning(id);
      out.add('response.output_item.added', { ...at, item: { ...item, summary: [] } });
      output.summary.forEach((text, summaryIndex) => {
        const part = { item_id: id, ...at, summary_index: summaryIndex };
        out.add('response.reasoning_summary_part.added', { ...part, part: { type: 'summary_text', text: '' } });
        for (const delta of splitWords(text)) out.add('response.reasoning_summary_text.delta', { ...part, delta });
        out.add('response.reasoning_summary_text.done', { ...part, text });
        out.add('response.reasoning_summary_part.done', { ...part, part: { type: 'summary_text', text } });
      });
      out.add('response.output_item.done', { ...at, item });
      return item;
    }
    case 'function_call': {
      const id = ctx.ids.next('fc');
      const callId = output.call_id ?? ctx.ids.next('call');
      const item = { id, type: 'function_call', status: 'completed', arguments: output.arguments, call_id: callId, name: output.name };
      out.add('response.output_item.added', { ...at, item: { ...item, status: 'in_progress', arguments: '' } });
      for (const delta of splitPieces(output.arguments, 3)) {
        out.add('response.function_call_arguments.delta', { item_id: id, ...at, delta });
      }
      out.add('response.function_call_arguments.done', { item_id: id, ...at, arguments: output.arguments });
      out.add('response.output_item.done', { ...at, item });
      return item;
    }
    case 'custom_tool_call': {
      const id = ctx.ids.next('ctc');
      const callId = output.call_id ?? ctx.ids.next('call');
      const item = { id, type: 'custom_tool_call', status: 'completed', call_id: callId, input: output.input, name: output.name };
      out.add('response.output_item.added', { ...at, item: { ...item, status: 'in_progress', input: '' } });
      for (const delta of splitPieces(output.input, 3)) {
        out.add('response.custom_tool_call_input.delta', { item_id: id, ...at, delta });
      }
      out.add('response.custom_tool_call_input.done', { item_id: id, ...at, input: output.input });
      out.add('response.output_item.done', { ...at, item });
      return item;
    }
  }
}

export function renderResponsesEvents(step: ResponseStep | FailedStep, ctx: ResponsesRenderContext): RenderedResponse {
  const out = new FrameList();
  const base = { id: ctx.responseId, object: 'response', created_at: ctx.createdAt, model: ctx.model };
  const inProgress = { ...base, status: 'in_progress', output: [], usage: null, error: null };
  out.add('response.created', { response: inProgress });
  out.add('response.in_progress', { response: inProgress });
  if (step.type === 'failed') {
    const error = { code: step.code, message: step.message };
    out.add('response.failed', { response: { ...base, status: 'failed', output: [], usage: null, error } });
    return { frames: out.frames, output: [] };
  }
  const output = step.outputs.map((item, index) => renderOutput(out, item, index, ctx));
  out.add('response.completed', {
    response: { ...base, status: 'completed', output, usage: usageOf(step.usage), error: null },
  });
  return { frames: out.frames, output };
}
