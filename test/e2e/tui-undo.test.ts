/**
 * /undo in the interactive UI, in a pseudo-terminal against the strict scripted model, in a real git repository: the
 * diff the undo would apply is shown and asked about first; y puts every file back byte for byte (and deletes the
 * one the task created) and the model hears of it with its next request; n and Esc leave the files alone; a file
 * changed since by someone else is listed as a conflict and overwritten only when chosen.
 *
 * keel runs with `-a never --dangerously-bypass-sandbox`: the task's shell call runs unasked and does not depend on
 * bubblewrap being installed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, modelEnv, NO_QUESTIONS, waitForSession } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { committedRepo } from '../support/git-repo.ts';

const ptys = trackPtys();

/** CRLF and no final newline, so that "byte for byte" means something. */
const NOTES = 'alpha\r\nbeta\r\ngamma';
const UNTOUCHED = 'stays as it is\n';
/** The task: an in-place edit of notes.txt, and a file of its own. */
const EDIT = ['bash', '-c', "sed -i 's/beta/BETA/' notes.txt && printf 'made by the task\\n' > made.txt"];
const QUESTION = /↑ Undo task 1: put the files back as the diff above shows\?/;
const KEPT = 'kept the files as they are: task 1 is not undone';
const WAIT_NOTE = 'a task is running: interrupt it first (Esc), then /undo';
const UNDID = '↺ undid task 1: 1 file put back, 1 file deleted; the model is told';

/** A committed repository holding notes.txt and untouched.txt. */
function repository(): string {
  return committedRepo({ 'notes.txt': NOTES, 'untouched.txt': UNTOUCHED }, 'keel-tui-undo-');
}

function read(cwd: string, file: string): string {
  return readFileSync(join(cwd, file), 'utf8');
}

/** Runs the task and waits until it is done and the files are as it left them. */
async function runTask(keel: PtyKeel, cwd: string): Promise<void> {
  await keel.waitFor('Edited the notes.', { history: true });
  await keel.waitFor(IDLE_PROMPT);
  expect(read(cwd, 'notes.txt')).toBe('alpha\r\nBETA\r\ngamma');
  expect(read(cwd, 'made.txt')).toBe('made by the task\n');
}

/** Types /undo and waits for the preview (its diff in the transcript) and the question under it. */
async function askUndo(keel: PtyKeel): Promise<void> {
  keel.type('/undo');
  keel.press('enter');
  await keel.waitFor(QUESTION);
  await keel.waitFor('Undo these changes');
  await keel.waitFor('Keep the files as they are');
}

function start(cwd: string, url: string, prompt?: string): PtyKeel {
  return ptys.start([...NO_QUESTIONS, ...(prompt === undefined ? [] : [prompt])], { cwd, env: modelEnv(url), rows: 40 });
}

