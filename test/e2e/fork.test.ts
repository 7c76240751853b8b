/**
 * `keel fork` from the shell: the prompts of a recorded session listed to choose from, a clear refusal of a prompt it
 * does not have, and a fork a script goes on with — its history everything before the prompt, nothing after; the
 * session it came from untouched; `keel sessions` saying where it came from. When the prompt's task wrote files, the
 * fork's line also says how to put them back as they were at that prompt, and that command does.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageTexts, userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { findSessionById, readSessionLog } from '../../src/store/index.ts';
import { modelEnv } from '../support/keel-tui.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { committedRepo, git, workingFiles as filesOf } from '../support/git-repo.ts';
import { COMMITTED, EDITS, EDIT_PROMPTS } from '../support/edit-session.ts';

const PROMPTS = ['name the first planet', 'and the second one?', 'how far is the third?', 'which one has rings?'];
const ANSWERS = ['Mercury.', 'Venus.', 'About 150 million km.', 'Saturn, most visibly.'];

function place() {
  return { home: mkdtempSync(join(tmpdir(), 'keel-fork-home-')), cwd: mkdtempSync(join(tmpdir(), 'keel-fork-work-')) };
}

/** A fresh KEEL_HOME and a git repository holding COMMITTED, committed. */
function repository(): { home: string; cwd: string } {
  return { home: place().home, cwd: committedRepo(COMMITTED, 'keel-fork-repo-') };
}

/** A session of four prompts, each its own `keel exec` run (the first starts it, the others resume it). */
async function fourPromptSession(home: string, cwd: string): Promise<string> {
  const server = await useScriptedServer(ANSWERS.map((answer) => respond(text(answer))));
  const env = modelEnv(server.url, home);
  const first = await runKeel(['exec', '--json', PROMPTS[0]!], { env, cwd });
  expect(first.code, first.stderr).toBe(0);
  const id = JSON.parse(first.stdout.split('\n')[0]!).session_id as string;
  for (const prompt of PROMPTS.slice(1)) {
    const run = await runKeel(['exec', 'resume', id, prompt], { env, cwd });
    expect(run.code, run.stderr).toBe(0);
  }
  await server.waitForRequests(4);
  return id;
}

