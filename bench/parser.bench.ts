/**
 * Shell analysis time ("Approvals that cannot be talked around"): reading a `bash -lc` command of 100 KB takes under
 * 50 ms whatever its shape, and grows linearly (10 KB → 100 KB is about 10×, not the 100× of a quadratic reader).
 * Each figure is the median of several `analyzeArgv(['bash', '-lc', script])` calls after warm-up runs: the parse,
 * every word's value and the unwrapping of every command. The known-safe verdict on top of it is its own row.
 */
import { performance } from 'node:perf_hooks';
import { analyzeArgv } from '../src/tools/approval/analyze-command.ts';
import { checkKnownSafe } from '../src/tools/approval/known-safe.ts';
import { MAX_COMMANDS, MAX_SOURCE_LENGTH } from '../src/tools/approval/parse-shell.ts';
import type { BenchRow } from './bench-row.ts';

const RUNS = 9;
const SIZES = [1_000, 10_000, 100_000];
const TARGET_MS = 50;
// Linear growth is 10× from 10 KB to 100 KB; allow for the garbage collector's share at the larger size.
const GROWTH_LIMIT = 20;

/** Repeats `unit` until the script is `size` characters long (cut at a unit boundary, then padded with spaces). */
function fill(prefix: string, unit: string, size: number, suffix = ''): string {
  const count = Math.max(1, Math.floor((size - prefix.length - suffix.length) / unit.length));
  return `${prefix}${unit.repeat(count)}${suffix}`.padEnd(size, ' ');
}

const SHAPES: { name: string; make(size: number): string }[] = [
  { name: 'plain words', make: (size) => fill('ls -la', ' src/file.ts', size) },
  { name: 'brackets in one word', make: (size) => fill('echo ', '[[{', size) },
  { name: 'long quoted strings', make: (size) => `echo '${'x'.repeat(size / 2 - 8)}' "${'y'.repeat(size / 2 - 8)}"` },
  { name: 'many pipes', make: (size) => fill('cat a', ' | grep -v x', size) },
  { name: 'lists and substitutions', make: (size) => fill('', 'git log -n 1 -- src && wc -l "$(ls src/tools)" `pwd`; ', size) },
  { name: 'here-document', make: (size) => `cat <<'EOF'\n${'line of text\n'.repeat(size / 13 - 2)}EOF\n` },
];

// Refused part-way, at a limit: the figure is the cost of finding that out.
const REFUSED: { name: string; script: string }[] = [
  { name: '100 KB of ( { $( "$( (depth limit)', script: fill('', '( { echo "$(', 100_000) },
  { name: `100 KB of a;a;… (over ${MAX_COMMANDS.toLocaleString('en')} commands)`, script: fill('', 'a;', 100_000) },
  { name: `${MAX_SOURCE_LENGTH / 1024 + 1} KiB (size limit)`, script: fill('ls', ' a', MAX_SOURCE_LENGTH + 1_024) },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(action: () => void): number {
  for (let run = 0; run < 3; run++) action();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    action();
    times.push(performance.now() - start);
  }
  return median(times);
}

function analysisMs(script: string): number {
  return time(() => analyzeArgv(['bash', '-lc', script]));
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let worstGrowth = { ratio: 0, shape: '' };
  for (const shape of SHAPES) {
    const [small, medium, large] = SIZES.map((size) => analysisMs(shape.make(size))) as [number, number, number];
    const ratio = large / medium;
    // A shape refused at once (nesting) costs microseconds at every size; its ratio is noise, not growth.
    if (large >= 1 && ratio > worstGrowth.ratio) worstGrowth = { ratio, shape: shape.name };
    rows.push({
      name: `shell analysis: 100 KB, ${shape.name}`,
      value: large,
      unit: 'ms',
      target: `< ${TARGET_MS} ms`,
      ok: large < TARGET_MS,
      note: `median of ${RUNS}; 1 KB ${small.toFixed(2)} ms, 10 KB ${medium.toFixed(2)} ms`,
    });
  }
  rows.push({
    name: 'shell analysis: growth 10 KB → 100 KB (worst shape)',
    value: worstGrowth.ratio,
    unit: '×',
    target: `< ${GROWTH_LIMIT}× (linear is 10×)`,
    ok: worstGrowth.ratio < GROWTH_LIMIT,
    note: worstGrowth.shape,
  });
  for (const refused of REFUSED) {
    const ms = analysisMs(refused.script);
    rows.push({ name: `shell analysis: ${refused.name}`, value: ms, unit: 'ms', target: `< ${TARGET_MS} ms`, ok: ms < TARGET_MS, note: `median of ${RUNS}, refused` });
  }
  // The whole decision on top of the analysis: the safety rules of every command (outside the parser).
  const pipes = SHAPES.find((shape) => shape.name === 'many pipes')!.make(100_000);
  const verdictMs = time(() => checkKnownSafe(['bash', '-lc', pipes]));
  rows.push({ name: 'known-safe verdict: 100 KB, many pipes', value: verdictMs, unit: 'ms', target: `< ${TARGET_MS} ms`, ok: verdictMs < TARGET_MS, note: `median of ${RUNS}, analysis + every rule` });
  return rows;
}
