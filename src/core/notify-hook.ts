/**
 * The notify hook: after each completed task, run the user's program (`notify = ["program", "arg", …]`) with
 * one more argument, a JSON description of the turn. Fire and forget: the program runs detached with no stdio,
 * nobody waits for it, and nothing it does (or fails to do) can block or fail a session. Only a failure to start
 * it is reported, once, so a misconfigured hook does not repeat the same warning after every task.
 */

export interface TurnCompleteNotice {
  turnId: string;
  /** The user's messages that started the task, oldest first. */
  inputMessages: readonly string[];
  /** The model's last message of the task; null when it ended without one. */
  lastAgentMessage: string | null;
}

/** The slice of a Node `ChildProcess` the notifier uses. */
export interface DetachedProcess {
  once(event: 'error', listener: (error: Error) => void): unknown;
  unref(): void;
}

/** Node's `child_process.spawn` fits; tests may pass a fake. May throw (bad arguments) or emit 'error' (ENOENT). */
export type SpawnDetached = (program: string, args: string[], options: { detached: true; stdio: 'ignore' }) => DetachedProcess;

export class NotifyHookError extends Error {
  readonly kind = 'spawn_failed';
  readonly command: readonly string[];

  constructor(command: readonly string[], cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`the notify hook ${JSON.stringify(command[0] ?? '')} could not be started: ${reason} (later failures are not reported)`, { cause });
    this.name = 'NotifyHookError';
    this.command = command;
  }
}

export interface NotifierOptions {
  /** The program and its leading arguments; null or empty turns the hook off. */
  command: readonly string[] | null;
  spawn: SpawnDetached;
  /** Called at most once per notifier. Must not throw; if it does, the error is swallowed. */
  onFailure: (error: NotifyHookError) => void;
}

export interface Notifier {
  /** Starts the hook and returns at once; never throws. */
  notify(notice: TurnCompleteNotice): void;
}

/** The one argument the hook receives, with the reference's kebab-case keys. */
export function turnCompletePayload(notice: TurnCompleteNotice): string {
  return JSON.stringify({
    type: 'agent-turn-complete',
    'turn-id': notice.turnId,
    'input-messages': notice.inputMessages,
    'last-assistant-message': notice.lastAgentMessage,
  });
}

export function createNotifier(options: NotifierOptions): Notifier {
  const command = options.command;
  if (command === null || command.length === 0) return { notify: () => {} };
  const [program, ...args] = command as [string, ...string[]];
  let reported = false;
  const report = (cause: unknown): void => {
    if (reported) return;
    reported = true;
    try {
      options.onFailure(new NotifyHookError(command, cause));
    } catch {
      // The contract forbids throwing; a reporter that does anyway must not take the session down with it.
    }
  };
  return {
    notify(notice) {
      try {
        const child = options.spawn(program, [...args, turnCompletePayload(notice)], { detached: true, stdio: 'ignore' });
        child.once('error', report);
        // The hook must not keep keel alive at exit.
        child.unref();
      } catch (error) {
        report(error);
      }
    },
  };
}
