/**
 * Kill at every point: the crash session (crash-session.ts) is run by the real `keel exec --json` and stopped right
 * after one of its event lines — with SIGKILL at every kind of point, with SIGINT and SIGTERM at a few — then resumed
 * with `keel exec resume --last` against a new strict scripted server. After each stop:
 *   (a) no process keel started is alive two seconds later;
 *   (b) the resume's request is accepted (only 200s, no violation of the API's rules);
 *   (c) every item completed before the stop is in that request;
 *   (d) the log, read back after the resume, is exactly the history that was sent.
 */
import { afterAll, describe, it } from 'vitest';
import { unfinishedOutput } from '../../src/tools/unfinished-call.ts';
import { startScriptedServer } from '../../src/scripted/index.ts';
import { concurrencyLimit } from '../support/concurrency-limit.ts';
import { startKeel } from '../support/run-keel.ts';
import { strictnessProblems, useScriptedServer } from '../support/scripted-model.ts';
import { resumeAndCheck } from './check-resume.ts';
import {
  crashScript,
  FINAL_TEXT,
  freshPlace,
  keelEnv,
  lineOf,
  markerFor,
  messages,
  outputOf,
  PROMPT,
  readLog,
  replay,
  stopAt,
  waitForNoSurvivors,
  type KillPoint,
  type Msg,
} from './crash-session.ts';

const STARTED_THEN_LOST = unfinishedOutput({ type: 'lost_with_keel' });

const SIGKILL_POINTS: KillPoint[] = [
  { name: 'right after task_started', type: 'task_started' },
  { name: 'after the user message', type: 'user_message' },
  { name: 'between the 1st and 2nd SSE delta of the reasoning', type: 'agent_reasoning_delta', nth: 1 },
  { name: 'between the 2nd and 3rd SSE delta of the reasoning', type: 'agent_reasoning_delta', nth: 2 },
  { name: 'after the reasoning item, before the text starts', type: 'agent_reasoning' },
  { name: 'between SSE deltas of the first message', type: 'agent_message_delta', nth: 2 },
  { name: 'after the first message, before its call arrives', type: 'agent_message', nth: 1 },
  { name: 'right after exec_command_begin of the first call', type: 'exec_command_begin', callId: 'call_one' },
  { name: 'after the first call printed', type: 'exec_command_output_delta', callId: 'call_one' },
  { name: 'after exec_command_end, before the next request', type: 'exec_command_end', callId: 'call_one' },
  { name: 'after the token count, as the next request goes out', type: 'token_count', nth: 1 },
  { name: 'during the retry backoff after stream_error', type: 'stream_error' },
  { name: 'between SSE deltas of the message after the retry', type: 'agent_message_delta', nth: 5 },
  { name: 'after the second message, before the long call arrives', type: 'agent_message', nth: 2 },
  { name: 'right after exec_command_begin of the long command', type: 'exec_command_begin', callId: 'call_long' },
  { name: 'while the long command (and its grandchild) runs', type: 'exec_command_output_delta', callId: 'call_long' },
  { name: 'after the long command timed out, before the next request', type: 'exec_command_end', callId: 'call_long' },
  { name: 'as the request for the two-call response goes out', type: 'token_count', nth: 2 },
  { name: 'right after the first of two calls begins', type: 'exec_command_begin', callId: 'call_a' },
  { name: 'between the two calls of one response', type: 'exec_command_end', callId: 'call_a' },
  { name: 'right after the second of two calls begins', type: 'exec_command_begin', callId: 'call_b' },
  { name: 'after both calls ended, before the next request', type: 'exec_command_end', callId: 'call_b' },
  { name: 'between SSE deltas of the final answer', type: 'agent_message_delta', nth: 8 },
  { name: 'after the final answer, before task_complete', type: 'agent_message', nth: 3 },
  { name: 'after task_complete', type: 'task_complete' },
];

const GRACEFUL_POINTS: KillPoint[] = [
  { name: 'between SSE deltas of the reasoning', type: 'agent_reasoning_delta', nth: 2 },
  { name: 'during the retry backoff', type: 'stream_error' },
  { name: 'while the long command runs', type: 'exec_command_output_delta', callId: 'call_long' },
  { name: 'between the two calls of one response', type: 'exec_command_end', callId: 'call_a' },
];

/** Each stop runs two keel processes and a shell or two; three at a time keep a 2-core machine responsive. */
const pool = concurrencyLimit(3);
/** How many --json lines each run printed after the one it was stopped on (0: stopped right there). */
const landed: Array<{ name: string; linesAfter: number }> = [];

