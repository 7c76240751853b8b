/**
 * The argv to spawn for a command under a sandbox policy: through bubblewrap on Linux, Seatbelt on macOS,
 * unchanged under danger-full-access. Elsewhere there is no sandbox, which is said, never papered over: the
 * caller must then follow the approval policy's "no sandbox" branch (ask or refuse).
 */
import type { SandboxPolicy } from '../protocol/index.ts';
import { bwrapArgv } from './bwrap-argv.ts';
import type { SandboxLayout } from './sandbox-layout.ts';
import { seatbeltArgv } from './seatbelt-profile.ts';

export type SandboxBackend = 'bwrap' | 'seatbelt';

export type WrappedCommand =
  | { type: 'direct'; argv: string[] }
  | { type: 'wrapped'; backend: SandboxBackend; argv: string[] }
  | { type: 'unsupported'; reason: string };

export function wrapCommand(argv: readonly string[], policy: SandboxPolicy, layout: SandboxLayout): WrappedCommand {
  if (policy.type === 'danger-full-access') return { type: 'direct', argv: [...argv] };
  const writable = policy.type === 'workspace-write';
  // read-only has no network switch: it is always off there.
  const effective: SandboxLayout = { ...layout, networkAccess: writable && layout.networkAccess };
  switch (layout.platform) {
    case 'linux':
      return { type: 'wrapped', backend: 'bwrap', argv: bwrapArgv(argv, effective, writable) };
    case 'darwin':
      return { type: 'wrapped', backend: 'seatbelt', argv: seatbeltArgv(argv, effective, writable) };
    default:
      return { type: 'unsupported', reason: `keel has no sandbox for ${layout.platform}` };
  }
}

/** Whether `policy` lets commands reach the network. */
export function networkAllowed(policy: SandboxPolicy): boolean {
  return policy.type === 'danger-full-access' || (policy.type === 'workspace-write' && policy.network_access);
}
