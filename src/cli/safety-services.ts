/**
 * The real machine behind the engine's approval gate: the sandbox probe (once, on first need), writable roots,
 * wrapping; and the person's rules, with saving a new allow rule to their own `$KEEL_HOME/config.toml`.
 */
import { join } from 'node:path';
import type { SafetyServices } from '../core/approval-gate.ts';
import type { SandboxPolicy } from '../protocol/index.ts';
import {
  networkAllowed,
  nodePathProbe,
  nodeSandboxHost,
  probeSandbox,
  sandboxUsable,
  sensitiveSockets,
  writableRoots,
  wrapCommand,
  type MaskedPath,
  type SandboxProbe,
} from '../sandbox/index.ts';
import type { CommandRule } from '../tools/approval/rules-match.ts';
import { appendAllowRule } from '../tools/approval/rules-file.ts';
import { registerPrivateDir } from '../tools/approval/private-paths.ts';

/**
 * keel's own files (sessions, prompt history, config) are not visible in the sandbox: an empty read-only directory
 * stands in their place — unless the work happens inside keel's home, which would then vanish with it.
 */
function keelHomeMask(keelHomeDir: string, cwd: string): MaskedPath[] {
  if (cwd === keelHomeDir || cwd.startsWith(`${keelHomeDir}/`) || nodePathProbe.kind(keelHomeDir) !== 'dir') return [];
  return [{ path: keelHomeDir, kind: 'dir' }];
}

export function createSafetyServices(env: NodeJS.ProcessEnv, keelHomeDir: string, rules: readonly CommandRule[] = []): SafetyServices {
  // A known-safe reader of keel's home is not known-safe: it runs sandboxed, where the home is masked.
  registerPrivateDir(keelHomeDir);
  let probing: Promise<SandboxProbe> | null = null;
  const probe = (): Promise<SandboxProbe> => (probing ??= probeSandbox(nodeSandboxHost(env)));
  let found: SandboxProbe | null = null;
  const rootsEnv = { TMPDIR: env.TMPDIR, KEEL_HOME: keelHomeDir, HOME: env.HOME };
  return {
    async sandboxAvailable(policy) {
      found = await probe();
      // Network isolation matters only where the policy cuts the network off (read-only always does).
      return sandboxUsable(found, networkAllowed(policy)).type === 'usable';
    },
    async sandboxProblem() {
      const result = await probe();
      return result.type === 'unavailable' ? `${result.reason}${result.hint ? `; fix: ${result.hint}` : ''}` : null;
    },
    writable: (policy: SandboxPolicy, cwd: string) => writableRoots(policy, cwd, rootsEnv, nodePathProbe),
    wrap(argv, policy, cwd) {
      const writable = writableRoots(policy, cwd, rootsEnv, nodePathProbe);
      const executable = found?.type === 'available' ? found.executable : undefined;
      const wrapped = wrapCommand(argv, policy, {
        cwd,
        writableRoots: writable.roots,
        readOnlySubpaths: writable.readOnlySubpaths,
        networkAccess: networkAllowed(policy),
        platform: process.platform,
        maskedPaths: [...sensitiveSockets(env, nodePathProbe), ...keelHomeMask(keelHomeDir, cwd)],
        ...(executable === undefined ? {} : { executable }),
      });
      if (wrapped.type === 'unsupported') return { type: 'unsupported', reason: wrapped.reason };
      return { type: 'wrapped', argv: wrapped.argv };
    },
    probe: nodePathProbe,
    rules,
    saveAllowRule: (pattern) => appendAllowRule(join(keelHomeDir, 'config.toml'), { pattern }),
  };
}
