/**
 * Forking in the interactive UI, in a pseudo-terminal against the strict scripted model: Esc twice on an empty prompt
 * (or /fork) lists the session's prompts; the one chosen opens a new session whose history is everything before
 * it, with that prompt in the box to change and send; Esc on the list changes nothing. `keel fork ID --at N` on a
 * terminal opens the UI the same way. When the prompt's task changed files (in a real git repository here, keel run
 * with `-a never --dangerously-bypass-sandbox`), the fork shows the diff back to that prompt and asks: y puts the
 * files back as they were (that task and every later one undone), n leaves them as they are.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callIndex, messageTexts, userMessageTexts, type CapturedRequest } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { findSessionById, readSessionLog } from '../../src/store/index.ts';
import { IDLE_PROMPT, NO_QUESTIONS, headerSessionId, modelEnv, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { committedRepo, git, workingFiles as filesOf } from '../support/git-repo.ts';
import { COMMITTED, EDITS, EDIT_PROMPTS } from '../support/edit-session.ts';

const ptys = trackPtys();

const PROMPTS = ['name the first planet', 'and the second one?', 'how far is the third?', 'which one has rings?'];
const ANSWERS = ['Mercury.', 'Venus.', 'About 150 million km.', 'Saturn, most visibly.'];
const PICKER_TITLE = 'Fork this session at a prompt';

const EDIT_ANSWERS = ['Added a line.', 'Fixed the notes.', 'Edited other.txt.'] as const;
/** A fresh KEEL_HOME and a git repository holding COMMITTED, committed. */
function repository(): { home: string; cwd: string } {
  return { home: mkdtempSync(join(tmpdir(), 'keel-tui-home-')), cwd: committedRepo(COMMITTED, 'keel-tui-fork-repo-') };
}

const RESTORE_QUESTION = '↑ Put the files back as they were at that prompt (task 2 and every later task undone)?';

/** The script of the first `count` of EDIT_PROMPTS: each task one shell call, then its answer. */
function editScript(count: number) {
  return EDITS.slice(0, count).flatMap((edit, index) => [
    respond(functionCall('shell', { command: ['bash', '-c', edit] }, `call_${index + 1}`)),
    respond(text(EDIT_ANSWERS[index]!)),
  ]);
}

/**
 * Sends the first `count` of EDIT_PROMPTS, each once the one before is answered; returns the files as they were after
 * each prompt's task (index 0: after prompt 1).
 */
async function runEdits(keel: PtyKeel, cwd: string, count: number): Promise<Array<Record<string, string>>> {
  const after: Array<Record<string, string>> = [];
  for (const [index, prompt] of EDIT_PROMPTS.slice(0, count).entries()) {
    keel.type(prompt);
    keel.press('enter');
    await keel.waitFor(EDIT_ANSWERS[index]!, { history: true });
    await keel.waitFor(IDLE_PROMPT);
    after.push(filesOf(cwd));
  }
  return after;
}

/** Waits for the fork's offer: the note, the diff back to prompt 2 and the question; nothing written yet. */
async function waitForOffer(keel: PtyKeel, source: string): Promise<void> {
  await keel.waitFor(`forked from ${source.slice(0, 8)} at prompt 2`, { history: true });
  await keel.waitFor(RESTORE_QUESTION);
  await keel.waitFor('Undo these changes');
  await keel.waitFor('Keep the files as they are');
  // The diff goes from the files now to the files before prompt 2's task.
  const shown = keel.history();
  expect(shown).toMatch(/^ *-BETA$/m);
  expect(shown).toMatch(/^ *\+beta$/m);
  expect(shown).toMatch(/^ *-made by task 2$/m);
  expect(shown).toMatch(/^ *-edited by task 3$/m);
  expect(shown).toMatch(/^ *\+other$/m);
  // Task 1's edit is not part of it.
  expect(shown).not.toMatch(/^ *-added by task 1$/m);
}

/** The source's log as it was: its prompts, and no undo (a fork's restore writes nothing into the session forked from). */
async function expectSourceUntold(home: string, source: string, prompts: readonly string[]): Promise<void> {
  const log = await readSessionLog(findSessionById(home, source)!);
  expect(log.events.filter((event) => event.event.type === 'undo_result')).toEqual([]);
  expect(log.events.filter((event) => event.event.type === 'user_message').map((event) => (event.event as { message: string }).message)).toEqual(prompts);
}

/** Sends the four prompts, each once the answer to the one before is on screen. */
async function askFour(keel: PtyKeel): Promise<void> {
  for (const [index, prompt] of PROMPTS.entries()) {
    keel.type(prompt);
    keel.press('enter');
    await keel.waitFor(ANSWERS[index]!);
    await keel.waitFor(IDLE_PROMPT);
  }
}

