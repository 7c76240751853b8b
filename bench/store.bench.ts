/**
 * The store's figures: what recording costs the engine per item, how long a resume spends reading a large log, and
 * how long `keel sessions` takes over thousands of files. Data is made in a temporary KEEL_HOME.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResponseItem } from '../src/protocol/index.ts';
import { assistantMessage, userMessage } from '../src/protocol/index.ts';
import { findSession, listSessions } from '../src/store/session-catalogue.ts';
import { readSessionLog } from '../src/store/session-log-reader.ts';
import { SessionLogWriter } from '../src/store/session-log-writer.ts';
import type { NewSessionMeta } from '../src/store/session-record.ts';
import type { BenchRow } from './bench-row.ts';

const SECRET = 'sk-bench-0123456789abcdef0123456789abcdef';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
}

function meta(cwd: string): NewSessionMeta {
  return { session_id: randomUUID(), keel_version: '0.1.0', cwd, model: 'gpt-bench', model_provider: 'openai', git: { branch: 'main', commit: 'abc' }, source: 'exec' };
}

/** A typical item of about 2 KB: tool calls with their outputs, and assistant text. */
function item(index: number): ResponseItem {
  const text = `line ${index}: ${'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(34)}`;
  switch (index % 3) {
    case 0:
      return { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', text.slice(0, 2000)] }), call_id: `call_${index}` };
    case 1:
      return { type: 'function_call_output', call_id: `call_${index - 1}`, output: JSON.stringify({ output: text, metadata: { exit_code: 0, duration_seconds: 0.1 } }) };
    default:
      return assistantMessage(text);
  }
}

async function writeRows(home: string): Promise<BenchRow[]> {
  const writer = await SessionLogWriter.create({ home, meta: meta('/bench'), secrets: [SECRET] });
  const perItem: number[] = [];
  const flushes: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const next = item(i);
    const started = performance.now();
    writer.recordItem(next);
    perItem.push((performance.now() - started) * 1000);
    if (i % 60 === 59) {
      const syncStarted = performance.now();
      await writer.flush();
      flushes.push(performance.now() - syncStarted);
    }
  }
  await writer.close();
  const us = median(perItem);
  return [
    { name: 'session log: recordItem (2 KB item)', value: us, unit: 'µs', target: '< 2 ms', ok: us < 2000, note: `median of ${perItem.length}; p99 ${percentile(perItem, 0.99).toFixed(0)} µs; one write(2) each, redaction on` },
    { name: 'session log: flush (fdatasync)', value: median(flushes), unit: 'ms', target: '(per turn boundary)', ok: true, note: `median of ${flushes.length}, after 60 items each` },
  ];
}

async function readRows(home: string): Promise<BenchRow[]> {
  const writer = await SessionLogWriter.create({ home, meta: meta('/bench') });
  for (let i = 0; i < 10_000; i++) {
    if (i % 20 === 0) {
      writer.recordEvent({ type: 'task_started', model_context_window: null });
      writer.recordItem(userMessage(`task ${i}`));
      writer.recordEvent({ type: 'user_message', message: `task ${i}` });
    } else {
      writer.recordItem(item(i));
    }
    if (i % 20 === 19) writer.recordEvent({ type: 'task_complete', last_agent_message: null });
  }
  await writer.close();
  const runs: number[] = [];
  let items = 0;
  for (let run = 0; run < 7; run++) {
    const started = performance.now();
    const log = await readSessionLog(writer.path);
    runs.push(performance.now() - started);
    items = log.items.length;
  }
  const { size } = statSync(writer.path);
  const ms = median(runs);
  return [
    { name: `session log: read ${items} items`, value: ms, unit: 'ms', target: '< 300 ms', ok: ms < 300, note: `median of ${runs.length}; ${(size / 1024 / 1024).toFixed(1)} MB, parsed and validated` },
  ];
}

async function listRows(home: string): Promise<BenchRow[]> {
  const FILES = 2000;
  const ids: string[] = [];
  for (let file = 0; file < FILES; file++) {
    const startedAt = new Date(Date.UTC(2025, 0, 1) + file * 3_600_000).toISOString();
    const writer = await SessionLogWriter.create({ home, meta: { ...meta(file % 2 === 0 ? '/repo/a' : '/repo/b'), started_at: startedAt } });
    ids.push(writer.path);
    for (let task = 0; task < 3; task++) {
      writer.recordEvent({ type: 'task_started', model_context_window: null });
      writer.recordItem(userMessage(`prompt ${file}.${task}`));
      writer.recordEvent({ type: 'user_message', message: `prompt ${file}.${task}` });
      for (let i = 0; i < 6; i++) writer.recordItem(item(i));
      writer.recordEvent({ type: 'task_complete', last_agent_message: 'done' });
    }
    writer.recordEvent({ type: 'shutdown_complete' });
    writer.recordEnd('shutdown');
    await writer.close();
  }
  const bytes = ids.reduce((total, path) => total + statSync(path).size, 0);
  const time = async (work: () => Promise<unknown>): Promise<number> => {
    const runs: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      await work();
      runs.push(performance.now() - started);
    }
    return median(runs);
  };
  const all = await time(async () => {
    const listed = await listSessions({ home });
    if (listed.length !== FILES) throw new Error(`listed ${listed.length} of ${FILES} sessions`);
  });
  const filtered = await time(() => listSessions({ home, cwd: '/repo/a' }));
  const found = await time(() => findSession({ home, idOrPrefix: ids[FILES / 2]!.slice(-42, -34) }));
  return [
    { name: `keel sessions: list ${FILES} files`, value: all, unit: 'ms', target: '< 300 ms', ok: all < 300, note: `median of 5 (warm cache); ${(bytes / FILES / 1024).toFixed(0)} KB files, head + tail of each` },
    { name: `keel sessions: list ${FILES} files, one cwd`, value: filtered, unit: 'ms', target: '< 300 ms', ok: filtered < 300, note: 'median of 5; half the sessions match' },
    { name: 'findSession by 8-char prefix', value: found, unit: 'ms', target: '< 300 ms', ok: found < 300, note: `median of 5, among ${FILES} files` },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const homes = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'keel-bench-store-')));
  try {
    return [...(await writeRows(homes[0]!)), ...(await readRows(homes[1]!)), ...(await listRows(homes[2]!))];
  } finally {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  }
}
