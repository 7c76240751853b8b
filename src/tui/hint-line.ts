/** The line above the status line: what the keys do now, or what keel is doing (working, compacting, retrying, waiting). */
import type { PaneKind } from './panes/pane.ts';
import { SLASH_COMMANDS } from './slash-commands.ts';
import { span, type Line } from '../util/text/styled.ts';
import type { ViewState } from './view-state.ts';

/** `prompt`: the prompt's text (a /command being typed is completed here); `quitArmed`: a first Ctrl+C was pressed. */
export function hintLine(state: ViewState, pane: PaneKind, prompt: string, quitArmed: boolean, now: number): Line {
  if (pane === 'busy' || pane === 'picker') return { spans: [] };
  if (quitArmed) return { spans: [span('Press Ctrl+C again to quit', { color: 'yellow', bold: true }), span(' · Ctrl+D also quits', { dim: true })] };
  if (state.approvals.length > 0) return { spans: [span('keel is waiting for your answer', { color: 'yellow' })] };
  const typed = /^\/(\S*)$/.exec(prompt);
  if (typed !== null) {
    // Typing a command: the ones it could become (Tab completes a single match).
    const matches = SLASH_COMMANDS.filter((command) => command.name.startsWith(typed[1]!));
    const text = matches.length === 0 ? 'no such command: /help lists them' : matches.map((command) => command.usage).join('  ');
    return { spans: [span(text, { dim: true })] };
  }
  const task = state.task;
  if (task.type === 'idle') return { spans: [span('Enter send · Ctrl+J new line · ↑ history · /help commands · Ctrl+D quit', { dim: true })] };
  const seconds = Math.floor((now - task.startedAt) / 1000);
  // A summary can take a while, and the person should know that keel is not doing the task meanwhile.
  const doing = task.compacting ? 'compacting context' : 'working';
  if (task.retryAt !== null && task.retryAt > now) {
    const wait = Math.ceil((task.retryAt - now) / 1000);
    return { spans: [span('⟳ ', { color: 'yellow' }), span(`retrying in ${wait}s · ${doing} ${seconds}s · Esc or Ctrl+C to interrupt`, { dim: true })] };
  }
  return { spans: [span('● ', { color: 'cyan' }), span(`${doing} ${seconds}s · Esc or Ctrl+C to interrupt · Enter queues a message`, { dim: true })] };
}
