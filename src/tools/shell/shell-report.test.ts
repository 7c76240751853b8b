import { describe, expect, it } from 'vitest';
import { HeadTailBuffer } from '../../util/head-tail-buffer.ts';
import type { CommandOutcome } from './run-command.ts';
import { reportRun } from './shell-report.ts';

function run(outcome: CommandOutcome, text = '', durationMs = 1234, survivors = false) {
  const output = new HeadTailBuffer();
  output.push(text);
  return { outcome, output, durationMs, survivors };
}
const parsed = (json: string) => JSON.parse(json) as { output: string; metadata: { exit_code: number; duration_seconds: number } };

describe('reportRun', () => {
  it('reports a clean exit', () => {
    const report = reportRun(run({ type: 'exited', exit: { type: 'exited', code: 0 } }, 'ok\n'), 1000);
    expect(report).toMatchObject({ exitCode: 0, status: 'completed', success: true, aggregatedOutput: 'ok\n' });
    expect(parsed(report.modelOutput)).toEqual({ output: 'ok\n', metadata: { exit_code: 0, duration_seconds: 1.2 } });
  });

  it('turns a leader killed by a signal into 128 + its number', () => {
    const report = reportRun(run({ type: 'exited', exit: { type: 'signaled', signal: 'SIGSEGV' } }), 1000);
    expect(report).toMatchObject({ exitCode: 139, status: 'failed', success: false });
  });

  it('prefixes a timeout', () => {
    const report = reportRun(run({ type: 'timed_out', exit: { type: 'signaled', signal: 'SIGINT' } }, 'partial'), 300);
    expect(report).toMatchObject({ exitCode: 124, status: 'timed_out', aggregatedOutput: 'partial' });
    expect(parsed(report.modelOutput).output).toBe('command timed out after 300 milliseconds\npartial');
  });

  it('ends an aborted run with a line saying so', () => {
    const aborted = { type: 'aborted', exit: { type: 'signaled', signal: 'SIGTERM' }, lastSignal: 'SIGTERM' } as const;
    expect(parsed(reportRun(run(aborted, 'partial', 2345), 1000).modelOutput)).toEqual({
      output: 'partial\naborted by user after 2.3s',
      metadata: { exit_code: 143, duration_seconds: 2.3 },
    });
    expect(parsed(reportRun(run(aborted, 'line\n', 20), 1000).modelOutput).output).toBe('line\naborted by user after 0.1s');
  });

  it('falls back to the last signal sent when the leader was never seen to exit', () => {
    const report = reportRun(run({ type: 'aborted', exit: null, lastSignal: 'SIGKILL' }, '', 1000, true), 1000);
    expect(report.exitCode).toBe(137);
    expect(parsed(report.modelOutput).output).toBe(
      'aborted by user after 1.0s\nwarning: some processes started by the command could not be stopped',
    );
  });

  it('reports a spawn failure with its message', () => {
    const report = reportRun(run({ type: 'spawn_failed', message: 'program not found: x', exitCode: 127 }), 1000);
    expect(report).toMatchObject({ exitCode: 127, status: 'failed', aggregatedOutput: 'program not found: x' });
    expect(parsed(report.modelOutput).output).toBe('program not found: x');
  });

  it('keeps the whole JSON within the byte budget, truncating the output harder if needed', () => {
    const text = 'x'.repeat(10_100) + '\n' + '"'.repeat(100);
    const report = reportRun(run({ type: 'exited', exit: { type: 'exited', code: 0 } }, text), 1000);
    expect(Buffer.byteLength(report.modelOutput)).toBeLessThanOrEqual(10 * 1024);
    expect(Buffer.byteLength(report.modelOutput)).toBeGreaterThan(9 * 1024);
    expect(parsed(report.modelOutput).output).toMatch(/^Total output lines: 2\n\nx+\n\[\.\.\. omitted \d+ of 10201 bytes \.\.\.\]\n\nx*\n"+$/);
    // The UI's copy is not squeezed for JSON: 10,201 bytes are within the budget.
    expect(report.aggregatedOutput === text).toBe(true);
  });
});
