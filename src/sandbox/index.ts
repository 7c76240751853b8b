/** Sandboxes for commands: wrapping for a policy, the start-up probe, the denial heuristic, the command environment. */
export { commandEnv, DEFAULT_COMMAND_ENV_POLICY, type CommandEnvContext, type CommandEnvPolicy } from './command-env.ts';
export { diagnoseBwrap, installHint, type BwrapDiagnosis, type KernelSettings } from './diagnose-bwrap.ts';
export { nodeSandboxHost } from './node-sandbox-host.ts';
export { probeSandbox, sandboxUsable, PROBE_TIMEOUT_MS, type SandboxProbe, type SandboxUsability } from './probe-sandbox.ts';
export { detectSandboxDenial, isLikelySandboxDenial, type DenialContext, type SandboxDenial } from './sandbox-denial.ts';
export type { HostRun, SandboxHost } from './sandbox-host.ts';
export type { MaskedPath, SandboxLayout } from './sandbox-layout.ts';
export { seatbeltPolicy, SANDBOX_EXEC, type SeatbeltPolicy } from './seatbelt-profile.ts';
export { sensitiveSockets, type SocketEnv } from './sensitive-sockets.ts';
export { networkAllowed, wrapCommand, type SandboxBackend, type WrappedCommand } from './wrap-command.ts';
export { nodePathProbe } from './node-path-probe.ts';
export { isInside, resolvePath, type PathProbe, type ResolvedPath } from './resolve-path.ts';
export { writableRoots, type RootsProbe, type WritablePaths, type WritableRootsEnv, type WritableRootsOptions } from './writable-roots.ts';
