/**
 * What the model is told about a call that did not finish normally: refused by policy, denied by the person, or
 * aborted at some point of its life. Every such text keel sends is built here, so each ending has one wording
 * whichever tool, front end or resume path produced it, and a new tool (MCP, background processes) only has to say
 * which ending it met.
 *
 * This lives in the tools layer, not in core's `tool-call.ts`, because tools word their own partial results (the
 * shell folds the note into its JSON envelope under the output budget) and tools may not import core.
 */

/** The kind of call, where the wording differs between commands and patches. */
export type CallSubject = 'command' | 'patch' | 'tool';

export type UnfinishedCall =
  /** Never ran and nothing more is known: interrupted before its turn came, or found open with no record of a start. */
  | { type: 'never_ran' }
  /** Recorded as started and never as finished: keel stopped (killed, crashed) while it ran, and took it down too. */
  | { type: 'lost_with_keel' }
  /** The interrupt came after the call was decided but before the tool did anything. */
  | { type: 'interrupted_before_start'; subject: CallSubject }
  /** Interrupted while running: what it printed so far and how long it ran. */
  | { type: 'interrupted'; partialOutput: string; ranMs: number }
  /** The person answered the approval question with "abort" (the task ends with it). */
  | { type: 'abort_answer' }
  /** The person answered the approval question with "no" (the task goes on). */
  | { type: 'denied'; subject: CallSubject }
  /** The policy (or the sandbox's absence) does not allow the call; `reason` says why. */
  | { type: 'refused'; subject: CallSubject; reason: string }
  /** A sandboxed command failed as the sandbox's doing, and the person declined to run it without the sandbox. */
  | { type: 'declined_unsandboxed' };

const SUBJECT_WORDS: Record<CallSubject, string> = { command: 'exec command', patch: 'patch', tool: 'tool call' };

export function unfinishedOutput(ending: UnfinishedCall): string {
  switch (ending.type) {
    case 'never_ran':
      return 'aborted';
    case 'lost_with_keel':
      return 'aborted: keel stopped while this command was running (the command was stopped with it; its output is lost)';
    case 'interrupted_before_start':
      return ending.subject === 'patch' ? 'aborted by user before the patch was applied: no file was changed' : 'aborted by user before it started';
    case 'interrupted': {
      // Never "after 0.0s": the call did run, however briefly.
      const seconds = Math.max(0.1, ending.ranMs / 1000);
      return appendLine(ending.partialOutput, `aborted by user after ${oneDecimal(seconds)}s`);
    }
    case 'abort_answer':
      return 'aborted by user';
    case 'denied':
      return `${SUBJECT_WORDS[ending.subject]} rejected by user`;
    case 'refused':
      return `${SUBJECT_WORDS[ending.subject]} rejected: ${ending.reason}`;
    case 'declined_unsandboxed':
      return 'the person declined to run it without the sandbox';
  }
}

/** Adds `line` on a line of its own after `text`. */
export function appendLine(text: string, line: string): string {
  return text === '' || text.endsWith('\n') ? `${text}${line}` : `${text}\n${line}`;
}

function oneDecimal(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}
