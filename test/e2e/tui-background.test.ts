/**
 * Background processes in the interactive UI, in a pseudo-terminal against the strict scripted model: a dev server
 * that `exec_command` leaves running goes on through an interrupted task, the status line counts it, /ps lists it and
 * /stop ends it with everything it started.
 */
import { describe, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, INTERRUPTED, NO_QUESTIONS, modelEnv, outputLine, screenRows, tuiPlace } from '../support/keel-tui.ts';
import { descendantsOf, isAlive } from '../support/process-tree.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';

const ptys = trackPtys();

/** Arguments no other process on the machine has: /proc tells this test's processes by them. */
const tag = String(process.pid % 100_000).padStart(5, '0');
const MARKER = `dev-server-${tag}`;
/** A child of the dev server that would never end by itself. */
const CHILD_NAP = `sleep 987.${tag}`;
const LONG_SLEEP = `sleep 30.${tag}`;
/** The dev server: says it is ready, then runs until stopped; `$0` carries the marker. */
const DEV_SERVER = `sh -c 'echo ready; ${CHILD_NAP} & while :; do sleep 1; done' ${MARKER}`;
const STATUS_COUNT = '· 1 background ·';

/** The status line: the last row on the screen. */
function statusRow(keel: PtyKeel): string {
  return screenRows(keel).at(-1) ?? '';
}

/** The dev server's child itself (the shells around it have its command line in their scripts). */
function naps(): number[] {
  return liveProcessesMatching(CHILD_NAP)
    .filter((found) => found.cmdline === CHILD_NAP)
    .map((found) => found.pid);
}

function send(keel: PtyKeel, text: string): void {
  keel.type(text);
  keel.press('enter');
}

describe('keel UI: background processes', () => {
  it('a dev server outlives an Esc during the next command, is listed by /ps, and /stop ends it and its children', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([
      // Not a login shell: what this machine's profile prints is not the command's output.
      respond(functionCall('exec_command', { cmd: DEV_SERVER, yield_time_ms: 500, login: false }, 'call_dev')),
      respond(text('The dev server runs; now the long job.'), functionCall('exec_command', { cmd: LONG_SLEEP, yield_time_ms: 30_000, login: false }, 'call_long')),
    ]);
    // SHLVL as a shell that started keel sets it: bash then does not read ~/.bashrc for a command on a pipe.
    const keel = ptys.start([...NO_QUESTIONS, 'start the dev server, then the long job'], { cwd, env: { ...modelEnv(server.url), SHLVL: '1' }, cols: 200 });

    // The first command outlasts its wait: shown as going on in the background (its script, not keel's shell around
    // it), with its output so far, and counted on the status line.
    await keel.waitFor(`• Running in background (session 1): ${DEV_SERVER}`, { history: true });
    await keel.waitFor(outputLine('ready'), { history: true });
    expect(keel.history()).toContain('/ps lists it · /stop 1 stops it');
    expect(keel.history()).not.toMatch(/exit \?|✗ exit/);
    await keel.waitFor(() => statusRow(keel).includes(STATUS_COUNT));

    // Esc during the next command stops that command only.
    await keel.waitFor(`$ ${LONG_SLEEP}`);
    await waitUntil(() => liveProcessesMatching(LONG_SLEEP).length > 0);
    await waitUntil(() => naps().length > 0);
    const devServer = liveProcessesMatching(MARKER).map((found) => found.pid);
    expect(devServer.length).toBeGreaterThan(0);
    const tree = [...devServer, ...devServer.flatMap((pid) => descendantsOf(pid))];
    expect(tree).toEqual(expect.arrayContaining(naps()));
    keel.press('escape');
    await keel.waitFor(INTERRUPTED, { history: true });
    await keel.waitFor('1 background process still runs: /ps lists them, /stop stops one', { history: true });
    await keel.waitFor(IDLE_PROMPT);
    await waitUntil(() => liveProcessesMatching(LONG_SLEEP).length === 0, 5_000);
    expect(devServer.every(isAlive)).toBe(true);
    expect(naps()).toHaveLength(1);
    expect(statusRow(keel)).toContain(STATUS_COUNT);

    send(keel, '/ps');
    await keel.waitFor('Background processes', { history: true });
    await keel.waitFor(new RegExp(`^ +1 +running +\\d+s +${escape(DEV_SERVER)} +in ${escape(cwd)}$`, 'm'), { history: true });

    send(keel, '/stop');
    await keel.waitFor('/stop needs a process id from /ps, or all', { history: true });
    expect(devServer.every(isAlive)).toBe(true);

    send(keel, '/stop 1');
    await keel.waitFor(`⏹ background session 1 stopped: ${DEV_SERVER}`, { history: true });
    await keel.waitFor(() => !statusRow(keel).includes('background'));
    // Nothing it started is left: not the shell, not the child that would never have ended by itself.
    await waitUntil(() => liveProcessesMatching(MARKER).length === 0 && liveProcessesMatching(CHILD_NAP).length === 0, 5_000);
    expect(tree.filter(isAlive)).toEqual([]);

    send(keel, '/ps');
    await keel.waitFor(/^ +1 +stopped +started \d+s ago +sh -c/m, { history: true });
    keel.press('ctrl-d');
    expect(await keel.exited).toEqual({ exitCode: 0 });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
