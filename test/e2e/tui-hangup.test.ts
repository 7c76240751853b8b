/**
 * The terminal window closes under an idle keel: no key, no signal handler of its own would keep it alive, so it must
 * notice its input ending and save the session as a quit does.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_QUESTIONS, headerSessionId, modelEnv, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { trackPtys } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';

const ptys = trackPtys();

function sessionLog(home: string, id: string): string {
  const root = join(home, 'sessions');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  const found = walk(root).find((path) => path.endsWith(`${id}.jsonl`));
  if (found === undefined) throw new Error(`no log for session ${id} under ${root}`);
  return found;
}

describe('keel UI: the terminal goes away', () => {
  it('closing the window of an idle session ends it cleanly: the log is closed and its lock released', async () => {
    const server = await useScriptedServer([]);
    const place = tuiPlace();
    const keel = ptys.start(NO_QUESTIONS, { cwd: place.cwd, env: modelEnv(server.url, place.home) });
    await waitForSession(keel);
    const log = sessionLog(place.home, headerSessionId(keel));

    keel.hangUp();
    // The log on disk is the only witness left: poll it (no output can arrive from a closed terminal).
    await waitUntil(() => readFileSync(log, 'utf8').includes('"type":"session_end"'), 10_000);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; reason?: string });
    expect(lines.at(-1)).toMatchObject({ type: 'session_end', reason: 'shutdown' });
    await waitUntil(() => !existsSync(`${log}.lock`), 5_000);
  });
});
