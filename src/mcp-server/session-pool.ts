/**
 * The sessions the MCP server has open, by id: opened by `keel`, found again (or resumed from their logs) by
 * `keel-reply`, and all shut down together when the server stops. How a session is opened is the caller's business
 * (the `SessionOpener`); the pool decides when, and whether a session is free for another task.
 */
import type { AskForApproval, SandboxMode } from '../protocol/index.ts';
import { SessionRunner, type AgentSession, type TaskHooks } from './session-runner.ts';
import type { TaskOutcome } from './tool-results.ts';

export interface NewSessionRequest {
  /** Absolute, and a directory. */
  cwd: string;
  model?: string;
  sandbox?: SandboxMode;
  approvalPolicy?: AskForApproval;
  /** Whether the client answers questions (elicitation); when not, the session runs under `never`. */
  clientAnswers: boolean;
}

/** A session found in the logs, not opened yet. */
export interface RecordedSession {
  /** Its log: the same log means the same session, whatever id prefix found it. */
  path: string;
  resume(clientAnswers: boolean): Promise<AgentSession>;
}

/** Opens sessions. Rejections carry a message for the client (a bad config, a session locked by another keel). */
export interface SessionOpener {
  openNew(request: NewSessionRequest): Promise<AgentSession>;
  /** Finds a recorded session by its id or a unique beginning of it; rejects, saying why, when there is none. */
  locate(idOrPrefix: string): Promise<RecordedSession>;
}

export type ToolCallErrorKind = 'open_failed' | 'unknown_session' | 'busy' | 'shutting_down';

/** A tool call that cannot go on; its message is for the client. */
export class ToolCallError extends Error {
  constructor(
    readonly kind: ToolCallErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ToolCallError';
  }
}

export class SessionPool {
  private readonly runners = new Map<string, SessionRunner>();
  /** Resumes under way, by log path: two replies to one session must not open it twice. */
  private readonly resuming = new Map<string, Promise<SessionRunner>>();
  /** Every open under way, so that shutting down waits for the sessions still being opened. */
  private readonly opening = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    private readonly opener: SessionOpener,
    private readonly diagnostic: (text: string) => void,
  ) {}

  openNew(request: NewSessionRequest): Promise<SessionRunner> {
    this.checkRunning();
    return this.track(
      (async () => {
        const session = await this.opener.openNew(request).catch((error: unknown) => {
          throw new ToolCallError('open_failed', `could not start a session in ${request.cwd}: ${messageOf(error)}`, { cause: error });
        });
        return this.adopt(session);
      })(),
    );
  }

  /** The session with this id: open already, or resumed from its log. */
  async find(idOrPrefix: string, clientAnswers: boolean): Promise<SessionRunner> {
    this.checkRunning();
    const open = this.runners.get(idOrPrefix);
    if (open !== undefined && open.state !== 'closed') return open;
    const recorded = await this.opener.locate(idOrPrefix).catch((error: unknown) => {
      throw new ToolCallError('unknown_session', `no session ${JSON.stringify(idOrPrefix)} to continue: ${messageOf(error)}`, { cause: error });
    });
    const sameLog = [...this.runners.values()].find((runner) => runner.session.logPath === recorded.path && runner.state !== 'closed');
    if (sameLog !== undefined) return sameLog;
    const under = this.resuming.get(recorded.path);
    if (under !== undefined) return under;
    this.checkRunning();
    const resumed = this.track(
      (async () => {
        const session = await recorded.resume(clientAnswers).catch((error: unknown) => {
          throw new ToolCallError('open_failed', `could not resume session ${idOrPrefix}: ${messageOf(error)}`, { cause: error });
        });
        return this.adopt(session);
      })(),
    );
    this.resuming.set(recorded.path, resumed);
    const done = (): void => void this.resuming.delete(recorded.path);
    resumed.then(done, done);
    return resumed;
  }

  /**
   * Runs a task once the session is free. A task whose call was cancelled is still winding down (its commands
   * being stopped): the new one waits for it. A task another call is waiting on makes this call fail at once:
   * its prompt would otherwise be queued into that task, and its answer go to the other call.
   */
  async runTask(runner: SessionRunner, prompt: string, hooks: TaskHooks): Promise<TaskOutcome> {
    for (;;) {
      this.checkRunning();
      switch (runner.state) {
        case 'idle':
          return runner.runTask(prompt, hooks);
        case 'running':
          throw new ToolCallError('busy', `session ${runner.sessionId} is still working on another call: wait for that call's result (or cancel it) first`);
        case 'winding_down':
          await runner.whenIdle();
          continue;
        case 'closed':
          throw new ToolCallError('open_failed', `session ${runner.sessionId} has ended: continue it with keel-reply`);
      }
    }
  }

  /** Shuts every session down (tasks interrupted, processes stopped, logs closed), those still opening included. */
  async shutdownAll(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.opening]);
    await Promise.all([...this.runners.values()].map((runner) => runner.shutdown()));
  }

  private adopt(session: AgentSession): SessionRunner {
    const runner = new SessionRunner(session, this.diagnostic);
    // Kept even when stopping: `shutdownAll` shuts it down once the opens it waits for are done.
    this.runners.set(session.sessionId, runner);
    return runner;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.opening.add(work);
    const done = (): void => void this.opening.delete(work);
    work.then(done, done);
    return work;
  }

  private checkRunning(): void {
    if (this.stopping) throw new ToolCallError('shutting_down', 'the keel MCP server is shutting down');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
