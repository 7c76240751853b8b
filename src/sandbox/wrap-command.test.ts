import { describe, expect, it } from 'vitest';
import type { SandboxPolicy } from '../protocol/index.ts';
import type { SandboxLayout } from './sandbox-layout.ts';
import { networkAllowed, wrapCommand } from './wrap-command.ts';

const WORKSPACE: SandboxPolicy = { type: 'workspace-write', writable_roots: [], network_access: false };
const layout: SandboxLayout = {
  cwd: '/w',
  writableRoots: ['/w', '/tmp'],
  readOnlySubpaths: ['/w/.git', '/w/.keel'],
  networkAccess: false,
  platform: 'linux',
  maskedPaths: [{ path: '/run/docker.sock', kind: 'file' }, { path: '/run/user/1/bus-dir', kind: 'dir' }],
};

describe('wrapCommand on Linux (bubblewrap)', () => {
  it('binds / read-only, then the roots writable, then .git and friends read-only, then hides sockets', () => {
    expect(wrapCommand(['ls', '-la'], WORKSPACE, layout)).toEqual({
      type: 'wrapped',
      backend: 'bwrap',
      argv: [
        'bwrap', '--die-with-parent', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
        '--cap-drop', 'ALL', '--unshare-net',
        '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc',
        '--ro-bind', '/proc/sys', '/proc/sys',
        '--ro-bind-try', '/proc/sysrq-trigger', '/proc/sysrq-trigger', '--ro-bind-try', '/proc/irq', '/proc/irq', '--ro-bind-try', '/proc/bus', '/proc/bus',
        '--bind', '/w', '/w', '--bind', '/tmp', '/tmp',
        '--ro-bind', '/w/.git', '/w/.git', '--ro-bind', '/w/.keel', '/w/.keel',
        '--ro-bind', '/dev/null', '/run/docker.sock', '--tmpfs', '/run/user/1/bus-dir', '--remount-ro', '/run/user/1/bus-dir',
        '--chdir', '/w', '--', 'ls', '-la',
      ],
    });
  });

  it('keeps the network only when workspace-write allows it, never under read-only', () => {
    const argv = (policy: SandboxPolicy, networkAccess: boolean) => {
      const wrapped = wrapCommand(['x'], policy, { ...layout, networkAccess });
      return wrapped.type === 'wrapped' ? wrapped.argv : [];
    };
    expect(argv({ ...WORKSPACE, network_access: true }, true)).not.toContain('--unshare-net');
    expect(argv(WORKSPACE, false)).toContain('--unshare-net');
    expect(argv({ type: 'read-only' }, true)).toContain('--unshare-net');
  });

  it('binds nothing writable under read-only', () => {
    const wrapped = wrapCommand(['x'], { type: 'read-only' }, { ...layout, executable: '/usr/bin/bwrap' });
    expect(wrapped.type === 'wrapped' && wrapped.argv[0]).toBe('/usr/bin/bwrap');
    expect(wrapped.type === 'wrapped' && wrapped.argv.includes('--bind')).toBe(false);
  });
});

describe('wrapCommand elsewhere', () => {
  it('leaves the argv alone under danger-full-access', () => {
    expect(wrapCommand(['rm', '-rf', 'x'], { type: 'danger-full-access' }, layout)).toEqual({ type: 'direct', argv: ['rm', '-rf', 'x'] });
  });

  it('uses sandbox-exec on macOS', () => {
    const wrapped = wrapCommand(['ls'], WORKSPACE, { ...layout, platform: 'darwin' });
    expect(wrapped).toMatchObject({ type: 'wrapped', backend: 'seatbelt' });
    expect(wrapped.type === 'wrapped' && wrapped.argv.slice(0, 2)).toEqual(['/usr/bin/sandbox-exec', '-p']);
    expect(wrapped.type === 'wrapped' && wrapped.argv.slice(-3)).toEqual(['-DWRITABLE_ROOT_1=/tmp', '--', 'ls']);
  });

  it('says plainly that there is no sandbox on other platforms', () => {
    expect(wrapCommand(['ls'], WORKSPACE, { ...layout, platform: 'win32' })).toEqual({ type: 'unsupported', reason: 'keel has no sandbox for win32' });
  });
});

describe('networkAllowed', () => {
  it('follows the policy', () => {
    expect(networkAllowed({ type: 'read-only' })).toBe(false);
    expect(networkAllowed(WORKSPACE)).toBe(false);
    expect(networkAllowed({ ...WORKSPACE, network_access: true })).toBe(true);
    expect(networkAllowed({ type: 'danger-full-access' })).toBe(true);
  });
});
