/**
 * What the interactive UI knows about the session it shows, as a pure function of what happened: the engine's events
 * and what the person did. This is the one place that says whether a task is running, which call waits for an answer,
 * what was sent to be queued, and what the status line shows. Panes, the hint line and key routing read it; none
 * keeps a copy of its own (the transcript renders events, it does not decide what state the session is in).
 *
 * `reduce` never changes the state it is given and returns that same object when nothing changed, which is most of
 * the time: it runs for every streamed delta.
 */
import type { AskForApproval, EventMsg, McpServerState, ReviewDecision, SandboxPolicy } from '../protocol/index.ts';
import type { ImageUserInput } from '../util/load-image.ts';
import type { ApprovalRequest } from './approval-lines.ts';
import { askedForList, NO_BACKGROUND, reduceBackground, type BackgroundView } from './background-state.ts';
import type { Plan } from './plan-cells.ts';
import type { StatusInfo } from './status-line.ts';

export type TaskState =
  | { readonly type: 'idle' }
  /**
   * `retryAt`: when the request that failed goes out again (after a `stream_error`), for the hint's countdown.
   * `compacting`: the engine is having the conversation summarized (from `compaction_started` until it says how
   * that ended), which the hint says instead of "working".
   */
  | { readonly type: 'running'; readonly startedAt: number; readonly retryAt: number | null; readonly compacting: boolean };

export interface SessionStatus extends StatusInfo {
  providerId: string;
  sessionId: string;
  /** Compactions over the session's whole life (a resumed session's earlier runs included), for /status. */
  compactions: number;
}

/** A prompt as it went to the engine: `submission` is the id of its `user_turn`. */
export interface SentPrompt {
  readonly submission: string;
  readonly text: string;
  readonly images: readonly ImageUserInput[];
}

export interface ViewState {
  readonly task: TaskState;
  /** Requests the engine waits on an answer for, in the order asked: the first one is the question on screen. */
  readonly approvals: readonly ApprovalRequest[];
  /** The MCP servers as the engine last listed them (it lists them whenever one starts, fails or stops). */
  readonly mcpServers: readonly McpServerState[];
  /** Prompts sent while a task ran, shown until the engine takes them into the conversation. */
  readonly queued: readonly SentPrompt[];
  /**
   * Prompts the engine has neither started a task with nor taken into one. The engine can still refuse one (images
   * for a model that takes none) with an `error` of its submission, outside any task: see `refusedPrompt`.
   */
  readonly unanswered: readonly SentPrompt[];
  readonly status: Readonly<SessionStatus>;
  /** The latest cumulative diff of each task, keyed by the task's submission id, in the order first seen (/diff). */
  readonly diffs: ReadonlyMap<string, string>;
  /** The session's background processes, for the status line and /ps. */
  readonly background: BackgroundView;
  /** The model's latest plan (a resumed session's included), for /status; null before any or after an empty one. */
  readonly plan: Plan | null;
}

export type ViewEvent =
  /**
   * An engine event. `submission`: the id of the submission it belongs to, or null for an event replayed from the
   * log of a resumed session; `at`: when it arrived (replayed events carry no time worth counting down from).
   */
  | { type: 'engine'; msg: EventMsg; submission: string | null; at: number }
  /** Another session is on screen now (/new, /resume): what belonged to the last one goes. `compactions`: its own so far. */
  | { type: 'session_opened'; sessionId: string; compactions: number }
  /** A prompt went to the engine: while a task runs it waits in the queue until the engine takes it. */
  | { type: 'prompt_sent'; prompt: SentPrompt }
  /** The person answered the first approval request. */
  | { type: 'approval_answered'; decision: ReviewDecision }
  /**
   * /model or /approvals changed what the next requests use. `reasoningEffort`: what keel expects for the new model,
   * until the next `task_started` says what the engine uses.
   */
  | { type: 'turn_context_changed'; model?: string; reasoningEffort?: string | null; approval?: AskForApproval; sandbox?: SandboxPolicy }
  /** /ps asked the engine for its background processes with `submission`, whose answer is to be printed. */
  | { type: 'processes_asked'; submission: string };

