import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/support/wait-until.ts';
import { registeredGroups } from '../shell/group-registry.ts';
import { callShell, findLiveProcesses, uniqueSleepArg } from '../shell/shell-call-harness.ts';
import { createExecCommandTool, createWriteStdinTool } from './exec-command-tool.ts';
import { ProcessTable } from './process-table.ts';

/** Polls the process table (no event reports it) until `count` processes carry `marker`. */
async function liveCount(marker: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await findLiveProcesses(marker)).length !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} processes with ${marker}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let tables: ProcessTable[] = [];
function tools(max?: number): { table: ProcessTable; exec: ReturnType<typeof createExecCommandTool>; write: ReturnType<typeof createWriteStdinTool> } {
  const table = new ProcessTable({ max });
  tables.push(table);
  return { table, exec: createExecCommandTool({ table }), write: createWriteStdinTool({ table }) };
}

afterEach(async () => {
  await Promise.all(tables.map((table) => table.stopAll()));
  tables = [];
});

describe('exec_command', () => {
  it('answers a quick command with its exit code and output, and keeps nothing in the background', async () => {
    const { table, exec } = tools();
    const call = await callShell(exec, { cmd: 'echo hello; exit 3' });
    expect(call.result.output).toMatch(/^Wall time: \d+\.\d seconds\nProcess exited with code 3\nOutput:\nhello\n$/);
    expect(call.result.success).toBe(false);
    expect(call.begin).toMatchObject({ command: [expect.stringMatching(/(ba)?sh$/), '-lc', 'echo hello; exit 3'], process_id: 1 });
    expect(call.end).toMatchObject({ status: 'failed', exit_code: 3, aggregated_output: 'hello\n', process_id: 1 });
    expect(table.list()).toEqual([]);
  });

  it('leaves a slow command running in the background with a session id, and write_stdin polls it to its end', async () => {
    const { table, exec, write } = tools();
    const first = await callShell(exec, { cmd: 'echo started; read line; echo "got $line"', yield_time_ms: 1000, login: false });
    expect(first.result.output).toMatch(/Process running with session ID 1\nOutput:\nstarted\n$/);
    expect(first.end).toMatchObject({ status: 'backgrounded', exit_code: null, process_id: 1 });
    expect(first.result.success).toBe(true);
    expect(table.list()).toMatchObject([{ id: 1, status: 'running', command: 'echo started; read line; echo "got $line"' }]);

    const poll = await callShell(write, { session_id: 1, chars: '', yield_time_ms: 250 });
    expect(poll.result.output).toMatch(/Process running with session ID 1\nOutput:\n$/);
    expect(poll.begin).toMatchObject({ process_id: 1, interaction_input: '' });

    const answer = await callShell(write, { session_id: 1, chars: 'ping\n', yield_time_ms: 10_000 });
    expect(answer.result.output).toMatch(/Process exited with code 0\nOutput:\ngot ping\n$/);
    expect(answer.end).toMatchObject({ status: 'completed', exit_code: 0 });
    // The model has heard how it ended: it leaves the table.
    expect(table.list()).toEqual([]);
  });

  it('stops the command the model waits on when the call is interrupted, with everything it started', async () => {
    const { table, exec } = tools();
    const marker = uniqueSleepArg();
    const call = await callShell(exec, { cmd: `echo up; sleep ${marker} & sleep ${marker}; wait`, yield_time_ms: 30_000 }, {
      onEvent: (msg, abort) => {
        if (msg.type === 'exec_command_output_delta') abort();
      },
    });
    expect(call.end).toMatchObject({ status: 'aborted' });
    expect(call.result.output).toMatch(/aborted by user: the command was stopped\nOutput:\nup\n/);
    expect(await findLiveProcesses(marker)).toEqual([]);
    expect(table.list()).toEqual([]);
  });

  it('refuses a command beyond the limit of background processes, saying which run', async () => {
    const { exec } = tools(2);
    for (let index = 0; index < 2; index++) await callShell(exec, { cmd: `sleep ${uniqueSleepArg()}`, yield_time_ms: 250 });
    const third = await callShell(exec, { cmd: 'echo never' });
    expect(third.events).toEqual([]);
    expect(third.result.refused).toMatch(/2 background processes are running.*max_background_processes = 2.*session IDs 1, 2/);
    expect(third.result.output).toContain('exec command rejected');
  });

  it('runs a command on a terminal when tty is set', async () => {
    const { exec } = tools();
    const call = await callShell(exec, { cmd: 'tty; test -t 0 && echo interactive', tty: true });
    expect(call.result.output).toMatch(/\/dev\/pts\/\d+/);
    expect(call.result.output).toContain('interactive');
  });

  it("does not read ~/.bashrc when keel's own environment has no SHLVL (bash takes a socket stdin for a remote shell)", async () => {
    const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
    writeFileSync(join(home, '.bashrc'), 'echo noise from bashrc\n');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    delete env.SHLVL;
    const table = new ProcessTable();
    tables.push(table);
    const call = await callShell(createExecCommandTool({ table, env }), { cmd: 'echo quiet', login: false });
    expect(call.end?.aggregated_output).toBe('quiet\n');
  });

  it('says so when the workdir does not exist, without starting anything', async () => {
    const { exec } = tools();
    const call = await callShell(exec, { cmd: 'pwd', workdir: '/no/such/dir' });
    expect(call.result.output).toMatch(/Process exited with code 127\nOutput:\nworkdir does not exist: \/no\/such\/dir/);
    expect(call.end).toMatchObject({ status: 'failed', exit_code: 127 });
  });
});

