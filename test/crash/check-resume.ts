/**
 * What every stopped crash session must give when resumed with `keel exec resume --last`, against a new strict
 * scripted server: only 200s, everything completed before the stop still in the history, and a log that reads back
 * as exactly the history that was sent.
 */
import type { ExpectStatic } from 'vitest';
import { respond, text } from '../../src/scripted/script-builders.ts';
import type { SessionLog } from '../../src/store/index.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import {
  keelEnv,
  logEndsMidTask,
  messages,
  messageTexts,
  outputOf,
  PROMPT,
  readLog,
  replay,
  withoutId,
  type Place,
} from './crash-session.ts';

export const RESUMED_TEXT = 'Picked it up again.';
export const NEXT_PROMPT = 'one more thing';

type Item = Record<string, unknown>;

export interface ResumeCheck {
  /** The first request of the resumed run. */
  input: Item[];
  /** The log as the stopped run left it. */
  before: SessionLog;
  /** Whether the resume went on without a prompt (the log ended mid-task). */
  continued: boolean;
}

export interface ResumeContext {
  expect: ExpectStatic;
  onTestFinished: (hook: () => Promise<void>) => void;
}

/**
 * Resumes the session left in `place` and checks (b) only 200s, (c) every item the stopped run reported as done is
 * in the request, (d) the log after the resume is exactly the history that was sent. `stoppedLines` are every
 * `--json` line the stopped run printed: what it printed, it had finished.
 */
export async function resumeAndCheck(ctx: ResumeContext, place: Place, stoppedLines: readonly string[]): Promise<ResumeCheck> {
  const { expect } = ctx;
  const before = await readLog(place.home);
  expect(before.problems).toEqual([]);
  const stopped = messages(stoppedLines);
  const continued = logEndsMidTask(before);
  if (stopped.some((msg) => msg?.type === 'task_complete')) expect(continued).toBe(false);

  const server = await useScriptedServer([respond(text(RESUMED_TEXT))], { onTestFinished: ctx.onTestFinished });
  const args = continued ? ['exec', 'resume', '--json', '--last'] : ['exec', 'resume', '--json', '--last', NEXT_PROMPT];
  const resumed = await runKeel(args, { env: keelEnv(server.url, place.home), cwd: place.cwd });
  // No warning: a log left by a stop is not damaged, whatever the stop.
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  const events = messages(resumed.stdout.trimEnd().split('\n')).filter((msg) => msg !== null);
  expect(events.filter((msg) => msg.type === 'error' || msg.type === 'warning' || msg.type === 'stream_error')).toEqual([]);
  expect(events.filter((msg) => msg.type === 'task_complete')).toEqual([{ type: 'task_complete', last_agent_message: RESUMED_TEXT }]);

  // (b) One request, accepted: the strict server answers anything the real API would refuse with a 400.
  expect(server.requests.map((request) => request.status)).toEqual([200]);
  expect(server.violations).toEqual([]);
  const input = server.requests[0]!.body.input as Item[];

  // (c) Everything the stopped run reported as completed is still there.
  expect(messageTexts(input, 'user')).toContain(PROMPT);
  for (const msg of stopped) {
    if (msg === null) continue;
    if (msg.type === 'agent_message') expect(messageTexts(input, 'assistant')).toContain(msg.message);
    if (msg.type === 'agent_reasoning') {
      const summaries = input.filter((item) => item.type === 'reasoning').map((item) => JSON.stringify(item.summary));
      expect(summaries.some((summary) => summary.includes(msg.text))).toBe(true);
    }
    if (msg.type === 'exec_command_begin') {
      expect(input.some((item) => item.type === 'function_call' && item.call_id === msg.call_id)).toBe(true);
      expect(outputOf(input, msg.call_id)).toBeDefined();
    }
    if (msg.type === 'exec_command_end') {
      // A command seen to finish keeps its real result, not a synthetic "aborted" (its end event has it all).
      const output = outputOf(input, msg.call_id);
      expect(output, `output of ${msg.call_id}, whose exec_command_end was printed`).not.toMatch(/^aborted/);
      expect(exitCodeIn(output!)).toBe(msg.exit_code);
    }
  }
  if (!continued) expect(input.at(-1)).toMatchObject({ type: 'message', role: 'user' });
  if (!continued) expect(messageTexts([input.at(-1)!], 'user')).toEqual([NEXT_PROMPT]);

  // (d) The log, read back after the resume, is exactly the history that was sent, plus the answer to it.
  const after = await readLog(place.home);
  expect(after.problems).toEqual([]);
  expect(after.tornTail).toBe(false);
  expect(after.resumedCount).toBe(1);
  const history = replay(after.items);
  // Every call was already answered in the log itself: nothing is left for a reader to make up.
  expect(history.normalize()).toEqual([]);
  const items = history.items.map(withoutId);
  expect(items.slice(0, input.length)).toEqual(input);
  expect(items.length).toBe(input.length + 1);
  expect(messageTexts(items.slice(-1), 'assistant')).toEqual([RESUMED_TEXT]);
  return { input, before, continued };
}

/** The exit code an output reports: the shell tool's JSON envelope, or exec_command's text (null: still running). */
function exitCodeIn(output: string): number | null {
  if (output.startsWith('{')) return (JSON.parse(output) as { metadata: { exit_code: number } }).metadata.exit_code;
  const exited = /^Process exited with code (-?\d+)$/m.exec(output);
  return exited ? Number(exited[1]) : null;
}
