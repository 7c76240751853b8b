/**
 * The bubblewrap command line for a layout. Order matters: later mounts cover earlier ones, so the whole file
 * system goes in read-only first, then the writable roots, then the read-only paths inside them, then the masks.
 */
import type { SandboxLayout } from './sandbox-layout.ts';

export function bwrapArgv(argv: readonly string[], layout: SandboxLayout, writable: boolean): string[] {
  const args = [
    layout.executable ?? 'bwrap',
    // No --new-session: keel already starts every command in a session of its own with no terminal (so there is no
    // TIOCSTI to guard against), and staying in that session's process group is what lets keel signal, watch and
    // wait for everything inside the sandbox as one group, like any other command.
    // If keel dies, so does everything in the sandbox: with --unshare-pid, killing the sandbox's init kills all.
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    // Run as root, bwrap would leave every capability in place, and `mount -o remount,rw /` would undo the
    // read-only view. Unprivileged, this changes nothing (there are none to drop).
    '--cap-drop',
    'ALL',
  ];
  // A fresh network namespace has only its own loopback: nothing outside, not even the host's 127.0.0.1.
  if (!layout.networkAccess) args.push('--unshare-net');
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  // Kernel settings under /proc check the uid, not capabilities: root in the sandbox could otherwise set
  // kernel.core_pattern and have the kernel run a program outside it. Cover them with the host's, read-only.
  args.push('--ro-bind', '/proc/sys', '/proc/sys');
  for (const path of ['/proc/sysrq-trigger', '/proc/irq', '/proc/bus']) args.push('--ro-bind-try', path, path);
  if (writable) {
    for (const root of layout.writableRoots) args.push('--bind', root, root);
    for (const path of layout.readOnlySubpaths) args.push('--ro-bind', path, path);
  }
  for (const masked of layout.maskedPaths ?? []) {
    if (masked.kind === 'file') args.push('--ro-bind', '/dev/null', masked.path);
    else args.push('--tmpfs', masked.path, '--remount-ro', masked.path);
  }
  args.push('--chdir', layout.cwd, '--', ...argv);
  return args;
}
