/**
 * The macOS Seatbelt profile for a layout, run through `sandbox-exec -p PROFILE -D NAME=path … -- argv`. Paths are
 * passed as parameters rather than spliced into the profile text, so no path can change the profile's meaning.
 * Written for keel from Apple's documented SBPL operations: deny by default, read everything, write only inside
 * the writable roots minus their read-only paths, network only when allowed (IP only: never Unix sockets, which
 * reach container runtimes and other services outside the sandbox).
 */
import { isInside } from './index.ts';
import type { SandboxLayout } from './sandbox-layout.ts';

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

export interface SeatbeltPolicy {
  profile: string;
  /** Parameter name → path, for `-D`. */
  params: [string, string][];
}

const BASE = `(version 1)
; Everything not allowed below is denied.
(deny default)
; Run programs; signal and inspect only processes of this sandbox.
(allow process-exec)
(allow process-fork)
(allow signal (target same-sandbox))
(allow process-info* (target same-sandbox))
; Reads are allowed everywhere: the sandbox limits writes and the network.
(allow file-read*)
(allow sysctl-read)
; User and group lookups (getpwuid) and the system log.
(allow mach-lookup (global-name "com.apple.system.opendirectoryd.libinfo") (global-name "com.apple.system.logger"))
; Terminals and the null device.
(allow pseudo-tty)
(allow file-ioctl (literal "/dev/tty") (literal "/dev/dtracehelper"))
(allow file-write-data (literal "/dev/null") (literal "/dev/zero") (literal "/dev/tty") (literal "/dev/dtracehelper"))`;

const NETWORK = `; Network: IP only.
(allow network-outbound (remote ip))
(allow network-inbound (local ip))
(allow network-bind (local ip))
(allow system-socket)
(allow mach-lookup (global-name "com.apple.dnssd.service") (global-name "com.apple.SystemConfiguration.configd") (global-name "com.apple.SystemConfiguration.DNSConfiguration"))`;

export function seatbeltPolicy(layout: SandboxLayout, writable: boolean): SeatbeltPolicy {
  const params: [string, string][] = [];
  const sections = [BASE];
  if (writable && layout.writableRoots.length > 0) {
    const rules = layout.writableRoots.map((root, i) => {
      const rootParam = `WRITABLE_ROOT_${i}`;
      params.push([rootParam, root]);
      const exclusions = layout.readOnlySubpaths
        .filter((path) => isInside(path, root))
        .map((path, j) => {
          const name = `READ_ONLY_${i}_${j}`;
          params.push([name, path]);
          return ` (require-not (subpath (param "${name}")))`;
        });
      return exclusions.length === 0 ? `(subpath (param "${rootParam}"))` : `(require-all (subpath (param "${rootParam}"))${exclusions.join('')})`;
    });
    sections.push(`; Writable roots, minus the read-only paths inside them.\n(allow file-write*\n  ${rules.join('\n  ')})`);
  }
  if (layout.networkAccess) sections.push(NETWORK);
  return { profile: `${sections.join('\n')}\n`, params };
}

export function seatbeltArgv(argv: readonly string[], layout: SandboxLayout, writable: boolean): string[] {
  const { profile, params } = seatbeltPolicy(layout, writable);
  return [layout.executable ?? SANDBOX_EXEC, '-p', profile, ...params.map(([name, path]) => `-D${name}=${path}`), '--', ...argv];
}
