/**
 * Building a stateless request for a reasoning model from a long history: 2,000 items, 500 of them reasoning items
 * with encrypted content (about 2 KB each, as the API returns them), the rest calls, outputs and messages. Timed from
 * the history to the JSON body on the wire: the engine's prompt (normalized history, the model's reasoning
 * parameters), the adapter's body (which items keep their ids, which reasoning goes back) and `JSON.stringify`.
 */
import { performance } from 'node:perf_hooks';
import { modelSettingsFor, NO_MODEL_SETTINGS } from '../src/config/model-settings.ts';
import { PromptBuilder } from '../src/core/prompt-builder.ts';
import { buildResponsesRequest } from '../src/model/responses/request.ts';
import { assistantMessage, userMessage, type ResponseItem } from '../src/protocol/index.ts';
import type { BenchRow } from './bench-row.ts';

const ITEMS = 2_000;
const RUNS = 50;
const TARGET_MS = 5;
const ENCRYPTED = 'gAAAAABo'.padEnd(2_048, 'Zm9vYmFyYmF6cXV4');

/** Rounds of reasoning, a call, its output and a remark: 500 of each. */
function history(): ResponseItem[] {
  const items: ResponseItem[] = [userMessage('Find the failing test and fix it.')];
  for (let round = 0; items.length < ITEMS; round++) {
    items.push(
      { type: 'reasoning', id: `rs_${round}`, summary: [{ type: 'summary_text', text: `Step ${round}: look at the next file.` }], encrypted_content: `${ENCRYPTED}${round}` },
      { type: 'function_call', id: `fc_${round}`, name: 'shell', arguments: JSON.stringify({ command: ['rg', '-n', `case_${round}`] }), call_id: `call_${round}` },
      { type: 'function_call_output', call_id: `call_${round}`, output: JSON.stringify({ output: `src/case_${round}.ts:1:ok\n`, metadata: { exit_code: 0, duration_seconds: 0.1 } }) },
      assistantMessage(`Checked case ${round}.`),
    );
  }
  return items.slice(0, ITEMS);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}


export async function run(): Promise<BenchRow[]> {
  const items = history();
  const reasoningItems = items.filter((item) => item.type === 'reasoning').length;
  const builder = new PromptBuilder({
    stateful: false,
    instructions: 'You are keel.',
    tools: () => [],
    promptCacheKey: 'bench-session',
    parallelToolCalls: false,
    modelProfile: (model) => modelSettingsFor(NO_MODEL_SETTINGS, model).profile,
  });
  let bytes = 0;
  const once = (): number => {
    const start = performance.now();
    const body = JSON.stringify(buildResponsesRequest(builder.build('gpt-5-codex', items).prompt));
    const ms = performance.now() - start;
    bytes = body.length;
    return ms;
  };
  for (let i = 0; i < 10; i++) once(); // warm-up, so the JIT has compiled the hot path
  const times = Array.from({ length: RUNS }, once);
  const value = median(times);
  return [
    {
      name: `request build, ${ITEMS} items / ${reasoningItems} reasoning`,
      value,
      unit: 'ms',
      target: `< ${TARGET_MS} ms`,
      ok: value < TARGET_MS,
      note: `median of ${RUNS}; history → prompt → body → JSON (${(bytes / 1e6).toFixed(1)} MB)`,
    },
  ];
}
