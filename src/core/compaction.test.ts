import { describe, expect, it } from 'vitest';
import { assistantMessage, isToolCall, isToolOutput, messageText, userMessage, type MessageItem, type ResponseItem } from '../protocol/index.ts';
import { environmentContext } from './base-instructions.ts';
import {
  compactedHistory,
  compactionCut,
  estimateItemTokens,
  hasModelWork,
  keptUserMessages,
  largestPart,
  shrunkForSummary,
  SUMMARY_PREFIX,
  summaryMessage,
  summaryRequestMessage,
  trimMiddle,
  userMessageOrigin,
  userMessagesBudget,
} from './compaction.ts';

const agents = userMessage('# AGENTS.md instructions for /work\n\n<INSTRUCTIONS>\nUse tabs.\n</INSTRUCTIONS>');
const environment = userMessage(environmentContext({ cwd: '/work', approvalPolicy: 'never', sandboxMode: 'read-only', shell: 'bash' }));
const call = (id: string): ResponseItem => ({ type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: id });
const output = (id: string, text: string): ResponseItem => ({ type: 'function_call_output', call_id: id, output: text });
const texts = (items: readonly ResponseItem[]): string[] => items.map((item) => (item.type === 'message' ? messageText(item) : item.type));

describe('what compaction keeps', () => {
  it('tells the person\u2019s messages from keel\u2019s own', () => {
    expect(userMessageOrigin(agents)).toBe('project_instructions');
    expect(userMessageOrigin(environment)).toBe('environment');
    expect(userMessageOrigin(summaryMessage('notes'))).toBe('summary');
    expect(userMessageOrigin(userMessage('fix the build'))).toBe('user');
  });

  it('cuts before the trailing user messages the model has not answered yet', () => {
    const items = [agents, environment, userMessage('one'), assistantMessage('ok'), environment, userMessage('two')];
    expect(compactionCut(items)).toBe(4);
    expect(compactionCut([...items.slice(0, 4), call('c'), output('c', 'x')])).toBe(6);
    expect(hasModelWork(items.slice(0, 3))).toBe(false);
    expect(hasModelWork(items)).toBe(true);
  });

  it('builds the new history: instructions, environment, the person\u2019s messages, the summary, then the tail', () => {
    const summarized = [agents, environment, userMessage('the task'), reasoningItem(), call('c1'), output('c1', 'huge'), assistantMessage('read it'), userMessage('also this')];
    const history = compactedHistory({
      projectInstructions: agents,
      environment,
      summarized,
      summary: 'Task: x. Next: y.',
      tail: [environment, userMessage('queued')],
      userMessagesBudget: 20_000,
    });
    expect(texts(history)).toEqual([
      messageText(agents),
      messageText(environment),
      'the task',
      'also this',
      expect.stringMatching(new RegExp(`^\\${SUMMARY_PREFIX} .*<summary>\\nTask: x\\. Next: y\\.\\n</summary>$`, 's')),
      'queued',
    ]);
    // No call, output or reasoning crosses the cut.
    expect(history.some((item) => isToolCall(item) || isToolOutput(item) || item.type === 'reasoning')).toBe(false);
  });

  it('keeps the messages a previous compaction kept, and not its summary', () => {
    const first = compactedHistory({ projectInstructions: null, environment, summarized: [userMessage('task'), assistantMessage('a')], summary: 'one', tail: [], userMessagesBudget: 20_000 });
    const second = compactedHistory({
      projectInstructions: null,
      environment,
      summarized: [...first, assistantMessage('b'), userMessage('more')],
      summary: 'two',
      tail: [],
      userMessagesBudget: 20_000,
    });
    const kept = texts(second);
    expect(kept.filter((text) => text.startsWith(SUMMARY_PREFIX))).toHaveLength(1);
    expect(kept.at(-1)).toContain('<summary>\ntwo\n</summary>');
    expect(kept.slice(1, 3)).toEqual(['task', 'more']);
  });

  it('fits the person\u2019s messages into the budget: short ones whole, long ones trimmed from the middle', () => {
    const long = `START ${'a'.repeat(50_000)} END`;
    const kept = keptUserMessages([userMessage('short one'), userMessage(long), userMessage('another')], 2_000);
    const [short, trimmed, another] = kept.map((item) => messageText(item));
    expect(short).toBe('short one');
    expect(another).toBe('another');
    expect(trimmed!.startsWith('START ')).toBe(true);
    expect(trimmed!.endsWith(' END')).toBe(true);
    expect(trimmed).toMatch(/\[… keel: [\d,]+ characters cut from the middle here …\]/);
    expect(kept.reduce((sum, item) => sum + messageText(item).length, 0)).toBeLessThanOrEqual(2_000 * 4 + 100);
  });

  it('replaces images in kept messages with a note', () => {
    const withImage: MessageItem = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'see this' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] };
    const [kept] = keptUserMessages([withImage], 20_000);
    expect(JSON.stringify(kept)).not.toContain('data:image');
    expect(messageText(kept!)).toMatch(/^see this\n\[keel: an image the user attached here was left out/);
  });

  it('gives a small window a small budget', () => {
    expect(userMessagesBudget(null)).toBe(20_000);
    expect(userMessagesBudget(1_000_000)).toBe(20_000);
    expect(userMessagesBudget(8_000)).toBe(1_600);
  });

  it('trims without splitting a surrogate pair', () => {
    const text = '😀'.repeat(200);
    const trimmed = trimMiddle(text, 120);
    expect(trimmed).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});

describe('a cut-down copy for an oversized summary request', () => {
  const history: ResponseItem[] = [userMessage('the task')];
  for (let round = 0; round < 20; round++) history.push(call(`c${round}`), output(`c${round}`, 'o'.repeat(10_000)), assistantMessage(`round ${round}`));

  it('trims long outputs and drops reasoning, keeping every item', () => {
    const { items, leftOut } = shrunkForSummary([reasoningItem(), ...history], 1, 20_000);
    expect(leftOut).toBe(0);
    expect(items.some((item) => item.type === 'reasoning')).toBe(false);
    expect(items).toHaveLength(history.length);
    expect(Math.max(...items.map(estimateItemTokens))).toBeLessThan(1_200);
  });

  it('keeps the newest part after the person\u2019s messages, never starting on an output', () => {
    for (const share of [0.5, 0.25, 0.1]) {
      const { items, leftOut } = shrunkForSummary(history, share, 20_000);
      expect(leftOut).toBeGreaterThan(0);
      expect(messageText(items[0] as MessageItem)).toBe('the task');
      expect(messageText(items[1] as MessageItem)).toMatch(/^\[keel: the \d+ oldest items of the conversation were left out here/);
      const calls = new Set(items.filter(isToolCall).map((item) => ('call_id' in item ? item.call_id : '')));
      for (const item of items.filter(isToolOutput)) expect(calls.has(item.call_id)).toBe(true);
    }
  });
});

describe('what is too big', () => {
  it('names the biggest part of a request', () => {
    const items = [userMessage('small'), call('c1'), output('c1', 'z'.repeat(40_000)), userMessage(`paste: ${'y'.repeat(8_000)}`)];
    expect(largestPart(items, 100)).toEqual({ what: 'the output of shell call c1', tokens: expect.any(Number) });
    expect(largestPart([userMessage('hi')], 5_000).what).toBe("keel's instructions and tool definitions");
    expect(largestPart([agents], 0).what).toBe('the project instructions (AGENTS.md)');
  });

  it('adds the person\u2019s instruction to the summary request', () => {
    expect(messageText(summaryRequestMessage(null))).not.toContain('The user adds');
    expect(messageText(summaryRequestMessage('  keep the API notes '))).toMatch(/\n\nThe user adds, about what the notes must keep: keep the API notes$/);
  });
});

function reasoningItem(): ResponseItem {
  return { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'opaque' };
}
