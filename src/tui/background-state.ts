/**
 * What the view state knows of the session's background processes: the engine's latest list, and the /ps requests
 * whose answer is still to come. Pure, like view-state.ts, which keeps this as one of its parts.
 */
import type { BackgroundProcess, EventMsg } from '../protocol/index.ts';

export interface BackgroundView {
  /** The engine's last list of this run's processes (running ones and ended ones the model has not heard of yet). */
  readonly processes: readonly BackgroundProcess[];
  /** Submissions of `list_background_processes` sent by /ps and not answered yet: their answer is printed. */
  readonly asked: readonly string[];
}

export const NO_BACKGROUND: BackgroundView = { processes: [], asked: [] };

export function reduceBackground(state: BackgroundView, msg: EventMsg, submission: string | null): BackgroundView {
  if (msg.type !== 'background_processes') return state;
  // A list read back from a resumed session's log is of an earlier run of keel, whose processes ended with it.
  if (submission === null) return state;
  const asked = state.asked.includes(submission) ? state.asked.filter((id) => id !== submission) : state.asked;
  return { processes: msg.processes, asked };
}

/** /ps sent `submission`: its answer is to be printed. */
export function askedForList(state: BackgroundView, submission: string): BackgroundView {
  return { ...state, asked: [...state.asked, submission] };
}

/** The list an event brings in answer to /ps, or null when it answers none. */
export function answeredList(state: BackgroundView, msg: EventMsg, submission: string | null): readonly BackgroundProcess[] | null {
  if (msg.type !== 'background_processes' || submission === null || !state.asked.includes(submission)) return null;
  return msg.processes;
}

export function runningCount(state: BackgroundView): number {
  return state.processes.filter((process) => process.status === 'running').length;
}
