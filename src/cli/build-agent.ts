/** Wires the engine for a session: the model client, the tools, the policies in force. */
import { createAgent, type Agent } from '../core/agent.ts';
import { BASE_INSTRUCTIONS } from '../core/base-instructions.ts';
import type { SessionRecorder } from '../core/session-recorder.ts';
import type { PromptHistory, SessionOptions } from '../core/session.ts';
import type { AskForApproval, ResponseItem, SandboxPolicy } from '../protocol/index.ts';
import type { SafetyServices } from '../core/approval-gate.ts';
import { SnapshotService, type RecordedSnapshotEvent } from '../core/snapshot-service.ts';
import { createModelClient } from '../model/create-model-client.ts';
import type { ModelClientConfig, ModelProfile } from '../model/index.ts';
import type { Notifier } from '../core/notify-hook.ts';
import { createApplyPatchTool } from '../tools/apply-patch/patch-tool.ts';
import { createShellTool } from '../tools/shell/shell-tool.ts';
import { createUpdatePlanTool } from '../tools/plan/update-plan-tool.ts';
import { createExecCommandTool, createWriteStdinTool } from '../tools/exec-command/exec-command-tool.ts';
import { ProcessTable } from '../tools/exec-command/process-table.ts';
import { startMcpTools } from '../mcp/mcp-late-tools.ts';
import type { KeelConfig } from '../config/index.ts';
import { VERSION } from './version.ts';
import { appendPrompt } from '../store/index.ts';
import type { RunSettings } from './run-settings.ts';
import { createSafetyServices } from './safety-services.ts';

export interface AgentSettings {
  model: string;
  cwd: string;
  /** The provider's client settings, API key included. */
  client: ModelClientConfig;
  providerId: string;
  stateful: boolean;
  maxRetries: number;
  /** For shell calls that give no timeout; default: the shell tool's own. */
  shellTimeoutMs?: number;
  sessionId?: string;
  recorder?: SessionRecorder;
  initialHistory?: readonly ResponseItem[];
  /** A resumed session's compactions so far and the usage its server last reported. */
  initialContext?: SessionOptions['initialContext'];
  promptHistory?: PromptHistory;
  userInstructions?: string | null;
  notifier?: Notifier;
  /** The environment of every command; default keel's own. */
  commandEnv?: Record<string, string>;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  /** What keel sends to and knows about a model; absent: nothing is known (no reasoning parameters). */
  modelProfile?: (model: string) => ModelProfile;
  /** The sandbox and approval services; absent only where every call may run as it is (danger-full-access). */
  safety?: SafetyServices;
  /** Default `exec_command`. */
  shellTool?: 'exec_command' | 'shell';
  /** Default 8. */
  maxBackgroundProcesses?: number;
  /** Started in the background with the session; their tools join once each is up. */
  mcpServers?: KeelConfig['mcp_servers'];
  /** keel's snapshots of the working tree; absent: none (diffs of apply_patch only, no undo). */
  snapshots?: SnapshotService;
}

