/**
 * The transcript and wrapping, in process: what the UI's tests used to time with a stopwatch (a test that times is
 * flaky on a busy machine and proves nothing on a fast one), measured here as medians with the same bounds.
 * - wrapping 100 KB of words and a 100,000-character word at 80 columns (bound 100 ms);
 * - a command printing 64 MB in 1,000 chunks, then a 5 MB line in 5,000 pieces, into the live tail (bound 5 s);
 * - a 100,000-delta answer streamed with a live frame every 80 deltas (bound 3 s).
 */
import type { EventMsg } from '../src/protocol/index.ts';
import { line } from '../src/util/text/styled.ts';
import { wrapLine } from '../src/util/text/wrap.ts';
import { TranscriptView } from '../src/tui/transcript.ts';
import type { BenchRow } from './bench-row.ts';

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function timed(work: () => void): number[] {
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    work();
    runs.push(performance.now() - started);
  }
  return runs;
}

function wrapLongLines(): void {
  wrapLine(line('streaming text arrives in small pieces and is wrapped on every frame '.repeat(1500)), 80);
  wrapLine(line('x'.repeat(100_000)), 80);
}

function view(...events: EventMsg[]): TranscriptView {
  const transcript = new TranscriptView({ version: 'bench' });
  for (const event of events) transcript.apply(event);
  return transcript;
}

function commandFlood(): void {
  const transcript = view({ type: 'exec_command_begin', call_id: 'c1', command: ['yes'], cwd: '/work' });
  const chunk = `${'y'.repeat(999)}\n`.repeat(64);
  for (let index = 0; index < 1000; index++) transcript.apply({ type: 'exec_command_output_delta', call_id: 'c1', stream: 'stdout', chunk });
  for (let index = 0; index < 5000; index++) {
    transcript.apply({ type: 'exec_command_output_delta', call_id: 'c1', stream: 'stdout', chunk: `${index % 10}`.repeat(1000) });
  }
  transcript.live(40, 50, 0);
}

function longAnswer(): void {
  const transcript = view({ type: 'task_started', model_context_window: null });
  for (let index = 0; index < 100_000; index++) {
    transcript.apply({ type: 'agent_message_delta', delta: index % 12 === 11 ? 'end of line.\n' : `token${index} ` });
    if (index % 80 === 0) transcript.live(100, 30, 0);
  }
}

export async function run(): Promise<BenchRow[]> {
  const cases = [
    { name: 'tui: wrap 100 KB of words + a 100,000-char word', work: wrapLongLines, bound: 100 },
    { name: 'tui: a command printing 64 MB + a 5 MB line, live tail', work: commandFlood, bound: 5000 },
    { name: 'tui: 100,000 answer deltas, a live frame every 80', work: longAnswer, bound: 3000 },
  ];
  return cases.map(({ name, work, bound }) => {
    work(); // warm-up: the JIT compiles the hot paths before anything is timed
    const runs = timed(work);
    const value = median(runs);
    return {
      name,
      value,
      unit: 'ms',
      target: `< ${bound} ms`,
      ok: value < bound,
      note: `median of ${RUNS} runs in process; range ${Math.min(...runs).toFixed(1)}–${Math.max(...runs).toFixed(1)} ms`,
    };
  });
}
