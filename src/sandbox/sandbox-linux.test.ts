/**
 * Real runs through bubblewrap: every way out of the workspace that failure mode 6/7 lists must fail, and a write
 * inside must work. Skipped only when the probe says bubblewrap cannot run on this machine (CI installs it).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxPolicy } from '../protocol/index.ts';
import { nodePathProbe, writableRoots } from './index.ts';
import { commandEnv } from './command-env.ts';
import { nodeSandboxHost } from './node-sandbox-host.ts';
import { probeSandbox } from './probe-sandbox.ts';
import { detectSandboxDenial } from './sandbox-denial.ts';
import type { MaskedPath, SandboxLayout } from './sandbox-layout.ts';
import { wrapCommand } from './wrap-command.ts';

const probe = process.platform === 'linux' ? await probeSandbox(nodeSandboxHost()) : null;
const skipReason = probe === null ? `not Linux (${process.platform})` : probe.type === 'unavailable' ? `${probe.reason}; fix: ${probe.hint ?? 'see the reason'}` : !probe.networkIsolation ? probe.detail : null;
if (skipReason !== null) console.warn(`[sandbox-linux] skipping real bubblewrap tests: ${skipReason}`);

const WORKSPACE: SandboxPolicy = { type: 'workspace-write', writable_roots: [], network_access: false };

let base: string;
let ws: string;
let outside: string;
let layout: SandboxLayout;

interface Run {
  code: number | null;
  output: string;
}

function run(script: string, options: { env?: Record<string, string>; masked?: MaskedPath[] } = {}): Promise<Run> {
  const wrapped = wrapCommand(['sh', '-c', script], WORKSPACE, { ...layout, maskedPaths: options.masked ?? [] });
  if (wrapped.type !== 'wrapped') throw new Error(`not wrapped: ${wrapped.type}`);
  return spawnRun(wrapped.argv, options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' });
}

function spawnRun(argv: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function expectBlocked(result: Run, path: string) {
  expect(result.code, result.output).not.toBe(0);
  expect(existsSync(path)).toBe(false);
  expect(detectSandboxDenial(result.code, result.output, { sandboxed: true, networkDisabled: true }).type).toBe('likely_denial');
}

describe.skipIf(skipReason !== null)(`the bubblewrap sandbox${skipReason === null ? '' : ` (skipped: ${skipReason})`}`, () => {
  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'keel-sandbox-')));
    ws = join(base, 'ws');
    outside = join(base, 'outside');
    for (const dir of [join(ws, '.git'), join(ws, 'keel-home'), outside]) mkdirSync(dir, { recursive: true });
    symlinkSync(outside, join(ws, 'link-out'));
    // /tmp stays out of the roots: the test's "outside" lives under it.
    const writable = writableRoots(WORKSPACE, ws, { KEEL_HOME: join(ws, 'keel-home') }, nodePathProbe, { excludeSlashTmp: true, excludeTmpdirEnvVar: true });
    const executable = probe?.type === 'available' ? probe.executable : 'bwrap';
    layout = { cwd: ws, writableRoots: writable.roots, readOnlySubpaths: writable.readOnlySubpaths, networkAccess: false, platform: 'linux', executable };
  });

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('lets a command write inside the cwd', async () => {
    const result = await run('echo hi > inside.txt && cat inside.txt');
    expect(result).toEqual({ code: 0, output: 'hi\n' });
    expect(readFileSync(join(ws, 'inside.txt'), 'utf8')).toBe('hi\n');
  });

  it('blocks a write outside the writable roots', async () => {
    expectBlocked(await run(`echo x > ${outside}/direct.txt`), join(outside, 'direct.txt'));
  });

  it('blocks a write into .git and $KEEL_HOME', async () => {
    expectBlocked(await run('echo x > .git/hooks-pre-commit'), join(ws, '.git', 'hooks-pre-commit'));
    expectBlocked(await run('echo x > keel-home/config.toml'), join(ws, 'keel-home', 'config.toml'));
  });

  it('blocks a write through a symlink that leads out', async () => {
    expectBlocked(await run('echo x > link-out/through-link.txt'), join(outside, 'through-link.txt'));
  });

  it('blocks a write through ..', async () => {
    expectBlocked(await run('echo x > ../outside/dotdot.txt'), join(outside, 'dotdot.txt'));
  });

  it('cannot undo the read-only view, even as root', async () => {
    expectBlocked(await run(`mount -o remount,rw / ; mount -o remount,rw ${outside} ; echo x > ${outside}/remount.txt`), join(outside, 'remount.txt'));
    const sysctl = await run('v=$(cat /proc/sys/kernel/core_pattern) && printf "%s\\n" "$v" > /proc/sys/kernel/core_pattern && echo WROTE');
    expect(sysctl.output).not.toContain('WROTE');
  });

  it('cannot reach a server on the host’s 127.0.0.1', async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const connect = `require('net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', (e) => { console.error(e.code); process.exit(3); })`;
    try {
      // Outside the sandbox the server answers, so a failure inside is the sandbox's doing.
      expect((await spawnRun([process.execPath, '-e', connect], {})).code).toBe(0);
      const inside = await run(`"${process.execPath}" -e "${connect.replace(/"/g, '\\"')}"`);
      expect(inside.code, inside.output).toBe(3);
      expect(inside.output).toMatch(/ECONNREFUSED|ENETUNREACH/);
      expect(connections).toBe(1);
    } finally {
      server.close();
    }
  });

  it('does not hand the model API key to the command', async () => {
    const secretEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', OPENAI_API_KEY: 'sk-test-secret', GITHUB_TOKEN: 'ghp-secret' };
    const script = 'echo "key=[$OPENAI_API_KEY] token=[$GITHUB_TOKEN] net=[$KEEL_SANDBOX_NETWORK_DISABLED]"; test -z "$OPENAI_API_KEY"';
    const filtered = await run(script, { env: commandEnv(secretEnv, { inherit: 'all' }, { networkDisabled: true, sandbox: 'bwrap' }) });
    expect(filtered).toEqual({ code: 0, output: 'key=[] token=[] net=[1]\n' });
    // Without the filter the variable would be there: it is the filter that keeps it out.
    expect((await run(script, { env: secretEnv })).code).not.toBe(0);
  });

  it('hides container and bus sockets, which a network namespace does not cover', async () => {
    const socketPath = join(outside, 'fake-docker.sock');
    const server = createServer((socket) => socket.end('daemon here\n'));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const connect = `"${process.execPath}" -e "require('net').connect('${socketPath}').on('data', (d) => { process.stdout.write(d); process.exit(0); }).on('error', (e) => { console.error(e.code); process.exit(3); })"`;
    try {
      expect((await run(connect)).output).toBe('daemon here\n');
      const masked = await run(connect, { masked: [{ path: socketPath, kind: 'file' }] });
      expect(masked.code).toBe(3);
      expect(masked.output).toMatch(/ECONNREFUSED|ENOTSOCK|EACCES/);
    } finally {
      server.close();
    }
  });

  it('leaves no process behind when the sandbox is killed', async () => {
    const marker = `${4000 + Math.floor(Math.random() * 1000)}.25`;
    const wrapped = wrapCommand(['sh', '-c', `(sleep ${marker}) & sleep ${marker}`], WORKSPACE, layout);
    if (wrapped.type !== 'wrapped') throw new Error('not wrapped');
    const child = spawn(wrapped.argv[0]!, wrapped.argv.slice(1), { stdio: 'ignore' });
    await waitFor(() => sleepers(marker) === 2);
    child.kill('SIGKILL');
    await waitFor(() => sleepers(marker) === 0);
    expect(sleepers(marker)).toBe(0);
  });
});

/** Processes on this machine whose command line is `sleep <marker>`. */
function sleepers(marker: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${marker}\0`) count += 1;
    } catch {
      // The process ended while we looked.
    }
  }
  return count;
}

/** Polls a condition the kernel settles on its own (process teardown has no event to wait for). */
async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
