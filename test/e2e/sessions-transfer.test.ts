/**
 * Portable sessions: `keel sessions export ID > file.jsonl.gz` on one machine, `keel sessions import file --cwd DIR`
 * on another (here: another KEEL_HOME), and `keel exec resume ID` goes on there with the whole earlier history,
 * working in DIR. Damaged files and sessions already present are refused with what is wrong.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { findSessionById, readSessionLog, sessionFiles } from '../../src/store/index.ts';
import { trackPtys } from '../support/pty-keel.ts';
import { KEEL_BIN, keelEnv, runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

type Item = Record<string, unknown>;

/** Long enough to be redacted: it must never reach a log, so never an export. */
const SECRET = 'sk-test-transfer-0123456789abcdef';

const temporary = (prefix: string): string => realpathSync(mkdtempSync(join(tmpdir(), prefix)));
const env = (url: string, home: string) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: SECRET, KEEL_HOME: home });

/** `keel sessions export ID > file`: standard output is the file itself, as a shell redirection makes it. */
function exportTo(file: string, id: string, home: string): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(file, 'w');
  const child = spawn(process.execPath, [KEEL_BIN, 'sessions', 'export', id], { env: keelEnv({ KEEL_HOME: home }), stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

/** A finished one-task session in a fresh home: its id, home, log path and working directory. */
async function recordedSession() {
  const home = temporary('keel-from-home-');
  const cwd = temporary('keel-from-work-');
  const server = await useScriptedServer([respond(text('Noted: the plan is to rename the module.'))]);
  const run = await runKeel(['exec', '--json', 'remember the plan'], { env: env(server.url, home), cwd });
  expect(run.code).toBe(0);
  const id = JSON.parse(run.stdout.split('\n')[0]!).session_id as string;
  return { id, home, cwd, path: findSessionById(home, id)! };
}

describe('sessions export and import', () => {
  const ptys = trackPtys();

  it('moves a session to another home and directory, where exec resume goes on with its history', async () => {
    const from = await recordedSession();
    const file = join(temporary('keel-transfer-'), 'session.jsonl.gz');
    expect(await exportTo(file, from.id.slice(0, 8), from.home)).toEqual({ code: 0, stderr: '' });
    const exported = gunzipSync(readFileSync(file));
    expect(exported.equals(readFileSync(from.path))).toBe(true);
    expect(exported.toString('utf8')).not.toContain(SECRET);

    const home = temporary('keel-to-home-');
    const cwd = temporary('keel-to-work-');
    const imported = await runKeel(['sessions', 'import', file, '--cwd', cwd], { env: { KEEL_HOME: home } });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`imported session ${from.id}`);
    const path = findSessionById(home, from.id)!;
    // Under its start date, as every log is.
    expect(path.startsWith(join(home, 'sessions', ...from.path.split('/sessions/')[1]!.split('/').slice(0, 3)))).toBe(true);
    const log = await readSessionLog(path);
    expect(log.problems).toEqual([]);
    expect(log.meta.cwd).toBe(cwd);
    expect(log.events.filter((entry) => entry.event.type === 'session_configured').map((entry) => (entry.event as { cwd: string }).cwd)).toEqual([cwd]);
    // The old place is gone: a resume that still looked for it would be refused.
    rmSync(from.cwd, { recursive: true });

    const server = await useScriptedServer([respond(functionCall('shell', { command: ['pwd'] }, 'call_pwd')), respond(text('Working in the new place.'))]);
    const elsewhere = temporary('keel-elsewhere-');
    const resumed = await runKeel(['exec', 'resume', from.id, 'where are you now?'], { env: env(server.url, home), cwd: elsewhere });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('Working in the new place.\n');
    const [first, second] = await server.waitForRequests(2);
    const input = first!.body.input as Item[];
    expect(JSON.stringify(input)).toContain('remember the plan');
    expect(JSON.stringify(input)).toContain('Noted: the plan is to rename the module.');
    // The model is told where it works now, not where the session began.
    expect(JSON.stringify(input)).toContain(`<cwd>${cwd}</cwd>`);
    expect(JSON.stringify(input)).not.toContain(from.cwd);
    const output = (second!.body.input as Item[]).find((item) => item.type === 'function_call_output') as { output: string };
    expect(JSON.parse(output.output).output.trim()).toBe(cwd);
  });

  it('refuses a session that is already here, with exit 1, leaving the one here as it was', async () => {
    const from = await recordedSession();
    const file = join(temporary('keel-transfer-'), 'session.jsonl.gz');
    expect((await exportTo(file, from.id, from.home)).code).toBe(0);
    const before = readFileSync(from.path);
    const again = await runKeel(['sessions', 'import', file], { env: { KEEL_HOME: from.home } });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`session ${from.id} is already here`);
    expect(readFileSync(from.path).equals(before)).toBe(true);
    expect([...sessionFiles(from.home)]).toHaveLength(1);
  });

  it('refuses damaged files with exit 1, saying what is wrong, and writes nothing', async () => {
    const from = await recordedSession();
    const dir = temporary('keel-transfer-');
    const lines = readFileSync(from.path, 'utf8').split('\n');
    lines[2] = '{"ts":"2025-01-01T00:00:00.000Z","type":"item","item":{"type":"mess';
    const damaged = join(dir, 'damaged.jsonl.gz');
    writeFileSync(damaged, gzipSync(lines.join('\n')));
    const whole = gzipSync(readFileSync(from.path));
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, whole.length - 20));
    const other = join(dir, 'notes.txt');
    writeFileSync(other, 'not a session at all\n');

    const home = temporary('keel-to-home-');
    const cases: Array<[string, RegExp]> = [
      [damaged, /damaged session log; nothing was imported:\n {2}line 3: not valid JSON/],
      [cut, /is not a whole gzip file .*cut short\?/],
      [other, /is not a keel session log/],
    ];
    for (const [file, message] of cases) {
      const result = await runKeel(['sessions', 'import', file], { env: { KEEL_HOME: home } });
      expect(result.code, file).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    expect([...sessionFiles(home)]).toEqual([]);
    const missing = await runKeel(['sessions', 'import', join(dir, 'absent.gz')], { env: { KEEL_HOME: home } });
    expect(missing.code).toBe(2);
    const noDir = await runKeel(['sessions', 'import', damaged, '--cwd', join(dir, 'absent')], { env: { KEEL_HOME: home } });
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('no such directory');
  });

  it('will not write gzip data to a terminal', async () => {
    const from = await recordedSession();
    const keel = ptys.start(['sessions', 'export', from.id], { env: { KEEL_HOME: from.home } });
    await keel.waitFor('redirect to a file', { history: true });
    expect((await keel.exited).exitCode).toBe(2);
  });
});
