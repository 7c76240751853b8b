/**
 * What compaction does to a history, as pure functions: which messages are the user's, what the summary request
 * asks for, what the compacted history holds, and how big things are.
 *
 * A compacted history is, in this order: the project's instructions (AGENTS.md), the current environment, every
 * message the user wrote before the cut (text only; long ones trimmed from the middle, with a marker), the summary
 * as one user message that says it is one, and then the user's messages that came after the cut (input queued
 * while the summary was written, or the prompt that started the task). No tool call and no reasoning item survives
 * the cut, so every call of the new history is trivially answered; reasoning is dropped.
 */
import { isToolCall, isToolOutput, messageText, type MessageItem, type ResponseItem } from '../protocol/index.ts';
import type { ToolSpec } from '../model/model-event.ts';

/** Starts every summary message, so that later compactions and the transcript know it for what it is. */
export const SUMMARY_PREFIX = '[keel: context compacted]';

const ENVIRONMENT_START = '<environment_context>';
const AGENTS_START = '# AGENTS.md instructions for ';

/** What the model is asked for; the person's own `/compact …` words are added after it. */
export const SUMMARY_INSTRUCTION = `Stop working on the task for a moment: the conversation is about to be cut. Everything above will be replaced by
what you write now, apart from the user's own messages, and you (or another model) will continue the task from
that alone. Write the hand-over notes a successor needs to carry on without redoing or undoing anything:

1. The task: what the user asked for, with every constraint and preference they stated, in their terms.
2. Where it stands: what is finished, what is half done, and the very next step.
3. Decisions taken and why, including approaches tried and given up (so they are not tried again).
4. Files: the ones read that matter, and every file created, changed or deleted, with what changed in each.
5. Commands that matter and what they showed: builds, tests, errors (quote the exact error text when the next
   step depends on it).
6. What remains to do, in order, and anything the user is still waiting for.

Be specific: paths, names, numbers and commands, not impressions. Do not call tools. Answer with the notes only.`;

/** Tokens an image is counted as in estimates (a detailed screenshot costs about this much). */
const IMAGE_TOKENS = 1000;
/** Characters per token in estimates: close for English and code; errs towards more tokens for both. */
const CHARS_PER_TOKEN = 4;
/** Budget of the user's kept messages when the model's window is unknown, in tokens. */
const DEFAULT_USER_MESSAGES_TOKENS = 20_000;
/** Share of the context window the user's kept messages may take at most. */
const USER_MESSAGES_WINDOW_SHARE = 0.2;
/** The least a trimmed message keeps, in characters, however many messages share the budget. */
const MIN_KEPT_CHARS = 400;

export type MessageOrigin = 'user' | 'environment' | 'project_instructions' | 'summary';

/** Who wrote a user-role message: the person, or keel (environment, AGENTS.md, a summary). */
export function userMessageOrigin(item: MessageItem): MessageOrigin {
  const text = firstText(item);
  if (text.startsWith(ENVIRONMENT_START)) return 'environment';
  if (text.startsWith(AGENTS_START)) return 'project_instructions';
  if (text.startsWith(SUMMARY_PREFIX)) return 'summary';
  return 'user';
}

function firstText(item: MessageItem): string {
  const part = item.content.find((candidate) => candidate.type !== 'input_image');
  return part !== undefined && 'text' in part ? part.text : '';
}

function isUserRole(item: ResponseItem): item is MessageItem {
  return item.type === 'message' && item.role === 'user';
}

export function isPersonsMessage(item: ResponseItem): item is MessageItem {
  return isUserRole(item) && userMessageOrigin(item) === 'user';
}

/**
 * Where the part to summarize ends: the history's trailing user-role messages (the prompt that started the task,
 * input queued during it) stay after the summary as they are, since the model has not answered them yet.
 */
export function compactionCut(items: readonly ResponseItem[]): number {
  let cut = items.length;
  while (cut > 0 && isUserRole(items[cut - 1]!)) cut--;
  return cut;
}

/** Whether there is anything a summary could replace: some answer of the model, a call or an output. */
export function hasModelWork(items: readonly ResponseItem[]): boolean {
  return items.some((item) => (item.type === 'message' && item.role === 'assistant') || isToolCall(item) || isToolOutput(item) || item.type === 'reasoning');
}

/** The request's last message: the instruction, and the person's own addition when they gave one. */
export function summaryRequestMessage(instruction: string | null): MessageItem {
  const extra = instruction === null || instruction.trim() === '' ? '' : `\n\nThe user adds, about what the notes must keep: ${instruction.trim()}`;
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text: SUMMARY_INSTRUCTION + extra }] };
}

