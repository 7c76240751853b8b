import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveGroupMembers } from './group-liveness.ts';
import { registeredGroups } from './group-registry.ts';
import { callShell, findLiveProcesses, uniqueSleepArg } from './shell-call-harness.ts';
import { createShellTool } from './shell-tool.ts';
import { unfinishedOutput } from '../unfinished-call.ts';

const tool = createShellTool({});
const bash = (script: string): string[] => ['bash', '-c', script];

/** Resolves with the first delta text matching `pattern`, so a test can act once the command reached a point. */
function waitForOutput(pattern: RegExp): { onEvent: (msg: { type: string; chunk?: string }) => void; seen: Promise<RegExpExecArray> } {
  let text = '';
  let found: (match: RegExpExecArray) => void = () => undefined;
  const seen = new Promise<RegExpExecArray>((resolve) => (found = resolve));
  return {
    seen,
    onEvent(msg) {
      if (msg.type !== 'exec_command_output_delta' || msg.chunk === undefined) return;
      text += msg.chunk;
      const match = pattern.exec(text);
      if (match) found(match);
    },
  };
}

describe('shell tool: commands that finish', () => {
  it('runs a command and answers with the JSON envelope', async () => {
    const call = await callShell(tool, { command: ['echo', 'hello'] });
    expect(call.json?.output).toBe('hello\n');
    expect(call.json?.metadata.exit_code).toBe(0);
    expect(call.result.success).toBe(true);
    expect(call.begin).toMatchObject({ command: ['echo', 'hello'] });
    expect(call.end).toMatchObject({ exit_code: 0, status: 'completed', aggregated_output: 'hello\n' });
    expect(call.deltas.map((d) => [d.stream, d.chunk])).toEqual([['stdout', 'hello\n']]);
  });

  it('aggregates stdout and stderr and reports a non-zero exit', async () => {
    const call = await callShell(tool, { command: bash('echo out; echo err >&2; exit 3') });
    expect(call.json?.output.split('\n').sort()).toEqual(['', 'err', 'out']);
    expect(call.json?.metadata.exit_code).toBe(3);
    expect(call.result.success).toBe(false);
    expect(call.end).toMatchObject({ exit_code: 3, status: 'failed' });
    expect(call.deltas.find((d) => d.chunk === 'err\n')?.stream).toBe('stderr');
    expect(call.deltas.find((d) => d.chunk === 'out\n')?.stream).toBe('stdout');
  });

  it('rounds duration to one decimal', async () => {
    const call = await callShell(tool, { command: ['true'] });
    const seconds = call.json?.metadata.duration_seconds ?? -1;
    expect(Math.round(seconds * 10) / 10).toBe(seconds);
  });

  it('resolves workdir against the session cwd', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'keel-shell-')));
    mkdirSync(join(root, 'sub'));
    const call = await callShell(tool, { command: ['pwd'], workdir: 'sub' }, { cwd: root });
    expect(call.json?.output).toBe(`${join(root, 'sub')}\n`);
    expect(call.begin?.cwd).toBe(join(root, 'sub'));
  });

  it('answers a missing workdir with a clear message, not a throw', async () => {
    const root = mkdtempSync(join(tmpdir(), 'keel-shell-'));
    const call = await callShell(tool, { command: ['pwd'], workdir: 'nope' }, { cwd: root });
    expect(call.json?.output).toBe(`workdir does not exist: ${join(root, 'nope')}`);
    expect(call.json?.metadata.exit_code).toBe(127);
    expect(call.end).toMatchObject({ status: 'failed', exit_code: 127 });
  });

  it('answers a workdir that is a file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'keel-shell-'));
    writeFileSync(join(root, 'file'), '');
    const call = await callShell(tool, { command: ['pwd'], workdir: 'file' }, { cwd: root });
    expect(call.json?.output).toBe(`workdir is not a directory: ${join(root, 'file')}`);
  });

  it('answers a program that does not exist', async () => {
    const call = await callShell(tool, { command: ['keel-no-such-program', '--flag'] });
    expect(call.json?.output).toBe('program not found: keel-no-such-program');
    expect(call.json?.metadata.exit_code).toBe(127);
    expect(call.result.success).toBe(false);
    expect(call.end).toMatchObject({ status: 'failed', exit_code: 127, aggregated_output: 'program not found: keel-no-such-program' });
  });

  it('gives the command an empty stdin', async () => {
    const call = await callShell(tool, { command: ['cat'] });
    expect(call.json).toMatchObject({ output: '', metadata: { exit_code: 0 } });
  });

  it('passes the configured environment', async () => {
    const withEnv = createShellTool({ env: { ...process.env, KEEL_SHELL_TEST: 'present' } });
    const call = await callShell(withEnv, { command: bash('echo "$KEEL_SHELL_TEST"') });
    expect(call.json?.output).toBe('present\n');
  });
});

