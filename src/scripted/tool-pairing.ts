/**
 * The Responses API's pairing rule over a whole conversation: every tool call needs an output with its call_id
 * somewhere after it, and every output needs a call of its kind somewhere in the conversation. The first broken
 * item (by position) decides the 400, as the real API reports one problem at a time.
 */
import { isRecord, reject, type RulesVerdict } from './rules-verdict.ts';

type Family = 'function' | 'custom';

interface ToolEntry {
  role: 'call' | 'output';
  family: Family;
  callId: string;
  /** How the real API names the item in its error messages. */
  label: string;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function itemType(item: Record<string, unknown>): string | undefined {
  if (typeof item.type === 'string') return item.type;
  // The API accepts `{role, content}` without a type as a message.
  return 'role' in item ? 'message' : undefined;
}

/** The call_id an item pairs on: local shell calls may be answered by their `id` when they have no `call_id`. */
export function pairingId(item: Record<string, unknown>): string | undefined {
  return itemType(item) === 'local_shell_call' ? (nonEmpty(item.call_id) ?? nonEmpty(item.id)) : nonEmpty(item.call_id);
}

function classify(item: unknown): ToolEntry | undefined {
  if (!isRecord(item)) return undefined;
  const callId = pairingId(item);
  if (callId === undefined) return undefined;
  switch (itemType(item)) {
    case 'function_call':
      return { role: 'call', family: 'function', callId, label: 'function call' };
    case 'local_shell_call':
      return { role: 'call', family: 'function', callId, label: 'local shell call' };
    case 'custom_tool_call':
      return { role: 'call', family: 'custom', callId, label: 'custom tool call' };
    case 'function_call_output':
      return { role: 'output', family: 'function', callId, label: 'function call output' };
    case 'custom_tool_call_output':
      return { role: 'output', family: 'custom', callId, label: 'custom tool call output' };
    default:
      return undefined;
  }
}

export function checkToolPairing(conversation: readonly unknown[]): RulesVerdict {
  const entries = conversation.map(classify);
  const lastOutput = new Map<string, number>();
  const calls = new Map<string, number>();
  const outputs = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (!entry) return;
    const key = `${entry.family}:${entry.callId}`;
    if (entry.role === 'output') {
      lastOutput.set(key, index);
      outputs.set(key, (outputs.get(key) ?? 0) + 1);
    } else {
      calls.set(key, (calls.get(key) ?? 0) + 1);
    }
  });
  for (const [index, entry] of entries.entries()) {
    if (!entry) continue;
    const key = `${entry.family}:${entry.callId}`;
    if (entry.role === 'call' && (lastOutput.get(key) ?? -1) < index) {
      return reject(`No tool output found for ${entry.label} ${entry.callId}.`, 'input');
    }
    if (entry.role === 'output' && !calls.has(key)) {
      return reject(`No tool call found for ${entry.label} with call_id ${entry.callId}.`, 'input');
    }
  }
  // The API accepts extra outputs, but keel promises exactly one output per call (DESIGN.md section 1). Compared
  // with the number of calls, because a script may reuse a call_id in a later turn.
  const notes: string[] = [];
  for (const [key, count] of outputs) {
    const callCount = calls.get(key) ?? 0;
    if (count > callCount) notes.push(`${key} has ${count} outputs for ${callCount} call(s); keel promises exactly one`);
  }
  return { type: 'accept', conversation: [...conversation], notes };
}
