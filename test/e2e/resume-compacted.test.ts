/**
 * Resuming a session that compacted twice: the first request of the resumed run holds exactly the second
 * compaction's replacement history (as its `compacted` record in the log has it), the items recorded after that
 * record, and the new prompt — item by item, nothing from before the cut and nothing left out.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUMMARY_INSTRUCTION, SUMMARY_PREFIX } from '../../src/core/compaction.ts';
import type { CapturedRequest } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { sessionFiles } from '../../src/store/index.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const KEY = 'sk-test-resume-compacted-0123456789';
const LIMIT = ['-c', 'model_auto_compact_token_limit=20000'];
/** Reported usage over the limit. */
const OVER = { usage: { input_tokens: 20_500, output_tokens: 40 } };
const TASK = 'Move the retry schedule into its own module and keep the tests green.';
const FIRST_SUMMARY = 'Task: move the retry schedule. Done: read src/model/retry.ts. Next: create the module.';
const SECOND_SUMMARY = 'Task: move the retry schedule. Done: module created, imports updated. Next: run the tests.';
const NEXT = 'next';

type Item = Record<string, unknown>;

function place() {
  return { home: mkdtempSync(join(tmpdir(), 'keel-home-')), cwd: mkdtempSync(join(tmpdir(), 'keel-work-')) };
}

const env = (url: string, home: string) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: KEY, KEEL_HOME: home });

const shell = (mark: string, callId: string) => functionCall('shell', { command: ['bash', '-c', `echo ${mark}`] }, callId);

/** Stateless requests send items without their server ids; the log keeps them. */
function withoutId(item: Item): Item {
  const { id: _id, ...rest } = item;
  return rest;
}

function inputOf(request: CapturedRequest): Item[] {
  return request.body.input as Item[];
}

function isSummaryRequest(request: CapturedRequest): boolean {
  return JSON.stringify(inputOf(request).at(-1)).includes(SUMMARY_INSTRUCTION.split('\n')[0]!);
}

/** The log read line by line, independently of keel's reader: the last compaction's history and every item after it. */
function fromLastCompaction(home: string): { records: Item[]; replacement: Item[]; after: Item[] } {
  const [file, ...others] = [...sessionFiles(home)];
  expect(others).toEqual([]);
  const records = readFileSync(file!.path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Item);
  const at = records.findLastIndex((record) => record.type === 'compacted');
  expect(at).toBeGreaterThan(0);
  const replacement = records[at]!.replacement_history as Item[];
  const after = records.slice(at + 1).filter((record) => record.type === 'item').map((record) => record.item as Item);
  return { records, replacement, after };
}

/** Resumes with a new prompt and checks the first request item by item against the log; returns that request's input. */
async function resumeAndCompare(home: string, cwd: string, sessionId: string): Promise<Item[]> {
  const { replacement, after } = fromLastCompaction(home);
  const server = await useScriptedServer([respond(text('On it.'))]);
  const resumed = await runKeel(['exec', 'resume', ...LIMIT, sessionId, NEXT], { env: env(server.url, home), cwd });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stdout).toBe('On it.\n');
  const [request] = await server.waitForRequests(1);
  // No compaction on the way: the usage the log last reported was reset by the compaction.
  expect(isSummaryRequest(request!)).toBe(false);
  const input = inputOf(request!);
  const expected = [...replacement, ...after].map(withoutId);
  expect(input).toHaveLength(expected.length + 1);
  for (const [index, item] of expected.entries()) expect(input[index], `item ${index}`).toEqual(item);
  expect(input.at(-1)).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: NEXT }] });
  return input;
}

function userTexts(input: readonly Item[]): string[] {
  return input
    .filter((item) => item.type === 'message' && item.role === 'user')
    .map((item) => (item.content as Array<{ text?: string }>).map((part) => part.text ?? '').join(''));
}

