/**
 * What the UI needs from the outside to run a session and to switch to another (/new, /resume): the command-line
 * layer opens logs and builds engines; the UI only asks for them.
 */
import type { Agent } from '../core/agent.ts';
import type { EventMsg } from '../protocol/index.ts';

export interface SessionHandle {
  agent: Agent;
  /** A resumed session's recorded events, shown as its transcript; empty for a new session. */
  replay: readonly EventMsg[];
  /** Whether a resumed session's last task was cut off (its open calls were answered in the log). */
  midTask: boolean;
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

export interface SessionServices {
  newSession(): Promise<SessionHandle>;
  /** This repository's sessions, newest first. */
  listSessions(): Promise<SessionChoice[]>;
  resumeSession(id: string): Promise<SessionHandle>;
}
