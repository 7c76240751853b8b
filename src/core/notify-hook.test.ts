import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createNotifier, turnCompletePayload, type NotifyHookError, type SpawnDetached } from './notify-hook.ts';

/** A real hook: a script that writes its last argument to the file named by its first, atomically. */
function hookScript(): { command: string[]; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keel-notify-'));
  const script = join(dir, 'hook.mjs');
  writeFileSync(
    script,
    [
      "import { renameSync, writeFileSync } from 'node:fs';",
      'const [target, ...rest] = process.argv.slice(2);',
      "writeFileSync(target + '.tmp', JSON.stringify(rest));",
      "renameSync(target + '.tmp', target);",
    ].join('\n'),
  );
  const output = join(dir, 'received.json');
  return { command: [process.execPath, script, output], output };
}

const notice = { turnId: 'turn-7', inputMessages: ['fix the "tests"', 'and lint'], lastAgentMessage: 'Done: 3 files changed.' };

describe('createNotifier', () => {
  it('runs the program with the JSON of the completed turn as one extra argument', async () => {
    const { command, output } = hookScript();
    const onFailure = vi.fn();
    const notifier = createNotifier({ command: [...command, 'extra-arg'], spawn, onFailure });
    expect(notifier.notify(notice)).toBeUndefined();
    await vi.waitFor(() => expect(existsSync(output)).toBe(true), { timeout: 10_000, interval: 20 });
    const [extra, payload] = JSON.parse(readFileSync(output, 'utf8')) as [string, string];
    expect(extra).toBe('extra-arg');
    expect(JSON.parse(payload)).toEqual({
      type: 'agent-turn-complete',
      'turn-id': 'turn-7',
      'input-messages': ['fix the "tests"', 'and lint'],
      'last-assistant-message': 'Done: 3 files changed.',
    });
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('starts the program detached with stdio ignored and does not keep keel alive', () => {
    const unref = vi.fn();
    const calls: unknown[][] = [];
    const fake: SpawnDetached = (...args) => {
      calls.push(args);
      return { once: () => undefined, unref };
    };
    createNotifier({ command: ['notify-send', 'keel'], spawn: fake, onFailure: () => {} }).notify({ ...notice, lastAgentMessage: null });
    expect(calls).toEqual([['notify-send', ['keel', turnCompletePayload({ ...notice, lastAgentMessage: null })], { detached: true, stdio: 'ignore' }]]);
    expect(JSON.parse(turnCompletePayload({ ...notice, lastAgentMessage: null }))['last-assistant-message']).toBeNull();
    expect(unref).toHaveBeenCalledOnce();
  });

  it('reports a program that cannot be started once, however often it is notified', async () => {
    const reports: NotifyHookError[] = [];
    // Counts the real 'error' events, so the test waits for every failure rather than for time to pass.
    let failedStarts = 0;
    const counting: SpawnDetached = (program, args, options) => {
      const child = spawn(program, args, options);
      child.once('error', () => failedStarts++);
      return child;
    };
    const notifier = createNotifier({ command: ['/nonexistent/keel-notify-hook'], spawn: counting, onFailure: (error) => reports.push(error) });
    notifier.notify(notice);
    notifier.notify(notice);
    notifier.notify(notice);
    await vi.waitFor(() => expect(failedStarts).toBe(3), { timeout: 10_000, interval: 20 });
    expect(reports).toHaveLength(1);
    expect(reports[0]!.kind).toBe('spawn_failed');
    expect(reports[0]!.command).toEqual(['/nonexistent/keel-notify-hook']);
    expect(reports[0]!.message).toMatch(/^the notify hook "\/nonexistent\/keel-notify-hook" could not be started: .*ENOENT/);
  });

  it('never throws: a spawn that throws and a reporter that throws are both contained', () => {
    const throwing: SpawnDetached = () => {
      throw new TypeError('bad arguments');
    };
    const onFailure = vi.fn((_error: NotifyHookError): void => {
      throw new Error('reporter broke');
    });
    const notifier = createNotifier({ command: ['x'], spawn: throwing, onFailure });
    expect(() => notifier.notify(notice)).not.toThrow();
    expect(() => notifier.notify(notice)).not.toThrow();
    expect(onFailure).toHaveBeenCalledOnce();
    expect(onFailure.mock.calls[0]![0]!.cause).toBeInstanceOf(TypeError);
  });

  it('does nothing without a command', () => {
    const fake = vi.fn<SpawnDetached>();
    createNotifier({ command: null, spawn: fake, onFailure: () => {} }).notify(notice);
    createNotifier({ command: [], spawn: fake, onFailure: () => {} }).notify(notice);
    expect(fake).not.toHaveBeenCalled();
  });
});
