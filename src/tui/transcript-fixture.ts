/**
 * What the transcript's tests share: a session header, events of commands, a view that has seen some events, and
 * readers of what it committed and shows live. Not a test file itself.
 */
import { expect } from 'vitest';
import type { EventMsg, EventOf } from '../protocol/index.ts';
import { plainText, type Line } from '../util/text/styled.ts';
import { TranscriptView } from './transcript.ts';
import { reduce, initialViewState, type ViewState } from './view-state.ts';

export const CWD = '/home/ada/repo';

export const configured: EventOf<'session_configured'> = {
  type: 'session_configured',
  session_id: 's-1',
  model: 'gpt-test',
  model_provider_id: 'openai',
  cwd: CWD,
  approval_policy: 'on-request',
  sandbox_policy: { type: 'read-only' },
  rollout_path: null,
};

export const HEADER = ['keel 1.2.3 · gpt-test · session s-1', `workdir ${CWD}`];

export function begin(callId: string, command: string[], cwd = CWD): EventMsg {
  return { type: 'exec_command_begin', call_id: callId, command, cwd };
}

export function output(callId: string, chunk: string): EventMsg {
  return { type: 'exec_command_output_delta', call_id: callId, stream: 'stdout', chunk };
}

export function end(callId: string, fields: Partial<EventOf<'exec_command_end'>> = {}): EventMsg {
  return { type: 'exec_command_end', call_id: callId, exit_code: 0, duration_ms: 1234, aggregated_output: '', status: 'completed', ...fields };
}

/** A view that has seen `events`, after the session header. */
export function viewWith(...events: EventMsg[]): TranscriptView {
  const view = new TranscriptView({ version: '1.2.3' });
  for (const msg of [configured, ...events]) view.apply(msg);
  return view;
}

export function texts(lines: Line[]): string[] {
  return lines.map(plainText);
}

/** Committed text after the session header and the blank line that follows it, checking the blank-line rules. */
export function body(view: TranscriptView): string[] {
  const all = texts(view.takeCommitted());
  expectTidy(all);
  expect(all.slice(0, 3)).toEqual([...HEADER, '']);
  return all.slice(3);
}

export function expectTidy(lines: string[]): void {
  expect(lines[0]).not.toBe('');
  expect(lines.at(-1)).not.toBe('');
  lines.forEach((text, index) => {
    if (index > 0 && text.trim() === '') expect(lines[index - 1]?.trim(), `blank lines in a row at ${index}`).not.toBe('');
  });
}

export function liveText(view: TranscriptView, width = 80, maxRows = 50, now = 0): string[] {
  return texts(view.live(width, maxRows, now));
}

/** The view state after `events`, after the session header: what the UI knows where the transcript only shows. */
export function stateAfter(...events: EventMsg[]): ViewState {
  return [configured, ...events].reduce((state, msg) => reduce(state, { type: 'engine', msg, submission: 'sub-1', at: 0 }), initialViewState('s-1'));
}
