import { describe, expect, it } from 'vitest';
import type { BackgroundProcess, EventMsg, Op } from '../protocol/index.ts';
import { answeredList, runningCount } from './background-state.ts';
import { IDLE } from './panes/pane-fixture.ts';
import { STOP_USAGE } from './process-commands.ts';
import { formatDuration } from '../util/format-duration.ts';
import { processListLines } from './process-list.ts';
import { runSlashCommand, type NoteColor, type SlashContext } from './run-slash-command.ts';
import type { SessionHandle } from './session-handle.ts';
import { parseSlashCommand } from './slash-commands.ts';
import { texts } from './transcript-fixture.ts';
import { reduce, type ViewEvent, type ViewState } from './view-state.ts';

const NOW = 1_000_000;

function listed(id: number, status: BackgroundProcess['status'], startedAgoMs: number, exitCode: number | null = null): BackgroundProcess {
  return { id, command: `server-${id} --port 80${id}`, cwd: '/repo/web', started_at: NOW - startedAgoMs, status, exit_code: exitCode };
}

const list = (processes: BackgroundProcess[]): EventMsg => ({ type: 'background_processes', processes });

/** The view state after live engine events (of submission `submission`) and view events. */
function after(state: ViewState, ...events: Array<ViewEvent | { msg: EventMsg; submission: string | null }>): ViewState {
  return events.reduce<ViewState>(
    (current, event) => reduce(current, 'type' in event ? event : { type: 'engine', msg: event.msg, submission: event.submission, at: 0 }),
    state,
  );
}

/** Runs a /command in an app that records what it submitted, dispatched and noted. */
function run(text: string, view: ViewState = IDLE): { ops: Op[]; events: ViewEvent[]; notes: Array<[string, NoteColor]> } {
  const ops: Op[] = [];
  const events: ViewEvent[] = [];
  const notes: Array<[string, NoteColor]> = [];
  const context: SlashContext = {
    view,
    shown: { handle: {} as SessionHandle },
    services: {} as SlashContext['services'],
    models: { describe: () => ({ known: false, reasoning: 'off', effort: null, contextWindow: null, warning: null, notes: [] }), choices: () => [] },
    now: () => NOW,
    note: (note, color) => void notes.push([note, color]),
    print: () => undefined,
    submit: (op) => {
      ops.push(op);
      return `sub-${ops.length}`;
    },
    dispatch: (event) => void events.push(event),
    leave: () => undefined,
    switchSession: () => undefined,
    open: () => undefined,
  };
  runSlashCommand(parseSlashCommand(text)!, text, context);
  return { ops, events, notes };
}

describe('background processes in the view state', () => {
  it('counts the running ones of the latest list; a list replayed from a log (an earlier run) does not count', () => {
    const replayed = after(IDLE, { msg: list([listed(1, 'running', 0)]), submission: null });
    expect(runningCount(replayed.background)).toBe(0);
    const live = after(replayed, { msg: list([listed(2, 'running', 0), listed(3, 'running', 0)]), submission: 'background' });
    expect(runningCount(live.background)).toBe(2);
    const one = after(live, { msg: list([listed(2, 'stopped', 0, 143), listed(3, 'running', 0)]), submission: 'background' });
    expect(runningCount(one.background)).toBe(1);
    expect(runningCount(after(one, { type: 'session_opened', sessionId: 's-2', compactions: 0 }).background)).toBe(0);
  });

  it('knows which list answers /ps, once', () => {
    const asked = after(IDLE, { type: 'processes_asked', submission: 'sub-7' });
    const answer = list([listed(1, 'running', 0)]);
    expect(answeredList(asked.background, answer, 'background')).toBeNull();
    expect(answeredList(asked.background, answer, 'sub-7')).toEqual([listed(1, 'running', 0)]);
    const answered = after(asked, { msg: answer, submission: 'sub-7' });
    expect(answeredList(answered.background, answer, 'sub-7')).toBeNull();
  });

  it('keeps the latest plan, a replayed one too, and forgets it for another session', () => {
    const plan: EventMsg = { type: 'plan_update', explanation: null, plan: [{ step: 'x', status: 'pending' }] };
    const state = after(IDLE, { msg: plan, submission: null });
    expect(state.plan).toEqual({ explanation: null, plan: [{ step: 'x', status: 'pending' }] });
    expect(after(state, { msg: { type: 'plan_update', explanation: null, plan: [] }, submission: 'sub-1' }).plan).toBeNull();
    expect(after(state, { type: 'session_opened', sessionId: 's-2', compactions: 0 }).plan).toBeNull();
  });
});

describe('/ps', () => {
  it('asks the engine for its list and waits for that answer to print it', () => {
    const { ops, events } = run('/ps');
    expect(ops).toEqual([{ type: 'list_background_processes' }]);
    expect(events).toEqual([{ type: 'processes_asked', submission: 'sub-1' }]);
  });

  it('lists each process with its id, state, time, command and directory', () => {
    const lines = texts(processListLines([listed(1, 'running', 65_000), listed(12, 'exited', 5_000, 1), listed(3, 'stopped', 3_600_000, 143)], NOW));
    expect(lines).toEqual([
      'Background processes',
      '   1  running   1m 05s              server-1 --port 801  in /repo/web',
      '  12  exited 1  started 5s ago      server-12 --port 8012  in /repo/web',
      '   3  stopped   started 1h 00m ago  server-3 --port 803  in /repo/web',
      '/stop ID stops one (and what it started), /stop all stops every one',
    ]);
  });

  it('says when there is none', () => {
    expect(texts(processListLines([], NOW))[0]).toMatch(/^No background processes/);
  });

  it('formats running times compactly', () => {
    expect([formatDuration(4_200), formatDuration(65_000), formatDuration(7_380_000)]).toEqual(['4s', '1m 05s', '2h 03m']);
  });
});

describe('/stop', () => {
  const running = after(IDLE, { msg: list([listed(1, 'running', 0), listed(2, 'running', 0)]), submission: 'background' });

  it('stops one process by its id, saying so', () => {
    const { ops, notes } = run('/stop 2', running);
    expect(ops).toEqual([{ type: 'stop_background_process', process_id: 2 }]);
    expect(notes).toEqual([['stopping background session 2…', null]]);
  });

  it('leaves an id the list does not know to the engine, which answers which ones run', () => {
    const { ops, notes } = run('/stop 9', running);
    expect(ops).toEqual([{ type: 'stop_background_process', process_id: 9 }]);
    expect(notes).toEqual([]);
  });

  it('stops all of them, or says there is none to stop', () => {
    expect(run('/stop all', running)).toMatchObject({ ops: [{ type: 'stop_background_process', process_id: 'all' }], notes: [['stopping all 2 background processes…', null]] });
    expect(run('/stop all')).toMatchObject({ ops: [], notes: [['no background process is running (/ps lists them)', null]] });
  });

  it.each(['/stop', '/stop x', '/stop 1 2', '/stop -1', '/stop 1.5'])('explains what it needs when given %j', (text) => {
    expect(run(text, running)).toEqual({ ops: [], events: [], notes: [[STOP_USAGE, 'red']] });
  });
});
