/**
 * A background process that writes 50 MiB of output while keel runs: keel's peak RSS must stay under 120 MiB,
 * because a process's unread output is held in a bounded window, not accumulated.
 *
 * The real binary (`node bin/keel.js exec`) against the scripted server: `exec_command` starts the writer with a
 * short yield (so it goes to the background), `write_stdin` polls it until it has exited, and the last request is
 * left unanswered so keel is still alive when its peak is read (VmHWM in /proc/PID/status). Run in both output
 * modes: for people (output deltas are not printed) and `--json` (every delta is a line on stdout).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { functionCall, functionCallOutput, outputText, respond, type CapturedRequest, type ScriptStep } from '../src/scripted/index.ts';
import { startScriptedServer } from '../src/scripted/scripted-server.ts';
import type { BenchRow } from './bench-row.ts';

const KEEL = resolve(import.meta.dirname, '../bin/keel.js');
const RUNS = 3;
const OUTPUT_BYTES = 50 * 1024 * 1024;
/** The same run with next to no output: what keel costs anyway, so the table shows what the output adds. */
const BASELINE_BYTES = 1024;
/** Exactly `bytes` of base64 lines (base64 itself is stopped by SIGPIPE; the pipeline's status is head's). */
const writer = (bytes: number) => `base64 -w 76 /dev/urandom | head -c ${bytes}`;
/** Short polls while it writes, then one long wait; polls after it ended answer at once ("no process"). */
const SHORT_POLLS = 20;
const TARGET_MIB = 120;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function script(bytes: number): ScriptStep[] {
  const poll = (n: number, yieldMs: number) => functionCall('write_stdin', { session_id: 1, chars: '', yield_time_ms: yieldMs }, `call_poll${n}`);
  return [
    respond(functionCall('exec_command', { cmd: writer(bytes), yield_time_ms: 250, login: false }, 'call_writer')),
    ...Array.from({ length: SHORT_POLLS }, (_, n) => respond(poll(n, 500))),
    respond(poll(SHORT_POLLS, 30_000)),
    // Never answered: keel waits here, alive, while its peak is read.
    respond({ faults: { stallAfterEvents: 0 } }),
  ];
}

/** Bytes of output the model was told about in one answer: counted when cut ("Original token count"), else as sent. */
function bytesReported(answer: string): number {
  const tokens = /^Original token count: (\d+)$/m.exec(answer);
  if (tokens) return Number(tokens[1]) * 4;
  return Buffer.byteLength(answer.slice(answer.indexOf('\nOutput:\n') + '\nOutput:\n'.length));
}

function vmHwmMiB(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!kb) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kb[1]) / 1024;
}

interface Measured {
  peakMiB: number;
  outputMiB: number;
  seconds: number;
}

async function once(json: boolean, bytes: number): Promise<Measured> {
  const server = await startScriptedServer({ script: script(bytes) });
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, SHLVL: '1', KEEL_HOME: mkdtempSync(join(tmpdir(), 'keel-bench-')), OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'bench' };
  const started = performance.now();
  const child = spawn(process.execPath, [KEEL, 'exec', ...(json ? ['--json'] : []), 'write a lot in the background'], {
    env,
    cwd: mkdtempSync(join(tmpdir(), 'keel-bench-cwd-')),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  try {
    const all = await Promise.race([
      server.waitForRequests(SHORT_POLLS + 3),
      exited.then((code) => Promise.reject(new Error(`keel exited (${code}) before its last request:\n${stderr}`))),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const peakMiB = vmHwmMiB(child.pid!);
    const outputMiB = totalOutput(all, bytes > BASELINE_BYTES) / 1024 / 1024;
    if (server.violations.length > 0) throw new Error(`the benchmark misused the server:\n${server.violations.join('\n')}`);
    return { peakMiB, outputMiB, seconds };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await server.close();
  }
}

/**
 * What the answers to the writer and every poll that saw it running reported; checks that it exited 0 and, when
 * `background`, that it really was a background process (it outlived its exec_command).
 */
function totalOutput(requests: readonly CapturedRequest[], background: boolean): number {
  const last = requests.at(-1)!;
  const answers = ['call_writer', ...Array.from({ length: SHORT_POLLS + 1 }, (_, n) => `call_poll${n}`)]
    .map((callId) => outputText(functionCallOutput(last, callId)) ?? '')
    .filter((answer) => answer.startsWith('Wall time'));
  if (!answers.some((answer) => answer.includes('Process exited with code 0'))) throw new Error(`the writer did not exit 0:\n${answers.at(-1)}`);
  if (background && !answers[0]!.includes('Process running with session ID 1')) throw new Error(`the writer ended within its exec_command:\n${answers[0]}`);
  return answers.reduce((sum, answer) => sum + bytesReported(answer), 0);
}

async function measure(json: boolean, bytes: number): Promise<{ peak: number; max: number; output: number; seconds: number }> {
  const runs: Measured[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(json, bytes));
  return {
    peak: median(runs.map((measured) => measured.peakMiB)),
    max: Math.max(...runs.map((measured) => measured.peakMiB)),
    output: Math.min(...runs.map((measured) => measured.outputMiB)),
    seconds: median(runs.map((measured) => measured.seconds)),
  };
}

export async function run(): Promise<BenchRow[]> {
  const baseline = await measure(false, BASELINE_BYTES);
  const rows: BenchRow[] = [
    {
      name: 'keel exec, 1 KiB from a background process (peak RSS)',
      value: baseline.peak,
      unit: 'MiB',
      target: '(baseline)',
      ok: true,
      note: `median of ${RUNS}, VmHWM; same script (the writer ends within its exec_command)`,
    },
  ];
  for (const json of [false, true]) {
    const measured = await measure(json, OUTPUT_BYTES);
    rows.push({
      name: `keel exec${json ? ' --json' : ''}, 50 MiB from a background process (peak RSS)`,
      value: measured.peak,
      unit: 'MiB',
      target: `< ${TARGET_MIB} MiB`,
      ok: measured.peak < TARGET_MIB,
      note: `median of ${RUNS}, VmHWM; max ${measured.max.toFixed(1)}; +${(measured.peak - baseline.peak).toFixed(1)} over baseline; ≥ ${measured.output.toFixed(1)} MiB read; ${measured.seconds.toFixed(1)} s`,
    });
  }
  return rows;
}
