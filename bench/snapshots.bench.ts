/**
 * keel's snapshot store on a 10,000-file git repository (made and committed in a temporary directory): what a task
 * of 20 changed files (edited, created, deleted) costs — its `after` snapshot (`take`), the diff of a tool call
 * (`currentTree`), and the undo of the task (`planRestore` + `applyRestore`, which takes a snapshot of its own
 * first). The store's first snapshot of the tree hashes every file once and is its own row, outside the timing.
 * Figures are medians of several rounds; each round's timed step sees 20 changes since the step before it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyRestore, planRestore } from '../src/store/snapshots/restore.ts';
import { SnapshotStore } from '../src/store/snapshots/snapshot-store.ts';
import type { BenchRow } from './bench-row.ts';

const FILES = 10_000;
const PER_DIRECTORY = 100;
const ROUNDS = 7;
const TARGET_MS = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function git(cwd: string, ...args: string[]): void {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('GIT_')) env[name] = value;
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost' },
  });
}

function path(index: number): string {
  return `src/module-${Math.floor(index / PER_DIRECTORY)}/file-${index % PER_DIRECTORY}.ts`;
}

/** About 600 bytes of source per file. */
function source(index: number, version = 0): string {
  return `// file ${index}, version ${version}\n${`export const value${index}_${version} = ${index} * ${version} + 1; // some code to hash\n`.repeat(8)}`;
}

function makeRepository(root: string): void {
  git(root, 'init', '-q', '-b', 'main');
  writeFileSync(join(root, '.gitignore'), 'node_modules/\n*.log\n');
  for (let index = 0; index < FILES; index++) {
    if (index % PER_DIRECTORY === 0) mkdirSync(join(root, `src/module-${index / PER_DIRECTORY}`), { recursive: true });
    writeFileSync(join(root, path(index)), source(index));
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'ten thousand files');
}

/** A task's 20 changes: 12 files edited, 4 created (2 in a new directory), 4 deleted — spread over the tree. */
function taskEdits(root: string, round: number): void {
  for (let n = 0; n < 12; n++) {
    const index = (round * 997 + n * 811) % FILES;
    writeFileSync(join(root, path(index)), source(index, round + 1));
  }
  for (let n = 0; n < 4; n++) {
    const file = n < 2 ? `src/module-${n}/created-${round}-${n}.ts` : `src/new-${round}/deep/created-${n}.ts`;
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), source(n, round));
  }
  for (let n = 0; n < 4; n++) rmSync(join(root, path((round * 991 + n * 577 + 5) % FILES)));
}

async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await action();
  return { ms: performance.now() - start, value };
}

export async function run(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'keel-bench-snapshots-'));
  const home = mkdtempSync(join(tmpdir(), 'keel-bench-home-'));
  try {
    makeRepository(root);
    const store = await SnapshotStore.open(home, root);
    const first = await timed(() => store.take({ sessionId: 'bench', task: 0, phase: 'before' }));
    const takes: number[] = [];
    const undos: number[] = [];
    const diffs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const task = round + 1;
      const before = await store.take({ sessionId: 'bench', task, phase: 'before' });
      taskEdits(root, round);
      const after = await timed(() => store.take({ sessionId: 'bench', task, phase: 'after' }));
      takes.push(after.ms);
      const undo = await timed(async () => {
        const plan = await planRestore(store, before.id, after.value.id);
        if (plan.restore.length + plan.remove.length !== 20) throw new Error(`the undo plan has ${plan.restore.length + plan.remove.length} paths, not 20`);
        return applyRestore(store, plan, { force: false, sessionId: 'bench', task });
      });
      undos.push(undo.ms);
      // The same task again, now seen by a tool call's diff (the tree as it is, not kept), then undone untimed.
      taskEdits(root, round);
      const current = await timed(() => store.currentTree());
      diffs.push(current.ms);
      if (current.value.tree !== after.value.tree) throw new Error('currentTree differs from the after snapshot of the same edits');
      await applyRestore(store, await planRestore(store, before.id, after.value.id), { force: false, sessionId: 'bench', task });
    }
    const note = `median of ${ROUNDS} rounds, ${FILES.toLocaleString('en')} files, 20 changed`;
    const row = (name: string, values: number[], how: string): BenchRow => {
      const ms = median(values);
      return { name, value: ms, unit: 'ms', target: `< ${TARGET_MS} ms`, ok: ms < TARGET_MS, note: `${note}; ${how}; max ${Math.max(...values).toFixed(0)} ms` };
    };
    return [
      { name: `snapshots: first snapshot of ${FILES.toLocaleString('en')} files`, value: first.ms, unit: 'ms', target: '(once per tree)', ok: true, note: 'hashes every file into the store' },
      row('snapshots: take after a task', takes, 'the after snapshot'),
      row('snapshots: currentTree (a tool call\'s diff)', diffs, 'the tree as it is, not kept'),
      row('snapshots: undo of the task', undos, 'planRestore + applyRestore'),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}
