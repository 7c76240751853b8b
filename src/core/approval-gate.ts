/**
 * Decides, before a tool runs, whether it runs, how (in the sandbox or not), is refused, or needs the person's
 * answer. The decision itself is the pure `assessCommand` / `assessPatch`; this class adds the session's memory
 * (what was approved for the session). Asking and waiting belong to the call's runner (`run-tool-call.ts`).
 */
import type { AskForApproval, EventMsg, SandboxPolicy } from '../protocol/index.ts';
import { assessCommand, assessPatch, commandApprovalKey, patchPaths } from '../tools/approval/index.ts';
import type { ApprovalSubject, ToolContext } from '../tools/tool.ts';
import { detectSandboxDenial, networkAllowed, type PathProbe, type WritablePaths } from '../sandbox/index.ts';
import { assessSandboxRetry } from '../tools/approval/index.ts';

/** The machine-facing half of safety, given by the front end's wiring (real sandbox, real file system). */
export interface SafetyServices {
  /** Whether commands can be sandboxed here as `policy` requires (network cut off or not); probed once, on first need. */
  sandboxAvailable(policy: SandboxPolicy): Promise<boolean>;
  /** Why no sandbox works and what to do, for the one-time notice. */
  sandboxProblem(): Promise<string | null>;
  writable(policy: SandboxPolicy, cwd: string): WritablePaths;
  /** The argv that runs `argv` confined by `policy`, or why it cannot be. */
  wrap(argv: readonly string[], policy: SandboxPolicy, cwd: string): { type: 'wrapped'; argv: string[] } | { type: 'unsupported'; reason: string };
  probe: PathProbe;
}

/** What the gate makes of a call before it runs. */
export type GateDecision =
  | { type: 'run'; sandboxed: false }
  /** Runs confined: `wrap` turns the argv to spawn into the argv that runs it in the sandbox, or says why it cannot. */
  | { type: 'run'; sandboxed: true; wrap: WrapArgv }
  | { type: 'refuse'; reason: string }
  | Question;

/**
 * The person must be asked: `request` is the event to emit; `rememberForSession` is called when the answer is
 * "approve for the session", so the same command (or paths) are not asked about again.
 */
export interface Question {
  type: 'ask';
  request: EventMsg;
  rememberForSession(): void;
}

export type WrapArgv = NonNullable<ToolContext['wrapArgv']>;

export interface GateCall {
  callId: string;
  /** The session's working directory: the writable roots start there. */
  cwd: string;
  subject: ApprovalSubject;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  /** Emits an event of the task (the one-time notice that no sandbox works here). */
  emit(msg: EventMsg): void;
}

export class ApprovalGate {
  private readonly approvedCommands = new Set<string>();
  private readonly approvedPaths = new Set<string>();
  /** MCP tools approved for the session, as `server\0tool`. */
  private readonly approvedMcpTools = new Set<string>();
  private noticeGiven = false;

  constructor(private readonly safety: SafetyServices) {}

  async decide(call: GateCall): Promise<GateDecision> {
    switch (call.subject.type) {
      case 'none':
        return { type: 'run', sandboxed: false };
      case 'command':
        return this.decideCommand(call, call.subject);
      case 'patch':
        return this.decidePatch(call, call.subject.changes);
      case 'mcp':
        return this.decideMcp(call, call.subject);
    }
  }

  /**
   * MCP tools: `approve` runs, `prompt` always asks; `auto` runs what the server marks read-only and treats the rest
   * as a write: asked under `untrusted` and `on-request`, run under `on-failure` and `never` (what exec uses).
   * Nothing can be asked under `never`: a `prompt` tool is then refused with what to configure.
   */
  private decideMcp(call: GateCall, subject: Extract<ApprovalSubject, { type: 'mcp' }>): GateDecision {
    const key = `${subject.server}\u0000${subject.tool}`;
    if (subject.mode === 'approve' || this.approvedMcpTools.has(key)) return { type: 'run', sandboxed: false };
    const wantsQuestion = subject.mode === 'prompt' || (!subject.readOnly && (call.approvalPolicy === 'untrusted' || call.approvalPolicy === 'on-request'));
    if (!wantsQuestion) return { type: 'run', sandboxed: false };
    if (call.approvalPolicy === 'never') {
      return {
        type: 'refuse',
        reason: `the MCP server ${subject.server} is set to ask before each call (default_tools_approval_mode = "prompt") and this run asks no questions; set it to "approve" to let it run`,
      };
    }
    const reason = subject.mode === 'prompt' ? `the MCP server ${subject.server} asks before each call` : `${subject.tool} is not marked read-only by the MCP server ${subject.server}`;
    return {
      type: 'ask',
      request: { type: 'mcp_tool_approval_request', call_id: call.callId, invocation: { server: subject.server, tool: subject.tool, arguments: subject.arguments }, reason },
      rememberForSession: () => this.approvedMcpTools.add(key),
    };
  }

