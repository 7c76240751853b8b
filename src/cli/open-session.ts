/**
 * Opens a session for a front end, new or resumed, the one way `keel exec` and the interactive UI both use: the log
 * (locked, with the answers a resume owes written before anything is sent), the engine's resume plan, and the
 * engine built on the recorded history with the policies in force.
 */
import { randomUUID } from 'node:crypto';
import type { Agent } from '../core/agent.ts';
import type { ResumePlan } from '../core/resume.ts';
import type { AskForApproval, SandboxPolicy } from '../protocol/index.ts';
import type { SessionSource } from '../store/index.ts';
import { readSnapshotEvents } from '../store/index.ts';
import { pendingUndo } from '../store/snapshots/index.ts';
import { buildSessionAgent } from './build-agent.ts';
import { warn } from './warnings.ts';
import type { RunSettings } from './run-settings.ts';
import { openNewLog, resumeLog, type OpenLog } from './session-log-setup.ts';

export type SessionTarget =
  /** `sessionId`: the id a job chose (`exec --session-id`); default a new random one. */
  | { type: 'new'; cwd: string; source: SessionSource; sessionId?: string }
  /** A located session (see `locateSession`) and the directory it works in. */
  | { type: 'resume'; path: string; cwd: string };

export interface SessionRequest {
  home: string;
  env: NodeJS.ProcessEnv;
  settings: RunSettings;
  target: SessionTarget;
  /** The model to use; default: a resumed session's own, a new session's configured one. */
  model?: string;
  approvalPolicy: AskForApproval;
  /** Default: the settings' sandbox policy. */
  sandboxPolicy?: SandboxPolicy;
  /** For shell calls that give no timeout; default: the shell tool's own. */
  shellTimeoutMs?: number;
  /**
   * Looks at a resumed session before its engine is built (exec refuses to resume a finished task without a
   * prompt). When it throws, the log is closed again and the error goes up.
   */
  check?(resumed: { sessionId: string; plan: ResumePlan }): void;
}

export interface OpenedSession {
  agent: Agent;
  sessionId: string;
  cwd: string;
  /** Where the session is recorded. */
  logPath: string;
  /** What the resume rules made of the log; null for a new session. */
  plan: ResumePlan | null;
  /** Ends the log cleanly (after the engine's `shutdown_complete`). Safe to call twice. */
  close(): Promise<void>;
}

export async function openSession(request: SessionRequest): Promise<OpenedSession> {
  const { home, env, settings, target } = request;
  const secrets = settings.secrets;
  let log: OpenLog;
  let sessionId: string;
  let model: string;
  let plan: ResumePlan | null = null;
  if (target.type === 'new') {
    sessionId = target.sessionId ?? randomUUID();
    model = request.model ?? settings.model;
    log = await openNewLog({ home, sessionId, cwd: target.cwd, model, providerId: settings.providerId, source: target.source, secrets });
  } else {
    const resumed = await resumeLog(target.path, secrets);
    log = resumed.log;
    sessionId = resumed.meta.session_id;
    model = request.model ?? resumed.meta.model;
    plan = resumed.plan;
  }
  const cutOff = pendingUndo(home, target.cwd);
  if (cutOff !== null) {
    warn(`an undo of task ${cutOff.task} in ${cutOff.root} was cut off before it finished: "keel undo --finish" completes it, "keel undo --rollback" reverts it`);
  }
  try {
    if (plan !== null) request.check?.({ sessionId, plan });
    const agent = buildSessionAgent(settings, {
      home,
      env,
      sessionId,
      cwd: target.cwd,
      model,
      recorder: log.writer,
      initialHistory: plan?.history ?? [],
      initialContext: plan?.context,
      approvalPolicy: request.approvalPolicy,
      sandboxPolicy: request.sandboxPolicy,
      shellTimeoutMs: request.shellTimeoutMs,
      secrets,
      snapshotHistory: target.type === 'resume' ? { tasksSoFar: log.writer.turns, recorded: readSnapshotEvents(target.path) } : undefined,
    });
    return { agent, sessionId, cwd: target.cwd, logPath: log.writer.path, plan, close: () => log.close('shutdown') };
  } catch (error) {
    await log.close('shutdown');
    throw error;
  }
}