export function buildAgent(settings: AgentSettings): Agent {
  const background = settings.initialContext?.background;
  const processes = new ProcessTable({
    max: settings.maxBackgroundProcesses,
    firstId: background?.nextId,
    endedWithLastRun: background?.processes,
  });
  const shell = createShellTool({ defaultTimeoutMs: settings.shellTimeoutMs, env: settings.commandEnv });
  const execTools = [createExecCommandTool({ table: processes, env: settings.commandEnv }), createWriteStdinTool({ table: processes })];
  const offersShell = settings.shellTool === 'shell';
  const builtIn = [...(offersShell ? [shell] : execTools), createApplyPatchTool(), createUpdatePlanTool()];
  const hidden = offersShell ? execTools : [shell];
  const servers = settings.mcpServers ?? {};
  const lateTools = Object.values(servers).some((server) => server.enabled)
    ? startMcpTools({
        servers,
        env: settings.commandEnv ?? process.env,
        secretsEnv: process.env,
        cwd: settings.cwd,
        reservedNames: new Set([...builtIn, ...hidden].map((tool) => tool.name)),
        version: VERSION,
      })
    : undefined;
  return createAgent({
    providerId: settings.providerId,
    context: {
      model: settings.model,
      cwd: settings.cwd,
      approvalPolicy: settings.approvalPolicy,
      sandboxPolicy: settings.sandboxPolicy,
    },
    client: createModelClient(settings.client),
    tools: builtIn,
    // The other shell tool still runs when called (a model trained on it, a resumed session's history).
    understoodTools: hidden,
    processes,
    lateTools,
    instructions: BASE_INSTRUCTIONS,
    stateful: settings.stateful,
    maxRetries: settings.maxRetries,
    sessionId: settings.sessionId,
    recorder: settings.recorder,
    initialHistory: settings.initialHistory,
    initialContext: settings.initialContext,
    promptHistory: settings.promptHistory,
    userInstructions: settings.userInstructions,
    notifier: settings.notifier,
    safety: settings.safety,
    modelProfile: settings.modelProfile,
    snapshots: settings.snapshots,
  });
}

/** One session's own parts, next to the run's settings. */
export interface SessionWiring {
  home: string;
  env: NodeJS.ProcessEnv;
  sessionId: string;
  cwd: string;
  model: string;
  recorder: SessionRecorder;
  initialHistory: readonly ResponseItem[];
  initialContext?: SessionOptions['initialContext'];
  approvalPolicy: AskForApproval;
  /** Default: the settings' sandbox policy. */
  sandboxPolicy?: SandboxPolicy;
  /** For shell calls that give no timeout; default: the shell tool's own. */
  shellTimeoutMs?: number;
  /** Strings never written to the log or the prompt history (the API key). */
  secrets: string[];
  /** What the log says about snapshots so far (a resumed or forked session): tasks, snapshots and undos. */
  snapshotHistory?: { tasksSoFar: number; recorded: RecordedSnapshotEvent[] };
}

/** The engine for a session of a front end, from the run's resolved settings. */
export function buildSessionAgent(settings: RunSettings, wiring: SessionWiring): Agent {
  const { home, secrets, sessionId } = wiring;
  return buildAgent({
    model: wiring.model,
    cwd: wiring.cwd,
    client: settings.client,
    providerId: settings.providerId,
    stateful: settings.stateful,
    maxRetries: settings.maxRetries,
    shellTimeoutMs: wiring.shellTimeoutMs,
    userInstructions: settings.userInstructions,
    notifier: settings.notifier,
    commandEnv: settings.commandEnv,
    shellTool: settings.shellTool,
    maxBackgroundProcesses: settings.maxBackgroundProcesses,
    mcpServers: settings.mcpServers,
    modelProfile: (model) => settings.modelSettings(model).profile,
    approvalPolicy: wiring.approvalPolicy,
    sandboxPolicy: wiring.sandboxPolicy ?? settings.sandboxPolicy,
    safety: createSafetyServices(wiring.env, home, settings.rules),
    sessionId,
    recorder: wiring.recorder,
    initialHistory: wiring.initialHistory,
    initialContext: wiring.initialContext,
    snapshots: settings.snapshots.enabled
      ? new SnapshotService({
          home,
          cwd: wiring.cwd,
          sessionId,
          tasksSoFar: wiring.snapshotHistory?.tasksSoFar ?? 0,
          recorded: wiring.snapshotHistory?.recorded,
          limits: { maxFileBytes: settings.snapshots.max_file_bytes, maxFiles: settings.snapshots.max_files },
        })
      : undefined,
    promptHistory: settings.saveHistory
      ? { append: (text) => appendPrompt({ home, sessionId, text, secrets, maxBytes: settings.historyMaxBytes }) }
      : undefined,
  });
}