export function summaryMessage(summary: string): MessageItem {
  const text =
    `${SUMMARY_PREFIX} The conversation before this point was replaced by these notes, which you wrote for ` +
    `yourself when the context grew too long. The user's messages above are theirs, kept as they were (long ones ` +
    `trimmed). Carry on with the task from here.\n\n<summary>\n${summary.trim()}\n</summary>`;
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

export interface CompactedHistoryParts {
  /** The project's instructions message (AGENTS.md), when there is one. */
  projectInstructions: MessageItem | null;
  /** The full current environment (the context notes of the old history are out of date or folded in). */
  environment: MessageItem;
  /** The history that was summarized (before the cut). */
  summarized: readonly ResponseItem[];
  summary: string;
  /** The history after the cut, kept after the summary. */
  tail: readonly ResponseItem[];
  /** What the user's kept messages may take, in tokens. */
  userMessagesBudget: number;
}

export function compactedHistory(parts: CompactedHistoryParts): ResponseItem[] {
  const kept = keptUserMessages(parts.summarized, parts.userMessagesBudget);
  const tail = parts.tail.filter((item) => !isUserRole(item) || userMessageOrigin(item) === 'user');
  return [
    ...(parts.projectInstructions === null ? [] : [parts.projectInstructions]),
    parts.environment,
    ...kept,
    summaryMessage(parts.summary),
    ...tail,
  ];
}

/** The budget for the user's kept messages with a window of `contextWindow` tokens (null: unknown). */
export function userMessagesBudget(contextWindow: number | null): number {
  if (contextWindow === null) return DEFAULT_USER_MESSAGES_TOKENS;
  return Math.max(MIN_KEPT_CHARS / CHARS_PER_TOKEN, Math.min(DEFAULT_USER_MESSAGES_TOKENS, Math.floor(contextWindow * USER_MESSAGES_WINDOW_SHARE)));
}

/**
 * Every message the person wrote in `items`, as text, fitted into `budgetTokens` together: messages under a fair
 * share stay whole, longer ones are trimmed from the middle to what is left (the share is recomputed as short
 * messages leave budget over). Images are replaced by a note.
 */
export function keptUserMessages(items: readonly ResponseItem[], budgetTokens: number): MessageItem[] {
  const texts = items.filter(isPersonsMessage).map(messageTextWithImageNotes);
  const limits = fairShares(
    texts.map((text) => text.length),
    budgetTokens * CHARS_PER_TOKEN,
  );
  return texts.map((text, index) => ({
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text: trimMiddle(text, limits[index]!) }],
  }));
}

function messageTextWithImageNotes(item: MessageItem): string {
  const pieces = item.content.map((part) =>
    part.type === 'input_image' ? '[keel: an image the user attached here was left out when the context was compacted]' : part.text,
  );
  return pieces.join('\n');
}

/** Water-filling: the largest per-item cap such that the capped lengths fit `budget`, never below the minimum. */
function fairShares(lengths: readonly number[], budget: number): number[] {
  const total = lengths.reduce((sum, length) => sum + length, 0);
  if (total <= budget) return [...lengths];
  const order = lengths.map((length, index) => ({ length, index })).sort((a, b) => a.length - b.length);
  let left = budget;
  let cap = MIN_KEPT_CHARS;
  for (let position = 0; position < order.length; position++) {
    const share = left / (order.length - position);
    const { length } = order[position]!;
    if (length <= share) {
      left -= length;
      continue;
    }
    cap = Math.max(MIN_KEPT_CHARS, Math.floor(share));
    break;
  }
  return lengths.map((length) => Math.min(length, cap));
}

/** `text` cut to about `max` characters by removing its middle, with a marker saying how much went. */
export function trimMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(0, max - 80);
  const head = safeSlice(text, 0, Math.ceil(keep / 2));
  const tail = safeSlice(text, text.length - Math.floor(keep / 2), text.length);
  const cut = text.length - head.length - tail.length;
  return `${head}\n\n[… keel: ${cut.toLocaleString('en-US')} characters cut from the middle here …]\n\n${tail}`;
}

