/**
 * After a sandboxed run failed in a way that looks like the sandbox's doing (see the sandbox's denial heuristic):
 * offer a run without it, or hand the failure to the model. Only `on-failure` and `untrusted` offer the retry
 * (reference 7.1, 7.3); `on-request` lets the model ask for escalation itself, and `never` cannot ask. A denied
 * retry is the model's failure to see, never a silent unsandboxed run.
 */
import type { AskForApproval } from '../../protocol/index.ts';

export type SandboxRetryAssessment = { type: 'ask'; reason: string } | { type: 'report_failure'; reason: string };

/** `evidence` is what made the failure look like a sandbox denial ("Read-only file system", …). */
export function assessSandboxRetry(approvalPolicy: AskForApproval, evidence: string): SandboxRetryAssessment {
  switch (approvalPolicy) {
    case 'on-failure':
    case 'untrusted':
      return { type: 'ask', reason: `the command failed in the sandbox (${evidence}); run it again without the sandbox?` };
    case 'on-request':
      return { type: 'report_failure', reason: `the sandbox blocked the command (${evidence}); ask for escalated permissions if it must run outside the sandbox` };
    case 'never':
      return { type: 'report_failure', reason: `the sandbox blocked the command (${evidence}); approval policy never does not allow running it outside the sandbox` };
  }
}
