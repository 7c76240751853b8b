/**
 * The scripted session the compaction crash tests stop at every step of a compaction, and the checks its resume
 * must pass. The first response asks for a shell call and reports usage over the (tiny, configured) limit, so keel
 * compacts before its next request, mid-task: `compaction_started`, the summary request (no tools), the compacted
 * record written and synced, `context_compacted`, then the task goes on with a second call and a final answer.
 *
 * The old tool output carries `OLD_OUTPUT` and the call `OLD_CALL`: a history that holds them and the summary at
 * once is a mix, which a resume must never send.
 */
import { readFileSync } from 'node:fs';
import type { ExpectStatic } from 'vitest';
import { SUMMARY_INSTRUCTION, SUMMARY_PREFIX } from '../../src/core/compaction.ts';
import type { CapturedRequest, ScriptStep } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { splitWords } from '../../src/scripted/text-chunks.ts';
import { readSessionLog, type SessionLog } from '../../src/store/index.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { keelEnv, logEndsMidTask, messages, messageTexts, onlyLogPath, replay, withoutId, type Msg, type Place } from './crash-session.ts';

export const TASK = 'Rename the config loader and keep the old name as an alias.';
export const OLD_CALL = 'call_old';
export const OLD_OUTPUT = 'OLD-TOOL-OUTPUT-4f2a';
export const NEW_CALL = 'call_new';
export const NEW_OUTPUT = 'NEW-TOOL-OUTPUT-9c1d';
export const SUMMARY = 'Task: rename the loader. Done: read src/config.ts. Next: edit it.';
export const FINAL_TEXT = 'Renamed, alias kept.';
/**
 * The limit every run of the session is given, the stopped one and the resume alike: the user's config. Small enough
 * for one response's reported usage to pass it, big enough for the compacted history (keel's instructions and tool
 * definitions included) to fall below it, so no run warns.
 */
export const LIMIT_ARGS = ['-c', 'model_auto_compact_token_limit=20000'];
/** Usage that passes the limit. */
const OVER = { input_tokens: 20_500, output_tokens: 40 };
const DELAY = { faults: { delayMs: 25 } };

/** The start of the summary instruction as it appears in a request body (its first line has nothing to escape). */
export const SUMMARY_REQUEST_MARK = SUMMARY_INSTRUCTION.split('\n')[0]!;

/** SSE events of a one-text response: created, in_progress, item added, part added, the deltas, three dones, completed. */
const SUMMARY_EVENTS = splitWords(SUMMARY).length + 8;

/** How the summary request is answered in a run. */
export type SummaryAnswer =
  /** At once, slowly (a whole run, and the stops after the compaction). */
  | 'whole'
  /** Headers only, then silence: the summary never comes. */
  | 'silent'
  /** The first word, then silence. */
  | 'first_word'
  /** Everything but `response.completed`: the whole text, never finished. */
  | 'all_but_completed'
  /** HTTP 500 first, then (after keel's backoff) the summary. */
  | 'after_500';

export function summarySteps(answer: SummaryAnswer): ScriptStep[] {
  switch (answer) {
    case 'whole':
      return [respond(text(SUMMARY), DELAY)];
    case 'silent':
      return [respond(text(SUMMARY), { faults: { stallAfterEvents: 0 } })];
    case 'first_word':
      return [respond(text(SUMMARY), { faults: { stallAfterEvents: 5 } })];
    case 'all_but_completed':
      return [respond(text(SUMMARY), { faults: { stallAfterEvents: SUMMARY_EVENTS - 1 } })];
    case 'after_500':
      return [{ type: 'http_error', status: 500 }, respond(text(SUMMARY))];
  }
}

export function compactionScript(marker: string, answer: SummaryAnswer): ScriptStep[] {
  return [
    respond(text('Looking at the loader first.'), functionCall('shell', { command: ['bash', '-c', `echo ${OLD_OUTPUT}; : ${marker}`] }, OLD_CALL), {
      usage: OVER,
    }),
    ...summarySteps(answer),
    respond(text('Editing it now.'), functionCall('shell', { command: ['bash', '-c', `echo ${NEW_OUTPUT}; : ${marker}`] }, NEW_CALL), DELAY),
    respond(text(FINAL_TEXT), DELAY),
  ];
}

type Item = Record<string, unknown>;

export function inputOf(request: CapturedRequest): Item[] {
  return request.body.input as Item[];
}

export function isSummaryRequest(request: CapturedRequest): boolean {
  return messageTexts(inputOf(request), 'user').at(-1)?.startsWith(SUMMARY_REQUEST_MARK) ?? false;
}

/**
 * Every call of a request has exactly one output and every output its call: the invariant, checked on the wire
 * (the strict server refuses a missing output; this also catches a doubled one).
 */
export function callsAnsweredOnce(input: readonly Item[]): string[] {
  const problems: string[] = [];
  const calls = input.filter((item) => item.type === 'function_call').map((item) => item.call_id as string);
  const outputs = input.filter((item) => item.type === 'function_call_output').map((item) => item.call_id as string);
  for (const call of calls) {
    const answered = outputs.filter((id) => id === call).length;
    if (answered !== 1) problems.push(`call ${call} has ${answered} outputs`);
  }
  for (const output of outputs) if (!calls.includes(output)) problems.push(`output ${output} has no call`);
  if (new Set(calls).size !== calls.length) problems.push('a call appears twice');
  return problems;
}

