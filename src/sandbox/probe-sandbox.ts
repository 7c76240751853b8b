/**
 * What sandbox works on this machine, and if none, why and what to do. Run once at start: the probe runs the
 * real wrapper (the same bwrap options keel uses) around `true`, so "available" means it actually worked here,
 * not that a binary exists. When the full set fails, the run without a network namespace tells apart "no
 * sandbox at all" from "a sandbox that cannot cut the network" (common in containers).
 */
import type { HostRun, SandboxHost } from './sandbox-host.ts';
import { diagnoseBwrap, installHint } from './diagnose-bwrap.ts';
import type { SandboxBackend } from './wrap-command.ts';
import { bwrapArgv } from './bwrap-argv.ts';
import { SANDBOX_EXEC } from './seatbelt-profile.ts';
import type { SandboxLayout } from './sandbox-layout.ts';

export type SandboxProbe =
  | {
      type: 'available';
      backend: SandboxBackend;
      executable: string;
      /** False when commands can be confined but not cut off from the network. */
      networkIsolation: boolean;
      detail: string;
    }
  | { type: 'unavailable'; backend: SandboxBackend | null; reason: string; hint: string | null };

export type SandboxUsability = { type: 'usable' } | { type: 'unusable'; reason: string };

export const PROBE_TIMEOUT_MS = 5_000;

export async function probeSandbox(host: SandboxHost, timeoutMs = PROBE_TIMEOUT_MS): Promise<SandboxProbe> {
  switch (host.platform) {
    case 'linux':
      return probeBwrap(host, timeoutMs);
    case 'darwin':
      return probeSeatbelt(host, timeoutMs);
    default:
      return { type: 'unavailable', backend: null, reason: `keel has no sandbox for ${host.platform}`, hint: null };
  }
}

/** Whether the probed sandbox can enforce a policy that does (or does not) allow the network. */
export function sandboxUsable(probe: SandboxProbe, networkAccess: boolean): SandboxUsability {
  if (probe.type === 'unavailable') return { type: 'unusable', reason: probe.reason };
  if (!networkAccess && !probe.networkIsolation) return { type: 'unusable', reason: `the sandbox cannot cut off the network here: ${probe.detail}` };
  return { type: 'usable' };
}

async function probeBwrap(host: SandboxHost, timeoutMs: number): Promise<SandboxProbe> {
  const executable = host.findExecutable('bwrap');
  if (executable === null) {
    return { type: 'unavailable', backend: 'bwrap', reason: 'bubblewrap (bwrap) is not installed', hint: installHint(host.readFile('/etc/os-release')) };
  }
  const layout = (networkAccess: boolean): SandboxLayout => ({ cwd: '/', writableRoots: [], readOnlySubpaths: [], networkAccess, platform: 'linux', executable });
  const full = await host.run(bwrapArgv(['true'], layout(false), false), timeoutMs);
  if (succeeded(full)) return { type: 'available', backend: 'bwrap', executable, networkIsolation: true, detail: `${executable} works` };

  const withoutNet = await host.run(bwrapArgv(['true'], layout(true), false), timeoutMs);
  const failure = describe(full, timeoutMs);
  if (succeeded(withoutNet)) {
    return { type: 'available', backend: 'bwrap', executable, networkIsolation: false, detail: `${executable} works, but not with its own network namespace (${failure})` };
  }
  if (full.type !== 'exited') return { type: 'unavailable', backend: 'bwrap', reason: failure, hint: null };
  const diagnosis = diagnoseBwrap(full.stderr, {
    apparmorRestrictsUserns: host.readFile('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    unprivilegedUsernsClone: host.readFile('/proc/sys/kernel/unprivileged_userns_clone'),
    maxUserNamespaces: host.readFile('/proc/sys/user/max_user_namespaces'),
  });
  return { type: 'unavailable', backend: 'bwrap', reason: diagnosis.reason, hint: diagnosis.hint };
}

async function probeSeatbelt(host: SandboxHost, timeoutMs: number): Promise<SandboxProbe> {
  const run = await host.run([SANDBOX_EXEC, '-p', '(version 1)(allow default)', '/usr/bin/true'], timeoutMs);
  if (succeeded(run)) return { type: 'available', backend: 'seatbelt', executable: SANDBOX_EXEC, networkIsolation: true, detail: `${SANDBOX_EXEC} works` };
  return { type: 'unavailable', backend: 'seatbelt', reason: `sandbox-exec does not work here: ${describe(run, timeoutMs)}`, hint: null };
}

function succeeded(run: HostRun): boolean {
  return run.type === 'exited' && run.exitCode === 0;
}

function describe(run: HostRun, timeoutMs: number): string {
  switch (run.type) {
    case 'exited':
      return run.stderr.trim().split('\n')[0] || `exit code ${run.exitCode}`;
    case 'timed_out':
      return `it did not finish within ${timeoutMs} ms`;
    case 'spawn_failed':
      return `it could not start: ${run.message}`;
  }
}