  private async decideCommand(call: GateCall, subject: Extract<ApprovalSubject, { type: 'command' }>): Promise<GateDecision> {
    const sandboxAvailable = call.sandboxPolicy.type === 'danger-full-access' ? false : await this.safety.sandboxAvailable(call.sandboxPolicy);
    if (!sandboxAvailable && call.sandboxPolicy.type !== 'danger-full-access') await this.noticeOnce(call);
    const decision = assessCommand({
      argv: subject.argv,
      cwd: subject.cwd,
      approvalPolicy: call.approvalPolicy,
      sandboxPolicy: call.sandboxPolicy,
      sandboxAvailable,
      sessionApproved: this.approvedCommands,
    });
    switch (decision.type) {
      case 'reject':
        return { type: 'refuse', reason: decision.reason };
      case 'auto_approve': {
        if (decision.sandbox === 'none') return { type: 'run', sandboxed: false };
        const policy = call.sandboxPolicy;
        const wrapped = this.safety.wrap(subject.argv, policy, subject.cwd);
        if (wrapped.type === 'unsupported') return { type: 'refuse', reason: wrapped.reason };
        // Fail closed: an argv that cannot be confined is refused, never run as it is.
        return { type: 'run', sandboxed: true, wrap: (argv, cwd) => this.safety.wrap(argv, policy, cwd) };
      }
      case 'ask':
        return this.commandQuestion(call.callId, subject.argv, subject.cwd, decision.reason);
    }
  }

  private decidePatch(call: GateCall, changes: Parameters<typeof patchPaths>[0]): GateDecision {
    const paths = patchPaths(changes);
    const decision = assessPatch({
      paths,
      writable: this.safety.writable(call.sandboxPolicy, call.cwd),
      approvalPolicy: call.approvalPolicy,
      sandboxPolicy: call.sandboxPolicy,
      sessionApprovedPaths: this.approvedPaths,
      probe: this.safety.probe,
    });
    switch (decision.type) {
      case 'auto_approve':
        return { type: 'run', sandboxed: false };
      case 'reject':
        return { type: 'refuse', reason: decision.reason };
      case 'ask':
        return {
          type: 'ask',
          request: { type: 'apply_patch_approval_request', call_id: call.callId, changes, reason: decision.reason },
          rememberForSession: () => {
            for (const path of paths) this.approvedPaths.add(path);
          },
        };
    }
  }

  /**
   * After a sandboxed command failed: when the failure looks like the sandbox's doing, `on-failure` (and `untrusted`)
   * ask whether to run it again without the sandbox; the other policies tell the model what blocked it.
   */
  afterSandboxedFailure(call: GateCall, exitCode: number | null, output: string): { type: 'not_denial' } | { type: 'keep'; note: string } | Question {
    if (call.subject.type !== 'command') return { type: 'not_denial' };
    const denial = detectSandboxDenial(exitCode, output, { sandboxed: true, networkDisabled: !networkAllowed(call.sandboxPolicy) });
    if (denial.type === 'not_denial') return { type: 'not_denial' };
    const next = assessSandboxRetry(call.approvalPolicy, denial.evidence);
    if (next.type === 'report_failure') return { type: 'keep', note: next.reason };
    return this.commandQuestion(call.callId, call.subject.argv, call.subject.cwd, next.reason);
  }

  private commandQuestion(callId: string, argv: string[], cwd: string, reason: string): Question {
    return {
      type: 'ask',
      request: { type: 'exec_approval_request', call_id: callId, command: argv, cwd, reason },
      rememberForSession: () => this.approvedCommands.add(commandApprovalKey(argv, cwd)),
    };
  }

  private async noticeOnce(call: GateCall): Promise<void> {
    if (this.noticeGiven) return;
    this.noticeGiven = true;
    const problem = await this.safety.sandboxProblem();
    call.emit({
      type: 'warning',
      message: `no sandbox can run here${problem ? ` (${problem})` : ''}: commands that would have run sandboxed are asked about or refused instead`,
    });
  }
}
