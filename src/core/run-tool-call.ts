/**
 * Drives one tool call through its states (`tool-call.ts`): the gate's decision, the approval question, the run, a
 * sandbox denial and the rerun it may lead to, and records the one output of the terminal state. Whatever happens
 * — an interrupt at any await, an abort answer, a tool that throws — the call leaves here answered.
 */
import { callIdOf, type MessageItem, type BlockedOutcome, type EventMsg, type ReviewDecision, type ToolCallItem } from '../protocol/index.ts';
import { unfinishedOutput } from '../tools/unfinished-call.ts';
import { quoteArgv } from '../util/shell-quote.ts';
import { scriptOf } from '../util/command-line.ts';
import type { ToolRegistry } from '../tools/tool-registry.ts';
import type { ApprovalSubject, ToolContext, ToolResult } from '../tools/tool.ts';
import type { CallSubject } from '../tools/unfinished-call.ts';
import type { ApprovalGate, GateCall, Question } from './approval-gate.ts';
import { outputFor, type ConversationHistory } from './history.ts';
import type { SessionRecorder } from './session-recorder.ts';
import { advance, isTerminal, type ToolCallState } from './tool-call.ts';
import type { TurnContext } from './turn-context.ts';
import type { TaskFiles } from './task-files.ts';

export interface CallDeps {
  registry: ToolRegistry;
  history: ConversationHistory;
  recorder: SessionRecorder;
  /** Decides each call before it runs; null runs every call as it is (no policy to apply). */
  gate: ApprovalGate | null;
  /** Waits for the answer to an approval request of the running task; resolves `abort` when the task is interrupted. */
  waitForDecision(callId: string, signal: AbortSignal): Promise<ReviewDecision>;
  /** Interrupts the running task, as the `interrupt` op does. */
  abortTask(): void;
  /** Emits an event of the running task. */
  emit(msg: EventMsg): void;
  /** Whether `model` takes images (null: unknown, then they are sent): a call's images go to it only then. */
  acceptsImages?(model: string): boolean | null;
}