/** A slice that does not split a surrogate pair at either end. */
function safeSlice(text: string, from: number, to: number): string {
  let start = from;
  let end = to;
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  return text.slice(start, Math.max(start, end));
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Tokens an item costs beyond its text (its role and framing), as the APIs count them. */
const ITEM_OVERHEAD_TOKENS = 4;

/**
 * A rough token count of an item: the text it carries at four characters a token (message text, arguments,
 * outputs, reasoning), images at a fixed price, and a few tokens of framing. Field names and JSON punctuation are
 * not text the model reads, so they are not counted.
 */
export function estimateItemTokens(item: ResponseItem): number {
  let chars = 0;
  let images = 0;
  const visit = (value: unknown, key: string | null): void => {
    if (typeof value === 'string') {
      if (key === 'image_url') images++;
      else if (key !== 'type' && key !== 'role' && key !== 'id' && key !== 'call_id' && key !== 'status') chars += value.length;
    } else if (Array.isArray(value)) {
      for (const entry of value) visit(entry, null);
    } else if (typeof value === 'object' && value !== null) {
      for (const [name, entry] of Object.entries(value)) visit(entry, name);
    }
  };
  visit(item, null);
  return Math.ceil(chars / CHARS_PER_TOKEN) + images * IMAGE_TOKENS + ITEM_OVERHEAD_TOKENS;
}

export function estimateTokens(items: readonly ResponseItem[]): number {
  let total = 0;
  for (const item of items) total += estimateItemTokens(item);
  return total;
}

/** The part of every request that is not history: the instructions and the tool definitions. */
export function estimateFixedTokens(instructions: string, tools: readonly ToolSpec[]): number {
  return Math.ceil((instructions.length + JSON.stringify(tools).length) / CHARS_PER_TOKEN);
}

/**
 * A cut-down copy of the history to summarize when the whole of it does not fit the window: reasoning dropped,
 * long outputs and messages trimmed from the middle, and, with `share` below 1, only the newest part (about that
 * share of its estimated size) after the person's own messages, so the summary still knows the task.
 */
export function shrunkForSummary(items: readonly ResponseItem[], share: number, budgetTokens: number): { items: ResponseItem[]; leftOut: number } {
  const trimmed = items.filter((item) => item.type !== 'reasoning').map(trimItem);
  if (share >= 1) return { items: trimmed, leftOut: 0 };
  const target = estimateTokens(trimmed) * share;
  let start = trimmed.length;
  let size = 0;
  while (start > 0 && size + estimateItemTokens(trimmed[start - 1]!) <= target) size += estimateItemTokens(trimmed[--start]!);
  // Never start on an output: its call is left out, and the API refuses an output without one.
  while (start < trimmed.length && isToolOutput(trimmed[start]!)) start++;
  const newest = trimmed.slice(start);
  const leftOut = start;
  const persons = keptUserMessages(trimmed.slice(0, start), budgetTokens);
  const note: MessageItem = {
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text: `[keel: the ${leftOut} oldest items of the conversation were left out here so that this request fits]` }],
  };
  return { items: [...persons, note, ...newest], leftOut };
}

/** Outputs and messages longer than this are trimmed in a cut-down copy. */
const SHRUNK_ITEM_CHARS = 4000;

function trimItem(item: ResponseItem): ResponseItem {
  if (isToolOutput(item)) return { ...item, output: trimMiddle(item.output, SHRUNK_ITEM_CHARS) };
  if (item.type === 'message') {
    const content = item.content
      .filter((part) => part.type !== 'input_image')
      .map((part) => ('text' in part ? { ...part, text: trimMiddle(part.text, SHRUNK_ITEM_CHARS) } : part));
    return { ...item, content };
  }
  if (item.type === 'function_call') return { ...item, arguments: trimMiddle(item.arguments, SHRUNK_ITEM_CHARS) };
  if (item.type === 'custom_tool_call') return { ...item, input: trimMiddle(item.input, SHRUNK_ITEM_CHARS) };
  return item;
}

/** The biggest part of a request, described for an error that must say what does not fit. */
export function largestPart(items: readonly ResponseItem[], fixedTokens: number): { what: string; tokens: number } {
  let best = { what: "keel's instructions and tool definitions", tokens: fixedTokens };
  for (const item of items) {
    const tokens = estimateItemTokens(item);
    if (tokens > best.tokens) best = { what: describeItem(item, items), tokens };
  }
  return best;
}

function describeItem(item: ResponseItem, items: readonly ResponseItem[]): string {
  switch (item.type) {
    case 'message': {
      if (item.role === 'assistant') return `a message of the model (${quoteStart(messageText(item))})`;
      const origin = userMessageOrigin(item);
      if (origin === 'project_instructions') return 'the project instructions (AGENTS.md)';
      if (origin === 'summary') return 'the summary of an earlier compaction';
      return `a user message (${quoteStart(messageText(item))})`;
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const call = items.find((candidate) => isToolCall(candidate) && 'call_id' in candidate && candidate.call_id === item.call_id);
      const name = call !== undefined && 'name' in call ? call.name : 'a tool';
      return `the output of ${name} call ${item.call_id}`;
    }
    case 'function_call':
    case 'custom_tool_call':
      return `the arguments of ${item.name} call ${item.call_id}`;
    default:
      return `a ${item.type} item`;
  }
}

function quoteStart(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > 48 ? `${flat.slice(0, 47)}…` : flat}”`;
}
