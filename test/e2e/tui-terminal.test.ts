/**
 * The interactive UI and the terminal it runs in, in a pseudo-terminal against the strict scripted model: resizes,
 * multi-line input, colour and NO_COLOR, and what happens without a terminal at all.
 */
import { describe, expect, it } from 'vitest';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { functionCall, httpError, respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, NO_QUESTIONS, modelEnv, screenRows, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ptys = trackPtys();
const IDLE_HINT = 'Enter send · Ctrl+J new line · ↑ history · /help commands · Ctrl+D quit';

describe('keel UI: resizing the terminal', () => {
  /** A line as keel fits it to `cols` columns: cut, with an ellipsis in the last column. */
  const fit = (line: string, cols: number): string => (line.length <= cols ? line : `${line.slice(0, cols - 1)}…`);

  /**
   * What is wrong with the bottom of the screen at `cols`×`rows`: the status line (`status`, fitted to the width)
   * must be the last non-empty row, preceded by the hint line and the prompt box showing `composer`; each of them,
   * and each transcript line in `once`, must be on the screen exactly once.
   */
  function layoutProblems(keel: PtyKeel, size: { cols: number; rows: number }, status: string, composer: string, once: string[]): string[] {
    const problems: string[] = [];
    const all = keel.screen().split('\n');
    if (all.length !== size.rows) problems.push(`${all.length} rows instead of ${size.rows}`);
    const rows = screenRows(keel);
    const bottom = [composer, fit(IDLE_HINT, size.cols), fit(status, size.cols)];
    if (rows.slice(-3).join('\n') !== bottom.join('\n')) problems.push(`the last rows are ${JSON.stringify(rows.slice(-3))}`);
    for (const line of [...bottom, ...once]) {
      const count = rows.filter((row) => row === line).length;
      if (count !== 1) problems.push(`${JSON.stringify(line)} is on the screen ${count} times`);
    }
    if (rows.some((row) => row.length > size.cols)) problems.push('a row is wider than the screen');
    return problems;
  }

  it('redraws at 60×20 and then 100×30: status line last, nothing doubled, typing still echoes', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([respond(text('Short answer before the resize.'))]);
    const keel = ptys.start(['-m', 'test-model', ...NO_QUESTIONS, 'say something short'], { cwd, env: modelEnv(server.url), cols: 80, rows: 24 });
    await keel.waitFor('Short answer before the resize.');
    await keel.waitFor(IDLE_PROMPT);
    // About 67 columns with a /tmp/… directory: whole at 80 and 100 columns, cut at 60.
    const home = process.env.HOME;
    const shownCwd = home !== undefined && cwd.startsWith(`${home}/`) ? `~${cwd.slice(home.length)}` : cwd;
    const status = `test-model · never · danger-full-access · ${shownCwd}`;
    const transcript = ['› say something short', 'Short answer before the resize.'];
    const atStart = { cols: 80, rows: 24 };
    expect(layoutProblems(keel, atStart, status, IDLE_PROMPT, transcript)).toEqual([]);
    // Not even the first frame claimed other settings than those in force (the defaults, before the session said).
    expect(keel.output()).not.toContain('on-request · read-only');

    // The status line cut for 60 columns (and whole again at 100) is only there once keel has redrawn for the size.
    const small = { cols: 60, rows: 20 };
    keel.resize(small.cols, small.rows);
    await keel.waitFor(() => layoutProblems(keel, small, status, IDLE_PROMPT, transcript).length === 0);
    // Typing after the resize draws on the right row, with the cursor after the text.
    keel.type('still typing');
    await keel.waitFor(() => layoutProblems(keel, small, status, '› still typing', transcript).length === 0);
    expect(keel.cursor()).toEqual({ x: '› still typing'.length, y: screenRows(keel).length - 3 });

    const large = { cols: 100, rows: 30 };
    keel.resize(large.cols, large.rows);
    await keel.waitFor(() => layoutProblems(keel, large, status, '› still typing', transcript).length === 0);
    keel.type(' here');
    await keel.waitFor(() => layoutProblems(keel, large, status, '› still typing here', transcript).length === 0);
    expect(keel.cursor()).toEqual({ x: '› still typing here'.length, y: screenRows(keel).length - 3 });
  });
});

describe('keel UI: retries', () => {
  it('shows what is retried and counts down to the retry', async () => {
    const server = await useScriptedServer([httpError(429, { headers: { 'retry-after': '2' }, message: 'Rate limit reached' }), respond(text('Through at last.'))]);
    const keel = ptys.start([...NO_QUESTIONS, 'hello'], { env: modelEnv(server.url) });
    await keel.waitFor(/⟳ retrying 1\/\d+ in 2\.0s: .*Rate limit reached/);
    await keel.waitFor(/⟳ retrying in [12]s · working \d+s/);
    await keel.waitFor('Through at last.');
    await keel.waitFor(IDLE_PROMPT);
    expect(keel.screen()).not.toContain('retrying in');
  });
});

