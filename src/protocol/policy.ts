/** Approval and sandbox policies, with the wire spellings of the reference (kebab-case). */
import * as z from 'zod/mini';

export const AskForApproval = z.enum(['untrusted', 'on-failure', 'on-request', 'never']);
export type AskForApproval = z.infer<typeof AskForApproval>;

export const SandboxMode = z.enum(['read-only', 'workspace-write', 'danger-full-access']);
export type SandboxMode = z.infer<typeof SandboxMode>;

export const SandboxPolicy = z.discriminatedUnion('type', [
  z.object({ type: z.literal('danger-full-access') }),
  z.object({ type: z.literal('read-only') }),
  z.object({
    type: z.literal('workspace-write'),
    writable_roots: z._default(z.array(z.string()), []),
    network_access: z._default(z.boolean(), false),
  }),
]);
export type SandboxPolicy = z.infer<typeof SandboxPolicy>;

/**
 * `approved_always`: approve, and save an allow rule for the command in the user's config.toml (offered when the
 * request carries `proposed_rule`; otherwise, or when the rule cannot be saved, it counts as `approved_for_session`).
 */
export const ReviewDecision = z.enum(['approved', 'approved_for_session', 'approved_always', 'denied', 'abort']);
export type ReviewDecision = z.infer<typeof ReviewDecision>;
