/**
 * Many jobs on one shared KEEL_HOME (issue "keel in CI at scale"): 20 `keel exec --session-id UUID PROMPT` one-turn
 * jobs started at once, against one job alone, all answered by the scripted server on 127.0.0.1. Each round uses a
 * fresh home shared by its jobs, so they contend for the same sessions tree and prompt history file as CI jobs on a
 * shared volume do. The figure is the wall time from the first spawn until the last job has exited.
 *
 * Jobs that wait for nothing but the CPU cannot beat the machine: the note gives the CPU floor, the jobs' own CPU
 * time (user + sys, read by GNU time) divided by the number of CPUs. Wall time near the floor means the jobs do not
 * wait for each other (locks, the shared history file); the 3× target needs enough CPUs for that floor to be low.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { respond, text } from '../src/scripted/script-builders.ts';
import { startScriptedServer } from '../src/scripted/scripted-server.ts';
import type { BenchRow } from './bench-row.ts';

const KEEL = resolve(import.meta.dirname, '../bin/keel.js');
const JOBS = 20;
const ROUNDS = 5;
const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One job; resolves with its CPU time in ms (0 without GNU time). */
function job(env: NodeJS.ProcessEnv, index: number): Promise<number> {
  const keel = [process.execPath, KEEL, 'exec', '--session-id', randomUUID(), `job ${index}: ping`];
  const [command, ...args] = haveTime ? [TIME, '-f', 'cpu-seconds=%U+%S', ...keel] : keel;
  return new Promise((done, fail) => {
    const child = spawn(command!, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`a job failed during the benchmark (${code}):\n${stderr}`));
      const cpu = /cpu-seconds=([\d.]+)\+([\d.]+)/.exec(stderr);
      done(cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : 0);
    });
  });
}

/** Wall time of `count` jobs started together on one fresh home, and the CPU time they used. */
async function round(url: string, count: number): Promise<{ wall: number; cpu: number }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, KEEL_HOME: mkdtempSync(join(tmpdir(), 'keel-bench-jobs-')), OPENAI_BASE_URL: url, OPENAI_API_KEY: 'bench' };
  const started = performance.now();
  const cpu = await Promise.all(Array.from({ length: count }, (_, index) => job(env, index)));
  return { wall: performance.now() - started, cpu: cpu.reduce((sum, ms) => sum + ms, 0) };
}

export async function run(): Promise<BenchRow[]> {
  const server = await startScriptedServer({ script: Array.from({ length: ROUNDS * (JOBS + 1) }, () => respond(text('pong'))) });
  const alone: number[] = [];
  const together: number[] = [];
  const floor: number[] = [];
  try {
    // Interleaved, so both see the same machine conditions.
    for (let i = 0; i < ROUNDS; i++) {
      alone.push((await round(server.url, 1)).wall);
      const all = await round(server.url, JOBS);
      together.push(all.wall);
      floor.push(all.cpu / cpus().length);
    }
  } finally {
    await server.close();
  }
  const ratio = median(together) / median(alone);
  const cpuNote = haveTime ? `; CPU floor ${median(floor).toFixed(0)} ms (the jobs' CPU time / ${cpus().length} CPUs)` : '';
  return [
    { name: 'keel exec --session-id, one job', value: median(alone), unit: 'ms', target: '(baseline)', ok: true, note: `median of ${ROUNDS}` },
    {
      name: `keel exec --session-id, ${JOBS} jobs at once`,
      value: median(together),
      unit: 'ms',
      target: '< 3 × one job',
      ok: ratio < 3,
      note: `median of ${ROUNDS} rounds, one shared KEEL_HOME; ratio ${ratio.toFixed(2)}${cpuNote}`,
    },
  ];
}
