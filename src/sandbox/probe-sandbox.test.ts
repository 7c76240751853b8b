import { describe, expect, it } from 'vitest';
import { probeSandbox, sandboxUsable } from './probe-sandbox.ts';
import type { HostRun, SandboxHost } from './sandbox-host.ts';

interface FakeHost extends SandboxHost {
  runs: string[][];
}

/** `outcome` answers each run; `files` are the readable system files. */
function host(outcome: (argv: readonly string[]) => HostRun, options: { platform?: NodeJS.Platform; bwrap?: string | null; files?: Record<string, string> } = {}): FakeHost {
  const runs: string[][] = [];
  return {
    platform: options.platform ?? 'linux',
    runs,
    findExecutable: (name) => (name === 'bwrap' ? (options.bwrap === undefined ? '/usr/bin/bwrap' : options.bwrap) : null),
    run: async (argv) => {
      runs.push([...argv]);
      return outcome(argv);
    },
    readFile: (path) => options.files?.[path] ?? null,
  };
}

const ok: HostRun = { type: 'exited', exitCode: 0, stderr: '' };
const failing = (stderr: string): HostRun => ({ type: 'exited', exitCode: 1, stderr });

describe('probeSandbox on Linux', () => {
  it('is available when the real bwrap options work, and tries exactly them', async () => {
    const fake = host(() => ok);
    expect(await probeSandbox(fake)).toEqual({ type: 'available', backend: 'bwrap', executable: '/usr/bin/bwrap', networkIsolation: true, detail: '/usr/bin/bwrap works' });
    expect(fake.runs[0]).toEqual(expect.arrayContaining(['--unshare-net', '--cap-drop', '--ro-bind', '--die-with-parent']));
    expect(fake.runs[0]!.slice(-2)).toEqual(['--', 'true']);
  });

  it('says what to install when bwrap is missing', async () => {
    expect(await probeSandbox(host(() => ok, { bwrap: null, files: { '/etc/os-release': 'ID=ubuntu\nID_LIKE=debian\n' } }))).toEqual({
      type: 'unavailable',
      backend: 'bwrap',
      reason: 'bubblewrap (bwrap) is not installed',
      hint: 'sudo apt-get install -y bubblewrap',
    });
    const fedora = await probeSandbox(host(() => ok, { bwrap: null, files: { '/etc/os-release': 'ID="fedora"\n' } }));
    expect(fedora).toMatchObject({ hint: 'sudo dnf install -y bubblewrap' });
  });

  it('explains the AppArmor user-namespace restriction of Ubuntu 24.04', async () => {
    const probe = await probeSandbox(host(() => failing('bwrap: setting up uid map: Permission denied\n'), { files: { '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '1\n' } }));
    expect(probe).toMatchObject({ type: 'unavailable', reason: expect.stringMatching(/^AppArmor restricts unprivileged user namespaces/), hint: expect.stringMatching(/apparmor_parser -r/) });
  });

  it('explains kernels that disable user namespaces', async () => {
    const clone = await probeSandbox(host(() => failing('bwrap: No permissions to creating new namespace'), { files: { '/proc/sys/kernel/unprivileged_userns_clone': '0' } }));
    expect(clone).toMatchObject({ hint: 'run "sudo sysctl -w kernel.unprivileged_userns_clone=1"' });
    const max = await probeSandbox(host(() => failing('bwrap: No permissions to creating new namespace'), { files: { '/proc/sys/user/max_user_namespaces': '0' } }));
    expect(max).toMatchObject({ reason: expect.stringMatching(/max_user_namespaces is 0/) });
  });

  it('explains a container without namespaces', async () => {
    const probe = await probeSandbox(host(() => failing('bwrap: Failed to make / slave: Permission denied')));
    expect(probe).toMatchObject({ type: 'unavailable', reason: expect.stringMatching(/as in a container/), hint: expect.stringMatching(/danger-full-access/) });
  });

  it('reports a sandbox that works but cannot cut the network', async () => {
    const probe = await probeSandbox(host((argv) => (argv.includes('--unshare-net') ? failing('bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted') : ok)));
    expect(probe).toMatchObject({ type: 'available', networkIsolation: false, detail: expect.stringMatching(/RTM_NEWADDR/) });
    expect(sandboxUsable(probe, true)).toEqual({ type: 'usable' });
    expect(sandboxUsable(probe, false)).toMatchObject({ type: 'unusable', reason: expect.stringMatching(/cannot cut off the network/) });
  });

  it('reports a bwrap that hangs or cannot start', async () => {
    expect(await probeSandbox(host(() => ({ type: 'timed_out' })), 50)).toEqual({ type: 'unavailable', backend: 'bwrap', reason: 'it did not finish within 50 ms', hint: null });
    expect(await probeSandbox(host(() => ({ type: 'spawn_failed', message: 'EACCES' })))).toMatchObject({ reason: 'it could not start: EACCES' });
  });
});

describe('probeSandbox elsewhere', () => {
  it('tries sandbox-exec on macOS', async () => {
    const fake = host(() => ok, { platform: 'darwin' });
    expect(await probeSandbox(fake)).toMatchObject({ type: 'available', backend: 'seatbelt', executable: '/usr/bin/sandbox-exec' });
    expect(await probeSandbox(host(() => failing('sandbox-exec: sandbox_apply: Operation not permitted'), { platform: 'darwin' }))).toMatchObject({
      type: 'unavailable',
      reason: 'sandbox-exec does not work here: sandbox-exec: sandbox_apply: Operation not permitted',
    });
  });

  it('has none on Windows, and says so', async () => {
    const probe = await probeSandbox(host(() => ok, { platform: 'win32' }));
    expect(probe).toEqual({ type: 'unavailable', backend: null, reason: 'keel has no sandbox for win32', hint: null });
    expect(sandboxUsable(probe, true)).toEqual({ type: 'unusable', reason: 'keel has no sandbox for win32' });
  });
});
