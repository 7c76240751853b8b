/**
 * Decides, before a tool runs, whether it runs, how (in the sandbox or not), is refused, or needs the person's
 * answer. The decision itself is the pure `assessCommand` / `assessPatch`; this class adds the session's memory
 * (what was approved for the session), the person's `[[rules]]`, and the machine (sandbox probe, wrapping). Asking
 * and waiting belong to the call's runner (`run-tool-call.ts`).
 *
 * It fails closed: a sandbox probe that throws, an argv that cannot be wrapped (or whose wrapping throws) and rules
 * that cannot be applied each refuse the command with the reason; none of them lets it run unconfined.
 */
import type { AskForApproval, EventMsg, SandboxPolicy } from '../protocol/index.ts';
import { assessCommand, assessPatch, commandApprovalKey, patchPaths } from '../tools/approval/index.ts';
import type { ApprovalSubject, ToolContext } from '../tools/tool.ts';
import { detectSandboxDenial, networkAllowed, type PathProbe, type WritablePaths } from '../sandbox/index.ts';
import { assessSandboxRetry } from '../tools/approval/index.ts';
import { analyzeArgv } from '../tools/approval/analyze-command.ts';
import { matchRules, type CommandRule } from '../tools/approval/command-rules.ts';
import { programName } from '../tools/approval/program-name.ts';
import type { SaveRuleResult } from '../tools/approval/rules-file.ts';

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
  /** The person's `[[rules]]` (their own config.toml, a project's forbidden and prompt rules); absent: none. */
  rules?: readonly CommandRule[];
  /** Appends an allow rule to the person's own config.toml; absent where nothing can be saved. */
  saveAllowRule?(pattern: readonly string[]): Promise<SaveRuleResult>;
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
  /**
   * A command question's "allow it from now on": the allow rule that would make this line run without asking
   * (the command's words, as a prefix), and what saves it to the person's config.toml and applies it at once.
   * Absent when no such rule would do it (a prompt rule asked, several commands, a redirection) or none can be saved.
   */
  saveAsRule?: { pattern: readonly string[]; save(): Promise<SaveRuleResult> };
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
  private probeWarningGiven = false;
  /** The configured rules, plus those saved during the session. */
  private readonly rules: CommandRule[];

  constructor(private readonly safety: SafetyServices) {
    this.rules = [...(safety.rules ?? [])];
  }

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
    const policy = call.sandboxPolicy;
    const probe = policy.type === 'danger-full-access' ? { available: false, failure: null } : await this.probeSandbox(call, policy);
    const decision = assessCommand({
      argv: subject.argv,
      cwd: subject.cwd,
      workspace: call.cwd,
      approvalPolicy: call.approvalPolicy,
      sandboxPolicy: policy,
      // A probe that failed is not taken for "no sandbox" (which may ask and then run unconfined): what needs the
      // sandbox is refused below, the rest is decided as usual.
      sandboxAvailable: probe.available || probe.failure !== null,
      sessionApproved: this.approvedCommands,
      rules: this.rules,
    });
    switch (decision.type) {
      case 'reject':
        return { type: 'refuse', reason: decision.reason };
      case 'auto_approve': {
        if (decision.sandbox === 'none') return { type: 'run', sandboxed: false };
        if (probe.failure !== null) return { type: 'refuse', reason: `the sandbox check failed (${probe.failure}); the command would run in the sandbox, so it does not run` };
        const wrap: WrapArgv = (argv, cwd) => this.wrapSafely(argv, policy, cwd);
        const wrapped = wrap(subject.argv, subject.cwd);
        // Fail closed: an argv that cannot be confined is refused, never run as it is.
        if (wrapped.type === 'unsupported') return { type: 'refuse', reason: wrapped.reason };
        return { type: 'run', sandboxed: true, wrap };
      }
      case 'ask':
        return this.commandQuestion(call.callId, subject.argv, subject.cwd, decision.reason);
    }
  }

  private async probeSandbox(call: GateCall, policy: SandboxPolicy): Promise<{ available: boolean; failure: string | null }> {
    let available: boolean;
    try {
      available = await this.safety.sandboxAvailable(policy);
    } catch (error) {
      const failure = errorText(error);
      if (!this.probeWarningGiven) {
        this.probeWarningGiven = true;
        call.emit({ type: 'warning', message: `the sandbox check failed (${failure}): commands that would run sandboxed are refused` });
      }
      return { available: false, failure };
    }
    if (!available) await this.noticeOnce(call);
    return { available, failure: null };
  }

  /** `wrap` that answers "cannot be confined" instead of throwing. */
  private wrapSafely(argv: readonly string[], policy: SandboxPolicy, cwd: string): ReturnType<WrapArgv> {
    try {
      return this.safety.wrap(argv, policy, cwd);
    } catch (error) {
      return { type: 'unsupported', reason: `the command cannot be confined: ${errorText(error)}` };
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
    const rememberForSession = (): void => {
      this.approvedCommands.add(commandApprovalKey(argv, cwd));
    };
    const question: Question = { type: 'ask', request: { type: 'exec_approval_request', call_id: callId, command: argv, cwd, reason }, rememberForSession };
    const pattern = this.safety.saveAllowRule ? this.proposedRule(argv) : null;
    if (pattern !== null) {
      question.request = { type: 'exec_approval_request', call_id: callId, command: argv, cwd, reason, proposed_rule: [...pattern] };
      question.saveAsRule = {
        pattern,
        save: async () => {
          rememberForSession();
          const saved = await this.safety.saveAllowRule!(pattern).catch((error: unknown): SaveRuleResult => ({ type: 'not_saved', reason: errorText(error) }));
          if (saved.type !== 'not_saved') this.rules.push({ pattern, decision: 'allow', source: `${saved.path}, saved this session` });
          return saved;
        },
      };
    }
    return question;
  }

  /**
   * The allow rule "allow it from now on" would save: the words of the line's one command (the shell that carries
   * it left out), offered only when adding it would really let the line run without asking.
   */
  private proposedRule(argv: readonly string[]): string[] | null {
    try {
      const analysis = analyzeArgv(argv);
      const commands = analysis.commands.filter((command) => command.words.length > 0 && !command.unwrapping?.transparent);
      const only = commands.length === 1 ? commands[0]! : null;
      if (only === null || !only.words.every((word) => word.type === 'literal')) return null;
      // `./build.sh` may be something the model wrote (and can rewrite): never allowed for good.
      if (programName(only.words[0]!.value).type !== 'system') return null;
      const pattern = only.words.map((word) => word.value);
      const outcome = matchRules(analysis, [...this.rules, { pattern, decision: 'allow' }]);
      return outcome.type === 'allowed' ? pattern : null;
    } catch {
      // No proposal is the safe answer to anything unexpected.
      return null;
    }
  }

  private async noticeOnce(call: GateCall): Promise<void> {
    if (this.noticeGiven) return;
    this.noticeGiven = true;
    const problem = await this.safety.sandboxProblem().catch((error: unknown) => errorText(error));
    call.emit({
      type: 'warning',
      message: `no sandbox can run here${problem ? ` (${problem})` : ''}: commands that would have run sandboxed are asked about or refused instead`,
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
