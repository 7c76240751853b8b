import { describe, expect, it } from 'vitest';
import type { Op } from '../protocol/index.ts';
import { IDLE, RUNNING } from './panes/pane-fixture.ts';
import { runSlashCommand, type NoteColor, type SlashContext } from './run-slash-command.ts';
import type { SessionHandle } from './session-handle.ts';
import { parseSlashCommand } from './slash-commands.ts';
import type { ViewState } from './view-state.ts';

/** The app as /compact sees it: what it submitted and what it noted. */
function runCompact(text: string, view: ViewState): { ops: Op[]; notes: Array<[string, NoteColor]> } {
  const ops: Op[] = [];
  const notes: Array<[string, NoteColor]> = [];
  const context: SlashContext = {
    view,
    shown: { handle: {} as SessionHandle },
    services: {} as SlashContext['services'],
    models: { describe: () => ({ known: false, reasoning: 'off', effort: null, contextWindow: null, warning: null, notes: [] }), choices: () => [] },
    now: () => 0,
    note: (note, color) => void notes.push([note, color]),
    print: () => undefined,
    submit: (op) => {
      ops.push(op);
      return `sub-${ops.length}`;
    },
    dispatch: () => undefined,
    leave: () => undefined,
    switchSession: () => undefined,
    open: () => undefined,
  };
  runSlashCommand(parseSlashCommand(text)!, text, context);
  return { ops, notes };
}

describe('/compact', () => {
  it('asks the engine to compact, with what follows the command as the instruction', () => {
    expect(runCompact('/compact   keep the API design notes  ', IDLE).ops).toEqual([{ type: 'compact', instruction: 'keep the API design notes' }]);
    expect(runCompact('/compact', IDLE).ops).toEqual([{ type: 'compact' }]);
    expect(runCompact('/compact    ', IDLE).ops).toEqual([{ type: 'compact' }]);
  });

  it('between tasks says nothing itself: the engine shows the compaction as it runs', () => {
    expect(runCompact('/compact', IDLE).notes).toEqual([]);
  });

  it('while a task runs, is sent all the same and says it happens before the next request', () => {
    const { ops, notes } = runCompact('/compact keep the failing test names', RUNNING);
    expect(ops).toEqual([{ type: 'compact', instruction: 'keep the failing test names' }]);
    expect(notes).toEqual([['compacting before the next request', null]]);
  });
});
