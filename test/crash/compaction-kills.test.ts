/**
 * SIGKILL at every step of a compaction. The session (compaction-session.ts) runs a shell call whose response
 * reports usage over a tiny configured limit, so the real `keel exec --json` compacts mid-task; it is killed
 *   (a) right after `compaction_started`, the summary request unanswered,
 *   (b) while the summary streams in, once it all came but its completion, and during the summary's retry backoff,
 *   (c) once the compacted record is written (after the summary's token count, after `context_compacted`),
 *   (d) during the request after the compaction, and after the call that request led to,
 * and resumed with `keel exec resume` against a new strict server. Before the record is written the resume sends the
 * whole old history (and compacts it afresh); after, exactly the compacted history and what followed it. Never a
 * mix, never a 400, every call answered exactly once, and no process left behind.
 *
 * Stops synchronize on keel's `--json` lines, or, while the summary streams (keel prints nothing then), on the bytes
 * a proxy has handed to keel.
 */
import { describe, expect, it } from 'vitest';
import { SUMMARY_PREFIX } from '../../src/core/compaction.ts';
import { startScriptedServer } from '../../src/scripted/index.ts';
import { concurrencyLimit } from '../support/concurrency-limit.ts';
import { descendantsOf } from '../support/process-tree.ts';
import { startKeel } from '../support/run-keel.ts';
import { strictnessProblems, useScriptedServer } from '../support/scripted-model.ts';
import {
  callsAnsweredOnce,
  compactionScript,
  FINAL_TEXT,
  inputOf,
  isSummaryRequest,
  LIMIT_ARGS,
  NEW_CALL,
  OLD_CALL,
  OLD_OUTPUT,
  resumeCompacted,
  SUMMARY_REQUEST_MARK,
  TASK,
  type Expected,
  type SummaryAnswer,
} from './compaction-session.ts';
import { freshPlace, keelEnv, markerFor, messages, waitForNoSurvivors, type Msg, type Place } from './crash-session.ts';
import { startWatchingProxy } from './watching-proxy.ts';

/** Stop on the first `--json` line of `type` (and call) that comes after a line of type `after`. */
interface LineStop {
  type: string;
  after?: string;
  callId?: string;
}

interface CompactionKill {
  name: string;
  answer: SummaryAnswer;
  expected: Expected;
  /** Where to stop: after a `--json` line, or once the proxy has handed keel the summary stream up to this SSE event. */
  stop: { line: LineStop } | { streamed: string };
}

const KILLS: CompactionKill[] = [
  { name: '(a) right after compaction_started, the summary request unanswered', answer: 'silent', expected: 'old', stop: { line: { type: 'compaction_started' } } },
  { name: '(b) while the summary streams, after its first word', answer: 'first_word', expected: 'old', stop: { streamed: 'response.output_text.delta' } },
  {
    name: '(b) with the whole summary received but not its completion',
    answer: 'all_but_completed',
    expected: 'old',
    stop: { streamed: 'response.output_item.done' },
  },
  { name: '(b) during the backoff before the summary request is retried', answer: 'after_500', expected: 'old', stop: { line: { type: 'stream_error' } } },
  {
    name: '(c) once the record is written, before context_compacted is printed',
    answer: 'whole',
    expected: 'compacted',
    stop: { line: { type: 'token_count', after: 'compaction_started' } },
  },
  { name: '(c) right after context_compacted', answer: 'whole', expected: 'compacted', stop: { line: { type: 'context_compacted' } } },
  {
    name: '(d) while the request after the compaction streams',
    answer: 'whole',
    expected: 'compacted',
    stop: { line: { type: 'agent_message_delta', after: 'context_compacted' } },
  },
  {
    name: '(d) after the call made after the compaction ended, before the next request',
    answer: 'whole',
    expected: 'compacted',
    stop: { line: { type: 'exec_command_end', callId: NEW_CALL } },
  },
];

function lineIndex(stop: LineStop, sequence: ReadonlyArray<Msg | null>): number {
  let armed = stop.after === undefined;
  for (const [index, msg] of sequence.entries()) {
    if (msg === null) continue;
    if (!armed) {
      armed = msg.type === stop.after;
      continue;
    }
    if (msg.type === stop.type && (stop.callId === undefined || msg.call_id === stop.callId)) return index;
  }
  return -1;
}

const runArgs = ['exec', '--json', ...LIMIT_ARGS, TASK];

/** The whole session once, undisturbed: it must compact once, finish, and hold every line a stop waits for. */
async function learnSequence(): Promise<Array<Msg | null>> {
  const server = await startScriptedServer({ script: compactionScript(markerFor(999), 'whole') });
  try {
    const place = freshPlace();
    const run = startKeel(runArgs, { env: keelEnv(server.url, place.home), cwd: place.cwd });
    const exit = await run.exited;
    if (exit.code !== 0) throw new Error(`the whole compaction session failed (${exit.code}):\n${run.stderr}`);
    const problems = strictnessProblems(server);
    if (problems.length > 0) throw new Error(`the whole compaction session misused the server:\n${problems.join('\n')}`);
    const learned = messages(run.lines);
    if (learned.filter((msg) => msg?.type === 'context_compacted').length !== 1) throw new Error('the whole compaction session did not compact once');
    if (learned.filter((msg) => msg?.type === 'agent_message').at(-1)?.message !== FINAL_TEXT) throw new Error('the whole compaction session did not finish');
    if (!isSummaryRequest(server.requests[1]!)) throw new Error('the second request of the whole compaction session is not the summary request');
    // Stops of runs whose summary is answered otherwise are checked by their run: keel must be stopped, not finish.
    for (const kill of KILLS.filter((candidate) => candidate.answer === 'whole')) {
      if ('line' in kill.stop && lineIndex(kill.stop.line, learned) < 0) throw new Error(`stop "${kill.name}" is not in the session's event sequence`);
    }
    return learned;
  } finally {
    await server.close();
  }
}

