/**
 * Small helpers shared by the end-to-end tests of the interactive UI (test/e2e/tui-*.test.ts): where keel runs,
 * how it reaches the scripted model, and the strings of the UI the tests wait for.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { PtyKeel } from './pty-keel.ts';

/** The empty prompt box when no task runs. */
export const IDLE_PROMPT = '› ask keel to do something, or /help';
/** The hint line while a task runs. */
export const WORKING = /● working \d+s · Esc or Ctrl\+C to interrupt/;
/** The interruption of a task that had a command running. */
export const INTERRUPTED = '⏹ Interrupted — running commands were stopped; tell keel what to do next.';
/** The interruption of a task with nothing running (waiting for the model or for an answer). */
export const INTERRUPTED_IDLE = '⏹ Interrupted — tell keel what to do next.';
export const QUIT_HINT = 'Press Ctrl+C again to quit';
/** The question in the live area while an approval waits (the request itself is printed above it and stays). */
export const APPROVAL_QUESTION = '↑ Run the command above?';
export const APPROVAL_CHOICES = 'y approve · a approve for this session · n deny · Esc abort the task';
/** The sequences the UI writes when it takes the terminal (bracketed paste on, kitty keyboard protocol pushed). */
export const ENTER_SEQUENCES = '\u001b[?2004h\u001b[>1u';
/** The first line of a session's transcript: `keel VERSION · MODEL · session ID`. */
const HEADER = /keel \S+ · \S+ · session ([0-9a-f-]{36})/;

/** A fresh KEEL_HOME and a fresh working directory. */
export function tuiPlace(): { home: string; cwd: string } {
  return { home: mkdtempSync(join(tmpdir(), 'keel-tui-home-')), cwd: mkdtempSync(join(tmpdir(), 'keel-tui-work-')) };
}

/** The environment that points keel at the scripted server (and, when given, at a KEEL_HOME to share between runs). */
export function modelEnv(url: string, home?: string): Record<string, string> {
  return { OPENAI_BASE_URL: url, OPENAI_API_KEY: 'test-key', ...(home === undefined ? {} : { KEEL_HOME: home }) };
}

/** Flags under which commands run unsandboxed and unasked: the tests do not depend on bubblewrap being installed. */
export const NO_QUESTIONS = ['-a', 'never', '--dangerously-bypass-sandbox'];

/**
 * Waits until the session is on screen: its header (keel draws its first frame, prompt included, before the engine
 * has said which session it runs) and the idle prompt.
 */
export async function waitForSession(keel: PtyKeel): Promise<void> {
  await keel.waitFor(HEADER, { history: true });
  await keel.waitFor(IDLE_PROMPT);
}

/** The session id from the header line (`keel 0.1.0 · MODEL · session ID`). */
export function headerSessionId(keel: PtyKeel): string {
  const match = HEADER.exec(keel.history());
  if (match === null) throw new Error(`no header line in:\n${keel.history()}`);
  return match[1]!;
}

/** A line of a command's output as the transcript shows it (indented), not the command line that mentions it. */
export function outputLine(text: string): RegExp {
  return new RegExp(`^ +${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');
}

/** Lines of the visible screen with trailing blank rows dropped. */
export function screenRows(keel: PtyKeel): string[] {
  const rows = keel.screen().split('\n');
  while (rows.length > 0 && rows.at(-1) === '') rows.pop();
  return rows;
}

/** How many times `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** keel gave the terminal back as it found it: after its last frame, bracketed paste off, keyboard protocol popped, cursor shown. */
export function expectTerminalRestored(keel: PtyKeel): void {
  const output = keel.output();
  const entered = output.lastIndexOf(ENTER_SEQUENCES);
  expect(entered).toBeGreaterThanOrEqual(0);
  const after = output.slice(entered + ENTER_SEQUENCES.length);
  for (const restore of ['\u001b[?2004l', '\u001b[<u', '\u001b[?25h']) expect(after).toContain(restore);
  // Restored after the last frame: nothing hides the cursor or turns a mode back on afterwards.
  const restoredAt = after.lastIndexOf('\u001b[?2004l');
  expect(after.slice(restoredAt)).not.toMatch(/\u001b\[\?25l|\u001b\[\?2004h|\u001b\[>1u/);
  expect(after.lastIndexOf('\u001b[?25h')).toBeGreaterThan(after.lastIndexOf('\u001b[?25l'));
}