describe('keel UI: /undo', () => {
  it('shows the diff, and y puts the files back byte for byte; the model is told with the next request', async () => {
    const cwd = repository();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: EDIT }, 'call_edit')),
      respond(text('Edited the notes.')),
      respond(text('Understood, the edits are gone.')),
    ]);
    const keel = start(cwd, server.url, 'edit the notes');
    await runTask(keel, cwd);

    await askUndo(keel);
    const shown = keel.history();
    expect(shown).toContain('undo task 1: 1 file put back, 1 file the task created deleted');
    // The diff goes from the files now to the files before the task.
    expect(shown).toMatch(/^ *-BETA$/m);
    expect(shown).toMatch(/^ *\+beta$/m);
    expect(shown).toMatch(/^ *-made by the task$/m);
    // Nothing is written before the answer; no conflict, so no choice to overwrite.
    expect(read(cwd, 'notes.txt')).toBe('alpha\r\nBETA\r\ngamma');
    expect(keel.screen()).not.toContain('overwriting');

    keel.type('y');
    await keel.waitFor(UNDID, { history: true });
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.screen()).not.toMatch(QUESTION);
    expect(read(cwd, 'notes.txt')).toBe(NOTES);
    expect(read(cwd, 'untouched.txt')).toBe(UNTOUCHED);
    expect(existsSync(join(cwd, 'made.txt'))).toBe(false);

    keel.type('what changed?');
    keel.press('enter');
    await keel.waitFor('Understood, the edits are gone.', { history: true });
    const requests = await server.waitForRequests(3);
    expect(userMessageTexts(requests[2]!).some((message) => message.includes('The user undid the changes of task 1'))).toBe(true);
  });

  it('n and Esc keep the files; /help lists /undo; a bad argument and nothing to undo get a one-line answer', async () => {
    const cwd = repository();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: EDIT }, 'call_edit')),
      respond(text('Edited the notes.')),
      respond(text('Still edited.')),
    ]);
    const keel = start(cwd, server.url);
    await waitForSession(keel);
    keel.type('/help');
    keel.press('enter');
    await keel.waitFor(/\/undo \[N\] +put the files back as before the last task \(or task N\)/);

    keel.type('/undo two');
    keel.press('enter');
    await keel.waitFor('usage: /undo (the last task that changed files), or /undo N for task N');
    // Before any task: the engine's refusal, shown as a warning, and no question.
    keel.type('/undo');
    keel.press('enter');
    await keel.waitFor('warning: no task of this session changed files that can be undone');
    expect(keel.screen()).not.toMatch(QUESTION);

    keel.type('edit the notes');
    keel.press('enter');
    await runTask(keel, cwd);

    await askUndo(keel);
    keel.type('n');
    await keel.waitFor(KEPT);
    await keel.waitFor(IDLE_PROMPT);
    await askUndo(keel);
    keel.press('escape');
    await keel.waitFor((history) => history.split(KEPT).length - 1 === 2, { history: true });
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.history()).not.toContain('↺ undid');
    expect(read(cwd, 'notes.txt')).toBe('alpha\r\nBETA\r\ngamma');
    expect(read(cwd, 'made.txt')).toBe('made by the task\n');

    keel.type('and now?');
    keel.press('enter');
    await keel.waitFor('Still edited.', { history: true });
    const requests = await server.waitForRequests(3);
    expect(userMessageTexts(requests[2]!).some((message) => message.includes('The user undid'))).toBe(false);
  });

  it('while a task runs, /undo says it must wait, once, and sends nothing', async () => {
    const cwd = repository();
    const gate = join(cwd, '.git', 'gate');
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', `while [ ! -e ${gate} ]; do sleep 0.02; done; echo gate-open`] }, 'call_wait')),
      respond(text('Edited the notes.')),
    ]);
    const keel = start(cwd, server.url, 'wait for the gate');
    await keel.waitFor(/running \d+s · Ctrl\+C to stop/);
    keel.type('/undo');
    keel.press('enter');
    await keel.waitFor(WAIT_NOTE, { history: true });
    writeFileSync(gate, '');
    await keel.waitFor('Edited the notes.', { history: true });
    await keel.waitFor(IDLE_PROMPT);
    const history = keel.history();
    expect(history.split(WAIT_NOTE)).toHaveLength(2);
    // The engine was not asked, so it had nothing to refuse.
    expect(history).not.toContain('warning: undo is not possible');
    expect(keel.screen()).not.toMatch(QUESTION);
  });

  it('a file changed since by someone else is a conflict: listed, and overwritten only when that is chosen', async () => {
    const cwd = repository();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: EDIT }, 'call_edit')),
      respond(text('Edited the notes.')),
    ]);
    const keel = start(cwd, server.url, 'edit the notes');
    await runTask(keel, cwd);
    // Someone else edits the task's file after it.
    writeFileSync(join(cwd, 'notes.txt'), 'rewritten by hand\n');

    await askUndo(keel);
    await keel.waitFor('Undo, overwriting the file changed since');
    // The notice wraps at 80 columns: read it as one line.
    expect(keel.history().replace(/\n +/g, ' ')).toContain('1 file changed again since task 1, left alone unless you choose to overwrite: notes.txt');
    expect(keel.history()).not.toMatch(/^ *-rewritten by hand$/m);

    // The second choice: undo, overwriting.
    keel.type('2');
    await keel.waitFor('↺ undid task 1: 1 file put back, 1 file deleted; the model is told', { history: true });
    await keel.waitFor(IDLE_PROMPT);
    expect(read(cwd, 'notes.txt')).toBe(NOTES);
    expect(existsSync(join(cwd, 'made.txt'))).toBe(false);
  });
});
