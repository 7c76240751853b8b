/**
 * The conversation history and the one invariant keel exists for: every tool call has exactly one output, placed
 * right after its call, in every request. Outputs are attached to their calls when they are recorded (not appended
 * at the end), so the order is a function of the items alone and replaying a log rebuilds the same history.
 */
import {
  callIdOf,
  isToolCall,
  isToolOutput,
  type ResponseItem,
  type ToolCallItem,
  type ToolOutputItem,
} from '../protocol/index.ts';
import { unfinishedOutput } from '../tools/unfinished-call.ts';

export function outputFor(call: ToolCallItem, output: string): ToolOutputItem {
  const callId = callIdOf(call) ?? '';
  return call.type === 'custom_tool_call'
    ? { type: 'custom_tool_call_output', call_id: callId, output }
    : { type: 'function_call_output', call_id: callId, output };
}

export class ConversationHistory {
  private readonly list: ResponseItem[] = [];

  constructor(items: readonly ResponseItem[] = []) {
    for (const item of items) this.record(item);
  }

  get items(): readonly ResponseItem[] {
    return this.list;
  }

  /**
   * Records an item. An output goes right after its call (after any output already there, which `normalize`
   * later drops as a duplicate); an output whose call is unknown is kept at the end until `normalize` drops it.
   */
  record(item: ResponseItem): void {
    if (isToolOutput(item)) {
      const at = this.indexOfCall(item.call_id);
      if (at >= 0) {
        let insertAt = at + 1;
        while (insertAt < this.list.length && this.answers(this.list[insertAt]!, item.call_id)) insertAt++;
        this.list.splice(insertAt, 0, item);
        return;
      }
    }
    this.list.push(item);
  }

  /** Replaces the whole history (a compaction); the items are recorded in order, as a resume would. */
  replaceAll(items: readonly ResponseItem[]): void {
    this.list.splice(0, this.list.length);
    for (const item of items) this.record(item);
  }

  /** Call ids issued by the model that have no output yet, in the order they were issued. */
  openCalls(): ToolCallItem[] {
    const answered = new Set<string>();
    for (const item of this.list) if (isToolOutput(item)) answered.add(item.call_id);
    return this.list.filter((item): item is ToolCallItem => {
      if (!isToolCall(item)) return false;
      const id = callIdOf(item);
      return id !== undefined && !answered.has(id);
    });
  }

  /**
   * Makes the history one the API accepts, changing the history itself (not only one request) so every later
   * request agrees: an `aborted` output for each open call, right after it; outputs without a call dropped;
   * second outputs for one call dropped; calls without any id dropped (nothing could ever answer them).
   * Returns the synthetic outputs it added, so the caller can record them durably before sending.
   */
  normalize(): ToolOutputItem[] {
    const added: ToolOutputItem[] = [];
    const calls = new Set<string>();
    for (const item of this.list) {
      if (isToolCall(item)) {
        const id = callIdOf(item);
        if (id !== undefined) calls.add(id);
      }
    }
    const answered = new Set<string>();
    const next: ResponseItem[] = [];
    for (const item of this.list) {
      if (isToolOutput(item)) {
        if (!calls.has(item.call_id) || answered.has(item.call_id)) continue;
        answered.add(item.call_id);
      } else if (isToolCall(item) && callIdOf(item) === undefined) {
        continue;
      }
      next.push(item);
    }
    const result: ResponseItem[] = [];
    for (let i = 0; i < next.length; i++) {
      const item = next[i]!;
      result.push(item);
      if (!isToolCall(item)) continue;
      const id = callIdOf(item)!;
      if (answered.has(id)) continue;
      const synthetic = outputFor(item, unfinishedOutput({ type: 'never_ran' }));
      answered.add(id);
      added.push(synthetic);
      result.push(synthetic);
    }
    this.list.splice(0, this.list.length, ...result);
    return added;
  }

  private indexOfCall(callId: string): number {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const item = this.list[i]!;
      if (isToolCall(item) && callIdOf(item) === callId) return i;
    }
    return -1;
  }

  private answers(item: ResponseItem, callId: string): boolean {
    return isToolOutput(item) && item.call_id === callId;
  }
}