describe('shell tool: timeout', () => {
  it('stops the command, reports 124 and says so', async () => {
    const arg = uniqueSleepArg();
    const call = await callShell(tool, { command: ['sleep', arg], timeout_ms: 300 });
    expect(call.json?.output).toBe('command timed out after 300 milliseconds\n');
    expect(call.json?.metadata.exit_code).toBe(124);
    expect(call.end).toMatchObject({ status: 'timed_out', exit_code: 124 });
    expect(await findLiveProcesses(arg)).toEqual([]);
  });

  it('accepts `timeout` as an alias and keeps partial output', async () => {
    const arg = uniqueSleepArg();
    const call = await callShell(tool, { command: bash(`echo started; sleep ${arg}`), timeout: 300 });
    expect(call.json?.output).toBe('command timed out after 300 milliseconds\nstarted\n');
    expect(await findLiveProcesses(arg)).toEqual([]);
  });

  it('uses the default timeout of the tool', async () => {
    const quick = createShellTool({ defaultTimeoutMs: 200 });
    const arg = uniqueSleepArg();
    const call = await callShell(quick, { command: ['sleep', arg] });
    expect(call.json?.output).toBe('command timed out after 200 milliseconds\n');
  });
});

describe('shell tool: no process outlives its call', () => {
  it('abort right after begin starts nothing, and the call still ends', async () => {
    const [bg, fg] = [uniqueSleepArg(), uniqueSleepArg()];
    const call = await callShell(
      tool,
      { command: ['bash', '-lc', `sleep ${bg} & sleep ${fg}; wait`] },
      { onEvent: (msg, abort) => msg.type === 'exec_command_begin' && abort() },
    );
    expect(call.end).toMatchObject({ status: 'aborted', exit_code: 130 });
    expect(call.json?.metadata.exit_code).toBe(130);
    expect(call.json?.output).toMatch(/^aborted by user after \d+\.\ds$/);
    expect(call.end?.aggregated_output).toBe('');
    expect(call.result.success).toBe(false);
    expect(await findLiveProcesses(bg)).toEqual([]);
    expect(await findLiveProcesses(fg)).toEqual([]);
  });

  it('abort once the command is running stops child and grandchild, and keeps partial output', async () => {
    const [bg, fg] = [uniqueSleepArg(), uniqueSleepArg()];
    const controller = new AbortController();
    const ready = waitForOutput(/ready (\d+)\n/);
    const running = callShell(
      tool,
      { command: bash(`sleep ${bg} & echo "ready $$"; sleep ${fg}; wait`) },
      { onEvent: ready.onEvent, signal: controller.signal },
    );
    const pgid = Number((await ready.seen)[1]);
    expect((await liveGroupMembers(pgid)).length).toBeGreaterThanOrEqual(2);
    controller.abort();
    const call = await running;

    expect(call.json?.output).toMatch(/^ready \d+\naborted by user after \d+\.\ds$/);
    expect(call.end).toMatchObject({ status: 'aborted' });
    expect(call.end?.aggregated_output).toBe(`ready ${pgid}\n`);
    expect(await liveGroupMembers(pgid)).toEqual([]);
    expect(await findLiveProcesses(bg)).toEqual([]);
    expect(await findLiveProcesses(fg)).toEqual([]);
    expect(registeredGroups()).not.toContain(pgid);
  });

  it('stops an orphaned grandchild left in the group', async () => {
    const [orphan, fg] = [uniqueSleepArg(), uniqueSleepArg()];
    const controller = new AbortController();
    const ready = waitForOutput(/ready (\d+)\n/);
    const running = callShell(
      tool,
      { command: bash(`(sleep ${orphan} &); echo "ready $$"; sleep ${fg}`) },
      { onEvent: ready.onEvent, signal: controller.signal },
    );
    const pgid = Number((await ready.seen)[1]);
    controller.abort();
    await running;
    expect(await liveGroupMembers(pgid)).toEqual([]);
    expect(await findLiveProcesses(orphan)).toEqual([]);
  });

  it('kills a command that ignores SIGINT and SIGTERM', async () => {
    const arg = uniqueSleepArg();
    const controller = new AbortController();
    const ready = waitForOutput(/ready (\d+)\n/);
    const running = callShell(
      tool,
      { command: bash(`trap "" INT TERM; echo "ready $$"; sleep ${arg}`) },
      { onEvent: ready.onEvent, signal: controller.signal },
    );
    const pgid = Number((await ready.seen)[1]);
    controller.abort();
    const call = await running;
    expect(call.end).toMatchObject({ status: 'aborted', exit_code: 137 });
    expect(call.json?.metadata.exit_code).toBe(137);
    expect(await liveGroupMembers(pgid)).toEqual([]);
    expect(await findLiveProcesses(arg)).toEqual([]);
  });

  it('stops a background job the command left holding its output', async () => {
    const arg = uniqueSleepArg();
    const call = await callShell(tool, { command: bash(`sleep ${arg} & echo done`) });
    expect(call.json?.output).toBe('done\n');
    expect(call.end).toMatchObject({ status: 'completed', exit_code: 0 });
    // Drain window (2 s) plus the stop; far below the sleep's 30 s.
    expect(call.end?.duration_ms).toBeLessThan(10_000);
    expect(await findLiveProcesses(arg)).toEqual([]);
  });

  it('stops a background job that does not hold the output, without waiting for the drain window', async () => {
    const arg = uniqueSleepArg();
    const slowDrain = createShellTool({ drainMs: 60_000 });
    const call = await callShell(slowDrain, { command: bash(`sleep ${arg} >/dev/null 2>&1 & echo done`) });
    expect(call.json?.output).toBe('done\n');
    expect(await findLiveProcesses(arg)).toEqual([]);
  });

  it('spawns nothing when the call was aborted before it started', async () => {
    const controller = new AbortController();
    controller.abort();
    const call = await callShell(tool, { command: ['echo', 'never'] }, { signal: controller.signal });
    expect(call.result).toEqual({ output: unfinishedOutput({ type: 'interrupted_before_start', subject: 'command' }), success: false });
    expect(call.events).toEqual([]);
  });
});

describe('shell tool: sandbox wrapping fails closed', () => {
  it('runs the wrapped argv when the call is confined', async () => {
    const call = await callShell(tool, { command: ['echo', 'plain'] }, { wrapArgv: (argv) => ({ type: 'wrapped', argv: ['echo', 'wrapped', ...argv] }) });
    expect(call.json?.output).toBe('wrapped echo plain\n');
    expect(call.begin?.command).toEqual(['echo', 'plain']);
  });

  it('refuses a command that cannot be confined: nothing spawned, no begin, the model told why', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'keel-closed-')));
    const marker = join(dir, 'ran');
    const call = await callShell(tool, { command: ['touch', marker] }, { wrapArgv: () => ({ type: 'unsupported', reason: 'bubblewrap is missing' }) });
    expect(call.result).toEqual({ output: 'exec command rejected: bubblewrap is missing', success: false, refused: 'bubblewrap is missing' });
    expect(call.events).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });
});
