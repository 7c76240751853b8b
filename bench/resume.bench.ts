/**
 * Resuming a large session: a log of 10,000 items (about 20 MB) made with the real `SessionLogWriter`, resumed by
 * the real binary (`node bin/keel.js exec resume ID 'next'`), timed from spawn until the model server sees the
 * request arrive. A small pass-through proxy in front of the scripted server notes when the request's headers
 * arrive, so the figure is keel's (reading, normalizing, locking, appending, building the request), not the time the
 * server spends parsing a 20 MB body; the scripted server behind it still checks the request against the API's rules.
 *
 * The same for a long session that compacted (issue 13): about 50 MB with 10 compactions spread evenly through it,
 * each replacing the history with a few of the user's messages and a summary. A resume needs only what follows the
 * last compaction, so it must not pay for the 45 MB before it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assistantMessage, userMessage, type ResponseItem } from '../src/protocol/index.ts';
import { respond, text } from '../src/scripted/script-builders.ts';
import { startScriptedServer } from '../src/scripted/scripted-server.ts';
import { SessionLogWriter } from '../src/store/session-log-writer.ts';
import type { BenchRow } from './bench-row.ts';

const KEEL = resolve(import.meta.dirname, '../bin/keel.js');
const ITEMS = 10_000;
/** The compacted log: about 13,000 items of 2 KB with their events (about 50 MB), and 10 compactions. */
const COMPACTED_ITEMS = 13_000;
const COMPACTIONS = 10;
const RUNS = 5;
const API_KEY = 'sk-bench-resume-0123456789abcdef';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const FILLER = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(32);
const USAGE = { input_tokens: 40_000, cached_input_tokens: 30_000, output_tokens: 400, reasoning_output_tokens: 0, total_tokens: 40_400 };

/**
 * Tasks of 20 items each: the prompt, then rounds of a shell call, its output and a remark, about 2 KB apiece. Every
 * call is answered, so the resume has no repair to make and the figure is the plain cost of a large history.
 *
 * The compacted log is written as the engine writes a real session: each round also records the events a session
 * keeps (the command's begin and end with its output, the remark, the token count), so its history is about half
 * its bytes. Its items are cut into `compactions` + 1 equal stretches and a compaction ends each stretch but the
 * last, between tasks as the engine does it: its replacement history is the user's last few prompts and a summary
 * (about 4 KB), and the items of the next stretch follow it.
 */
