/**
 * /ps and /stop: the session's background processes, listed and stopped. /ps asks the engine for its list and prints
 * the answer when it comes (app.ts, through the view state's `background.asked`); /stop asks the engine to stop one
 * or all, and the transcript says when each has ended.
 */
import type { SlashContext } from './run-slash-command.ts';
import { runningProcesses } from './process-list.ts';

export const STOP_USAGE = '/stop needs a process id from /ps, or all (/stop 3, /stop all)';

export function listProcesses(context: SlashContext): void {
  const submission = context.submit({ type: 'list_background_processes' });
  context.dispatch({ type: 'processes_asked', submission });
}

export function stopProcesses(args: string, context: SlashContext): void {
  const target = args.trim();
  const running = runningProcesses(context.view.background.processes);
  if (target === 'all') {
    if (running.length === 0) return context.note('no background process is running (/ps lists them)', null);
    context.submit({ type: 'stop_background_process', process_id: 'all' });
    return context.note(`stopping ${running.length === 1 ? 'the background process' : `all ${running.length} background processes`}…`, null);
  }
  if (!/^\d+$/.test(target)) return context.note(STOP_USAGE, 'red');
  const id = Number(target);
  context.submit({ type: 'stop_background_process', process_id: id });
  // One the list does not have running gets the engine's answer instead: a warning that says which ones run.
  if (running.some((process) => process.id === id)) context.note(`stopping background session ${id}…`, null);
}
