/**
 * What the UI needs from the outside to run a session and to switch to another (/new, /resume): the command-line
 * layer opens logs and builds engines; the UI only asks for them.
 */
import type { Agent } from '../core/agent.ts';
import type { AskForApproval, EventMsg, EventOf, SandboxPolicy } from '../protocol/index.ts';
import type { ImageUserInput } from '../util/load-image.ts';

export interface SessionHandle {
  agent: Agent;
  /**
   * A resumed session's transcript, ready to show as it is (the engine's resume plan: one header, no stale approval
   * questions, a task cut off by a crash closed by a `turn_aborted`); empty for a new session.
   */
  replay: readonly EventMsg[];
  /** Whether the log ended inside a task (keel was killed or crashed there): the UI says so when it resumes. */
  cutOff: boolean;
  /**
   * Whether `replay` begins at the session's last compaction: what came before is not shown (the UI says where to
   * read it), and the replay has no header of its own when the session was not resumed since.
   */
  replayFromCompaction: boolean;
  /** Compactions in the session's life so far (from its log), for /status. */
  compactions: number;
  /** Where the session is recorded, for /status; null when it is not. */
  logPath: string | null;
  /** The instruction files (AGENTS.md) the session was given, for /status. */
  instructionFiles: readonly string[];
  /** Closes the log (after the engine's `shutdown_complete`). */
  close(): Promise<void>;
  /** What the UI shows first on a session opened for a fork; absent for any other. */
  opening?: SessionOpening;
}

/** A fork, as the UI opens it: a note saying where it comes from, and the prompt forked at, in the box unsent. */
export interface SessionOpening {
  /** One line: `forked from 1a2b3c4d at prompt 2`. */
  note: string;
  /** Put into the prompt box (an empty one) to be changed and sent. */
  draft: { text: string; images: readonly ImageUserInput[] };
  /**
   * Putting the files back as they were before that prompt's task (undoing it and every later task of the source);
   * null when no snapshot holds them (the task wrote nothing, or the prompt was queued into a running task).
   */
  restore: ForkRestore | null;
}

/** What putting files back did or would do, or why it cannot be done. */
export type RestoreOutcome = { type: 'result'; result: EventOf<'undo_result'> } | { type: 'refused'; message: string };

/** The files back to a fork's point, from the source session's snapshots (the source's log is not written). */
export interface ForkRestore {
  /** The source's task the prompt started. */
  task: number;
  /** What putting them back would do (an `undo_result` with `done: false`), or why it cannot. */
  preview(): Promise<RestoreOutcome>;
  /** Does it; `force` overwrites the files changed since the source's last task. */
  apply(force: boolean): Promise<RestoreOutcome>;
}

/** One prompt of the session on screen, for /fork. */
export interface PromptChoice {
  /** 1-based, over the session's whole life. */
  number: number;
  text: string;
  /** Images sent with it. */
  images: number;
  /** Sent while a task ran, queued into it. */
  queued: boolean;
}

export interface SessionChoice {
  id: string;
  /** When it was last written, for the picker. */
  updatedAt: Date;
  /** Its first prompt, or a placeholder. */
  title: string;
  status: string;
}

/** What a person chose during this run (/model, /approvals) and keeps when switching sessions. */
export interface SessionChoices {
  model: string;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
}

export interface SessionServices {
  /** A new session with the choices in force. */
  newSession(choices: SessionChoices): Promise<SessionHandle>;
  /** This repository's sessions, the one used last first. */
  listSessions(): Promise<SessionChoice[]>;
  /** A recorded session, with its own model and the approval and sandbox choices in force. */
  resumeSession(id: string, choices: SessionChoices): Promise<SessionHandle>;
  /** The prompts of a recorded session, oldest first. */
  listPrompts(id: string): Promise<PromptChoice[]>;
  /**
   * A new session whose history is session `id`'s up to just before its prompt `prompt` (that session is left as it
   * is), opened with the choices in force, its `opening` set.
   */
  forkSession(id: string, prompt: number, choices: SessionChoices): Promise<SessionHandle>;
}
