/** What each /command does, given the few things it needs from the app around it. */
import type { Op } from '../protocol/index.ts';
import { APPROVAL_PRESETS } from './approval-choices.ts';
import { chooseModel } from './choose-model.ts';
import { diffLines } from './diff-lines.ts';
import { openForkPicker } from './fork-picker.ts';
import { sessionPicker } from './pick-session.ts';
import { Picker } from './picker.ts';
import type { Pane } from './panes/pane.ts';
import { PickerPane } from './panes/picker-pane.ts';
import { listProcesses, stopProcesses } from './process-commands.ts';
import { mcpServerLines } from './mcp-cells.ts';
import type { SessionChoices, SessionHandle, SessionServices } from './session-handle.ts';
import { helpText } from './slash-commands.ts';
import { statusReport } from './status-report.ts';
import { span, type Line } from '../util/text/styled.ts';
import type { ModelDirectory } from './tui-options.ts';
import { startUndo } from './undo-flow.ts';
import { isRunning, type SessionStatus, type ViewEvent, type ViewState } from './view-state.ts';

export type NoteColor = 'red' | 'yellow' | 'cyan' | null;

/** The app as a /command sees it. */
export interface SlashContext {
  readonly view: ViewState;
  /** The session on screen. */
  readonly shown: { readonly handle: SessionHandle };
  readonly services: SessionServices;
  readonly models: ModelDirectory;
  readonly now: () => number;
  /** Prints a note of the UI's own into the transcript (one line per line of `text`). */
  note(text: string, color: NoteColor): void;
  /** Prints lines of the UI's own into the transcript. */
  print(lines: Line[]): void;
  /** Sends an op to the engine; returns its submission id, which the engine's answer carries. */
  submit(op: Op): string;
  dispatch(event: ViewEvent): void;
  /** Saves the session and leaves. */
  leave(): void;
  /** Opens a session and shows it instead of this one (what: "a new session", for the notes). */
  switchSession(open: () => Promise<SessionHandle>, what: string): void;
  /** Puts a pane over the prompt until it closes. */
  open(pane: Pane | null): void;
}

/** Runs `/name args`; `original` is the text as typed, for the note about an unknown command. */
export function runSlashCommand(command: { name: string; args: string }, original: string, context: SlashContext): void {
  switch (command.name) {
    case 'help':
      return context.note(helpText(), null);
    case 'quit':
    case 'exit':
      return context.leave();
    case 'new':
      return context.switchSession(() => context.services.newSession(sessionChoices(context.view.status)), 'a new session');
    case 'resume':
      return void openResumePicker(context);
    case 'fork':
      return void openForkPicker(context);
    case 'mcp':
      return context.print(mcpServerLines(context.view.mcpServers));
    case 'status': {
      const { status } = context.view;
      return context.print(statusReport(status, context.shown.handle, context.models.describe(status.model), context.view.plan));
    }
    case 'model':
      return chooseModel(command.args, context);
    case 'approvals':
      return openApprovalsPicker(context);
    case 'diff':
      return showDiff(context);
    case 'undo':
      return startUndo(command.args, context);
    case 'compact':
      return compact(command.args, context);
    case 'ps':
      return listProcesses(context);
    case 'stop':
      return stopProcesses(command.args, context);
    default:
      context.note(`unknown command ${original.split(/\s/)[0]}: /help lists the commands (start with a space to send a message beginning with "/")`, 'red');
  }
}

/** The model and policies in force, kept by /new and /resume. */
function sessionChoices(status: SessionStatus): SessionChoices {
  return { model: status.model, approvalPolicy: status.approval, sandboxPolicy: status.sandbox };
}

async function openResumePicker(context: SlashContext): Promise<void> {
  if (isRunning(context.view)) return context.note('a task is running: interrupt it first (Esc), then /resume', 'yellow');
  const current = context.shown.handle.agent.sessionId;
  let picker: Picker<string>;
  try {
    const sessions = (await context.services.listSessions()).filter((choice) => choice.id !== current);
    picker = sessionPicker(sessions, context.now());
  } catch (error) {
    return context.note(`could not list the sessions: ${(error as Error).message}`, 'red');
  }
  context.open(
    new PickerPane(picker, (id) =>
      context.switchSession(() => context.services.resumeSession(id, sessionChoices(context.view.status)), 'the session'),
    ),
  );
}

function openApprovalsPicker(context: SlashContext): void {
  const { status } = context.view;
  const items = APPROVAL_PRESETS.map((preset) => {
    const current = preset.approval === status.approval && preset.sandbox.type === status.sandbox.type;
    return { label: `${preset.label}${current ? ' (current)' : ''}`, detail: preset.detail, value: preset };
  });
  const picker = new Picker('Approvals and sandbox for the next commands', items);
  context.open(
    new PickerPane(picker, (preset) => {
      context.submit({ type: 'override_turn_context', approval_policy: preset.approval, sandbox_policy: preset.sandbox });
      context.dispatch({ type: 'turn_context_changed', approval: preset.approval, sandbox: preset.sandbox });
      context.note(`${preset.label}: approvals ${preset.approval}, sandbox ${preset.sandbox.type}`, 'cyan');
    }),
  );
}

/**
 * `/compact [TEXT]`: the model summarizes the conversation and the summary replaces it; TEXT adds to what the summary
 * must keep. Idle, the engine does it at once, as a task (Esc stops it); while a task runs, before that task's next
 * request, which the person is told, since nothing shows until then.
 */
function compact(args: string, context: SlashContext): void {
  const instruction = args.trim();
  context.submit(instruction === '' ? { type: 'compact' } : { type: 'compact', instruction });
  if (isRunning(context.view)) context.note('compacting before the next request', null);
}

function showDiff(context: SlashContext): void {
  const diffs = [...context.view.diffs.values()].filter((diff) => diff.trim() !== '');
  if (diffs.length === 0) {
    return context.note('no file was changed by apply_patch in this session yet (changes made by shell commands are not tracked)', null);
  }
  context.print([{ spans: [span('Changes made in this session', { bold: true })] }, ...diffs.flatMap((diff) => diffLines(diff, 2000))]);
}
