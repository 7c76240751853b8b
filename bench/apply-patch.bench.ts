/**
 * apply_patch speed (issue 3): a 10-chunk patch into a 100,000-line file plans and commits in under 50 ms, and a
 * 1 MB single-line file does not make matching (or the error path) quadratic. Runs against the real file system in a
 * temporary folder; every figure is the median of several whole `applyPatch` calls, each on a fresh copy of the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyPatch } from '../src/tools/apply-patch/apply-patch.ts';
import type { BenchRow } from './bench-row.ts';

const RUNS = 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Times `applyPatch(patch)` on a fresh `content` each run; fails loudly if the outcome is not the expected one. */
async function measure(folder: string, content: string, patch: string, expect: 'applied' | 'failed'): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    writeFileSync(join(folder, 'target.txt'), content);
    const start = performance.now();
    const result = await applyPatch(patch, { cwd: folder });
    times.push(performance.now() - start);
    if (result.type !== expect) throw new Error(`apply-patch bench: expected ${expect}, got ${JSON.stringify(result).slice(0, 500)}`);
  }
  return median(times);
}

function bigFile(): { content: string; patch: string } {
  const lines = Array.from({ length: 100_000 }, (_, index) => `  const value${index} = compute(${index}, "item ${index % 97}"); // line ${index}`);
  const patch = ['*** Begin Patch', '*** Update File: target.txt'];
  for (let chunk = 0; chunk < 10; chunk++) {
    const at = 5_000 + chunk * 9_500;
    patch.push('@@');
    for (let line = at - 3; line < at; line++) patch.push(` ${lines[line]}`);
    patch.push(`-${lines[at]}`, `+  const value${at} = computeFaster(${at}); // changed`);
    for (let line = at + 1; line <= at + 3; line++) patch.push(` ${lines[line]}`);
  }
  patch.push('*** End Patch');
  return { content: lines.join('\n') + '\n', patch: patch.join('\n') };
}

function minified(): { content: string; changed: string; unmatched: string } {
  let line = '';
  for (let index = 0; line.length < 1_000_000; index++) line += `function f${index}(a,b){return a+b*${index}};`;
  const content = line + '\n';
  const replaced = line.replace('function f5000(', 'function g5000(');
  const changed = `*** Begin Patch\n*** Update File: target.txt\n@@\n-${line}\n+${replaced}\n*** End Patch\n`;
  // The model remembered one character wrong: nothing matches, and the error must locate the difference.
  const wrong = line.replace('function f20000(', 'function F20000(');
  const unmatched = `*** Begin Patch\n*** Update File: target.txt\n@@\n-${wrong}\n+x\n*** End Patch\n`;
  return { content, changed, unmatched };
}

export async function run(): Promise<BenchRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'keel-bench-apply-patch-'));
  try {
    const big = bigFile();
    const bigMs = await measure(folder, big.content, big.patch, 'applied');
    const single = minified();
    const singleMs = await measure(folder, single.content, single.changed, 'applied');
    const unmatchedMs = await measure(folder, single.content, single.unmatched, 'failed');
    const note = `median of ${RUNS} runs, parse + plan + atomic commit`;
    return [
      { name: 'apply_patch: 10 chunks into 100,000 lines', value: bigMs, unit: 'ms', target: '< 50 ms', ok: bigMs < 50, note },
      { name: 'apply_patch: 1 MB single-line file', value: singleMs, unit: 'ms', target: '< 200 ms', ok: singleMs < 200, note },
      {
        name: 'apply_patch: 1 MB line, not found (diagnosis)',
        value: unmatchedMs,
        unit: 'ms',
        target: '< 200 ms',
        ok: unmatchedMs < 200,
        note: `median of ${RUNS} runs, all four passes + closest region`,
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
