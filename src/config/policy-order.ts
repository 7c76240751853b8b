/**
 * The settings that trade safety for convenience, each listed from the tightest to the loosest. The order is what
 * lets a project config tighten but never loosen them (see clamp-project-layer.ts); the lists double as the allowed
 * values in the schema.
 */
import type { AskForApproval, SandboxMode } from '../protocol/index.ts';

export const APPROVAL_ORDER = ['untrusted', 'on-failure', 'on-request', 'never'] as const satisfies readonly AskForApproval[];
export const SANDBOX_ORDER = ['read-only', 'workspace-write', 'danger-full-access'] as const satisfies readonly SandboxMode[];
/** What a command inherits from keel's own environment: nothing, a core set (HOME, PATH, …), or everything. */
export const INHERIT_ORDER = ['none', 'core', 'all'] as const;
export type EnvironmentInherit = (typeof INHERIT_ORDER)[number];

// Compile-time check that the orders above name every member of the protocol's unions: a new policy added there
// must be placed here, or a project could set it without being compared.
type Missing<All, Listed> = Exclude<All, Listed>;
const _approvalsCovered: Missing<AskForApproval, (typeof APPROVAL_ORDER)[number]> extends never ? true : never = true;
const _sandboxesCovered: Missing<SandboxMode, (typeof SANDBOX_ORDER)[number]> extends never ? true : never = true;

/** True when `candidate` allows more than `ceiling` in `order`. */
export function isLooser<V extends string>(order: readonly V[], candidate: V, ceiling: V): boolean {
  return order.indexOf(candidate) > order.indexOf(ceiling);
}
