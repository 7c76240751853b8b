/**
 * The interactive UI's targets, measured on the real binary (`bin/keel.js`) in a pseudo-terminal, reading keel's raw
 * output (no terminal emulator), against the scripted model server on 127.0.0.1:
 *
 * 1. Keystroke echo while a response streams at 5,000 deltas a second (Markdown cut into word deltas, paced by the
 *    scripted server's `eventsPerSecond`): one letter typed every ~100 ms, timed from the write into the pty until
 *    keel's output holds the prompt row with that letter; median and p95 over the letters typed while the stream was
 *    being drawn (between its first and its last word showing up, which also gives the rate it was drawn at).
 * 2. `keel resume ID` on a session of 1,000 messages (written with the real SessionLogWriter): spawn until the
 *    output holds "Resumed." and then the prompt's placeholder, i.e. the first full frame.
 * 3. CPU of the keel process (utime + stime from /proc/PID/stat, all threads) over a 3 s window: idle at the prompt,
 *    and while a task runs `sleep 5` (the UI redraws its timer once a second then).
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { assistantMessage, userMessage } from '../src/protocol/index.ts';
import { functionCall, respond, text } from '../src/scripted/script-builders.ts';
import { startScriptedServer, type ScriptedServer } from '../src/scripted/scripted-server.ts';
import { splitWords } from '../src/scripted/text-chunks.ts';
import { lockPathFor, SessionLogWriter } from '../src/store/index.ts';
import type { BenchRow } from './bench-row.ts';
import { clockTicksPerSecond, cpuTimeMs, includes, includesInOrder, matches, startKeel, type PtySession } from './pty-session.ts';

const API_KEY = 'sk-bench-tui-0123456789abcdef';

// 1. Echo under streaming.
const DELTAS_PER_TURN = 20_000;
const DELTAS_PER_SECOND = 5_000;
const STREAM_TURNS = 2;
const TYPE_EVERY_MS = 100;
/** The stream counts as drawn at the sent rate when the screen shows its last word within 10 % of the time. */
const DRAWN_RATE_FLOOR = DELTAS_PER_SECOND * 0.9;
/** Letters typed before the prompt is cleared (Ctrl+U), so its row never wraps. */
const LETTERS_PER_LINE = 20;
const STREAM_BEGIN = 'BEGINSTREAM';
const STREAM_END = 'ENDSTREAM';
const PLACEHOLDER_IDLE = 'ask keel to do something';
const PLACEHOLDER_BUSY = 'type a message to queue';
/** The hint line between tasks (while one runs it says "working"). */
const HINT_IDLE = 'Enter send ·';
/** How a prompt starts on screen, in the transcript and in the prompt box (bold sign, NO_COLOR keeps attributes). */
const USER_MARK = '\u001b[1m› \u001b[0m';

// 2. Resume.
const RESUME_MESSAGES = 1_000;
const RESUME_RUNS = 7;

// 3. CPU.
const CPU_WINDOW_MS = 3_000;
const SLEEP_COMMAND = 'sleep 5';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const fmt = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** A small deterministic generator, so every run streams and resumes the same text. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const VOCABULARY = (
  'the a parser returns token stream buffer function handles each line of input and then writes result into cache ' +
  'when config file is missing we fall back to defaults test suite covers edge cases such as empty strings unicode ' +
  'names very long paths retries timeouts server answers with error status so client waits before trying again'
).split(' ');
const CODE_WORDS = ['parseConfig()', 'src/store/index.ts', 'npm test', 'SessionLogWriter', 'maxRetries', '--cd', 'README.md'];