describe('write_stdin', () => {
  it('names the running session IDs when asked for one that does not exist', async () => {
    const { exec, write } = tools();
    await callShell(exec, { cmd: `sleep ${uniqueSleepArg()}`, yield_time_ms: 250 });
    const call = await callShell(write, { session_id: 42 });
    expect(call.result.output).toBe('write_stdin failed: no process with session ID 42 (the background processes are session IDs 1). Start a command with exec_command.');
    expect(call.events).toEqual([]);
  });

  it('ends only the wait when interrupted: the background process goes on', async () => {
    const { table, exec, write } = tools();
    const marker = uniqueSleepArg();
    await callShell(exec, { cmd: `sleep ${marker}`, yield_time_ms: 250 });
    const call = await callShell(write, { session_id: 1, yield_time_ms: 30_000 }, {
      onEvent: (msg, abort) => {
        if (msg.type === 'exec_command_begin') abort();
      },
    });
    expect(call.end).toMatchObject({ status: 'aborted', exit_code: null });
    expect(call.result.output).toContain('the process is still running with session ID 1');
    await liveCount(marker, 1);
    expect(table.list()).toMatchObject([{ id: 1, status: 'running' }]);
  });

  it('reports the exit of a process that ended between polls, once', async () => {
    const { table, exec, write } = tools();
    await callShell(exec, { cmd: 'sleep 0.4; echo finished; exit 4', yield_time_ms: 250 });
    const ended = table.get(1)!.ended;
    await ended;
    expect(table.list()).toMatchObject([{ id: 1, status: 'exited', exit_code: 4 }]);
    const call = await callShell(write, { session_id: 1, chars: 'too late\n' });
    expect(call.result.output).toMatch(/Process exited with code 4\nNote: the input was not delivered: the process no longer reads its input\.\nOutput:\nfinished\n$/);
    expect(table.list()).toEqual([]);
  });
});

describe('the process table', () => {
  it('stops every background process and its children, and unregisters their groups', async () => {
    const { table, exec } = tools();
    const marker = uniqueSleepArg();
    for (let index = 0; index < 3; index++) await callShell(exec, { cmd: `sleep ${marker} & sleep ${marker}; wait`, yield_time_ms: 250 });
    // A shell slowed down by a busy machine may not have started both children within the yield.
    await liveCount(marker, 6);
    const groups = table.ids().map((id) => table.get(id)!.pgid);
    await table.stopAll();
    expect(await findLiveProcesses(marker)).toEqual([]);
    expect(table.list().map((process) => process.status)).toEqual(['stopped', 'stopped', 'stopped']);
    for (const group of groups) expect(registeredGroups()).not.toContain(group);
  });

  it('tells the model once what ended, and after an interrupt what still runs', async () => {
    const { table, exec } = tools();
    // Waits for a line, so it is still running when the call yields however slow the machine is.
    await callShell(exec, { cmd: 'read line; exit 2', yield_time_ms: 250, login: false });
    await callShell(exec, { cmd: `sleep ${uniqueSleepArg()}`, yield_time_ms: 250, login: false });
    expect(table.noteForModel()).toBeNull();
    await table.get(1)!.write('\n');
    await table.get(1)!.ended;
    const note = table.noteForModel();
    expect(note).toContain('- session ID 1 (`read line; exit 2`): exited with code 2');
    expect(note).toMatch(/- session ID 2 \(`sleep [\d.]+`\): still running/);
    expect(table.noteForModel()).toBeNull();
    table.interrupted();
    expect(table.noteForModel()).toMatch(/session ID 2 .*still running/);
    expect(table.noteForModel()).toBeNull();
  });

  it('tells a resumed session how the last run ended its processes, and numbers new ones after them', () => {
    const table = new ProcessTable({
      firstId: 8,
      endedWithLastRun: [
        { id: 5, command: 'npm run dev', cwd: '/w', started_at: 0, status: 'running', exit_code: null },
        { id: 7, command: 'make', cwd: '/w', started_at: 0, status: 'exited', exit_code: 1 },
      ],
    });
    const note = table.noteForModel()!;
    expect(note).toContain("- session ID 5 (`npm run dev`): stopped when keel's previous run ended");
    expect(note).toContain('- session ID 7 (`make`): exited with code 1');
    expect(note).toContain('None is running now.');
    expect(table.allocateId()).toBe(8);
  });
});

it('keeps a fixed amount of a background process’s unread output however much it prints', async () => {
  const { table, exec, write } = tools();
  // Prints only once told to, and then waits again: its 5 MB pile up in the background, unread.
  await callShell(exec, { cmd: 'read go; head -c 5000000 /dev/zero | tr "\\0" x; echo; echo END; read line', yield_time_ms: 250, login: false });
  const process = table.get(1)!;
  await process.write('\n');
  await waitUntil(() => process.unreadBytes >= 5_000_005, 60_000);
  expect(process.retainedBytes).toBeLessThan(200 * 1024);
  const call = await callShell(write, { session_id: 1 });
  expect(Buffer.byteLength(call.result.output)).toBeLessThanOrEqual(10 * 1024);
  expect(call.result.output).toMatch(/\nOriginal token count: 1250002\nOutput:\nTotal output lines: 2\n/);
  expect(call.result.output.endsWith('x\nEND\n')).toBe(true);
}, 120_000);
