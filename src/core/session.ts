/**
 * The engine's session: takes submissions in order and emits events. At most one task runs; input that arrives
 * while it runs is queued into it; `interrupt` stops it and waits until every open call is answered and
 * `turn_aborted` is out, so the op after an interrupt always sees a settled history.
 */
import { userMessage, type BackgroundProcess, type BlockedCalls, type CompactionReason, type Event, type MessageItem, type EventMsg, type Op, type OpOf, type ResponseItem, type ReviewDecision, type Submission, type TurnContextOverrides, type UserInput } from '../protocol/index.ts';
import type { ModelClient, OutputSchema } from '../model/model-event.ts';
import { UNKNOWN_MODEL_PROFILE, type ModelProfile } from '../model/model-profile.ts';
import type { AnyTool } from '../tools/tool.ts';
import type { ProcessTable } from '../tools/exec-command/process-table.ts';
import type { LateTools } from '../tools/late-tools.ts';
import { ToolRegistry } from '../tools/tool-registry.ts';
import { EventStream } from '../util/event-stream.ts';
import { environmentContext } from './base-instructions.ts';
import { ConversationHistory } from './history.ts';
import { runTurn, type TurnDeps, type TurnOutcome } from './model-turn.ts';
import { compactContext, stillTooBig, type CompactionOutcome } from './compact-context.ts';
import { hasModelWork } from './compaction.ts';
import { ContextBudget, type ContextState } from './context-budget.ts';
import { PromptBuilder } from './prompt-builder.ts';
import { nullRecorder, type SessionRecorder } from './session-recorder.ts';
import type { Notifier } from './notify-hook.ts';
import { TokenTotals } from './token-totals.ts';
import { TaskFiles } from './task-files.ts';
import type { SnapshotService } from './snapshot-service.ts';
import { runUndo } from './undo-op.ts';
import { imagesRefusal, userTurnMessage } from './user-input.ts';
import { ApprovalGate, type SafetyServices } from './approval-gate.ts';
import { applyOverrides, type TurnContext } from './turn-context.ts';

export interface SessionOptions {
  sessionId: string;
  providerId: string;
  context: TurnContext;
  client: ModelClient;
  /** The tools offered to the model. */
  tools: readonly AnyTool[];
  /** Tools run when the model calls them but not offered (the shell tool not chosen, for a model trained on it). */
  understoodTools?: readonly AnyTool[];
  instructions: string;
  /** Responses API stateful mode (`store: true` + `previous_response_id`). */
  stateful: boolean;
  maxRetries: number;
  random?: () => number;
  recorder?: SessionRecorder;
  /** History to continue (a resumed session). */
  initialHistory?: readonly ResponseItem[];
  /** What a resumed session's log says about its context: compactions so far and the usage last reported. */
  initialContext?: ContextState & { background?: ResumedBackground };
  /** Where `add_to_history` puts submitted prompts (the prompt history file); absent: nothing is kept. */
  promptHistory?: PromptHistory;
  /** The project's instructions (AGENTS.md) as one message, given to the model at the start of a new session. */
  userInstructions?: string | null;
  /**
   * What keel sends to and knows about a model (reasoning, verbosity, its usable context window for "context left").
   * Asked per request, since the model can change mid-session; must be pure and cheap. Absent: nothing is known.
   */
  modelProfile?: (model: string) => ModelProfile;
  /** Told about each completed task (the notify hook). Must return at once and never throw. */
  notifier?: Notifier;
  /**
   * The sandbox and file-system services approvals need. Absent: no decision is made and every call runs as it is —
   * only for embedders that enforce safety themselves (and the engine's own tests).
   */
  safety?: SafetyServices;
  /**
   * The background processes `exec_command` starts (shared with that tool and `write_stdin`). The session lists and
   * stops them on request, tells the model about them before each task, and stops them all at shutdown.
   */
  processes?: ProcessTable;
  /** Tools that join after the session started: the MCP servers'. */
  lateTools?: LateTools;
  /**
   * keel's snapshots of the working tree, before and after each task's writes: the task's diff covers every tool,
   * and `undo` puts a task's changes back. Absent: diffs show apply_patch's changes only, and undo is refused.
   */
  snapshots?: SnapshotService;
}


