/**
 * Compaction in the interactive UI, in a pseudo-terminal against the strict scripted model: /compact with an
 * instruction, /compact while a task runs, Esc while the summary is being written, and a session resumed after a
 * compaction.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUMMARY_PREFIX } from '../../src/core/compaction.ts';
import type { CapturedRequest } from '../../src/scripted/index.ts';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, INTERRUPTED_IDLE, NO_QUESTIONS, headerSessionId, modelEnv, outputLine, screenRows, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { contextLeftPercent } from '../../src/tui/status-line.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ptys = trackPtys();

const OLD_OUTPUT = 'OLD-TOOL-OUTPUT-5113';
const SUMMARY = 'Task: tidy the notes. Done: listed them. Next: merge the duplicates.';
const COMPACTED = /context compacted: \S+ → \S+ tokens/;
/** The hint line while the summary is being written. */
const COMPACTING = /● compacting context \d+s · Esc or Ctrl\+C to interrupt/;

/** The status line: the last row on the screen. */
function statusRow(keel: PtyKeel): string {
  return screenRows(keel).at(-1) ?? '';
}

/** Whether a request is the summary request: no tools, and the summary instruction last. */
function isSummaryRequest(request: CapturedRequest): boolean {
  return request.body.tools === undefined && (userMessageTexts(request).at(-1)?.startsWith('Stop working on the task for a moment') ?? false);
}

/** Sends `prompt` and waits until its answer is on screen and keel is idle again. */
async function ask(keel: PtyKeel, prompt: string, answer: string): Promise<void> {
  keel.type(prompt);
  keel.press('enter');
  await keel.waitFor(answer, { history: true });
  await keel.waitFor(IDLE_PROMPT);
}

