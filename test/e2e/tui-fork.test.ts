/**
 * Forking in the interactive UI, in a pseudo-terminal against the strict scripted model: Esc twice on an empty prompt
 * (or /fork) lists the session's prompts; the one chosen opens a new session whose history is everything before
 * it, with that prompt in the box to change and send; Esc on the list changes nothing. `keel fork ID --at N` on a
 * terminal opens the UI the same way.
 */
import { describe, expect, it } from 'vitest';
import { messageTexts, userMessageTexts, type CapturedRequest } from '../../src/scripted/index.ts';
import { respond, text } from '../../src/scripted/script-builders.ts';
import { findSessionById, readSessionLog } from '../../src/store/index.ts';
import { IDLE_PROMPT, headerSessionId, modelEnv, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ptys = trackPtys();

const PROMPTS = ['name the first planet', 'and the second one?', 'how far is the third?', 'which one has rings?'];
const ANSWERS = ['Mercury.', 'Venus.', 'About 150 million km.', 'Saturn, most visibly.'];
const PICKER_TITLE = 'Fork this session at a prompt';

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
