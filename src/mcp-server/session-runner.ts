/**
 * One open session of the MCP server: the only reader of its engine's events, running one task at a time for the
 * tool calls that use it, and shutting it down at the end.
 *
 * Events of the running task (those carrying its `user_turn`'s submission id) go to that task; approval requests
 * among them become questions for the client, answered with `exec_approval` / `patch_approval`. Everything else
 * (warnings between tasks, MCP server states) is a diagnostic for stderr.
 */
import type { Agent } from '../core/agent.ts';
import type { Event, EventMsg, ReviewDecision } from '../protocol/index.ts';
import { approvalQuestion, isApprovalRequest, type ApprovalQuestion } from './approval-question.ts';
import type { TaskOutcome } from './tool-results.ts';

/** An opened session as the server holds it. */
export interface AgentSession {
  agent: Agent;
  sessionId: string;
  /** Where the session is recorded. */
  logPath: string;
  /** Ends the log cleanly; called once the engine's events have ended. */
  close(): Promise<void>;
}

export interface TaskHooks {
  /** Aborted when the client cancels the call: the task is interrupted, the outcome comes after `turn_aborted`. */
  signal: AbortSignal;
  /**
   * Asks the client about one call. Must not reject: a question that cannot be asked is a decision too. `signal`
   * aborts once the answer is no longer wanted (the task ended or was interrupted).
   */
  decide(question: ApprovalQuestion, signal: AbortSignal): Promise<ReviewDecision>;
  /** Sees every event of the task, in order. Must not throw. */
  onEvent(msg: EventMsg): void;
}

interface ActiveTask {
  submissionId: string;
  hooks: TaskHooks;
  started: boolean;
  finalMessage: string | null;
  errors: string[];
  interruptedBy?: TaskOutcome['interruptedBy'];
  /** Aborts the questions still open when the task ends or is interrupted. */
  questions: AbortController;
  finish(outcome: TaskOutcome): void;
}

/** `winding_down`: the running task's call was cancelled (or keel is stopping); its `turn_aborted` is on the way. */
export type RunnerState = 'idle' | 'running' | 'winding_down' | 'closed';

export class SessionRunner {
  private active: ActiveTask | null = null;
  private shuttingDown = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly pumped: Promise<void>;

  constructor(
    readonly session: AgentSession,
    private readonly diagnostic: (text: string) => void,
  ) {
    this.pumped = this.pump();
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  get state(): RunnerState {
    if (this.closed) return 'closed';
    if (this.active === null) return this.shuttingDown ? 'closed' : 'idle';
    return this.active.interruptedBy === undefined ? 'running' : 'winding_down';
  }

  /** Resolves once no task runs (at once when none does). */
  whenIdle(): Promise<void> {
    if (this.active === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Runs one task to its end. The caller makes sure the runner is idle (see `state`). */
  runTask(prompt: string, hooks: TaskHooks): Promise<TaskOutcome> {
    if (this.state !== 'idle') throw new Error(`session ${this.sessionId} is ${this.state}: a task cannot start`);
    if (hooks.signal.aborted) return Promise.resolve({ status: 'interrupted', finalMessage: null, errors: [], interruptedBy: 'client' });
    return new Promise((resolve) => {
      const task: ActiveTask = {
        submissionId: '',
        hooks,
        started: false,
        finalMessage: null,
        errors: [],
        questions: new AbortController(),
        finish: (outcome) => {
          if (this.active !== task) return;
          this.active = null;
          task.questions.abort();
          hooks.signal.removeEventListener('abort', onCancel);
          resolve(outcome);
          for (const wake of this.idleWaiters.splice(0)) wake();
        },
      };
      const onCancel = (): void => this.interrupt(task, 'client');
      this.active = task;
      hooks.signal.addEventListener('abort', onCancel, { once: true });
      task.submissionId = this.session.agent.submit({ type: 'user_turn', items: [{ type: 'text', text: prompt }] });
    });
  }

  /** Ends the session: a running task is interrupted, the log flushed and closed. Safe to call more than once. */
  async shutdown(): Promise<void> {
    if (!this.shuttingDown && !this.closed) {
      this.shuttingDown = true;
      if (this.active !== null) this.active.interruptedBy ??= 'shutdown';
      this.session.agent.submit({ type: 'shutdown' });
    }
    await this.pumped;
  }

  private interrupt(task: ActiveTask, by: NonNullable<TaskOutcome['interruptedBy']>): void {
    if (this.active !== task || task.interruptedBy !== undefined) return;
    task.interruptedBy = by;
    task.questions.abort();
    this.session.agent.submit({ type: 'interrupt' });
  }

  private async pump(): Promise<void> {
    try {
      for await (const event of this.session.agent.events) this.dispatch(event);
    } catch (error) {
      this.diagnostic(`session ${this.sessionId}: the engine's events ended with an error: ${(error as Error).message}`);
    } finally {
      this.closed = true;
      const task = this.active;
      task?.finish({ status: 'interrupted', finalMessage: task.finalMessage, errors: task.errors, interruptedBy: task.interruptedBy ?? 'shutdown' });
      try {
        await this.session.close();
      } catch (error) {
        this.diagnostic(`session ${this.sessionId}: the log could not be closed: ${(error as Error).message}`);
      }
    }
  }

  private dispatch(event: Event): void {
    const task = this.active;
    if (task !== null && event.id === task.submissionId) {
      this.taskEvent(task, event.msg);
      return;
    }
    const msg = event.msg;
    if (msg.type === 'warning' || msg.type === 'error') this.diagnostic(`session ${this.sessionId}: ${msg.type}: ${msg.message}`);
  }

  private taskEvent(task: ActiveTask, msg: EventMsg): void {
    task.hooks.onEvent(msg);
    if (isApprovalRequest(msg)) {
      const question = approvalQuestion(msg);
      this.ask(task, question).catch((error: unknown) => {
        // A bug: the call stays unanswered until the task is interrupted (the client's cancel, or shutdown).
        this.diagnostic(`session ${this.sessionId}: the question about call ${question.callId} failed: ${(error as Error).message}`);
      });
      return;
    }
    switch (msg.type) {
      case 'task_started':
        task.started = true;
        return;
      case 'agent_message':
        task.finalMessage = msg.message;
        return;
      case 'error':
        task.errors.push(msg.message);
        // A turn refused before it started (no task follows) ends the call here.
        if (!task.started) task.finish({ status: 'failed', finalMessage: null, errors: task.errors });
        return;
      case 'task_complete':
        task.finish({ status: task.errors.length > 0 ? 'failed' : 'completed', finalMessage: msg.last_agent_message ?? task.finalMessage, errors: task.errors });
        return;
      case 'turn_aborted':
        task.finish({ status: 'interrupted', finalMessage: task.finalMessage, errors: task.errors, interruptedBy: task.interruptedBy });
        return;
      default:
        return;
    }
  }

  private async ask(task: ActiveTask, question: ApprovalQuestion): Promise<void> {
    const decision = await task.hooks.decide(question, task.questions.signal);
    // An interrupt has answered every open question already.
    if (this.active !== task || task.questions.signal.aborted) return;
    this.session.agent.submit({ type: question.answerOp, id: question.callId, decision });
    if (decision === 'abort') {
      // The engine interrupts the task and answers its other questions itself: the client need not answer them.
      task.interruptedBy ??= 'abort_answer';
      task.questions.abort();
    }
  }
}