/** Prose with some Markdown: headings, lists, inline code, bold; `words` words long. */
function markdownProse(random: () => number, words: number): string {
  const out: string[] = [];
  let written = 0;
  while (written < words) {
    const kind = random();
    if (kind < 0.1) {
      out.push(`## ${pick(random, VOCABULARY)} ${pick(random, VOCABULARY)}\n\n`);
      written += 3;
      continue;
    }
    const list = kind < 0.3;
    const lines = list ? 2 + Math.floor(random() * 4) : 1;
    for (let line = 0; line < lines && written < words; line++) {
      const length = list ? 6 + Math.floor(random() * 10) : 25 + Math.floor(random() * 50);
      const sentence: string[] = [];
      for (let index = 0; index < length; index++) {
        const roll = random();
        const word = pick(random, VOCABULARY);
        sentence.push(roll < 0.04 ? `\`${pick(random, CODE_WORDS)}\`` : roll < 0.07 ? `**${word}**` : word);
      }
      out.push(`${list ? '- ' : ''}${sentence.join(' ')}.\n`);
      written += length + (list ? 1 : 0);
    }
    out.push('\n');
  }
  return out.join('').trimEnd();
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/** A streamed answer of exactly `deltas` word deltas (the server cuts text on words), marked at both ends. */
function streamedAnswer(seed: number, deltas: number): string {
  const random = prng(seed);
  let body = markdownProse(random, deltas);
  let answer = `${STREAM_BEGIN} ${body} ${STREAM_END}`;
  // Trim whole words off the end until the count is exact (the generator overshoots by at most a sentence).
  while (splitWords(answer).length > deltas) {
    body = body.replace(/\s*\S+$/u, '');
    answer = `${STREAM_BEGIN} ${body} ${STREAM_END}`;
  }
  return answer;
}

function keelEnv(home: string, server: ScriptedServer): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? home,
    KEEL_HOME: home,
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: API_KEY,
    TERM: 'xterm-256color',
    NO_COLOR: '1',
  };
}