/** What a resumed session's log says about its background processes: the last list, and the next free id. */
export interface ResumedBackground {
  processes: BackgroundProcess[];
  nextId: number;
}

export interface PromptHistory {
  /** Appends one prompt. May reject; the session turns a failure into a warning. */
  append(text: string): Promise<void>;
}

interface RunningTask {
  subId: string;
  controller: AbortController;
  done: Promise<void>;
  /** Inputs queued while the task runs, sent with its next request. */
  pending: MessageInput[];
  /** Environment messages about context changed while the task runs (approvals, sandbox, cwd), sent the same way. */
  contextNotes: ResponseItem[];
  /** A `compact` op that arrived while the task runs: done before its next request. Null: none asked. */
  compactRequest: { instruction: string | null } | null;
}

/** How a task begins: with the person's input, on the history as it stands, or by compacting it. */
type TaskStart = { type: 'input'; items: MessageInput } | { type: 'continue' } | { type: 'compact'; instruction: string | null };

type MessageInput = readonly UserInput[];

export class Session {
  readonly events = new EventStream<Event>();
  private seq = 0;
  private context: TurnContext;
  private readonly history: ConversationHistory;
  private readonly recorder: SessionRecorder;
  private readonly modelProfile: (model: string) => ModelProfile;
  private readonly turnDeps: Omit<TurnDeps, 'emit' | 'diff' | 'abortTask'>;
  /** Approval requests waiting for an answer, by call id. */
  private readonly pendingApprovals = new Map<string, (decision: ReviewDecision) => void>();
  private running: RunningTask | null = null;
  private readonly budget: ContextBudget;
  private readonly registry: ToolRegistry;
  private readonly reportedServerFailures = new Set<string>();
  /** A `compact` the last task took but could not do before it ended (an interrupt, a failure): the next task does it first. */
  private deferredCompact: { instruction: string | null } | null = null;
  private readonly ops = new EventStream<Submission>();
  private closed = false;

  constructor(private readonly options: SessionOptions) {
    this.context = options.context;
    this.history = new ConversationHistory(options.initialHistory ?? []);
    this.budget = new ContextBudget(options.initialContext);
    this.recorder = options.recorder ?? nullRecorder;
    const registry = new ToolRegistry(options.tools, options.understoodTools);
    this.registry = registry;
    const modelProfile = options.modelProfile ?? (() => UNKNOWN_MODEL_PROFILE);
    this.modelProfile = modelProfile;
    this.turnDeps = {
      client: options.client,
      registry,
      prompts: new PromptBuilder({
        stateful: options.stateful,
        instructions: options.instructions,
        tools: () => registry.specs(),
        promptCacheKey: options.sessionId,
        parallelToolCalls: false,
        modelProfile,
      }),
      history: this.history,
      recorder: this.recorder,
      retry: { maxRetries: options.maxRetries, random: options.random ?? Math.random },
      tokens: new TokenTotals(),
      contextWindow: (model) => modelProfile(model).contextWindow,
      gate: options.safety ? new ApprovalGate(options.safety) : null,
      waitForDecision: (callId, signal) => this.waitForDecision(callId, signal),
      acceptsImages: (model) => modelProfile(model).acceptsImages,
    };
    this.emit('init', {
      type: 'session_configured',
      session_id: options.sessionId,
      model: this.context.model,
      model_provider_id: options.providerId,
      cwd: this.context.cwd,
      approval_policy: this.context.approvalPolicy,
      sandbox_policy: this.context.sandboxPolicy,
      rollout_path: this.recorder.path,
      reasoning_effort: modelProfile(this.context.model).reasoning?.effort ?? null,
    });
    options.lateTools?.onChange(() => this.lateToolsChanged());
    options.processes?.onChange((processes) => {
      if (!this.closed) this.emit('background', { type: 'background_processes', processes });
    });
    void this.loop();
  }

