/**
 * SSE parse throughput: ~50 MB of Responses-style SSE text (text deltas, reasoning deltas, occasional large
 * output items, keepalive comments, some multi-byte text) fed to the parser in 16 KiB chunks, as a socket would
 * deliver it. Decoding is included; JSON parsing of the data is not (that is the adapter's cost, not framing).
 */
import { performance } from 'node:perf_hooks';
import { SseParser } from '../src/model/sse-parser.ts';
import type { BenchRow } from './bench-row.ts';

const TARGET_BYTES = 50 * 1024 * 1024;
const CHUNK_BYTES = 16 * 1024;
const RUNS = 5;
const TARGET_MB_PER_S = 100;

const WORDS = ['the ', 'function ', 'returns ', 'a ', 'value ', 'größer ', 'than ', '— ', 'expected', '.\n', '`x` ', '日本 ', '🚀 '];

function buildStream(): Uint8Array {
  const parts: string[] = [];
  let size = 0;
  let seq = 0;
  const add = (text: string): void => {
    parts.push(text);
    size += text.length; // close enough to bytes for sizing; the exact byte count is measured below
  };
  add(`event: response.created\ndata: ${JSON.stringify({ type: 'response.created', response: { id: 'resp_bench', status: 'in_progress' } })}\n\n`);
  while (size < TARGET_BYTES) {
    seq++;
    const word = WORDS[seq % WORDS.length] ?? 'x';
    if (seq % 97 === 0) {
      add(': keepalive\n\n');
    } else if (seq % 5 === 0) {
      const data = { type: 'response.reasoning_summary_text.delta', item_id: 'rs_bench', output_index: 0, summary_index: 0, delta: word, sequence_number: seq };
      add(`event: response.reasoning_summary_text.delta\ndata: ${JSON.stringify(data)}\n\n`);
    } else if (seq % 2000 === 0) {
      const text = WORDS.join('').repeat(200);
      const item = { type: 'message', id: 'msg_bench', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] };
      add(`event: response.output_item.done\ndata: ${JSON.stringify({ type: 'response.output_item.done', output_index: 1, item, sequence_number: seq })}\n\n`);
    } else {
      const data = { type: 'response.output_text.delta', item_id: 'msg_bench', output_index: 1, content_index: 0, delta: word, sequence_number: seq };
      add(`event: response.output_text.delta\ndata: ${JSON.stringify(data)}\n\n`);
    }
  }
  add(`event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { id: 'resp_bench' } })}\n\n`);
  return new TextEncoder().encode(parts.join(''));
}

function parseOnce(bytes: Uint8Array): { ms: number; messages: number } {
  const parser = new SseParser();
  let messages = 0;
  const start = performance.now();
  for (let pos = 0; pos < bytes.length; pos += CHUNK_BYTES) {
    messages += parser.push(bytes.subarray(pos, pos + CHUNK_BYTES)).length;
  }
  messages += parser.end().length;
  return { ms: performance.now() - start, messages };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function run(): Promise<BenchRow[]> {
  const bytes = buildStream();
  parseOnce(bytes.subarray(0, 4 * 1024 * 1024)); // warm-up, so the JIT has compiled the hot path
  const rates: number[] = [];
  let messages = 0;
  for (let i = 0; i < RUNS; i++) {
    const result = parseOnce(bytes);
    messages = result.messages;
    rates.push(bytes.length / 1e6 / (result.ms / 1000));
  }
  const value = Math.round(median(rates));
  return [
    {
      name: 'SSE parse throughput',
      value,
      unit: 'MB/s',
      target: `> ${TARGET_MB_PER_S} MB/s`,
      ok: value > TARGET_MB_PER_S,
      note: `median of ${RUNS} runs over ${(bytes.length / 1e6).toFixed(1)} MB of Responses SSE (${messages} messages) in 16 KiB chunks`,
    },
  ];
}
