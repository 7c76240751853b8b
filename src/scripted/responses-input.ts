/**
 * Reading a captured Responses request's `input`, for assertions such as "the output sits right after its call":
 *
 *   expect(outputIndex(request, 'call_1')).toBe(callIndex(request, 'call_1') + 1)
 *
 * They take anything with a `body`, so they work on captured requests and in `expect` hooks alike.
 */
import { inputItems } from './responses-rules.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON, read as tests read it */
type WithBody = { body: any };
type Item = Record<string, any>;

/** The request's input items (a string input reads as one user message); [] when there is none. */
export function requestInput(request: WithBody): Item[] {
  const items = inputItems(request.body?.input) ?? [];
  return items.filter((item): item is Item => typeof item === 'object' && item !== null);
}

export function inputsOfType(request: WithBody, type: string): Item[] {
  return requestInput(request).filter((item) => item.type === type || (type === 'message' && item.type === undefined && 'role' in item));
}

function findIndex(request: WithBody, types: readonly string[], callId: string): number {
  return requestInput(request).findIndex(
    (item) => types.includes(item.type) && (item.call_id === callId || (item.type === 'local_shell_call' && item.id === callId)),
  );
}

/** Index in `input` of the call (function, custom or local shell) with this call_id; -1 when absent. */
export function callIndex(request: WithBody, callId: string): number {
  return findIndex(request, ['function_call', 'custom_tool_call', 'local_shell_call'], callId);
}

/** Index in `input` of the output (function or custom) answering this call_id; -1 when absent. */
export function outputIndex(request: WithBody, callId: string): number {
  return findIndex(request, ['function_call_output', 'custom_tool_call_output'], callId);
}

export function functionCallOutput(request: WithBody, callId: string): Item | undefined {
  return inputsOfType(request, 'function_call_output').find((item) => item.call_id === callId);
}

export function customToolCallOutput(request: WithBody, callId: string): Item | undefined {
  return inputsOfType(request, 'custom_tool_call_output').find((item) => item.call_id === callId);
}

/** The text of an output item, whether sent as a string or as content parts. */
export function outputText(item: Item | undefined): string | undefined {
  if (!item) return undefined;
  if (typeof item.output === 'string') return item.output;
  return Array.isArray(item.output) ? item.output.map((part: Item) => part?.text ?? '').join('') : undefined;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: Item) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

/** The texts of the input messages with this role, in order. */
export function messageTexts(request: WithBody, role: string): string[] {
  return inputsOfType(request, 'message')
    .filter((item) => item.role === role)
    .map((item) => contentText(item.content));
}

export function userMessageTexts(request: WithBody): string[] {
  return messageTexts(request, 'user');
}