/** Runs one call and records its output; true when it may have changed files (ran a tool that can write). */
export async function runToolCall(
  deps: CallDeps,
  call: ToolCallItem,
  context: TurnContext,
  signal: AbortSignal,
  files: TaskFiles,
  /** Takes a message to record once every call of the response is answered (the images a call returned). */
  followUp: (item: MessageItem) => void = () => undefined,
): Promise<boolean> {
  const callId = callIdOf(call);
  // A call nothing can answer is dropped by normalization; running it would produce an output with no home.
  if (callId === undefined) return false;
  let state: ToolCallState = { phase: 'resolved' };
  if (signal.aborted) {
    state = advance(state, { type: 'abort', ending: { type: 'never_ran' } });
    recordOutput(deps, call, state);
    deps.emit(blockedEvent(call, callId, null, 'aborted', INTERRUPTED_BEFORE_START));
    return false;
  }
  // Whether the tool started its work (a begin event went out): a call that did not is shown as blocked.
  let started = false;
  let subjectForPeople: ApprovalSubject | null = null;
  let blockedReason: string | null = null;
  // A tool's end event waits until its output is recorded: whoever sees the end (a front end, the log) can rely on
  // the output being on disk, so a kill right after it never loses a result that was already known.
  const heldEnds: EventMsg[] = [];
  const releaseEnds = (): void => {
    for (const end of heldEnds.splice(0)) deps.emit(end);
  };
  const emit = (msg: EventMsg): void => {
    if (msg.type === 'exec_command_begin' || msg.type === 'patch_apply_begin' || msg.type === 'mcp_tool_call_begin') started = true;
    if (msg.type === 'exec_command_end' || msg.type === 'patch_apply_end' || msg.type === 'mcp_tool_call_end') heldEnds.push(msg);
    else deps.emit(msg);
  };
  let changedFiles = false;
  try {
    const resolved = deps.registry.resolve(call);
    const mayWrite = resolved.type === 'run' && resolved.tool.kind !== 'read';
    const run = async (extra: Pick<ToolContext, 'wrapArgv' | 'approvedByPerson'>): Promise<ToolResult> => {
      // The tree as the task found it is recorded before the first tool that may change it.
      if (mayWrite) {
        await files.beforeWrite();
        changedFiles = true;
      }
      return deps.registry.run(resolved, { signal, cwd: context.cwd, callId, emit, ...extra });
    };
    const ask = async (question: Question): Promise<ReviewDecision> => {
      emit(question.request);
      const answer = await deps.waitForDecision(callId, signal);
      if (answer === 'approved_for_session') question.rememberForSession();
      if (answer === 'approved_always') await saveRule(question, emit);
      return answer;
    };

    const gate = deps.gate;
    const gateCall: GateCall | null =
      gate !== null && resolved.type === 'run' && resolved.tool.approvalSubject
        ? {
            callId,
            cwd: context.cwd,
            subject: await resolved.tool.approvalSubject(resolved.args, context.cwd),
            approvalPolicy: context.approvalPolicy,
            sandboxPolicy: context.sandboxPolicy,
            emit,
          }
        : null;
    const subject: CallSubject = gateCall?.subject.type === 'patch' ? 'patch' : gateCall?.subject.type === 'mcp' ? 'tool' : 'command';
    subjectForPeople = gateCall?.subject ?? null;

    let result: ToolResult | null = null;
    const decision = gate === null || gateCall === null ? ({ type: 'run', sandboxed: false } as const) : await gate.decide(gateCall);
    switch (decision.type) {
      case 'refuse':
        state = advance(state, { type: 'refuse', subject, reason: decision.reason });
        blockedReason = decision.reason;
        break;
      case 'ask':
        state = advance(state, { type: 'ask', subject });
        state = answered(deps, state, await ask(decision));
        if (state.phase === 'running') result = await run({ approvedByPerson: true });
        break;
      case 'run':
        state = advance(state, { type: 'run', sandboxed: decision.sandboxed });
        result = await run(decision.sandboxed ? { wrapArgv: decision.wrap, approvedByPerson: false } : { approvedByPerson: false });
        break;
    }

    // Only a command that ran and failed can have been blocked by the sandbox.
    const failedRun = result !== null && result.exitCode !== undefined && !result.success ? result : null;
    if (failedRun !== null && state.phase === 'running' && state.sandboxed && !signal.aborted && gate !== null && gateCall !== null) {
      const after = gate.afterSandboxedFailure(gateCall, failedRun.exitCode ?? null, failedRun.output);
      if (after.type !== 'not_denial') {
        state = advance(state, { type: 'sandbox_denial', subject, output: failedRun.output });
        if (after.type === 'keep') {
          state = advance(state, { type: 'keep', note: after.note });
        } else {
          // Only when a question follows does the first run's end go out before its output is recorded: the person
          // must see the failure before being asked (a rerun is a second begin/end pair for the same call).
          releaseEnds();
          state = advance(state, { type: 'ask', subject });
          state = answered(deps, state, await ask(after));
          // An interrupt that came with the approval wins: no rerun starts, the blocked run's output stays.
          if (state.phase === 'running') result = signal.aborted ? result : await run({ approvedByPerson: true });
        }
      }
    }
    if (result?.refused !== undefined) blockedReason = result.refused;
    if (state.phase === 'running' && result !== null) {
      if (result.fileWrites !== undefined && result.fileWrites.length > 0) files.record(result.fileWrites);
      state = advance(state, { type: 'finish', output: result.output, interrupted: signal.aborted });
    }
    recordOutput(deps, call, state);
    const images = state.phase === 'completed' ? (result?.images ?? []) : [];
    if (images.length > 0 && deps.acceptsImages?.(context.model) !== false) followUp(imagesMessage(callId, images));
    if (!started) {
      const blocked = blockedOutcome(state, blockedReason, signal.aborted);
      if (blocked !== null) deps.emit(blockedEvent(call, callId, subjectForPeople, blocked.outcome, blocked.reason));
    }
  } finally {
    releaseEnds();
  }
  return changedFiles;
}

const INTERRUPTED_BEFORE_START = 'the task was interrupted before it started';