  submit(submission: Submission): void {
    if (this.closed) return;
    this.ops.push(submission);
  }

  /** The format the model's answers must take from the next request on (`keel exec --output-schema`); null: free text. */
  setOutputSchema(schema: OutputSchema | null): void {
    this.turnDeps.prompts.outputSchema = schema;
  }

  /** Ops are handled one at a time, in order; a task runs beside the loop, not inside it. */
  private async loop(): Promise<void> {
    for await (const { id, op } of this.ops) {
      await this.handle(id, op);
      if (op.type === 'shutdown') break;
    }
  }

  private async handle(id: string, op: Op): Promise<void> {
    switch (op.type) {
      case 'user_turn':
        return this.userTurn(id, op);
      case 'continue_task':
        if (!this.running) this.startTask(id, { type: 'continue' });
        return;
      case 'compact': {
        const instruction = op.instruction ?? null;
        if (this.running) {
          this.running.compactRequest = { instruction };
          return;
        }
        if (!hasModelWork(this.history.items)) {
          this.emit(id, { type: 'warning', message: 'nothing to compact yet: the model has not answered anything in this session' });
          return;
        }
        this.startTask(id, { type: 'compact', instruction });
        return;
      }
      case 'interrupt':
        return this.interrupt();
      case 'override_turn_context':
        this.changeContext(op);
        return;
      case 'exec_approval':
      case 'patch_approval': {
        const answer = this.pendingApprovals.get(op.id);
        if (answer === undefined) {
          this.emit(id, { type: 'warning', message: `no approval request ${op.id} is waiting for an answer` });
          return;
        }
        this.pendingApprovals.delete(op.id);
        answer(op.decision);
        return;
      }
      case 'list_mcp_servers':
        this.emit(id, { type: 'mcp_servers', servers: this.options.lateTools?.states() ?? [] });
        return;
      case 'list_background_processes':
        this.emit(id, { type: 'background_processes', processes: this.options.processes?.list() ?? [] });
        return;
      case 'stop_background_process':
        return this.stopBackground(id, op.process_id);
      case 'undo':
        return this.undo(id, op);
      case 'add_to_history':
        try {
          await this.options.promptHistory?.append(op.text);
        } catch (error) {
          this.emit(id, { type: 'warning', message: `could not save the prompt to the history file: ${(error as Error).message}` });
        }
        return;
      case 'shutdown':
        await this.interrupt();
        // None outlives the session; each one stopped is listed as such before the end.
        await Promise.all([this.options.processes?.stopAll(), this.options.lateTools?.close()]);
        await this.recorder.flush();
        this.closed = true;
        this.emit(id, { type: 'shutdown_complete' });
        this.ops.end();
        this.events.end();
        return;
      default: {
        const unhandled: never = op;
        throw new Error(`unhandled op ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /**
   * A front end changed the context (/approvals, /model, …). When what the model was told about its environment no
   * longer holds, it is told what changed: at once between tasks, or with the next request of a running task (an
   * item recorded mid-turn could land between a call and its output).
   */
  private changeContext(overrides: TurnContextOverrides): void {
    const before = this.context;
    this.context = applyOverrides(before, overrides);
    // Before the first task the model has been told nothing yet; the first environment message will be current.
    if (this.history.items.length === 0) return;
    const note = contextChangeNote(before, this.context);
    if (note === null) return;
    if (this.running) this.running.contextNotes.push(note);
    else this.recordItem(note);
  }

  private userTurn(id: string, op: OpOf<'user_turn'>): void {
    this.changeContext(op);
    const refused = imagesRefusal(op.items, this.context.model, this.modelProfile(this.context.model).acceptsImages);
    if (refused !== null) {
      this.emit(id, { type: 'error', message: refused, kind: null });
      return;
    }
    if (this.running) {
      this.running.pending.push(op.items);
      return;
    }
    this.startTask(id, { type: 'input', items: op.items });
  }

  private startTask(id: string, start: TaskStart): void {
    const task: RunningTask = {
      subId: id,
      controller: new AbortController(),
      done: Promise.resolve(),
      pending: [],
      contextNotes: [],
      compactRequest: start.type === 'compact' ? { instruction: start.instruction } : this.deferredCompact,
    };
    this.deferredCompact = null;
    this.running = task;
    task.done = this.runTask(task, start).finally(() => this.finish(task));
  }

  private async interrupt(): Promise<void> {
    const task = this.running;
    if (!task) return;
    task.controller.abort();
    await task.done;
  }

  private async runTask(task: RunningTask, start: TaskStart): Promise<void> {
    const blocked: BlockedCalls = { refused: 0, denied: 0, aborted: 0 };
    const emit = (msg: EventMsg): void => {
      if (msg.type === 'tool_call_blocked') blocked[msg.outcome]++;
      this.emit(task.subId, msg);
    };
    const blockedField = (): { blocked_calls?: BlockedCalls } => (blocked.refused + blocked.denied + blocked.aborted > 0 ? { blocked_calls: { ...blocked } } : {});
    const snapshots = this.options.snapshots ?? null;
    const files = new TaskFiles(snapshots, snapshots?.beginTask() ?? 0, emit);
    const deps: TurnDeps = { ...this.turnDeps, emit, diff: files, abortTask: () => task.controller.abort() };
    const signal = task.controller.signal;
    const profile = this.modelProfile(this.context.model);
    emit({ type: 'task_started', model_context_window: profile.contextWindow, reasoning_effort: profile.reasoning?.effort ?? null });
    if (this.history.items.length === 0) {
      if (this.options.userInstructions) this.recordItem(userMessage(this.options.userInstructions));
      this.recordItem(this.environmentMessage());
    }
    // The first request waits for MCP servers still starting, so their tools are in it.
    const late = this.options.lateTools;
    if (late?.pending === true) await late.settled(signal);
    const background = this.options.processes?.noteForModel() ?? null;
    if (background !== null) this.recordItem(userMessage(background));
    const inputs: string[] = [];
    if (start.type === 'input') inputs.push(this.addUserInput(start.items, emit));
    let lastAgentMessage: string | null = null;
    let aborted = false;
    // Whether the task ends once it has compacted: begun by `compact`, or asked to compact after its last answer.
    let compactOnly = start.type === 'compact';
    const notify = start.type !== 'compact';
    for (;;) {
      for (const note of task.contextNotes.splice(0)) this.recordItem(note);
      for (const queued of task.pending.splice(0)) inputs.push(this.addUserInput(queued, emit));
      const asked = task.compactRequest;
      task.compactRequest = null;
      const reason = asked !== null ? 'manual' : this.passedAutoLimit() ? 'auto' : null;
      if (reason !== null) {
        const compacted = await this.compact(deps, reason, asked?.instruction ?? null, signal);
        if (compacted.type === 'aborted') {
          aborted = true;
          break;
        }
        if (compacted.type === 'failed') {
          if (compactOnly) {
            emit({ type: 'error', message: `could not compact the conversation: ${compacted.error.message}`, kind: compacted.error.kind });
            break;
          }
          // The request may still fit (the limit leaves room); if it does not, the overflow path compacts again.
          emit({ type: 'warning', message: `could not compact the conversation (${compacted.error.message}); going on with it as it is` });
        }
        // A task begun only to compact ends here, unless input came while it ran: then it goes on with that.
        if (compactOnly) {
          if (task.pending.length === 0) break;
          compactOnly = false;
          continue;
        }
      }
      const outcome = await this.requestFitting(deps, signal);
      if (outcome.type === 'aborted') {
        aborted = true;
        break;
      }
      if (outcome.type === 'failed') {
        emit({ type: 'error', message: outcome.error.message, kind: outcome.error.kind });
        break;
      }
      if (outcome.usage) this.budget.reported(outcome.usage.total_tokens);
      lastAgentMessage = outcome.lastAgentMessage ?? lastAgentMessage;
      const more = outcome.toolCalls > 0 || outcome.endTurn === false || task.pending.length > 0;
      if (more) continue;
      // A `compact` that came during the last request is done before the task ends, not dropped with it.
      if (task.compactRequest !== null) {
        compactOnly = true;
        continue;
      }
      await files.finish();
      await this.recorder.flush();
      // Input that arrived during that flush still belongs to this task: the task goes on with it.
      if (task.pending.length === 0) break;
    }
    // An interrupted or failed task changed files too: they are recorded as it left them (a no-op when done above).
    await files.finish();
    // What the user typed while the task ran is kept whatever ended it (an interrupt, a failed request): it goes
    // with the next request.
    for (const note of task.contextNotes.splice(0)) this.recordItem(note);
    for (const queued of task.pending.splice(0)) this.addUserInput(queued, emit);
    if (aborted) {
      for (const synthetic of this.history.normalize()) this.recorder.recordItem(synthetic);
      this.options.processes?.interrupted();
      await this.recorder.flush();
      // Input that arrived during that flush is kept the same way.
      for (const queued of task.pending.splice(0)) this.addUserInput(queued, emit);
      this.finish(task);
      emit({ type: 'turn_aborted', reason: 'interrupted', ...blockedField() });
      await this.recorder.flush();
      return;
    }
    // No await between the last look at pending input and the task's end: input arriving now starts a new task.
    this.finish(task);
    emit({ type: 'task_complete', last_agent_message: lastAgentMessage, ...blockedField() });
    // A task that only compacted did nothing the person is waiting to hear about.
    if (notify) this.options.notifier?.notify({ turnId: task.subId, inputMessages: inputs, lastAgentMessage });
    await this.recorder.flush();
  }

  /**
   * One turn; when the server says the request does not fit its context window, the conversation is compacted
   * once and the turn sent again. Still too big after that: an error that says which part is too big.
   */
  private async requestFitting(deps: TurnDeps, signal: AbortSignal): Promise<TurnOutcome> {
    const outcome = await runTurn(deps, this.context, signal);
    if (outcome.type !== 'failed' || outcome.error.kind !== 'context_window_exceeded') return outcome;
    const compacted = await this.compact(deps, 'overflow', null, signal);
    if (compacted.type === 'aborted') return compacted;
    if (compacted.type === 'nothing_to_compact') {
      return { type: 'failed', error: stillTooBig(this.history.items, this.turnDeps.prompts, this.context.model, outcome.error.message, false) };
    }
    if (compacted.type === 'failed') return compacted;
    const retried = await runTurn(deps, this.context, signal);
    if (retried.type !== 'failed' || retried.error.kind !== 'context_window_exceeded') return retried;
    return { type: 'failed', error: stillTooBig(this.history.items, this.turnDeps.prompts, this.context.model, retried.error.message, true) };
  }

  private async compact(deps: TurnDeps, reason: CompactionReason, instruction: string | null, signal: AbortSignal): Promise<CompactionOutcome> {
    const outcome = await compactContext(
      deps,
      {
        reason,
        model: this.context.model,
        instruction,
        projectInstructions: this.options.userInstructions ? userMessage(this.options.userInstructions) : null,
        environment: this.environmentMessage(),
        previous: this.budget.compactions,
        lastReported: this.budget.lastReportedTokens,
      },
      signal,
    );
    if (outcome.type === 'nothing_to_compact' && reason === 'manual') {
      deps.emit({ type: 'warning', message: 'nothing to compact yet: the model has not answered anything in this session' });
    }
    if (outcome.type === 'compacted') {
      // A log read from its last compaction must still find the background processes.
      const listed = this.options.processes?.list() ?? [];
      if (listed.length > 0) deps.emit({ type: 'background_processes', processes: listed });
      const stillAbove = this.budget.compacted(outcome.number, outcome.tokensAfter, this.modelProfile(this.context.model).autoCompactTokenLimit);
      if (stillAbove !== null) deps.emit({ type: 'warning', message: stillAbove });
    }
    return outcome;
  }

  private passedAutoLimit(): boolean {
    return this.budget.passedAutoLimit(this.modelProfile(this.context.model).autoCompactTokenLimit);
  }

  /**
   * The task is over before its last event goes out: input a front end sends in answer to that event starts a new
   * task instead of being queued into one that will never read it.
   */
  private finish(task: RunningTask): void {
    if (task.compactRequest !== null) this.deferredCompact = task.compactRequest;
    task.compactRequest = null;
    if (this.running === task) this.running = null;
  }

  /** New tools are offered from the next request on; a server that failed is reported once. */
  private lateToolsChanged(): void {
    const late = this.options.lateTools;
    if (late === undefined || this.closed) return;
    this.registry.setLate(late.tools());
    const servers = late.states();
    this.emit('mcp', { type: 'mcp_servers', servers });
    for (const server of servers) {
      if (server.status !== 'failed' || this.reportedServerFailures.has(server.name)) continue;
      this.reportedServerFailures.add(server.name);
      this.emit('mcp', { type: 'warning', message: `MCP server ${server.name} is not available: ${server.error ?? 'it failed'}` });
    }
  }

  private async stopBackground(id: string, target: number | 'all'): Promise<void> {
    const table = this.options.processes;
    if (target === 'all') {
      await table?.stopAll();
      if (table === undefined || table.list().length === 0) this.emit(id, { type: 'background_processes', processes: [] });
      return;
    }
    if (table !== undefined && (await table.stop(target))) return;
    const running = table?.list().filter((process) => process.status === 'running').map((process) => process.id) ?? [];
    const known = running.length > 0 ? `running: ${running.join(', ')}` : 'none is running';
    this.emit(id, { type: 'warning', message: `no background process ${target} is running (${known})` });
  }

  /** Undo (or its preview) between tasks; the model is told what was put back before its next request. */
  private async undo(id: string, op: OpOf<'undo'>): Promise<void> {
    if (this.running) {
      this.emit(id, { type: 'warning', message: 'undo is not possible while a task runs: interrupt it first (Esc), then undo' });
      return;
    }
    await runUndo(this.options.snapshots, op, {
      emit: (msg) => this.emit(id, msg),
      tell: (text) => this.recordItem(userMessage(text)),
      flush: () => this.recorder.flush(),
    });
  }

  /** Resolves with the person's answer, or `abort` as soon as the task is interrupted (invariant 5 of events.ts). */
  private waitForDecision(callId: string, signal: AbortSignal): Promise<ReviewDecision> {
    if (signal.aborted) return Promise.resolve('abort');
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.pendingApprovals.delete(callId);
        resolve('abort');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pendingApprovals.set(callId, (decision) => {
        signal.removeEventListener('abort', onAbort);
        resolve(decision);
      });
    });
  }

  private addUserInput(items: MessageInput, emit: (msg: EventMsg) => void): string {
    const { item, text, images } = userTurnMessage(items);
    this.recordItem(item);
    emit(images.length > 0 ? { type: 'user_message', message: text, images } : { type: 'user_message', message: text });
    return text;
  }

  private environmentMessage(): MessageItem {
    const sandbox = this.context.sandboxPolicy.type;
    return userMessage(
      environmentContext({
        cwd: this.context.cwd,
        approvalPolicy: this.context.approvalPolicy,
        sandboxMode: sandbox,
        shell: process.env.SHELL ?? 'bash',
      }),
    );
  }

  private recordItem(item: ResponseItem): void {
    this.history.record(item);
    this.recorder.recordItem(item);
  }

  private emit(id: string, msg: EventMsg): void {
    this.recorder.recordEvent(msg);
    this.events.push({ id, seq: this.seq++, msg });
  }
}

/** The environment message for what changed between two contexts, or null when nothing the model was told changed. */
function contextChangeNote(before: TurnContext, after: TurnContext): ResponseItem | null {
  const fields = {
    cwd: after.cwd !== before.cwd ? after.cwd : undefined,
    approvalPolicy: after.approvalPolicy !== before.approvalPolicy ? after.approvalPolicy : undefined,
    sandboxMode: after.sandboxPolicy.type !== before.sandboxPolicy.type ? after.sandboxPolicy.type : undefined,
  };
  if (Object.values(fields).every((value) => value === undefined)) return null;
  return userMessage(environmentContext(fields));
}