/** The whole session once, undisturbed, at collection time: it must complete, and its lines place the kill points. */
async function learnSequence(): Promise<Array<Msg | null>> {
  const server = await startScriptedServer({ script: crashScript(markerFor(999)) });
  try {
    const place = freshPlace();
    const run = startKeel(['exec', '--json', PROMPT], { env: keelEnv(server.url, place.home), cwd: place.cwd });
    const exit = await run.exited;
    if (exit.code !== 0) throw new Error(`the whole crash session failed (${exit.code}):\n${run.stderr}`);
    const problems = strictnessProblems(server);
    if (problems.length > 0) throw new Error(`the whole crash session misused the server:\n${problems.join('\n')}`);
    const learned = messages(run.lines);
    const last = learned.filter((msg) => msg?.type === 'agent_message').at(-1);
    if (last?.message !== FINAL_TEXT) throw new Error('the whole crash session did not reach its final answer');
    for (const point of [...SIGKILL_POINTS, ...GRACEFUL_POINTS]) {
      if (lineOf(point, learned) < 0) throw new Error(`kill point "${point.name}" is not in the session's event sequence`);
    }
    return learned;
  } finally {
    await server.close();
  }
}

const sequence = await learnSequence();

afterAll(() => {
  const exact = landed.filter((entry) => entry.linesAfter === 0).length;
  console.log(`kill points: ${landed.length} runs, ${exact} stopped before printing another line`);
});

describe.concurrent('SIGKILL at every point, then resume --last', () => {
  for (const [number, point] of SIGKILL_POINTS.entries()) {
    const index = lineOf(point, sequence);
    it(`after line ${index}: ${point.name}`, ({ expect, onTestFinished }) =>
      pool(async () => {
        const marker = markerFor(number);
        const place = freshPlace();
        const server = await useScriptedServer(crashScript(marker), { allowUnconsumedSteps: true, onTestFinished });
        const stopped = await stopAt(point, 'SIGKILL', place, server.url);
        // After task_complete keel may have left on its own before the signal reached it.
        if (point.type !== 'task_complete' || stopped.exit.code !== 0) expect(stopped.exit.signal).toBe('SIGKILL');
        landed.push({ name: point.name, linesAfter: stopped.linesAfter });

        // (a) Nothing keel started outlives it by more than two seconds.
        await waitForNoSurvivors(marker, stopped.started, 2_000);
        // The stopped run only ever met the scripted answers (the 500 is one of them).
        expect(server.requests.every((request) => request.status === 200 || request.status === 500)).toBe(true);
        // The backoff really was under way: the 500 was answered, the retry never went out.
        if (point.type === 'stream_error') expect(server.requests.map((request) => request.status)).toEqual([200, 500]);

        const { input } = await resumeAndCheck({ expect, onTestFinished }, place, stopped.run.lines);
        if (point.type === 'exec_command_output_delta' && point.callId === 'call_long') {
          // keel died while the command ran: the model is told so, not handed a made-up result.
          expect(outputOf(input, 'call_long')).toBe(STARTED_THEN_LOST);
        }
      }),
    );
  }
});

describe.concurrent('SIGINT and SIGTERM: a graceful stop, then resume --last', () => {
  const cases = GRACEFUL_POINTS.flatMap((point) => (['SIGINT', 'SIGTERM'] as const).map((signal) => ({ point, signal })));
  for (const [number, { point, signal }] of cases.entries()) {
    const index = lineOf(point, sequence);
    it(`${signal} after line ${index}: ${point.name}`, ({ expect, onTestFinished }) =>
      pool(async () => {
        const marker = markerFor(100 + number);
        const place = freshPlace();
        const server = await useScriptedServer(crashScript(marker), { allowUnconsumedSteps: true, onTestFinished });
        const stopped = await stopAt(point, signal, place, server.url);
        landed.push({ name: `${signal} ${point.name}`, linesAfter: stopped.linesAfter });
        expect(stopped.exit.code).toBe(signal === 'SIGINT' ? 130 : 143);
        if (point.type === 'stream_error') expect(server.requests.map((request) => request.status)).toEqual([200, 500]);
        const printed = messages(stopped.run.lines);
        expect(printed.filter((msg) => msg?.type === 'turn_aborted')).toEqual([{ type: 'turn_aborted', reason: 'interrupted' }]);

        // (a) keel stopped its own commands before leaving; nothing is left over.
        await waitForNoSurvivors(marker, stopped.started, 2_000);

        // The log already tells the whole story: the abort, a clean end, and an answer for every call.
        const log = await readLog(place.home);
        expect(log.events.map((entry) => entry.event.type)).toContain('turn_aborted');
        expect(log.ended).toEqual({ reason: 'shutdown' });
        expect(replay(log.items).normalize()).toEqual([]);

        const { input } = await resumeAndCheck({ expect, onTestFinished }, place, stopped.run.lines);
        if (point.type === 'exec_command_output_delta' && point.callId === 'call_long') {
          const output = JSON.parse(outputOf(input, 'call_long')!) as { output: string };
          expect(output.output).toContain('started');
          expect(output.output).toContain('aborted by user');
        }
      }),
    );
  }
});