/** How a call that never started its work ended, for people; null when it was answered normally (nothing was blocked). */
function blockedOutcome(state: ToolCallState, refusal: string | null, interrupted: boolean): { outcome: BlockedOutcome; reason: string } | null {
  switch (state.phase) {
    case 'refused':
      return { outcome: 'refused', reason: refusal ?? 'not allowed by the policy' };
    case 'denied':
      return { outcome: 'denied', reason: 'the user declined it' };
    case 'aborted':
      return { outcome: 'aborted', reason: interrupted && state.output !== unfinishedOutput({ type: 'abort_answer' }) ? INTERRUPTED_BEFORE_START : 'the user answered abort' };
    case 'completed':
      // The tool refused on its own (a command that could not be confined as decided).
      return refusal !== null ? { outcome: 'refused', reason: refusal } : null;
    default:
      return null;
  }
}

function blockedEvent(call: ToolCallItem, callId: string, subject: ApprovalSubject | null, outcome: BlockedOutcome, reason: string): EventMsg {
  const tool = call.type === 'local_shell_call' ? 'shell' : call.name;
  return { type: 'tool_call_blocked', call_id: callId, tool, summary: describeCall(call, subject), outcome, reason };
}

/** The call in a line a person can read: the command as typed, the files a patch touches, or the raw arguments. */
function describeCall(call: ToolCallItem, subject: ApprovalSubject | null): string {
  if (subject?.type === 'command') return scriptOf(subject.argv);
  if (subject?.type === 'patch') return `apply_patch ${Object.keys(subject.changes).join(', ')}`;
  if (subject?.type === 'mcp') return shortened(`${subject.server}.${subject.tool} ${JSON.stringify(subject.arguments)}`);
  if (call.type === 'local_shell_call') return quoteArgv(call.action.command);
  const raw = call.type === 'function_call' ? call.arguments : call.input;
  try {
    const parsed = JSON.parse(raw) as { command?: unknown };
    if (Array.isArray(parsed.command) && parsed.command.every((part) => typeof part === 'string')) return quoteArgv(parsed.command as string[]);
  } catch {
    // Not JSON (a freeform tool): shown as it is, shortened.
  }
  return shortened(`${call.name} ${raw.replace(/\s+/g, ' ').trim()}`);
}

function shortened(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}


function imagesMessage(callId: string, images: readonly { mimeType: string; data: string }[]): MessageItem {
  return {
    type: 'message',
    role: 'user',
    content: [
      { type: 'input_text', text: `[keel: the image${images.length === 1 ? '' : 's'} returned by tool call ${callId}]` },
      ...images.map((image) => ({ type: 'input_image' as const, image_url: `data:${image.mimeType};base64,${image.data}` })),
    ],
  };
}

/** "Always": the command's allow rule goes into config.toml; without one (or when it cannot be written), the session remembers it. */
async function saveRule(question: Question, emit: (msg: EventMsg) => void): Promise<void> {
  if (question.saveAsRule === undefined) {
    question.rememberForSession();
    return;
  }
  const saved = await question.saveAsRule.save();
  if (saved.type === 'not_saved') emit({ type: 'warning', message: `could not save the rule (${saved.reason}); the command is approved for this session only` });
  else emit({ type: 'rule_saved', pattern: [...question.saveAsRule.pattern], path: saved.path });
}

function answered(deps: CallDeps, asking: ToolCallState, answer: ReviewDecision): ToolCallState {
  switch (answer) {
    case 'approved':
    case 'approved_for_session':
    case 'approved_always':
      return advance(asking, { type: 'approve' });
    case 'denied':
      return advance(asking, { type: 'deny' });
    case 'abort':
      deps.abortTask();
      return advance(asking, { type: 'abort', ending: { type: 'abort_answer' } });
  }
}

function recordOutput(deps: CallDeps, call: ToolCallItem, state: ToolCallState): void {
  // Every path above ends in a terminal state; anything else is a bug in the state machine's driver.
  if (!isTerminal(state)) throw new Error(`tool call ${callIdOf(call)} left in state ${state.phase}`);
  const item = outputFor(call, state.output);
  deps.history.record(item);
  deps.recorder.recordItem(item);
}