const sequence = await learnSequence();

interface Stopped {
  lines: string[];
  started: number[];
}

/** Runs the session through a watching proxy and SIGKILLs keel at the stop, synchronously on the line or the bytes. */
async function stopAt(kill: CompactionKill, place: Place, upstream: string): Promise<Stopped> {
  const proxy = await startWatchingProxy(upstream);
  try {
    const run = startKeel(runArgs, { env: keelEnv(proxy.url, place.home), cwd: place.cwd });
    let started: number[] = [];
    const stopNow = (): void => {
      started = descendantsOf(run.child.pid!);
      run.child.kill('SIGKILL');
    };
    const stop = kill.stop;
    if ('streamed' in stop) {
      proxy.onForwarded((sofar) => sofar.requestBody.includes(SUMMARY_REQUEST_MARK) && sofar.responseText.includes(`event: ${stop.streamed}`), stopNow);
    } else {
      const seen: Array<Msg | null> = [];
      const onLine = (line: string): void => {
        seen.push((JSON.parse(line) as { msg?: Msg }).msg ?? null);
        if (lineIndex(stop.line, seen) < 0) return;
        run.child.off('keel-line', onLine);
        stopNow();
      };
      run.child.on('keel-line', onLine);
    }
    const exit = await run.exited;
    if (exit.signal !== 'SIGKILL') throw new Error(`keel was not stopped at "${kill.name}" (${JSON.stringify(exit)}):\n${run.lines.join('\n')}\n${run.stderr}`);
    return { lines: run.lines, started };
  } finally {
    await proxy.close();
  }
}

const pool = concurrencyLimit(3);

describe.concurrent('SIGKILL at each step of a compaction, then resume', () => {
  for (const [number, kill] of KILLS.entries()) {
    const at = 'line' in kill.stop ? `after ${kill.stop.line.type}` : `once ${kill.stop.streamed} reached keel`;
    it(`${at}: ${kill.name} → the ${kill.expected} history`, ({ expect, onTestFinished }) =>
      pool(async () => {
        const marker = markerFor(200 + number);
        const place = freshPlace();
        const server = await useScriptedServer(compactionScript(marker, kill.answer), { allowUnconsumedSteps: true, onTestFinished });
        const stopped = await stopAt(kill, place, server.url);
        await waitForNoSurvivors(marker, stopped.started, 2_000);

        // What the stopped run sent was accepted, and already there the old and the new history never met.
        const statuses = server.requests.map((request) => request.status);
        expect(statuses.every((status) => status === 200 || (kill.answer === 'after_500' && status === 500))).toBe(true);
        if (kill.answer === 'after_500') expect(statuses).toEqual([200, 500]);
        expect(server.violations).toEqual([]);
        // Stopped at compaction_started, the summary request may not have gone out; when it did, it came second.
        if (server.requests.length > 1) expect(isSummaryRequest(server.requests[1]!)).toBe(true);
        for (const request of server.requests) {
          const input = inputOf(request);
          expect(callsAnsweredOnce(input)).toEqual([]);
          const json = JSON.stringify(input);
          expect(json.includes(OLD_OUTPUT) && json.includes(SUMMARY_PREFIX)).toBe(false);
        }
        const printed = messages(stopped.lines);
        const compacted = printed.some((msg) => msg?.type === 'context_compacted');
        if (kill.expected === 'old') expect(compacted).toBe(false);

        const { requests } = await resumeCompacted({ expect, onTestFinished }, place, kill.expected);
        if (kill.expected === 'compacted') {
          // A call made after the compaction keeps its real output across the resume.
          const newCallEnded = printed.some((msg) => msg?.type === 'exec_command_end' && msg.call_id === NEW_CALL);
          const input = JSON.stringify(inputOf(requests[0]!));
          expect(input.includes(NEW_CALL)).toBe(newCallEnded);
          expect(input).not.toContain(OLD_CALL);
        }
      }),
    );
  }
});

it('the session compacts in a whole run exactly where the stops expect it', () => {
  const types = sequence.filter((msg): msg is Msg => msg !== null).map((msg) => msg.type);
  const started = types.indexOf('compaction_started');
  expect(started).toBeGreaterThan(types.indexOf('exec_command_end'));
  // After the summary, in this order: its token count (the record is already written), then context_compacted.
  expect(types.slice(started, types.indexOf('context_compacted') + 1)).toEqual(['compaction_started', 'token_count', 'context_compacted']);
});