const IDLE: TaskState = { type: 'idle' };

/**
 * The state before the session has said anything: defaults that the status line does not show (no model yet).
 * `compactions`: what a resumed session's log counts.
 */
export function initialViewState(sessionId: string, compactions = 0): ViewState {
  return {
    task: IDLE,
    approvals: [],
    mcpServers: [],
    queued: [],
    unanswered: [],
    status: {
      model: '',
      reasoningEffort: null,
      cwd: '',
      approval: 'on-request',
      sandbox: { type: 'read-only' },
      totalUsage: null,
      contextUsed: null,
      contextWindow: null,
      providerId: '',
      sessionId,
      compactions,
    },
    diffs: new Map(),
    background: NO_BACKGROUND,
    plan: null,
  };
}

export function reduce(state: ViewState, event: ViewEvent): ViewState {
  switch (event.type) {
    case 'engine':
      return onEngineEvent(state, event.msg, event.submission, event.at);
    case 'session_opened':
      return {
        ...state,
        task: IDLE,
        approvals: [],
        mcpServers: [],
        queued: [],
        unanswered: [],
        diffs: new Map(),
        background: NO_BACKGROUND,
        plan: null,
        status: { ...state.status, sessionId: event.sessionId, compactions: event.compactions, totalUsage: null, contextUsed: null },
      };
    case 'prompt_sent': {
      const unanswered = [...state.unanswered, event.prompt];
      return state.task.type === 'running' ? { ...state, unanswered, queued: [...state.queued, event.prompt] } : { ...state, unanswered };
    }
    case 'processes_asked':
      return { ...state, background: askedForList(state.background, event.submission) };
    case 'approval_answered':
      // An abort interrupts the task; the engine answers the other open requests itself.
      return { ...state, approvals: event.decision === 'abort' ? [] : state.approvals.slice(1) };
    case 'turn_context_changed':
      return {
        ...state,
        status: {
          ...state.status,
          model: event.model ?? state.status.model,
          reasoningEffort: event.reasoningEffort === undefined ? state.status.reasoningEffort : event.reasoningEffort,
          approval: event.approval ?? state.status.approval,
          sandbox: event.sandbox ?? state.status.sandbox,
        },
      };
  }
}