/** Temporary folders, removed at the end whatever happens. */
function tempDirs(): { make(prefix: string): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make: (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll: () => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `body` with a keel started in a pty, killing it (whole process group) however `body` ends. */
async function withKeel<T>(start: () => PtySession, body: (keel: PtySession) => Promise<T>): Promise<T> {
  const keel = start();
  try {
    return await body(keel);
  } finally {
    await keel.kill();
  }
}

/** The prompt row showing `typed` right after the prompt sign (bold, then reset: NO_COLOR keeps attributes). */
function promptRowWith(typed: string): RegExp {
  return new RegExp(`[›↳] (?:\\u001b\\[[0-9;]*m)*${typed}`, 'gu');
}

// ---- 1. keystroke echo while streaming ----------------------------------------------------------------------------

interface EchoResult {
  latencies: number[];
  /** Time from the first word showing up to the last, per turn. */
  drawnMs: number[];
  frames: number;
  bytes: number;
  windowMs: number;
  benchLagP99Ms: number;
  /** keel's CPU time while the stream was drawn (all turns). */
  cpuMs: number;
}

async function measureEcho(dirs: ReturnType<typeof tempDirs>): Promise<EchoResult> {
  const answers = Array.from({ length: STREAM_TURNS }, (_, turn) => streamedAnswer(7 + turn, DELTAS_PER_TURN));
  const server = await startScriptedServer({
    script: answers.map((answer) => respond(text(answer), { faults: { eventsPerSecond: DELTAS_PER_SECOND } })),
  });
  const lag = monitorEventLoopDelay({ resolution: 1 });
  try {
    const home = dirs.make('keel-bench-tui-home-');
    const cwd = dirs.make('keel-bench-tui-cwd-');
    return await withKeel(
      () => startKeel([], { cwd, env: keelEnv(home, server) }),
      async (keel) => {
        await keel.waitFor(includes(PLACEHOLDER_IDLE), { what: 'the idle prompt' });
        const result: EchoResult = { latencies: [], drawnMs: [], frames: 0, bytes: 0, windowMs: 0, benchLagP99Ms: 0, cpuMs: 0 };
        const ticks = clockTicksPerSecond();
        let letter = 0;
        lag.enable();
        for (let turn = 0; turn < STREAM_TURNS; turn++) {
          const from = keel.length;
          keel.write(`stream ${turn + 1}\r`);
          const began = await keel.waitFor(includes(STREAM_BEGIN), { from, what: 'the first streamed word' });
          const cpuBefore = cpuTimeMs(keel.pid, ticks);
          const beganAt = keel.output().lastIndexOf(STREAM_BEGIN);
          // When the last word showed up, and how much output there was by then.
          const stream: { endedAt: number | null; endOffset: number } = { endedAt: null, endOffset: 0 };
          const end = keel.waitFor(includes(STREAM_END), { from: beganAt, timeoutMs: 60_000, what: 'the last streamed word' }).then((at) => {
            stream.endedAt = at;
            stream.endOffset = keel.length;
            return at;
          });
          end.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
          // Typed letters, timed only while the stream is being drawn; each waits for the previous one's echo.
          let typed = '';
          while (stream.endedAt === null) {
            if (typed.length >= LETTERS_PER_LINE) {
              const offset = keel.length;
              keel.write('\u0015'); // Ctrl+U: clear the prompt, and wait until that shows before typing on
              // The busy placeholder, or the idle one when the task ended meanwhile.
              const cleared = (window: string): boolean => window.includes(PLACEHOLDER_BUSY) || window.includes(PLACEHOLDER_IDLE);
              await keel.waitFor(cleared, { from: offset, what: 'the cleared prompt' });
              typed = '';
            }
            typed += String.fromCharCode(65 + (letter++ % 26));
            const offset = keel.length;
            const wrote = keel.write(typed.at(-1)!);
            const echoed = await keel.waitFor(matches(promptRowWith(typed)), { from: offset, what: `the echo of ${JSON.stringify(typed)}` });
            if (stream.endedAt === null || wrote < stream.endedAt) result.latencies.push(echoed - wrote);
            await sleep(Math.max(0, TYPE_EVERY_MS - (performance.now() - wrote)));
          }
          const endedAt = await end;
          result.cpuMs += cpuTimeMs(keel.pid, ticks) - cpuBefore;
          result.drawnMs.push(endedAt - began);
          const drawn = keel.output().slice(beganAt, stream.endOffset);
          result.frames += drawn.split('\u001b[?2026h').length - 1;
          result.bytes += Buffer.byteLength(drawn);
          result.windowMs += endedAt - began;
          // Let the task finish, then clear what was typed, ready for the next turn.
          // (The last words and the task's end may arrive in one chunk: look from the stream's start.)
          await keel.waitFor(includesInOrder(STREAM_END, HINT_IDLE), { from: beganAt, timeoutMs: 30_000, what: 'the end of the task' });
          const offset = keel.length;
          keel.write('\u0015');
          await keel.waitFor(includes(PLACEHOLDER_IDLE), { from: offset, what: 'the cleared prompt' });
        }
        lag.disable();
        result.benchLagP99Ms = lag.percentile(99) / 1e6;
        if (server.violations.length > 0) throw new Error(`the scripted server saw bad requests:\n${server.violations.join('\n')}`);
        if (result.latencies.length < 20) throw new Error(`only ${result.latencies.length} keys were typed while the stream was drawn`);
        return result;
      },
    );
  } finally {
    lag.disable();
    await server.close();
  }
}

// ---- 2. resume a 1,000-message session ----------------------------------------------------------------------------

/** 500 exchanges (a prompt, a Markdown answer) recorded the way a UI session records them. */
async function writeSession(home: string, cwd: string): Promise<{ path: string; sessionId: string }> {
  const random = prng(42);
  const sessionId = randomUUID();
  const meta = { session_id: sessionId, keel_version: '0.1.0', cwd, model: 'gpt-bench', model_provider: 'openai', git: null, source: 'tui' } as const;
  const writer = await SessionLogWriter.create({ home, meta, secrets: [API_KEY] });
  writer.recordEvent({
    type: 'session_configured',
    session_id: sessionId,
    model: meta.model,
    model_provider_id: 'openai',
    cwd,
    approval_policy: 'on-request',
    sandbox_policy: { type: 'read-only' },
    rollout_path: writer.path,
  });
  const usage = { input_tokens: 1200, cached_input_tokens: 800, output_tokens: 300, reasoning_output_tokens: 0, total_tokens: 1500 };
  for (let exchange = 0; exchange < RESUME_MESSAGES / 2; exchange++) {
    writer.recordEvent({ type: 'task_started', model_context_window: 258_400 });
    if (exchange === 0) writer.recordItem(userMessage(`<environment_context>\n  <cwd>${cwd}</cwd>\n</environment_context>`));
    const prompt = `${markdownProse(random, 8 + Math.floor(random() * 40)).replace(/\n+/gu, ' ')}?`;
    writer.recordItem(userMessage(prompt));
    writer.recordEvent({ type: 'user_message', message: prompt });
    let answer = markdownProse(random, 60 + Math.floor(random() * 240));
    if (random() < 0.25) answer += `\n\n\`\`\`ts\nconst config = await parseConfig(path);\nif (!config.ok) throw new Error(config.error);\nreturn config.value;\n\`\`\``;
    writer.recordItem(assistantMessage(answer));
    writer.recordEvent({ type: 'agent_message', message: answer });
    writer.recordEvent({ type: 'token_count', info: { total_token_usage: usage, last_token_usage: usage, model_context_window: 258_400 } });
    writer.recordEvent({ type: 'task_complete', last_agent_message: answer });
  }
  writer.recordEvent({ type: 'shutdown_complete' });
  writer.recordEnd('shutdown');
  await writer.close();
  return { path: writer.path, sessionId };
}

interface ResumeResult {
  readyMs: number[];
  logBytes: number;
  outputBytes: number;
}

async function measureResume(dirs: ReturnType<typeof tempDirs>): Promise<ResumeResult> {
  const server = await startScriptedServer({ script: [] });
  try {
    const home = dirs.make('keel-bench-tui-resume-');
    const cwd = dirs.make('keel-bench-tui-resume-cwd-');
    const { path, sessionId } = await writeSession(home, cwd);
    const pristine = `${path}.pristine`;
    copyFileSync(path, pristine);
    const result: ResumeResult = { readyMs: [], logBytes: statSync(path).size, outputBytes: 0 };
    // One warm-up (page cache, node's compile cache), then the measured runs, each on the untouched log.
    for (let attempt = 0; attempt <= RESUME_RUNS; attempt++) {
      copyFileSync(pristine, path);
      rmSync(lockPathFor(path), { force: true });
      await withKeel(
        () => startKeel(['resume', sessionId], { cwd, env: keelEnv(home, server) }),
        async (keel) => {
          const ready = await keel.waitFor(includesInOrder('Resumed.', PLACEHOLDER_IDLE), { what: 'the resumed session' });
          if (attempt > 0) result.readyMs.push(ready - keel.spawnedAt);
          result.outputBytes = Buffer.byteLength(keel.output());
          const prompts = keel.output().split(USER_MARK).length - 1;
          if (prompts < RESUME_MESSAGES / 2) throw new Error(`the resumed transcript shows ${prompts} prompts, not ${RESUME_MESSAGES / 2}`);
          // Quit the way a person does (Ctrl+D), so the lock is released; kill() is the fallback.
          keel.write('\u0004');
          await keel.waitFor(includes('Session saved'), { timeoutMs: 5_000, what: 'the quit' }).catch(() => undefined);
        },
      );
    }
    return result;
  } finally {
    await server.close();
  }
}

// ---- 3. CPU when idle and while a command runs --------------------------------------------------------------------

interface CpuWindow {
  percent: number;
  /** The same window from /proc/PID/task/TID/schedstat (nanoseconds, threads alive at both ends). */
  precisePercent: number;
  outputBytes: number;
  frames: number;
}

function schedNs(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

async function cpuWindow(keel: PtySession, ticks: number): Promise<CpuWindow> {
  const outputBefore = keel.length;
  const schedBefore = schedNs(keel.pid);
  const cpuBefore = cpuTimeMs(keel.pid, ticks);
  const started = performance.now();
  await sleep(CPU_WINDOW_MS);
  const cpuAfter = cpuTimeMs(keel.pid, ticks);
  const elapsed = performance.now() - started;
  const schedAfter = schedNs(keel.pid);
  let ns = 0;
  for (const [tid, after] of schedAfter) ns += after - (schedBefore.get(tid) ?? after);
  const written = keel.output().slice(outputBefore);
  return {
    percent: ((cpuAfter - cpuBefore) / elapsed) * 100,
    precisePercent: (ns / 1e6 / elapsed) * 100,
    outputBytes: Buffer.byteLength(written),
    frames: written.split('\u001b[?2026h').length - 1,
  };
}

async function measureCpu(dirs: ReturnType<typeof tempDirs>): Promise<{ idle: CpuWindow; running: CpuWindow; startupMs: number }> {
  const ticks = clockTicksPerSecond();
  const server = await startScriptedServer({
    script: [respond(functionCall('shell', { command: ['bash', '-lc', SLEEP_COMMAND] }, 'call_sleep')), respond(text('Slept.'))],
  });
  try {
    const home = dirs.make('keel-bench-tui-cpu-');
    const cwd = dirs.make('keel-bench-tui-cpu-cwd-');
    return await withKeel(
      () => startKeel(['--dangerously-bypass-sandbox', '-a', 'never'], { cwd, env: keelEnv(home, server) }),
      async (keel) => {
        const ready = await keel.waitFor(includesInOrder('workdir', PLACEHOLDER_IDLE), { what: 'the idle prompt' });
        // Start-up work (lazy compilation, the first GCs) settles before the window opens.
        await sleep(1_000);
        const idle = await cpuWindow(keel, ticks);

        const from = keel.length;
        keel.write('run the command\r');
        await keel.waitFor(includes(SLEEP_COMMAND), { from, what: 'the running command' });
        const begun = performance.now();
        await sleep(200);
        const running = await cpuWindow(keel, ticks);
        // The window must lie inside the command's run: its output reaches the model only when it ends.
        if (server.requests.length !== 1 || performance.now() - begun > 4_800) throw new Error('the command ended before the CPU window closed');
        await keel.waitFor(includes('Slept.'), { from, timeoutMs: 10_000, what: 'the end of the task' });
        return { idle, running, startupMs: ready - keel.spawnedAt };
      },
    );
  } finally {
    await server.close();
  }
}

// ---- the table ----------------------------------------------------------------------------------------------------

export async function run(): Promise<BenchRow[]> {
  const dirs = tempDirs();
  try {
    const echo = await measureEcho(dirs);
    const resume = await measureResume(dirs);
    const cpu = await measureCpu(dirs);

    const p50 = median(echo.latencies);
    const p95 = percentile(echo.latencies, 95);
    const expectedMs = (DELTAS_PER_TURN / DELTAS_PER_SECOND) * 1000;
    const drawnRate = (DELTAS_PER_TURN * STREAM_TURNS) / (echo.windowMs / 1000);
    const frameRate = echo.frames / (echo.windowMs / 1000);
    const resumeMedian = median(resume.readyMs);
    const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
    return [
      {
        name: `tui: key echo while streaming ${DELTAS_PER_SECOND}/s (p95)`,
        value: p95,
        unit: 'ms',
        target: '< 50 ms',
        ok: p95 < 50,
        note:
          `${echo.latencies.length} keys, 1 per ${TYPE_EVERY_MS} ms, over ${STREAM_TURNS} × ${DELTAS_PER_TURN} word deltas; ` +
          `median ${fmt(p50)} ms, max ${fmt(Math.max(...echo.latencies))} ms; pty write → prompt row in output`,
      },
      {
        name: 'tui: deltas drawn per second while typing',
        value: drawnRate,
        unit: '/s',
        target: `≥ ${DRAWN_RATE_FLOOR} (sent ${DELTAS_PER_SECOND})`,
        ok: drawnRate >= DRAWN_RATE_FLOOR,
        note:
          `first → last word on screen, median ${fmt(median(echo.drawnMs))} ms per turn (sent in ${expectedMs}); ${fmt(frameRate)} frames/s, ` +
          `${mb(echo.bytes)} MB written; keel CPU ${fmt((echo.cpuMs / echo.windowMs) * 100)} %; bench loop lag p99 ${fmt(echo.benchLagP99Ms)} ms`,
      },
      {
        name: `tui: keel resume, ${RESUME_MESSAGES} messages, to first frame`,
        value: resumeMedian,
        unit: 'ms',
        target: '< 500 ms',
        ok: resumeMedian < 500,
        note:
          `median of ${RESUME_RUNS} (after 1 warm-up), range ${fmt(Math.min(...resume.readyMs))}–${fmt(Math.max(...resume.readyMs))}; ` +
          `${mb(resume.logBytes)} MB log, ${mb(resume.outputBytes)} MB drawn; spawn → "Resumed." + prompt in output`,
      },
      {
        name: 'tui: CPU idle at the prompt',
        value: cpu.idle.percent,
        unit: '%',
        target: '< 1 %',
        ok: cpu.idle.percent < 1,
        note: `${CPU_WINDOW_MS / 1000} s, utime+stime of keel (1 tick = ${fmt(100_000 / CPU_WINDOW_MS / clockTicksPerSecond())} %); schedstat ${cpu.idle.precisePercent.toFixed(2)} %; ${cpu.idle.frames} frames, ${cpu.idle.outputBytes} B written`,
      },
      {
        name: `tui: CPU while a task runs "${SLEEP_COMMAND}"`,
        value: cpu.running.percent,
        unit: '%',
        target: '< 5 %',
        ok: cpu.running.percent < 5,
        note: `${CPU_WINDOW_MS / 1000} s, keel's process only (not the command's); schedstat ${cpu.running.precisePercent.toFixed(2)} %; ${cpu.running.frames} frames, ${cpu.running.outputBytes} B written`,
      },
      {
        name: 'tui: keel start to idle prompt',
        value: cpu.startupMs,
        unit: 'ms',
        target: '(informational)',
        ok: true,
        note: 'one run; spawn → session header and prompt in output',
      },
    ];
  } finally {
    dirs.removeAll();
  }
}