async function writeLargeLog(home: string, cwd: string, shape: { items: number; compactions?: number; events?: boolean } = { items: ITEMS }): Promise<{ path: string; sessionId: string }> {
  const { items, compactions = 0, events = false } = shape;
  const sessionId = randomUUID();
  const writer = await SessionLogWriter.create({
    home,
    meta: { session_id: sessionId, keel_version: '0.1.0', cwd, model: 'gpt-bench', model_provider: 'openai', git: null, source: 'exec' },
    secrets: [API_KEY],
  });
  let written = 0;
  let compacted = 0;
  const prompts: ResponseItem[] = [];
  const item = (value: ResponseItem): void => {
    writer.recordItem(value);
    written++;
  };
  const stretch = Math.ceil(items / (compactions + 1));
  for (let task = 0; written < items; task++) {
    if (compacted < compactions && written >= stretch * (compacted + 1)) {
      compacted++;
      const summary = userMessage(`[keel: context compacted] summary ${compacted}: ${FILLER.repeat(2)}`);
      const history = [...prompts.slice(-3), summary];
      writer.recordCompaction({ history, reason: 'auto', tokensBefore: 200_000, tokensAfter: 1_200, number: compacted });
    }
    writer.recordEvent({ type: 'task_started', model_context_window: null });
    const prompt = userMessage(`task ${task}: ${FILLER}`);
    prompts.push(prompt);
    item(prompt);
    writer.recordEvent({ type: 'user_message', message: `task ${task}` });
    for (let round = 0; round < 6 && written < items - 2; round++) {
      const callId = `call_${task}_${round}`;
      item({ type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', `echo ${FILLER}`] }), call_id: callId });
      if (events) writer.recordEvent({ type: 'exec_command_begin', call_id: callId, command: ['bash', '-lc', `echo ${FILLER}`], cwd });
      if (events) writer.recordEvent({ type: 'exec_command_end', call_id: callId, exit_code: 0, duration_ms: 100, aggregated_output: FILLER, status: 'completed' });
      item({ type: 'function_call_output', call_id: callId, output: JSON.stringify({ output: FILLER, metadata: { exit_code: 0, duration_seconds: 0.1 } }) });
      if (events) writer.recordEvent({ type: 'agent_message', message: `round ${round}: ${FILLER}` });
      item(assistantMessage(`round ${round}: ${FILLER}`));
      if (events) writer.recordEvent({ type: 'token_count', info: { total_token_usage: USAGE, last_token_usage: USAGE, model_context_window: null } });
    }
    writer.recordEvent({ type: 'task_complete', last_agent_message: null });
    if (written >= items - 2) break;
  }
  if (compacted !== compactions) throw new Error(`the benchmark log has ${compacted} compactions, not ${compactions}`);
  writer.recordEvent({ type: 'shutdown_complete' });
  writer.recordEnd('shutdown');
  await writer.close();
  return { path: writer.path, sessionId };
}

/** Forwards every request to `upstream`, noting when each one's headers arrived. */
async function arrivalProxy(upstream: string, arrivals: number[]): Promise<{ url: string; server: Server }> {
  const target = new URL(upstream);
  const server = createServer((incoming, outgoing) => {
    arrivals.push(performance.now());
    const forwarded = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, server };
}

interface ResumeRun {
  toRequestMs: number;
  wallMs: number;
}

function resumeOnce(args: { sessionId: string; home: string; cwd: string; url: string; arrivals: number[] }): Promise<ResumeRun> {
  return new Promise((done, fail) => {
    const seen = args.arrivals.length;
    const started = performance.now();
    const child = spawn(process.execPath, [KEEL, 'exec', 'resume', args.sessionId, 'next'], {
      cwd: args.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, KEEL_HOME: args.home, OPENAI_BASE_URL: args.url, OPENAI_API_KEY: API_KEY },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => {
      const arrived = args.arrivals[seen];
      if (code !== 0 || arrived === undefined) return fail(new Error(`keel exec resume failed (${code}) during the benchmark:\n${stderr}`));
      done({ toRequestMs: arrived - started, wallMs: performance.now() - started });
    });
  });
}

interface Measured {
  toRequest: number;
  wall: number;
  mb: string;
}

/** One warm-up (page cache, node's compile cache), then the measured runs, each on the untouched log. */
async function measure(log: { path: string; sessionId: string }, place: { home: string; cwd: string; url: string; arrivals: number[] }): Promise<Measured> {
  const pristine = `${log.path}.pristine`;
  copyFileSync(log.path, pristine);
  const size = statSync(log.path).size;
  const runs: ResumeRun[] = [];
  for (let attempt = 0; attempt <= RUNS; attempt++) {
    copyFileSync(pristine, log.path);
    const result = await resumeOnce({ sessionId: log.sessionId, ...place });
    if (attempt > 0) runs.push(result);
  }
  rmSync(pristine, { force: true });
  return {
    toRequest: median(runs.map((entry) => entry.toRequestMs)),
    wall: median(runs.map((entry) => entry.wallMs)),
    mb: (size / 1024 / 1024).toFixed(1),
  };
}

export async function run(): Promise<BenchRow[]> {
  const home = mkdtempSync(join(tmpdir(), 'keel-bench-resume-'));
  const cwd = mkdtempSync(join(tmpdir(), 'keel-bench-resume-cwd-'));
  const server = await startScriptedServer({ script: Array.from({ length: 2 * (RUNS + 1) }, () => respond(text('ok'))) });
  const arrivals: number[] = [];
  const proxy = await arrivalProxy(server.url, arrivals);
  const place = { home, cwd, url: proxy.url, arrivals };
  try {
    const large = await measure(await writeLargeLog(home, cwd), place);
    const compacted = await measure(await writeLargeLog(home, cwd, { items: COMPACTED_ITEMS, compactions: COMPACTIONS, events: true }), place);
    if (server.violations.length > 0) throw new Error(`the resumed request was refused:\n${server.violations.join('\n')}`);
    return [
      {
        name: `keel exec resume, ${ITEMS} items: to first request`,
        value: large.toRequest,
        unit: 'ms',
        target: '< 500 ms',
        ok: large.toRequest < 500,
        note: `median of ${RUNS} (after 1 warm-up); ${large.mb} MB log; spawn → request headers at the server`,
      },
      {
        name: `keel exec resume, ${ITEMS} items: whole run`,
        value: large.wall,
        unit: 'ms',
        target: '(informational)',
        ok: true,
        note: `median of ${RUNS}; includes sending ${large.mb} MB and the answer`,
      },
      {
        name: `resume a ${compacted.mb} MB log with ${COMPACTIONS} compactions → first request`,
        value: compacted.toRequest,
        unit: 'ms',
        target: '< 300 ms',
        ok: compacted.toRequest < 300,
        note: `median of ${RUNS} (after 1 warm-up); ${COMPACTED_ITEMS} items and their events, compactions evenly spread; spawn → request headers at the server`,
      },
    ];
  } finally {
    await new Promise((closed) => proxy.server.close(closed));
    await server.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
}