function onEngineEvent(before: ViewState, msg: EventMsg, submission: string | null, at: number): ViewState {
  // Any news after a retry notice means the retry went out.
  const state = msg.type === 'stream_error' ? before : retried(before);
  switch (msg.type) {
    case 'session_configured':
      return {
        ...state,
        status: {
          ...state.status,
          model: msg.model,
          cwd: msg.cwd,
          approval: msg.approval_policy,
          sandbox: msg.sandbox_policy,
          providerId: msg.model_provider_id,
          reasoningEffort: msg.reasoning_effort ?? null,
        },
      };
    case 'task_started':
      return {
        ...state,
        task: { type: 'running', startedAt: at, retryAt: null, compacting: false },
        unanswered: state.unanswered.filter((prompt) => prompt.submission !== submission),
        status: {
          ...state.status,
          contextWindow: msg.model_context_window ?? state.status.contextWindow,
          // Absent from an engine that does not say: what was known stays.
          reasoningEffort: msg.reasoning_effort === undefined ? state.status.reasoningEffort : msg.reasoning_effort,
        },
      };
    case 'task_complete':
    case 'turn_aborted':
      // The engine answers every open approval when a task ends, and has taken or dropped what was queued.
      return { ...state, task: IDLE, approvals: [], queued: [] };
    case 'user_message': {
      // Queued input comes back under the running task's submission, so it is known by what it says.
      const taken = (prompt: SentPrompt): boolean => prompt.text === msg.message && sameNames(prompt.images, msg.images ?? []);
      const queued = withoutFirst(state.queued, taken);
      const unanswered = withoutFirst(state.unanswered, taken);
      return queued === state.queued && unanswered === state.unanswered ? state : { ...state, queued, unanswered };
    }
    case 'error': {
      // An error during a compaction is the compaction's: the history stays as it was.
      const settled = compactionOver(state);
      const refused = refusedPrompt(settled, msg, submission);
      if (refused === null) return settled;
      const other = (prompt: SentPrompt): boolean => prompt !== refused;
      return { ...settled, queued: settled.queued.filter(other), unanswered: settled.unanswered.filter(other) };
    }
    case 'compaction_started':
      // Always inside a task; one read back from a log is long over.
      if (state.task.type !== 'running' || submission === null) return state;
      return { ...state, task: { ...state.task, compacting: true } };
    case 'context_compacted':
      return {
        ...compactionOver(state),
        // The context now holds the compacted history, until the next request reports what it holds.
        status: { ...state.status, contextUsed: msg.tokens_after, compactions: msg.compactions },
      };
    case 'mcp_servers':
      return { ...state, mcpServers: msg.servers };
    case 'warning':
      // A compaction that could not be done (or had nothing to do) ends with a warning, the history as it was.
      return compactionOver(state);
    case 'exec_approval_request':
    case 'apply_patch_approval_request':
    case 'mcp_tool_approval_request':
      return { ...state, approvals: [...state.approvals, msg] };
    case 'token_count': {
      const info = msg.info;
      if (info === null) return state;
      return {
        ...state,
        status: {
          ...state.status,
          totalUsage: info.total_token_usage,
          contextUsed: info.last_token_usage.total_tokens,
          contextWindow: info.model_context_window ?? state.status.contextWindow,
        },
      };
    }
    case 'turn_diff': {
      const diffs = new Map(state.diffs);
      diffs.set(submission ?? `replay-${diffs.size}`, msg.unified_diff);
      return { ...state, diffs };
    }
    case 'background_processes':
      return { ...state, background: reduceBackground(state.background, msg, submission) };
    case 'plan_update':
      return { ...state, plan: msg.plan.length === 0 ? null : { explanation: msg.explanation, plan: msg.plan } };
    case 'stream_error':
      if (state.task.type !== 'running') return state;
      return { ...state, task: { ...state.task, retryAt: submission === null ? null : at + msg.delay_ms } };
    default:
      return state;
  }
}

/**
 * The prompt an `error` event refuses: one the engine had not started a task with nor taken in, under whose
 * submission the error came. Such an error is not a task's (it has no task) and the prompt was not sent: the UI
 * gives it back to the person.
 */
export function refusedPrompt(state: ViewState, msg: EventMsg, submission: string | null): SentPrompt | null {
  if (msg.type !== 'error' || submission === null) return null;
  return state.unanswered.find((prompt) => prompt.submission === submission) ?? null;
}

function sameNames(images: readonly ImageUserInput[], names: readonly string[]): boolean {
  return images.length === names.length && images.every((image, index) => (image.name ?? 'image') === names[index]);
}

/** `list` without its first element that `matches`; `list` itself when none does. */
function withoutFirst<T>(list: readonly T[], matches: (item: T) => boolean): readonly T[] {
  const index = list.findIndex(matches);
  return index < 0 ? list : list.filter((_, position) => position !== index);
}

function compactionOver(state: ViewState): ViewState {
  if (state.task.type !== 'running' || !state.task.compacting) return state;
  return { ...state, task: { ...state.task, compacting: false } };
}

function retried(state: ViewState): ViewState {
  if (state.task.type !== 'running' || state.task.retryAt === null) return state;
  return { ...state, task: { ...state.task, retryAt: null } };
}

/** The question on screen, if the engine waits for an answer: which call, what kind, how many more wait after it. */
export function pendingApproval(state: ViewState): { request: ApprovalRequest; kind: 'command' | 'patch' | 'tool'; more: number } | null {
  const request = state.approvals[0];
  if (request === undefined) return null;
  const kind = request.type === 'exec_approval_request' ? 'command' : request.type === 'mcp_tool_approval_request' ? 'tool' : 'patch';
  return { request, kind, more: state.approvals.length - 1 };
}

export function isRunning(state: ViewState): boolean {
  return state.task.type === 'running';
}
