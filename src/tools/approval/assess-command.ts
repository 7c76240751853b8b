/**
 * Whether a command runs, and how: the approval decision of reference section 7.2, with the person's rules, as a
 * pure function.
 *
 *   a forbidden rule matches anywhere in the line              → reject (nothing overrides it)
 *   approved for this session (same argv, same cwd)            → run, no sandbox
 *   a prompt rule matches                                      → ask; under `never`, reject naming the rule
 *   a forbidden or prompt rule cannot be ruled out             → ask where the line would otherwise run; `never` rejects
 *   every command allowed by a rule (or known-safe on its own) → run, no sandbox: the person's own config says so
 *   known-safe (every command read-only, see known-safe.ts)    → run, no sandbox
 *   the model asks to leave the sandbox                        → ask (on-request), else reject
 *   untrusted                                                  → ask
 *   danger-full-access                                         → run, no sandbox
 *   read-only / workspace-write, sandbox available             → run in the sandbox
 *   read-only / workspace-write, no sandbox                    → ask; under `never`, reject
 *
 * Under `never` nothing asks: what would ask is rejected with a reason the model can act on. A command never runs
 * unsandboxed because a sandbox was missing unless a person said so (an answer, a session approval, a rule), and
 * anything that goes wrong while deciding rejects the command: the decision fails closed.
 */
import type { AskForApproval, SandboxPolicy } from '../../protocol/index.ts';
import { analyzeArgv } from './analyze-command.ts';
import { describePattern, describeRule, matchRules, type CommandRule, type RuleMatch } from './command-rules.ts';
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
  /** The person's `[[rules]]` (config.toml), in file order; the strictest that applies wins. */
  rules?: readonly CommandRule[];
  /** The session's directory: the only repository git may read unsandboxed is its own (git-repo-check.ts). */
  workspace?: string;
  /** Set when the model asked to run outside the sandbox (the shell tool's escalation request). */
  escalation?: { justification: string | null } | null;
}

/** The key of `sessionApproved`: the exact argv, in the exact directory. */
export function commandApprovalKey(argv: readonly string[], cwd: string): string {
  return JSON.stringify([cwd, ...argv]);
}

export function assessCommand(input: CommandAssessmentInput): CommandAssessment {
  if (input.argv.length === 0) return { type: 'reject', reason: 'the command is empty' };
  try {
    return assessWithRules(input);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { type: 'reject', reason: `the command could not be checked against the approval rules (${detail}); it does not run` };
  }
}

function assessWithRules(input: CommandAssessmentInput): CommandAssessment {
  const analysis = analyzeArgv(input.argv);
  const rules = matchRules(analysis, input.rules ?? []);
  const approvedForSession = input.sessionApproved.has(commandApprovalKey(input.argv, input.cwd));
  switch (rules.type) {
    case 'forbidden':
      return { type: 'reject', reason: `${rules.command} is forbidden by ${describeRule(rules.rule)}${justification(rules.rule)}` };
    case 'prompt': {
      if (approvedForSession) return SESSION_APPROVED;
      const asks = `${describeRule(rules.rule)} says to ask before ${rules.command} runs`;
      if (input.approvalPolicy === 'never') return { type: 'reject', reason: `${asks}; approval policy is never, so it is refused${justification(rules.rule)}` };
      return { type: 'ask', reason: `${asks}${justification(rules.rule)}` };
    }
    case 'unverifiable': {
      // A prompt rule asks; a session approval is that answer. A forbidden rule cannot be answered away.
      if (approvedForSession && rules.decision === 'prompt') return SESSION_APPROVED;
      const decision = byPolicy(input, knownSafeVerdict(analysis, input.cwd, input.workspace ?? null), approvedForSession);
      if (decision.type !== 'auto_approve') return decision;
      // Even under danger-full-access: what cannot be seen might be exactly what the rule is about.
      const reason = `cannot check the ${rules.decision} rules: ${rules.reason}`;
      return input.approvalPolicy === 'never' ? { type: 'reject', reason } : { type: 'ask', reason };
    }
    case 'allowed':
      return { type: 'auto_approve', sandbox: 'none', reason: allowedReason(rules) };
    case 'no_match':
      return byPolicy(input, knownSafeVerdict(analysis, input.cwd, input.workspace ?? null), approvedForSession);
  }
}

const SESSION_APPROVED: CommandAssessment = { type: 'auto_approve', sandbox: 'none', reason: 'approved for this session' };

function justification(rule: CommandRule): string {
  return rule.justification ? `: ${rule.justification}` : '';
}

function allowedReason(match: Extract<RuleMatch, { type: 'allowed' }>): string {
  const sources = match.rules.map((rule) => `${describePattern(rule.pattern)}${rule.source ? ` (${rule.source})` : ''}`);
  return `allowed by your rule${sources.length > 1 ? 's' : ''} ${sources.join(', ')}`;
}

function byPolicy(input: CommandAssessmentInput, safety: KnownSafeVerdict, approvedForSession: boolean): CommandAssessment {
  const { approvalPolicy, sandboxPolicy, sandboxAvailable } = input;
  if (approvedForSession) return SESSION_APPROVED;
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

  const notSafe = `not known to be read-only: ${safety.reason}`;
  if (approvalPolicy === 'untrusted') return { type: 'ask', reason: notSafe };
  if (!restricted) return { type: 'auto_approve', sandbox: 'none', reason: 'the sandbox policy is danger-full-access' };
  if (sandboxAvailable) return { type: 'auto_approve', sandbox: 'sandboxed', reason: `runs in the ${sandboxPolicy.type} sandbox (${notSafe})` };
  if (approvalPolicy === 'never') {
    return { type: 'reject', reason: `auto-rejected because command is not on trusted list and no sandbox can run here (${safety.reason})` };
  }
  return { type: 'ask', reason: `no sandbox can run here, and the command is ${notSafe}` };
}
