/**
 * Decides, before a tool runs, whether it runs, how (in the sandbox or not), or what the model is told instead —
 * asking the person when the policy says so. The decision itself is the pure `assessCommand` / `assessPatch`; this
 * class adds the session's memory (what was approved for the session) and the waiting for an answer.
 */
import type { AskForApproval, EventMsg, ReviewDecision, SandboxPolicy } from '../protocol/index.ts';
import { assessCommand, assessPatch, commandApprovalKey, patchPaths } from '../tools/approval/index.ts';
import type { ApprovalSubject } from '../tools/tool.ts';
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

export type GateVerdict =
  | { type: 'run'; wrapArgv?: (argv: readonly string[], cwd: string) => string[]; approvedByPerson: boolean }
  /** The call does not run; the model gets `output`. */
  | { type: 'respond'; output: string };

export interface GateCall {
  callId: string;
  /** The session's working directory: the writable roots start there. */
  cwd: string;
  subject: ApprovalSubject;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  signal: AbortSignal;
  emit(msg: EventMsg): void;
  /** Waits for the person's answer to the request just emitted; resolves `abort` when the task is interrupted. */
  waitForDecision(callId: string, signal: AbortSignal): Promise<ReviewDecision>;
  /** Interrupts the task (an `abort` answer). */
  abortTask(): void;
}

export class ApprovalGate {
  private readonly approvedCommands = new Set<string>();
  private readonly approvedPaths = new Set<string>();
  private noticeGiven = false;

  constructor(private readonly safety: SafetyServices) {}

  async check(call: GateCall): Promise<GateVerdict> {
    switch (call.subject.type) {
      case 'none':
        return { type: 'run', approvedByPerson: false };
      case 'command':
        return this.checkCommand(call, call.subject);
      case 'patch':
        return this.checkPatch(call, call.subject.changes);
    }
  }

  private async checkCommand(call: GateCall, subject: Extract<ApprovalSubject, { type: 'command' }>): Promise<GateVerdict> {
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
        return { type: 'respond', output: `exec command rejected: ${decision.reason}` };
      case 'auto_approve': {
        if (decision.sandbox === 'none') return { type: 'run', approvedByPerson: false };
        const policy = call.sandboxPolicy;
        const wrapped = this.safety.wrap(subject.argv, policy, subject.cwd);
        if (wrapped.type === 'unsupported') return { type: 'respond', output: `exec command rejected: ${wrapped.reason}` };
        return { type: 'run', approvedByPerson: false, wrapArgv: (argv, cwd) => this.wrapOrSame(argv, policy, cwd) };
      }
      case 'ask': {
        call.emit({ type: 'exec_approval_request', call_id: call.callId, command: subject.argv, cwd: subject.cwd, reason: decision.reason });
        const answer = await call.waitForDecision(call.callId, call.signal);
        if (answer === 'approved_for_session') this.approvedCommands.add(commandApprovalKey(subject.argv, subject.cwd));
        return this.answered(call, answer, 'exec command rejected by user');
      }
    }
  }

  private checkPatch(call: GateCall, changes: Parameters<typeof patchPaths>[0]): GateVerdict | Promise<GateVerdict> {
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
        return { type: 'run', approvedByPerson: false };
      case 'reject':
        return { type: 'respond', output: `patch rejected: ${decision.reason}` };
      case 'ask':
        call.emit({ type: 'apply_patch_approval_request', call_id: call.callId, changes, reason: decision.reason });
        return call.waitForDecision(call.callId, call.signal).then((answer) => {
          if (answer === 'approved_for_session') for (const path of paths) this.approvedPaths.add(path);
          return this.answered(call, answer, 'patch rejected by user');
        });
    }
  }

  /**
   * After a sandboxed command failed: when the failure looks like the sandbox's doing, `on-failure` (and `untrusted`)
   * ask whether to run it again without the sandbox; the other policies tell the model what blocked it.
   */
  async afterSandboxedFailure(
    call: GateCall,
    exitCode: number | null,
    output: string,
    /** Runs just before the question goes out (the caller shows the failed run first). */
    beforeAsking: () => void,
  ): Promise<{ type: 'rerun' } | { type: 'keep'; note: string | null }> {
    if (call.subject.type !== 'command') return { type: 'keep', note: null };
    const denial = detectSandboxDenial(exitCode, output, { sandboxed: true, networkDisabled: !networkAllowed(call.sandboxPolicy) });
    if (denial.type === 'not_denial') return { type: 'keep', note: null };
    const next = assessSandboxRetry(call.approvalPolicy, denial.evidence);
    if (next.type === 'report_failure') return { type: 'keep', note: next.reason };
    const { argv, cwd } = call.subject;
    beforeAsking();
    call.emit({ type: 'exec_approval_request', call_id: call.callId, command: argv, cwd, reason: next.reason });
    const answer = await call.waitForDecision(call.callId, call.signal);
    if (answer === 'approved_for_session') this.approvedCommands.add(commandApprovalKey(argv, cwd));
    const verdict = this.answered(call, answer, 'the person declined to run it without the sandbox');
    return verdict.type === 'run' ? { type: 'rerun' } : { type: 'keep', note: verdict.output };
  }

  private answered(call: GateCall, answer: ReviewDecision, deniedText: string): GateVerdict {
    switch (answer) {
      case 'approved':
      case 'approved_for_session':
        // A person approved this exact call: it runs as asked, outside the sandbox.
        return { type: 'run', approvedByPerson: true };
      case 'denied':
        return { type: 'respond', output: deniedText };
      case 'abort':
        call.abortTask();
        return { type: 'respond', output: 'aborted by user' };
    }
  }

  private wrapOrSame(argv: readonly string[], policy: SandboxPolicy, cwd: string): string[] {
    const wrapped = this.safety.wrap(argv, policy, cwd);
    return wrapped.type === 'wrapped' ? wrapped.argv : [...argv];
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
