/**
 * The scripted session the crash tests stop at every point, and the checks every stopped session must pass once
 * resumed. One session holds everything a kill can land in: reasoning and text streamed as separate SSE events, a
 * quick shell call, an HTTP 500 and its retry backoff, a long-running command with a backgrounded grandchild, a
 * response with two calls at once, and a final answer.
 *
 * Kill points are named by the `--json` line after which keel is stopped (`KillPoint`); the line numbers are
 * learned from one whole run, so the tests say *where* they stop keel, not at which index that happens to be.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationHistory } from '../../src/core/history.ts';
import type { ScriptStep } from '../../src/scripted/index.ts';
import { functionCall, httpError, reasoning, respond, text } from '../../src/scripted/script-builders.ts';
import { readSessionLog, sessionFiles, type SessionLog } from '../../src/store/index.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { commandLineOf, descendantsOf, isAlive } from '../support/process-tree.ts';
import { startKeel, type KeelRun } from '../support/run-keel.ts';

/** Long enough to look like a real key: the log redacts it, and a short one would blank common words. */
export const API_KEY = 'sk-test-crash-0123456789abcdefghij';
export const PROMPT = 'do the work';
export const FINAL_TEXT = 'All done.';
/** Pause between SSE events: long enough for a kill to land between two of them, short enough to keep runs fast. */
const DELAY = { faults: { delayMs: 25 } };
/** The long command is stopped by its own timeout in a whole run, so the session can end. */
const LONG_TIMEOUT_MS = 600;

export interface Place {
  home: string;
  cwd: string;
}

export function freshPlace(): Place {
  return { home: mkdtempSync(join(tmpdir(), 'keel-crash-home-')), cwd: mkdtempSync(join(tmpdir(), 'keel-crash-work-')) };
}

export function keelEnv(url: string, home: string): Record<string, string> {
  return { OPENAI_BASE_URL: url, OPENAI_API_KEY: API_KEY, KEEL_HOME: home };
}

/**
 * A marker unique to one run (and to this test process, should two suites run at once): every command the session
 * starts carries it in its command line, so /proc tells which processes are this run's. The fraction has a fixed
 * width, so no marker is a prefix of another.
 */
export function markerFor(index: number): string {
  const pid = String(process.pid % 100_000).padStart(5, '0');
  return `sleep 42.${pid}${String(index).padStart(3, '0')}`;
}

export function crashScript(marker: string): ScriptStep[] {
  return [
    respond(
      reasoning('Planning the work.'),
      text('Looking around first.'),
      functionCall('shell', { command: ['bash', '-c', `echo one; : ${marker}`] }, 'call_one'),
      DELAY,
    ),
    // Transient: keel waits out a backoff (about 200 ms) and sends the same request again.
    httpError(500),
    respond(
      text('Now the long job.'),
      functionCall('shell', { command: ['bash', '-c', `${marker} & echo started; ${marker}; wait`], timeout_ms: LONG_TIMEOUT_MS }, 'call_long'),
      DELAY,
    ),
    respond(
      functionCall('shell', { command: ['bash', '-c', `echo a; : ${marker}`] }, 'call_a'),
      functionCall('shell', { command: ['bash', '-c', `echo b; : ${marker}`] }, 'call_b'),
      DELAY,
    ),
    respond(text(FINAL_TEXT), DELAY),
  ];
}

/** The message of one `--json` line (null for the header line). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read freely
export type Msg = Record<string, any> & { type: string };

export function messages(lines: readonly string[]): Array<Msg | null> {
  return lines.map((line) => (JSON.parse(line) as { msg?: Msg }).msg ?? null);
}

/** Where to stop keel: after the `nth` (1-based) `--json` event of this type (and call, when given). */
export interface KillPoint {
  name: string;
  type: string;
  callId?: string;
  nth?: number;
}

/** The line index of a kill point in a run's lines, or -1 when the run has not reached it. */
export function lineOf(point: KillPoint, sequence: ReadonlyArray<Msg | null>): number {
  let seen = 0;
  for (const [index, msg] of sequence.entries()) {
    if (msg === null || msg.type !== point.type) continue;
    if (point.callId !== undefined && msg.call_id !== point.callId) continue;
    if (++seen === (point.nth ?? 1)) return index;
  }
  return -1;
}