/** What the log says the history is; which one depends on whether the compaction record was written. */
export type Expected = 'old' | 'compacted';

export interface CompactionResumeCheck {
  before: SessionLog;
  /** Every request of the resumed run. */
  requests: CapturedRequest[];
}

interface Ctx {
  expect: ExpectStatic;
  onTestFinished: (hook: () => Promise<void>) => void;
}

/** The `replacement_history` of the last `compacted` record in the file, read from the raw lines. */
export function lastReplacementHistory(path: string): Item[] | null {
  const records = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Item);
  const last = records.filter((record) => record.type === 'compacted').at(-1);
  return last === undefined ? null : (last.replacement_history as Item[]);
}

/**
 * Resumes the stopped session (without a prompt: it was stopped mid-task) with the same configured limit, against
 * a new strict server, and checks that what goes out is exactly one of the two histories — the old one whole (and
 * then compacted afresh, since its usage still passes the limit), or the compacted one plus what came after it.
 */
export async function resumeCompacted(ctx: Ctx, place: Place, expected: Expected): Promise<CompactionResumeCheck> {
  const { expect } = ctx;
  const path = onlyLogPath(place.home);
  const before = await readSessionLog(path);
  // The fast read a resume does gives the same history.
  expect((await readSessionLog(path, { from: 'last_compaction' })).items).toEqual(before.items);
  expect(before.problems).toEqual([]);
  expect(before.tornTail).toBe(false);
  expect(logEndsMidTask(before)).toBe(true);
  const logged = replay(before.items).items.map(withoutId);
  const json = JSON.stringify(logged);
  // The task is never lost, whichever history it is.
  expect(messageTexts(logged, 'user')).toContain(TASK);
  const replacement = lastReplacementHistory(path);
  if (expected === 'old') {
    expect(replacement).toBeNull();
    expect(before.compaction).toBeNull();
    expect(json).toContain(OLD_OUTPUT);
    expect(json).not.toContain(SUMMARY_PREFIX);
  } else {
    expect(before.compaction).toMatchObject({ number: 1 });
    expect(replacement).not.toBeNull();
    // The history is the record's replacement history, then what was recorded after it.
    expect(logged.slice(0, replacement!.length)).toEqual(replacement!.map(withoutId));
    expect(json).not.toContain(OLD_OUTPUT);
    expect(json).not.toContain(OLD_CALL);
    expect(messageTexts(logged, 'user').some((message) => message.startsWith(SUMMARY_PREFIX) && message.includes(SUMMARY))).toBe(true);
  }

  const resumedSummary = 'Task: rename the loader. Resumed after a stop. Next: edit src/config.ts.';
  const script = expected === 'old' ? [respond(text(resumedSummary)), respond(text(FINAL_TEXT))] : [respond(text(FINAL_TEXT))];
  const server = await useScriptedServer(script, { onTestFinished: ctx.onTestFinished });
  const sessionId = before.meta.session_id;
  const resumed = await runKeel(['exec', 'resume', '--json', ...LIMIT_ARGS, sessionId], { env: keelEnv(server.url, place.home), cwd: place.cwd });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).not.toMatch(/warning|error/i);
  const events = messages(resumed.stdout.trimEnd().split('\n')).filter((msg): msg is Msg => msg !== null);
  expect(events.filter((msg) => msg.type === 'error' || msg.type === 'warning' || msg.type === 'stream_error')).toEqual([]);
  expect(events.filter((msg) => msg.type === 'task_complete')).toEqual([{ type: 'task_complete', last_agent_message: FINAL_TEXT }]);

  // Accepted by the strict server, every request, with every call answered exactly once.
  const requests = server.requests;
  expect(requests.map((request) => request.status)).toEqual(script.map(() => 200));
  expect(server.violations).toEqual([]);
  for (const request of requests) expect(callsAnsweredOnce(inputOf(request))).toEqual([]);

  const [first] = requests;
  if (expected === 'old') {
    // The first request is the summary request of a fresh compaction, over the whole old history.
    expect(isSummaryRequest(first!)).toBe(true);
    expect(first!.body.tools).toBeUndefined();
    expect(inputOf(first!).slice(0, -1)).toEqual(logged);
    expect(events.filter((msg) => msg.type === 'context_compacted')).toMatchObject([{ compactions: 1 }]);
    const next = JSON.stringify(inputOf(requests[1]!));
    expect(next).toContain(resumedSummary);
    expect(next).not.toContain(OLD_OUTPUT);
  } else {
    // Exactly the compacted history and what came after it: nothing from before the cut, nothing left out.
    expect(isSummaryRequest(first!)).toBe(false);
    expect(first!.body.tools).toBeDefined();
    expect(inputOf(first!)).toEqual(logged);
    expect(events.filter((msg) => msg.type === 'compaction_started')).toEqual([]);
  }

  // The log after the resume is the history last sent, plus the answer to it.
  const after = await readSessionLog(path);
  expect(after.problems).toEqual([]);
  expect(after.resumedCount).toBe(1);
  const history = replay(after.items);
  expect(history.normalize()).toEqual([]);
  const last = inputOf(requests.at(-1)!);
  const items = history.items.map(withoutId);
  expect(items.slice(0, last.length)).toEqual(last);
  expect(items.length).toBe(last.length + 1);
  expect(messageTexts(items.slice(-1), 'assistant')).toEqual([FINAL_TEXT]);
  return { before, requests };
}