describe('keel UI: compaction', () => {
  it('/compact TEXT summarizes with no tools and the instruction, says so, and the next request holds the summary', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', `echo ${OLD_OUTPUT}`] }, 'call_notes')),
      respond(text('Listed the notes.'), { usage: { input_tokens: 182_000, output_tokens: 300 } }),
      respond(text(SUMMARY), { usage: { input_tokens: 182_400, output_tokens: 200 } }),
      respond(text('Merging the duplicates now.')),
    ]);
    const keel = ptys.start(NO_QUESTIONS, { cwd, env: modelEnv(server.url), cols: 120 });
    await waitForSession(keel);
    await ask(keel, 'list the notes', 'Listed the notes.');
    await keel.waitFor(() => statusRow(keel).includes(`· ${contextLeftPercent(182_300, 258_400)}% context left ·`));

    keel.type('/compact keep the notes');
    keel.press('enter');
    await keel.waitFor(/^context compacted: 182k → \S+ tokens$/m, { history: true });
    await keel.waitFor(IDLE_PROMPT);
    const [, , summary] = await server.waitForRequests(3);
    expect(isSummaryRequest(summary!)).toBe(true);
    expect(userMessageTexts(summary!).at(-1)).toMatch(/The user adds, about what the notes must keep: keep the notes$/);
    expect(JSON.stringify(summary!.body.input)).toContain(OLD_OUTPUT);
    // The summary is never shown as an answer; the context now holds the compacted history only.
    expect(keel.history()).not.toContain(SUMMARY);
    await keel.waitFor(() => /· 100% context left ·/.test(statusRow(keel)));

    await ask(keel, 'go on', 'Merging the duplicates now.');
    const [, , , next] = await server.waitForRequests(4);
    const texts = userMessageTexts(next!);
    expect(texts.some((message) => message.startsWith(SUMMARY_PREFIX) && message.includes(SUMMARY))).toBe(true);
    expect(texts).toContain('list the notes');
    expect(texts.at(-1)).toBe('go on');
    expect(JSON.stringify(next!.body.input)).not.toContain(OLD_OUTPUT);
    expect(JSON.stringify(next!.body.input)).not.toContain('call_notes');

    keel.type('/status');
    keel.press('enter');
    await keel.waitFor(/^ +Compactions +1 *$/m);
  });

  it('/compact while a task runs says it comes before the next request, and it does', async () => {
    const { cwd } = tuiPlace();
    // The command waits for the test to say go, so /compact is typed while the task certainly runs.
    const waiting = `echo waiting-for-go; while [ ! -e go ]; do sleep 0.05; done; echo ${OLD_OUTPUT}`;
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', waiting] }, 'call_wait')),
      respond(text(SUMMARY)),
      respond(text('Done after compacting.')),
    ]);
    const keel = ptys.start(NO_QUESTIONS, { cwd, env: modelEnv(server.url), cols: 120 });
    await waitForSession(keel);
    keel.type('wait for go');
    keel.press('enter');
    await keel.waitFor(outputLine('waiting-for-go'));

    keel.type('/compact');
    keel.press('enter');
    await keel.waitFor('compacting before the next request', { history: true });
    writeFileSync(join(cwd, 'go'), '');
    await keel.waitFor('Done after compacting.', { history: true });
    await keel.waitFor(IDLE_PROMPT);

    const [, summary, next] = await server.waitForRequests(3);
    expect(isSummaryRequest(summary!)).toBe(true);
    expect(JSON.stringify(summary!.body.input)).toContain(OLD_OUTPUT);
    expect(userMessageTexts(next!).some((message) => message.startsWith(SUMMARY_PREFIX))).toBe(true);
    expect(JSON.stringify(next!.body.input)).not.toContain(OLD_OUTPUT);
    const history = keel.history();
    expect(history.search(COMPACTED)).toBeGreaterThan(history.lastIndexOf(OLD_OUTPUT));
    expect(history.search(COMPACTED)).toBeLessThan(history.indexOf('Done after compacting.'));
  });

  it('Esc while the summary is written stops it; a later /compact holds, and resuming begins there', async () => {
    const { home, cwd } = tuiPlace();
    const server = await useScriptedServer([
      respond(text('Read the notes.')),
      respond(text(SUMMARY), { faults: { stallAfterEvents: 1 } }),
      respond(text(SUMMARY)),
      respond(text('Back on the notes.')),
    ]);
    const env = modelEnv(server.url, home);
    const keel = ptys.start(NO_QUESTIONS, { cwd, env, cols: 200 });
    await waitForSession(keel);
    await ask(keel, 'read the notes', 'Read the notes.');

    keel.type('/compact');
    keel.press('enter');
    await keel.waitFor(COMPACTING);
    await server.waitForRequests(2);
    keel.press('escape');
    await keel.waitFor(INTERRUPTED_IDLE, { history: true });
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.screen()).not.toMatch(COMPACTING);
    expect(keel.history()).not.toMatch(COMPACTED);

    keel.type('/compact');
    keel.press('enter');
    await keel.waitFor(COMPACTED, { history: true });
    await keel.waitFor(IDLE_PROMPT);
    const id = headerSessionId(keel);
    keel.press('ctrl-d');
    expect(await keel.exited).toEqual({ exitCode: 0 });

    // Resumed: the header, the note that the earlier part was compacted and where to read it, then what followed.
    const resumed = ptys.start(['resume', '--last', ...NO_QUESTIONS], { cwd, env, cols: 200 });
    await waitForSession(resumed);
    await resumed.waitFor('Resumed.', { history: true });
    const shown = resumed.history();
    const earlier = `The earlier part of this conversation was compacted; keel sessions show ${id} shows all of it.`;
    expect(shown.indexOf(`session ${id}`)).toBeGreaterThanOrEqual(0);
    expect(shown.indexOf(`session ${id}`)).toBeLessThan(shown.indexOf(earlier));
    expect(shown.indexOf(earlier)).toBeLessThan(shown.search(COMPACTED));
    expect(shown.search(COMPACTED)).toBeLessThan(shown.indexOf('Resumed.'));
    expect(shown).not.toContain('Read the notes.');
    resumed.type('/status');
    resumed.press('enter');
    await resumed.waitFor(/^ +Compactions +1 *$/m);

    await ask(resumed, 'and now?', 'Back on the notes.');
    const [, , , after] = await server.waitForRequests(4);
    const texts = userMessageTexts(after!);
    expect(texts).toContain('read the notes');
    expect(texts.some((message) => message.startsWith(SUMMARY_PREFIX))).toBe(true);
    expect(JSON.stringify(after!.body.input)).not.toContain('Read the notes.');
  });
});