describe('keel fork', () => {
  it('lists the prompts, refuses one the session does not have, and forks at prompt 2 for a script to go on with', async () => {
    const { home, cwd } = place();
    const source = await fourPromptSession(home, cwd);
    const sourcePath = findSessionById(home, source)!;
    const sourceBytes = readFileSync(sourcePath);
    const env = { KEEL_HOME: home };

    // Not on a terminal, a fork without --at is a script that forgot to choose: the list, how to choose, exit 2.
    const listed = await runKeel(['fork', source.slice(0, 8)], { env, cwd });
    expect(listed.code).toBe(2);
    expect(listed.stdout.trimEnd().split('\n')).toEqual(PROMPTS.map((prompt, index) => `${index + 1}. ${prompt}`));
    expect(listed.stderr).toContain(`keel fork ${source.slice(0, 8)} --at N`);

    for (const at of ['5', '0', 'two']) {
      const refused = await runKeel(['fork', source, '--at', at], { env, cwd });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--at ${at}: no such prompt`);
      expect(refused.stderr).toContain('--at 1 to --at 4');
    }
    const nowhere = await runKeel(['fork', 'ffffffff', '--at', '1'], { env, cwd });
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no session matches "ffffffff"');

    const forked = await runKeel(['fork', source, '--at', '2'], { env, cwd });
    expect(forked.code, forked.stderr).toBe(0);
    const fork = forked.stdout.trim();
    expect(fork).toMatch(/^[0-9a-f-]{36}$/);
    expect(fork).not.toBe(source);
    // The tasks ran no tool, so no snapshot was taken: the line says nothing of putting files back.
    expect(forked.stderr).toBe(`forked ${fork} from ${source} at prompt 2: "${PROMPTS[1]}"; continue it with: keel exec resume ${fork} "…"\n`);
    expect(readFileSync(sourcePath).equals(sourceBytes)).toBe(true);

    // The listing says which session the fork came from; the source is no fork.
    const json = await runKeel(['sessions', '--json'], { env, cwd });
    const sessions = JSON.parse(json.stdout) as Array<{ id: string; forked_from: unknown; turns: number; first_prompt: string }>;
    expect(sessions.find((session) => session.id === fork)).toMatchObject({ forked_from: { session_id: source, prompt: 2 }, turns: 1, first_prompt: PROMPTS[0] });
    expect(sessions.find((session) => session.id === source)).toMatchObject({ forked_from: null, turns: 4 });
    const rows = (await runKeel(['sessions'], { env, cwd })).stdout.split('\n');
    expect(rows.find((row) => row.startsWith(fork.slice(0, 8)))).toContain(`forked from ${source.slice(0, 8)} at prompt 2`);
    expect(rows.find((row) => row.startsWith(source.slice(0, 8)))).not.toContain('forked');
    const shown = await runKeel(['sessions', 'show', fork], { env, cwd });
    expect(shown.stdout).toContain(`- forked from: ${source} at prompt 2`);
    expect(shown.stdout).toContain(ANSWERS[0]);
    expect(shown.stdout).not.toContain(ANSWERS[1]);

    // Going on with the fork: the model gets prompt 1's exchange and the new prompt, nothing of prompts 2 to 4.
    const server = await useScriptedServer([respond(text('Venus, again.'))]);
    const resumed = await runKeel(['exec', 'resume', fork, 'again'], { env: modelEnv(server.url, home), cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toBe('Venus, again.\n');
    const [request] = await server.waitForRequests(1);
    const asked = userMessageTexts(request!).filter((message) => !message.startsWith('<environment_context>'));
    expect(asked).toEqual([PROMPTS[0], 'again']);
    expect(messageTexts(request!, 'assistant')).toEqual([ANSWERS[0]]);

    const forkLog = await readSessionLog(findSessionById(home, fork)!);
    expect(forkLog.problems).toEqual([]);
    expect(forkLog.turns).toBe(2);
    expect(readFileSync(sourcePath).equals(sourceBytes)).toBe(true);
  });

  it('a fork at a prompt whose task wrote files names the keel undo that puts them back, and that command does', async () => {
    const { home, cwd } = repository();
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', EDITS[0]] }, 'call_1')),
      respond(text('Added a line to first.txt.')),
      respond(functionCall('shell', { command: ['bash', '-c', EDITS[1]] }, 'call_2')),
      respond(text('Edited notes.txt, made made.txt.')),
      respond(functionCall('shell', { command: ['bash', '-c', EDITS[2]] }, 'call_3')),
      respond(text('Edited other.txt.')),
    ]);
    const env = modelEnv(server.url, home);
    const exec = async (args: string[]): Promise<string> => {
      const run = await runKeel(['exec', ...args], { env, cwd });
      expect(run.code, run.stderr).toBe(0);
      return run.stdout;
    };
    const source = JSON.parse((await exec(['--json', '--dangerously-bypass-sandbox', EDIT_PROMPTS[0]])).split('\n')[0]!).session_id as string;
    const afterPrompt1 = { files: filesOf(cwd), status: git(cwd, 'status', '--porcelain') };
    expect(afterPrompt1.status).toBe(' M first.txt\n');
    await exec(['resume', source, '--dangerously-bypass-sandbox', EDIT_PROMPTS[1]]);
    await exec(['resume', source, '--dangerously-bypass-sandbox', EDIT_PROMPTS[2]]);
    await server.waitForRequests(6);
    expect(readFileSync(join(cwd, 'notes.txt'), 'utf8')).toBe('alpha\r\nBETA\r\ngamma');
    expect(readFileSync(join(cwd, 'made.txt'), 'utf8')).toBe('made by task 2\n');
    expect(readFileSync(join(cwd, 'other.txt'), 'utf8')).toBe('edited by task 3');
    const afterPrompt3 = filesOf(cwd);

    const forked = await runKeel(['fork', source, '--at', '2'], { env: { KEEL_HOME: home }, cwd });
    expect(forked.code, forked.stderr).toBe(0);
    const fork = forked.stdout.trim();
    const undo = `keel undo ${source.slice(0, 8)} --back-to 2`;
    expect(forked.stderr).toBe(
      `forked ${fork} from ${source} at prompt 2: "${EDIT_PROMPTS[1]}"; continue it with: keel exec resume ${fork} "…"; to put the files back as they were at that prompt: ${undo}\n`,
    );
    // Forking changes no file: putting them back is the command's to do, when asked.
    expect(filesOf(cwd)).toEqual(afterPrompt3);

    // Exactly the command the line names, with --yes for want of a terminal to ask on.
    const named = /to put the files back as they were at that prompt: keel (undo .*)$/.exec(forked.stderr.trimEnd())![1]!.split(' ');
    const undone = await runKeel([...named, '--yes'], { env: { KEEL_HOME: home }, cwd });
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stderr).toContain(`undid task 2 and the tasks after it of session ${source}`);
    // Tasks 2 and 3 undone, byte for byte, the file task 2 made gone; task 1's edit stays.
    expect(filesOf(cwd)).toEqual(afterPrompt1.files);
    expect(existsSync(join(cwd, 'made.txt'))).toBe(false);
    expect(git(cwd, 'status', '--porcelain')).toBe(afterPrompt1.status);
  });

  it('--help says how to choose a prompt and what a fork is', async () => {
    const help = await runKeel(['fork', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: keel fork (SESSION_ID | --last) [--at N]');
    expect(help.stdout).toContain('/fork (or Esc twice on an empty prompt)');
  });
});
