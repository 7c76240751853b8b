/**
 * The rules of resuming a recorded session, in one place: from a log as read, everything a front end needs to go
 * on — the history to continue (every call answered), the answers to write to the log before anything is sent,
 * whether the last task was cut off, and the transcript to show.
 *
 * A call left open by the end of the log gets an output that says what is known: whether its command had started
 * (keel stopped while it ran, so it was stopped too and its output is lost) or never started.
 */
import type { ContextState } from './context-budget.ts';
import type { ResumedBackground } from './session.ts';
import { callIdOf, type BackgroundProcess, type EventMsg, type ResponseItem, type ToolOutputItem } from '../protocol/index.ts';
import type { SessionLog } from '../store/index.ts';
import { unfinishedOutput } from '../tools/unfinished-call.ts';
import { userMessageOrigin } from './compaction.ts';
import { ConversationHistory, outputFor } from './history.ts';

export interface ResumePlan {
  /** Outputs to append to the log, in this order, before anything is sent: one for each call the log left open. */
  answers: ToolOutputItem[];
  /** The history to continue: the log's items and the answers. */
  history: ResponseItem[];
  /** Whether the history ends in the middle of a task (the model still owes an answer), so a resume without a prompt has something to continue. */
  midTask: boolean;
  /** Whether the log ends inside a task: keel was killed or crashed there (an interrupt or a quit ends the task first). */
  cutOff: boolean;
  /**
   * The transcript to show: the recorded events with one session header (none when it begins at a compaction), no approval questions (asked long ago, they
   * are not questions any more), and a task that was cut off closed by a `turn_aborted`, as the answers close its calls.
   */
  replay: EventMsg[];
  /** Whether `replay` begins at the session's last compaction (what came before it is not shown). */
  replayFromCompaction: boolean;
  /** What the engine is told about its context: compactions so far, and the usage the server last reported since the last one. */
  context: Required<ContextState> & { background: ResumedBackground };
}

export function planResume(log: Pick<SessionLog, 'items' | 'events'> & Partial<Pick<SessionLog, 'compaction' | 'eventsFrom'>>): ResumePlan {
  const events = log.events.map((logged) => logged.event);
  const answers = outputsForOpenCalls(log.items, startedButUnfinished(events));
  const history = [...log.items, ...answers];
  const replayFromCompaction = log.eventsFrom === 'last_compaction';
  const replay = transcriptOf(events, replayFromCompaction);
  // Read from a compaction, the events begin inside the task that compacted.
  const cutOff = endsInsideTask(replay, replayFromCompaction);
  if (cutOff) replay.push({ type: 'turn_aborted', reason: 'interrupted' });
  // A history that ends with a summary owes an answer only if the task that compacted was cut off: a finished
  // `/compact` leaves nothing to continue.
  const last = history.at(-1);
  const endsWithSummary = last?.type === 'message' && last.role === 'user' && userMessageOrigin(last) === 'summary';
  return {
    answers,
    history,
    midTask: endsMidTask(history) && (cutOff || !endsWithSummary),
    cutOff,
    replay,
    replayFromCompaction,
    context: {
      compactions: log.compaction?.number ?? 0,
      lastReportedTokens: lastReportedTokens(events),
      compactedFloor: compactedFloor(events),
      background: backgroundAtEnd(events),
    },
  };
}

/** The total of the last `token_count` after the last compaction: the usage a compacted history has not reset. */
function lastReportedTokens(events: readonly EventMsg[]): number | null {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!;
    if (event.type === 'context_compacted') return null;
    if (event.type === 'token_count' && event.info !== null) return event.info.last_token_usage.total_tokens;
  }
  return null;
}

/** The estimated size of the history the last compaction left (0: none among the events). */
function compactedFloor(events: readonly EventMsg[]): number {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!;
    if (event.type === 'context_compacted') return event.tokens_after;
  }
  return 0;
}

/**
 * The background processes the log last listed (every one the model had not heard the end of: those still running
 * then were stopped when that run of keel ended), and the first id a new one may take.
 */
function backgroundAtEnd(events: readonly EventMsg[]): ResumedBackground {
  let processes: BackgroundProcess[] = [];
  let highest = 0;
  for (const event of events) {
    if (event.type === 'background_processes') {
      processes = event.processes;
      for (const process of processes) highest = Math.max(highest, process.id);
    }
    if ((event.type === 'exec_command_begin' || event.type === 'exec_command_end') && event.process_id !== undefined) {
      highest = Math.max(highest, event.process_id);
    }
  }
  return { processes, nextId: highest + 1 };
}

/**
 * Returns the outputs to record (in this order) so every call of `items` is answered. `startedCalls` holds the ids
 * of calls whose tool was recorded as started and never as finished.
 */
export function outputsForOpenCalls(items: readonly ResponseItem[], startedCalls: ReadonlySet<string>): ToolOutputItem[] {
  const history = new ConversationHistory(items);
  return history.openCalls().map((call) => {
    const id = callIdOf(call)!;
    return outputFor(call, unfinishedOutput(startedCalls.has(id) ? { type: 'lost_with_keel' } : { type: 'never_ran' }));
  });
}

/** Whether the history ends in the middle of a task: the model still owes an answer to the last input. */
export function endsMidTask(items: readonly ResponseItem[]): boolean {
  const last = items.at(-1);
  if (last === undefined) return false;
  if (last.type === 'message') return last.role !== 'assistant';
  // A reasoning item, a call or an output last: the model was still working.
  return true;
}

/** Calls whose command or patch was recorded as started and never as finished. */
function startedButUnfinished(events: readonly EventMsg[]): Set<string> {
  const started = new Set<string>();
  for (const event of events) {
    if (event.type === 'exec_command_begin' || event.type === 'patch_apply_begin') started.add(event.call_id);
    if (event.type === 'exec_command_end' || event.type === 'patch_apply_end') started.delete(event.call_id);
  }
  return started;
}

/** Read from a compaction, the session's first header is not among the events: none is shown (the front end shows its own). */
function transcriptOf(events: readonly EventMsg[], fromCompaction: boolean): EventMsg[] {
  const shown: EventMsg[] = [];
  let header = fromCompaction;
  for (const event of events) {
    if (event.type === 'session_configured') {
      // Each run of the session records its own; the first one heads the transcript.
      if (header) continue;
      header = true;
    }
    if (event.type === 'exec_approval_request' || event.type === 'apply_patch_approval_request') continue;
    shown.push(event);
  }
  return shown;
}

function endsInsideTask(events: readonly EventMsg[], startsInside: boolean): boolean {
  let running = startsInside;
  for (const event of events) {
    if (event.type === 'task_started') running = true;
    else if (event.type === 'task_complete' || event.type === 'turn_aborted' || event.type === 'session_configured') running = false;
  }
  return running;
}
