/** What a turn runs with. Changed by `override_turn_context` and per-turn fields of `user_turn`. */
import type { AskForApproval, SandboxPolicy, TurnContextOverrides } from '../protocol/index.ts';

export interface TurnContext {
  model: string;
  cwd: string;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
}

export function applyOverrides(context: TurnContext, overrides: TurnContextOverrides): TurnContext {
  return {
    model: overrides.model ?? context.model,
    cwd: overrides.cwd ?? context.cwd,
    approvalPolicy: overrides.approval_policy ?? context.approvalPolicy,
    sandboxPolicy: overrides.sandbox_policy ?? context.sandboxPolicy,
  };
}
