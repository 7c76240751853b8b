/**
 * A tool call's life as a state machine. Every call the model issues starts `resolved` (its tool and arguments are
 * known) and ends in exactly one terminal state, which carries the one output the model gets for it:
 *
 *   resolved ──ask──▶ awaiting_approval ──approve──▶ running ──finish──▶ completed
 *      │                 │        │                    │
 *      │ refuse          │ deny   │ abort              │ sandbox_denial
 *      ▼                 ▼        ▼                    ▼
 *   refused           denied   aborted          sandbox_denied ──ask──▶ awaiting_approval (run it unsandboxed?)
 *
 * `resolved` may also go straight to `running` (auto-approved) or `aborted` (interrupted before its turn), and
 * every non-terminal state goes to `aborted` on an interrupt. A transition that is not in this table is a bug in
 * keel and throws. Tools that run elsewhere (MCP servers, background processes) plug in by driving the same states.
 */
import { unfinishedOutput, type CallSubject, type UnfinishedCall } from '../tools/unfinished-call.ts';

export type ToolCallState =
  | { phase: 'resolved' }
  | {
      phase: 'awaiting_approval';
      /** `run`: may the call run at all; `rerun_unsandboxed`: may a run the sandbox blocked run again without it. */
      question: 'run' | 'rerun_unsandboxed';
      subject: CallSubject;
      /** For a rerun question: the output of the blocked run, which the model keeps if there is no rerun. */
      blockedOutput: string | null;
    }
  | { phase: 'running'; sandboxed: boolean; approvedByPerson: boolean }
  /** A sandboxed run failed as the sandbox's doing; `output` is that run's. */
  | { phase: 'sandbox_denied'; subject: CallSubject; output: string }
  | Terminal;

export type Terminal =
  | { phase: 'completed'; output: string }
  | { phase: 'refused'; output: string }
  | { phase: 'denied'; output: string }
  | { phase: 'aborted'; output: string };

export type ToolCallStep =
  | { type: 'ask'; subject: CallSubject }
  | { type: 'approve' }
  | { type: 'run'; sandboxed: boolean }
  | { type: 'refuse'; subject: CallSubject; reason: string }
  | { type: 'deny' }
  /** The person answered abort, or the task was interrupted. `ending` says what is known when nothing ran. */
  | { type: 'abort'; ending: UnfinishedCall }
  | { type: 'sandbox_denial'; subject: CallSubject; output: string }
  /** The tool returned; `interrupted`: the task was interrupted meanwhile, so `output` is a partial one. */
  | { type: 'finish'; output: string; interrupted: boolean }
  /** A rerun question is not asked (the policy says to report the failure): `note` is added to the output. */
  | { type: 'keep'; note: string | null };

export function isTerminal(state: ToolCallState): state is Terminal {
  switch (state.phase) {
    case 'completed':
    case 'refused':
    case 'denied':
    case 'aborted':
      return true;
    case 'resolved':
    case 'awaiting_approval':
    case 'running':
    case 'sandbox_denied':
      return false;
  }
}

export function advance(state: ToolCallState, step: ToolCallStep): ToolCallState {
  if (isTerminal(state)) throw invalid(state, step);
  switch (step.type) {
    case 'ask':
      if (state.phase === 'resolved') return { phase: 'awaiting_approval', question: 'run', subject: step.subject, blockedOutput: null };
      if (state.phase === 'sandbox_denied') {
        return { phase: 'awaiting_approval', question: 'rerun_unsandboxed', subject: state.subject, blockedOutput: state.output };
      }
      throw invalid(state, step);
    case 'approve':
      // A person approved this exact call: it runs as asked, outside the sandbox.
      if (state.phase === 'awaiting_approval') return { phase: 'running', sandboxed: false, approvedByPerson: true };
      throw invalid(state, step);
    case 'run':
      if (state.phase === 'resolved') return { phase: 'running', sandboxed: step.sandboxed, approvedByPerson: false };
      throw invalid(state, step);
    case 'refuse':
      if (state.phase === 'resolved') return { phase: 'refused', output: unfinishedOutput({ type: 'refused', subject: step.subject, reason: step.reason }) };
      throw invalid(state, step);
    case 'deny':
      if (state.phase !== 'awaiting_approval') throw invalid(state, step);
      // Declining a rerun keeps the blocked run's result: the call did run, once.
      if (state.question === 'rerun_unsandboxed') return { phase: 'completed', output: withNote(state.blockedOutput ?? '', unfinishedOutput({ type: 'declined_unsandboxed' })) };
      return { phase: 'denied', output: unfinishedOutput({ type: 'denied', subject: state.subject }) };
    case 'abort':
      if (state.phase === 'awaiting_approval' && state.question === 'rerun_unsandboxed') {
        return { phase: 'aborted', output: withNote(state.blockedOutput ?? '', unfinishedOutput(step.ending)) };
      }
      if (state.phase === 'sandbox_denied') return { phase: 'aborted', output: state.output };
      return { phase: 'aborted', output: unfinishedOutput(step.ending) };
    case 'sandbox_denial':
      if (state.phase === 'running' && state.sandboxed) return { phase: 'sandbox_denied', subject: step.subject, output: step.output };
      throw invalid(state, step);
    case 'finish':
      if (state.phase === 'running') return { phase: step.interrupted ? 'aborted' : 'completed', output: step.output };
      throw invalid(state, step);
    case 'keep':
      if (state.phase === 'sandbox_denied') return { phase: 'completed', output: step.note === null ? state.output : withNote(state.output, step.note) };
      throw invalid(state, step);
  }
}

/** keel's remark on a tool's output, set apart so the model does not take it for the tool's own words. */
function withNote(output: string, note: string): string {
  return `${output}\n[keel: ${note}]`;
}

function invalid(state: ToolCallState, step: ToolCallStep): Error {
  return new Error(`tool call: no transition from ${state.phase} on ${step.type}`);
}