describe('resume after two compactions', () => {
  it('mid-task twice in one run: the resumed request is the second compacted history, what came after, and the prompt', async () => {
    const { home, cwd } = place();
    const first = await useScriptedServer([
      respond(text('Reading the retry code.'), shell('OUTPUT-BEFORE-FIRST', 'call_1'), OVER),
      respond(text(FIRST_SUMMARY)),
      respond(text('Creating the module.'), shell('OUTPUT-BEFORE-SECOND', 'call_2'), OVER),
      respond(text(SECOND_SUMMARY)),
      respond(text('Running the tests.'), shell('OUTPUT-AFTER-SECOND', 'call_3')),
      respond(text('Moved; the tests pass.')),
    ]);
    const run = await runKeel(['exec', '--json', ...LIMIT, TASK], { env: env(first.url, home), cwd });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { session_id?: string; msg?: Item });
    const compacted = lines.filter((line) => line.msg?.type === 'context_compacted').map((line) => line.msg);
    expect(compacted).toMatchObject([{ compactions: 1 }, { compactions: 2 }]);
    const requests = await first.waitForRequests(6);
    expect(requests.map(isSummaryRequest)).toEqual([false, true, false, true, false, false]);
    expect(first.violations).toEqual([]);

    const { records, after } = fromLastCompaction(home);
    expect(records.filter((record) => record.type === 'compacted').map((record) => record.number)).toEqual([1, 2]);
    // What the second compaction left is what the run itself sent next: the log and the wire agree before the resume.
    expect(inputOf(requests[4]!)).toEqual(fromLastCompaction(home).replacement.map(withoutId));
    expect(after.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);

    const input = await resumeAndCompare(home, cwd, lines[0]!.session_id!);
    const json = JSON.stringify(input);
    expect(userTexts(input)).toContain(TASK);
    expect(userTexts(input).filter((message) => message.startsWith(SUMMARY_PREFIX))).toEqual([expect.stringContaining(SECOND_SUMMARY)]);
    for (const gone of ['OUTPUT-BEFORE-FIRST', 'OUTPUT-BEFORE-SECOND', 'call_1', 'call_2', FIRST_SUMMARY]) expect(json).not.toContain(gone);
    expect(json).toContain('OUTPUT-AFTER-SECOND');
  });

  it('once per run, the second between tasks after a resume: the count carries over and the next resume starts from the second', async () => {
    const { home, cwd } = place();
    const first = await useScriptedServer([
      respond(text('Reading the retry code.'), shell('OUTPUT-BEFORE-FIRST', 'call_1'), OVER),
      respond(text(FIRST_SUMMARY)),
      respond(text('Module created.'), OVER),
    ]);
    const run = await runKeel(['exec', '--json', ...LIMIT, TASK], { env: env(first.url, home), cwd });
    expect(run.code, run.stderr).toBe(0);
    const sessionId = (JSON.parse(run.stdout.split('\n')[0]!) as { session_id: string }).session_id;

    // The usage reported after the first compaction passed the limit again: the resumed task compacts first.
    const second = await useScriptedServer([
      respond(text(SECOND_SUMMARY)),
      respond(text('Running the tests.'), shell('OUTPUT-AFTER-SECOND', 'call_3')),
      respond(text('The tests pass.')),
    ]);
    const again = await runKeel(['exec', 'resume', '--json', ...LIMIT, sessionId, 'now run the tests'], { env: env(second.url, home), cwd });
    expect(again.code, again.stderr).toBe(0);
    const compacted = again.stdout
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg?: Item }).msg)
      .filter((msg) => msg?.type === 'context_compacted');
    expect(compacted).toMatchObject([{ compactions: 2 }]);
    const [summary, next] = await second.waitForRequests(2);
    expect(isSummaryRequest(summary!)).toBe(true);
    // The new prompt is not summarized; it follows the summary.
    expect(userTexts(inputOf(summary!))).not.toContain('now run the tests');
    const sent = userTexts(inputOf(next!));
    expect(sent.at(-1)).toBe('now run the tests');
    expect(sent.at(-2)!.startsWith(SUMMARY_PREFIX)).toBe(true);

    const input = await resumeAndCompare(home, cwd, sessionId);
    const json = JSON.stringify(input);
    expect(userTexts(input)).toEqual(expect.arrayContaining([TASK, 'now run the tests', NEXT]));
    for (const gone of ['OUTPUT-BEFORE-FIRST', 'call_1', FIRST_SUMMARY, 'Module created.']) expect(json).not.toContain(gone);
    expect(json).toContain(SECOND_SUMMARY);
    expect(json).toContain('OUTPUT-AFTER-SECOND');
  });
});
