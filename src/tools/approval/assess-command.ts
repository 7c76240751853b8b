/**
 * Whether a command runs, and how: the approval decision of reference section 7.2, as a pure function.
 *
 *   deny rule matches anywhere in the line                    → reject (deny always wins)
 *   approved for this session (same argv, same cwd)           → run, no sandbox
 *   known-safe (every command read-only, see known-safe.ts)   → run, no sandbox
 *   the model asks to leave the sandbox                       → ask (on-request), else reject
 *   allowed by the person's rules                             → run, in the sandbox when there is one
 *   untrusted                                                 → ask
 *   danger-full-access                                        → run, no sandbox
 *   read-only / workspace-write, sandbox available            → run in the sandbox
 *   read-only / workspace-write, no sandbox                   → ask; under `never`, reject
 *
 * Under `never` nothing asks: what would ask is rejected with a reason the model can act on. A command never runs
 * unsandboxed because a sandbox was missing unless a person said so (an answer, a session approval, a rule).
 */
import type { AskForApproval, SandboxPolicy } from '../../protocol/index.ts';
import { analyzeArgv } from './analyze-command.ts';
import { matchRules, type CommandRule } from './command-rules.ts';
import { knownSafeVerdict, type KnownSafeVerdict } from './known-safe.ts';

export type CommandAssessment =
  | { type: 'auto_approve'; sandbox: 'none' | 'sandboxed'; reason: string }
  | { type: 'ask'; reason: string }
  | { type: 'reject'; reason: string };

export interface CommandAssessmentInput {
  argv: readonly string[];
  /** The directory the command runs in; session approvals hold for the same command in the same directory. */
  cwd: string;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  /** Whether the platform sandbox can run here, as the start-up probe found (and can enforce this policy). */
  sandboxAvailable: boolean;
  /** `commandApprovalKey(argv, cwd)` of every command the person approved for this session. */
  sessionApproved: ReadonlySet<string>;
  rules?: readonly CommandRule[];
  /** Set when the model asked to run outside the sandbox (the shell tool's escalation request). */
  escalation?: { justification: string | null } | null;
}

/** The key of `sessionApproved`: the exact argv, in the exact directory. */
export function commandApprovalKey(argv: readonly string[], cwd: string): string {
  return JSON.stringify([cwd, ...argv]);
}

export function assessCommand(input: CommandAssessmentInput): CommandAssessment {
  if (input.argv.length === 0) return { type: 'reject', reason: 'the command is empty' };
  const analysis = analyzeArgv(input.argv);
  const rules = matchRules(analysis, input.rules ?? []);
  if (rules.type === 'denied') return { type: 'reject', reason: `denied by the rule "${rules.rule.prefix.join(' ')}" (${rules.command})` };

  const decision = byPolicy(input, knownSafeVerdict(analysis, input.cwd), rules.type === 'allowed' ? rules.rules : null);
  // A deny rule that could not be checked rules out every automatic run, even under danger-full-access.
  if (rules.type === 'deny_unverifiable' && decision.type === 'auto_approve') {
    const reason = `cannot check the deny rules: ${rules.reason}`;
    return input.approvalPolicy === 'never' ? { type: 'reject', reason } : { type: 'ask', reason };
  }
  return decision;
}

function byPolicy(input: CommandAssessmentInput, safety: KnownSafeVerdict, allowedBy: CommandRule[] | null): CommandAssessment {
  const { approvalPolicy, sandboxPolicy, sandboxAvailable } = input;
  if (input.sessionApproved.has(commandApprovalKey(input.argv, input.cwd))) {
    return { type: 'auto_approve', sandbox: 'none', reason: 'approved for this session' };
  }
  if (safety.type === 'known_safe') return { type: 'auto_approve', sandbox: 'none', reason: safety.reason };

  const restricted = sandboxPolicy.type !== 'danger-full-access';
  if (input.escalation && restricted) {
    if (approvalPolicy === 'on-request') {
      return { type: 'ask', reason: `the model asks to run this outside the sandbox: ${input.escalation.justification ?? 'no reason given'}` };
    }
    return {
      type: 'reject',
      reason: `approval policy is ${approvalPolicy}; reject command — you should not ask for escalated permissions if the approval policy is ${approvalPolicy}`,
    };
  }

  if (allowedBy !== null) {
    const rules = allowedBy.map((rule) => `"${rule.prefix.join(' ')}"`).join(', ');
    if (!restricted) return { type: 'auto_approve', sandbox: 'none', reason: `allowed by ${rules}` };
    if (sandboxAvailable) return { type: 'auto_approve', sandbox: 'sandboxed', reason: `allowed by ${rules}; runs in the sandbox` };
    // The person allowed exactly this; the rule answers the question a missing sandbox would have asked.
    return { type: 'auto_approve', sandbox: 'none', reason: `allowed by ${rules}; no sandbox can run here` };
  }

  const notSafe = `not known to be read-only: ${safety.reason}`;
  if (approvalPolicy === 'untrusted') return { type: 'ask', reason: notSafe };
  if (!restricted) return { type: 'auto_approve', sandbox: 'none', reason: 'the sandbox policy is danger-full-access' };
  if (sandboxAvailable) return { type: 'auto_approve', sandbox: 'sandboxed', reason: `runs in the ${sandboxPolicy.type} sandbox (${notSafe})` };
  if (approvalPolicy === 'never') {
    return { type: 'reject', reason: `auto-rejected because command is not on trusted list and no sandbox can run here (${safety.reason})` };
  }
  return { type: 'ask', reason: `no sandbox can run here, and the command is ${notSafe}` };
}