export interface StoppedRun {
  run: KeelRun;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  /** Every process keel had started, seen just before the signal. */
  started: number[];
  /** Lines printed after the one the signal was sent on: 0 when keel was stopped right there. */
  linesAfter: number;
}

/**
 * Runs the crash session and sends `signal` as soon as the `--json` line of the kill point is out (found by what it
 * is, not by its index, so a run whose output came in other chunks still stops at the same event).
 */
export async function stopAt(point: KillPoint, signal: NodeJS.Signals, place: Place, url: string): Promise<StoppedRun> {
  const run = startKeel(['exec', '--json', PROMPT], { env: keelEnv(url, place.home), cwd: place.cwd });
  let started: number[] = [];
  let sentAt = -1;
  const seen: Array<Msg | null> = [];
  await new Promise<void>((resolve, reject) => {
    const onLine = (line: string): void => {
      seen.push((JSON.parse(line) as { msg?: Msg }).msg ?? null);
      if (lineOf(point, seen) < 0) return;
      run.child.off('keel-line', onLine);
      // Synchronously, on the line itself: the snapshot costs a few /proc reads, the signal goes right after.
      started = descendantsOf(run.child.pid!);
      sentAt = run.lines.length;
      run.child.kill(signal);
      resolve();
    };
    run.child.on('keel-line', onLine);
    run.child.once('exit', () => reject(new Error(`keel exited before "${point.name}":\n${run.lines.join('\n')}\n${run.stderr}`)));
  });
  const exit = await run.exited;
  return { run, exit, started, linesAfter: run.lines.length - sentAt };
}

/**
 * Waits (polling the process table, the one thing no event reports) until no process of the run is left: neither
 * one carrying the marker nor any process keel had started (the orphan watchdog included). Returns how long that
 * took after keel's exit; throws with the survivors after `limitMs`.
 */
export async function waitForNoSurvivors(marker: string, started: readonly number[], limitMs: number): Promise<number> {
  const since = Date.now();
  const survivors = (): string[] => [
    ...liveProcessesMatching(marker).map((p) => `${p.pid} ${p.cmdline}`),
    ...started.filter(isAlive).map((pid) => `${pid} ${commandLineOf(pid)}`),
  ];
  for (;;) {
    const left = survivors();
    if (left.length === 0) return Date.now() - since;
    if (Date.now() - since > limitMs) throw new Error(`still alive ${limitMs} ms after keel was stopped:\n  ${[...new Set(left)].join('\n  ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The one session log under `home`. */
export function onlyLogPath(home: string): string {
  const files = [...sessionFiles(home)];
  if (files.length !== 1) throw new Error(`expected one session log in ${home}, found ${files.length}`);
  return files[0]!.path;
}

/** Whether the recorded history ends with the model owing an answer: keel's own rule for a resume without prompt. */
export function logEndsMidTask(log: SessionLog): boolean {
  const last = replay(log.items).items.at(-1);
  return last !== undefined && !(last.type === 'message' && last.role === 'assistant');
}

/**
 * The history a log stands for: its items replayed the way keel rebuilds a history (an output goes right after its
 * call, whatever order the two calls of one response were answered in).
 */
export function replay(items: SessionLog['items']): ConversationHistory {
  return new ConversationHistory(items);
}

type Item = Record<string, unknown>;

/**
 * An item as a stateless request sends it: without its server id, except a reasoning item, which goes back as
 * received (id and encrypted content) so the model keeps its reasoning.
 */
export function withoutId(item: object): Item {
  if ((item as Item).type === 'reasoning') return item as Item;
  const { id: _id, ...rest } = item as Item;
  return rest;
}

export function messageTexts(input: readonly Item[], role: string): string[] {
  return input
    .filter((item) => item.type === 'message' && item.role === role)
    .map((item) => (item.content as Array<{ text?: string }>).map((part) => part.text ?? '').join(''));
}

export function outputOf(input: readonly Item[], callId: string): string | undefined {
  const found = input.find((item) => item.type === 'function_call_output' && item.call_id === callId);
  return found?.output as string | undefined;
}

export async function readLog(home: string): Promise<SessionLog> {
  return readSessionLog(onlyLogPath(home));
}