/** The person's prompts in a request, without keel's environment message. */
function promptsOf(request: CapturedRequest): string[] {
  return userMessageTexts(request).filter((message) => !message.startsWith('<environment_context>'));
}

describe('keel UI: fork', () => {
  it('fork at prompt 2 of 4 in the pty: Esc Esc lists the prompts, the pick opens a fork with prompt 2 in the box, sent edited', async () => {
    const { home, cwd } = tuiPlace();
    const server = await useScriptedServer([...ANSWERS.map((answer) => respond(text(answer))), respond(text('Venus, the hottest.'))]);
    const keel = ptys.start([], { cwd, env: modelEnv(server.url, home), rows: 40 });
    await waitForSession(keel);
    const source = headerSessionId(keel);
    await askFour(keel);

    // /fork, then Esc on the list: nothing changes, and the prompt box is back, empty.
    keel.type('/fork');
    keel.press('enter');
    await keel.waitFor(PICKER_TITLE);
    await keel.waitFor(`4. ${PROMPTS[3]}`);
    keel.press('escape');
    await keel.waitFor((screen) => !screen.includes(PICKER_TITLE) && screen.includes(IDLE_PROMPT));

    // Esc twice on the empty prompt with no task running: the same list, oldest first, numbered as the prompts are.
    keel.press('escape');
    keel.press('escape');
    await keel.waitFor(PICKER_TITLE);
    const screen = keel.screen();
    for (const [index, prompt] of PROMPTS.entries()) expect(screen).toContain(`${index + 1}. ${prompt}`);
    expect(screen.indexOf(PROMPTS[0]!)).toBeLessThan(screen.indexOf(PROMPTS[3]!));
    keel.type('2');

    await keel.waitFor(`forked from ${source.slice(0, 8)} at prompt 2`, { history: true });
    await keel.waitFor(`› ${PROMPTS[1]}`);
    // The new session is on screen: its header (after the old one's) names another id, and its transcript holds
    // prompt 1's exchange only.
    const history = keel.history();
    const forkHeader = [...history.matchAll(/keel \S+ · \S+ · session ([0-9a-f-]{36})/g)].at(-1)![1]!;
    expect(forkHeader).not.toBe(source);
    const shown = history.slice(history.lastIndexOf(`session ${forkHeader}`));
    expect(shown).toContain(ANSWERS[0]);
    expect(shown).not.toContain(ANSWERS[1]);

    // The prompt waits unsent: changed, then sent.
    keel.type(' Say why it is so hot.');
    await keel.waitFor(`› ${PROMPTS[1]} Say why it is so hot.`);
    keel.press('enter');
    await keel.waitFor('Venus, the hottest.');

    const requests = await server.waitForRequests(5);
    const last = requests[4]!;
    expect(promptsOf(last)).toEqual([PROMPTS[0], `${PROMPTS[1]} Say why it is so hot.`]);
    expect(messageTexts(last, 'assistant')).toEqual([ANSWERS[0]]);

    await keel.waitFor(IDLE_PROMPT);
    keel.press('ctrl-d');
    expect(await keel.exited).toEqual({ exitCode: 0 });
    // The session forked from is as it was: four prompts, and the fork's prompt is not among them.
    const sourceLog = await readSessionLog(findSessionById(home, source)!);
    expect(sourceLog.events.filter((event) => event.event.type === 'user_message').map((event) => (event.event as { message: string }).message)).toEqual(PROMPTS);
    const forkLog = await readSessionLog(findSessionById(home, forkHeader)!);
    expect(forkLog.meta.forked_from).toEqual({ session_id: source, prompt: 2 });
  });

  it('a fork at a prompt whose task changed files shows the diff back to it and asks; y puts the files back byte for byte', async () => {
    const { home, cwd } = repository();
    const server = await useScriptedServer([...editScript(3), respond(text('Fixed them again.'))]);
    const keel = ptys.start(NO_QUESTIONS, { cwd, env: modelEnv(server.url, home), rows: 50, cols: 120 });
    await waitForSession(keel);
    const source = headerSessionId(keel);
    const [afterPrompt1, , afterPrompt3] = await runEdits(keel, cwd, 3);
    const statusAfterPrompt1 = ' M first.txt\n';
    expect(afterPrompt3!['notes.txt']).toBe('alpha\r\nBETA\r\ngamma');
    expect(afterPrompt3!['made.txt']).toBe('made by task 2\n');
    expect(afterPrompt3!['other.txt']).toBe('edited by task 3');

    keel.press('escape');
    keel.press('escape');
    await keel.waitFor(PICKER_TITLE);
    await keel.waitFor(`3. ${EDIT_PROMPTS[2]}`);
    keel.type('2');
    await waitForOffer(keel, source);
    expect(filesOf(cwd)).toEqual(afterPrompt3);

    keel.type('y');
    await keel.waitFor('↺ undid task 2 and the tasks after it: 2 files put back, 1 file deleted', { history: true });
    await keel.waitFor((screen) => !screen.includes(RESTORE_QUESTION) && screen.includes(`› ${EDIT_PROMPTS[1]}`));
    // Tasks 2 and 3 undone, byte for byte, the file task 2 made gone; task 1's edit stays.
    expect(filesOf(cwd)).toEqual(afterPrompt1);
    expect(existsSync(join(cwd, 'made.txt'))).toBe(false);
    expect(git(cwd, 'status', '--porcelain')).toBe(statusAfterPrompt1);
    // The fork's model is not told of an undo: its history is from before those changes.
    expect(keel.history()).not.toContain('the model is told');

    keel.type(' once more');
    await keel.waitFor(`› ${EDIT_PROMPTS[1]} once more`);
    keel.press('enter');
    await keel.waitFor('Fixed them again.', { history: true });
    const requests = await server.waitForRequests(7);
    const last = requests[6]!;
    expect(promptsOf(last)).toEqual([EDIT_PROMPTS[0], `${EDIT_PROMPTS[1]} once more`]);
    expect(messageTexts(last, 'assistant')).toEqual([EDIT_ANSWERS[0]]);
    expect(callIndex(last, 'call_1')).toBeGreaterThanOrEqual(0);
    expect(callIndex(last, 'call_2')).toBe(-1);
    expect(callIndex(last, 'call_3')).toBe(-1);

    await keel.waitFor(IDLE_PROMPT);
    keel.press('ctrl-d');
    expect(await keel.exited).toEqual({ exitCode: 0 });
    await expectSourceUntold(home, source, EDIT_PROMPTS);
  });

  it('n on the offer keeps the files as they are, and the prompt waits in the box', async () => {
    const { home, cwd } = repository();
    const server = await useScriptedServer(editScript(2));
    const keel = ptys.start(NO_QUESTIONS, { cwd, env: modelEnv(server.url, home), rows: 50, cols: 120 });
    await waitForSession(keel);
    const source = headerSessionId(keel);
    const [, afterPrompt2] = await runEdits(keel, cwd, 2);

    keel.type('/fork');
    keel.press('enter');
    await keel.waitFor(PICKER_TITLE);
    keel.type('2');
    await keel.waitFor(`forked from ${source.slice(0, 8)} at prompt 2`, { history: true });
    await keel.waitFor(RESTORE_QUESTION);
    await keel.waitFor(/^ *-made by task 2$/m, { history: true });
    keel.type('n');
    await keel.waitFor('kept the files as they are: the fork starts from the files as they are now', { history: true });
    await keel.waitFor((screen) => !screen.includes(RESTORE_QUESTION) && screen.includes(`› ${EDIT_PROMPTS[1]}`));
    expect(filesOf(cwd)).toEqual(afterPrompt2);
    expect(keel.history()).not.toContain('↺ undid');

    keel.press('ctrl-u');
    await keel.waitFor(IDLE_PROMPT);
    keel.press('ctrl-d');
    expect(await keel.exited).toEqual({ exitCode: 0 });
    expect(filesOf(cwd)).toEqual(afterPrompt2);
    await expectSourceUntold(home, source, EDIT_PROMPTS.slice(0, 2));
  });

  it('keel fork ID --at N on a terminal opens the UI on the fork, the prompt in the box unsent', async () => {
    const { home, cwd } = tuiPlace();
    const server = await useScriptedServer([respond(text(ANSWERS[0]!)), respond(text(ANSWERS[1]!)), respond(text('Mercury has no rings.'))]);
    const env = modelEnv(server.url, home);
    const first = await runKeel(['exec', '--json', PROMPTS[0]!], { env, cwd });
    const source = JSON.parse(first.stdout.split('\n')[0]!).session_id as string;
    expect((await runKeel(['exec', 'resume', source, PROMPTS[1]!], { env, cwd })).code).toBe(0);

    const keel = ptys.start(['fork', source.slice(0, 8), '--at', '2'], { cwd, env });
    await keel.waitFor(`forked from ${source.slice(0, 8)} at prompt 2`, { history: true });
    await keel.waitFor(`› ${PROMPTS[1]}`);
    expect(headerSessionId(keel)).not.toBe(source);
    expect(keel.history()).toContain(ANSWERS[0]);
    expect(keel.history()).not.toContain(ANSWERS[1]);

    keel.press('ctrl-u');
    keel.type('does it have rings?');
    keel.press('enter');
    await keel.waitFor('Mercury has no rings.');
    const [, , third] = await server.waitForRequests(3);
    expect(promptsOf(third!)).toEqual([PROMPTS[0], 'does it have rings?']);
  });
});