describe('keel UI: multi-line input', () => {
  it('a paste taller than the prompt box says how many lines it holds, and all of them are sent', async () => {
    const server = await useScriptedServer([respond(text('Got the whole paste.'))]);
    const keel = ptys.start([], { env: modelEnv(server.url) });
    await waitForSession(keel);
    const pasted = Array.from({ length: 40 }, (_, index) => `pasted line ${index + 1}`).join('\n');
    keel.paste(pasted);
    await keel.waitFor(/40 lines · \d+ above/);
    await keel.waitFor('pasted line 40');
    keel.press('enter');
    await keel.waitFor('Got the whole paste.');
    const [request] = await server.waitForRequests(1);
    expect(userMessageTexts(request!).at(-1)).toBe(pasted);
  });

  it('typing a slash lists the commands it could become', async () => {
    const server = await useScriptedServer([]);
    const keel = ptys.start([], { env: modelEnv(server.url) });
    await waitForSession(keel);
    keel.type('/re');
    await keel.waitFor('/resume');
    keel.press('tab');
    await keel.waitFor('› /resume');
  });

  it('Shift+Enter (kitty form) and Ctrl+J add lines, and the message is sent with them', async () => {
    const server = await useScriptedServer([respond(text('Three lines received.'))]);
    const keel = ptys.start([], { env: modelEnv(server.url) });
    await waitForSession(keel);
    keel.type('first line');
    keel.press('shift-enter');
    keel.type('second line');
    keel.press('ctrl-j');
    keel.type('third line');
    await keel.waitFor('› first line\n  second line\n  third line');
    // Nothing was sent by the keys that added lines.
    expect(server.requests).toHaveLength(0);
    keel.press('enter');
    await keel.waitFor('Three lines received.');
    expect(keel.history()).toContain('› first line\n  second line\n  third line');

    const [request] = await server.waitForRequests(1);
    expect(userMessageTexts(request!).at(-1)).toBe('first line\nsecond line\nthird line');
  });
});

describe('keel UI: colour', () => {
  /** SGR sequences that set a foreground or background colour. */
  function colourCodes(output: string): string[] {
    const found: string[] = [];
    for (const match of output.matchAll(/\u001b\[([0-9;:]*)m/g)) {
      const params = match[1]!.split(/[;:]/).map(Number);
      if (params.some((code) => (code >= 30 && code <= 38) || (code >= 40 && code <= 48) || (code >= 90 && code <= 97) || (code >= 100 && code <= 107))) {
        found.push(match[0]);
      }
    }
    return found;
  }

  /** A session with the coloured parts of the UI: the prompt, a command that succeeded, an answer; then quits. */
  async function colouredSession(env: Record<string, string | undefined>): Promise<string> {
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', 'echo colour check'] }, 'call_c')),
      respond(text('All **done**.')),
    ]);
    const keel = ptys.start([...NO_QUESTIONS, 'show some colour'], { env: { ...modelEnv(server.url), ...env } });
    await keel.waitFor(/✓ exit 0/);
    await keel.waitFor('All done.');
    await keel.waitFor(IDLE_PROMPT);
    keel.press('ctrl-d');
    expect(await keel.exited).toEqual({ exitCode: 0 });
    return keel.output();
  }

  it('with NO_COLOR=1 writes no colour codes', async () => {
    const output = await colouredSession({ NO_COLOR: '1' });
    expect(colourCodes(output)).toEqual([]);
  });

  it('without NO_COLOR, in a terminal, colours the UI', async () => {
    const output = await colouredSession({ NO_COLOR: undefined, FORCE_COLOR: undefined });
    const codes = colourCodes(output);
    // Green for the command that succeeded, cyan for the prompt marker.
    expect(codes).toEqual(expect.arrayContaining([expect.stringMatching(/\b32m$/), expect.stringMatching(/\b36m$/)]));
  });
});

describe('keel UI: without a terminal', () => {
  it('exits 2 and points at keel exec when stdin is not a terminal', async () => {
    for (const args of [[], ['a prompt'], ['resume', '--last']]) {
      const result = await runKeel(args, { env: { OPENAI_API_KEY: 'test-key' } });
      expect(result.code, `keel ${args.join(' ')}`).toBe(2);
      expect(result.stderr).toMatch(/needs a terminal/);
      expect(result.stderr).toContain('keel exec');
      // It did not take the terminal it does not have: no mode switches on stdout.
      expect(result.stdout).not.toContain('\u001b[');
    }
  });
});
