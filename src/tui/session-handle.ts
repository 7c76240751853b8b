/**
 * What the UI needs from the outside to run a session and to switch to another (/new, /resume): the command-line
 * layer opens logs and builds engines; the UI only asks for them.
 */
import type { Agent } from '../core/agent.ts';
import type { AskForApproval, EventMsg, SandboxPolicy } from '../protocol/index.ts';

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
}
