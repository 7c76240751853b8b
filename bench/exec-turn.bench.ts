/**
 * Whole-process figures: `keel --version` against a bare `node -e 0`, and one `keel exec` turn answered by the
 * scripted server on 127.0.0.1 (wall time and peak RSS, read by GNU time's %M).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { respond, text } from '../src/scripted/script-builders.ts';
import { startScriptedServer } from '../src/scripted/scripted-server.ts';
import type { BenchRow } from './bench-row.ts';

const KEEL = resolve(import.meta.dirname, '../bin/keel.js');
const RUNS = 15;

interface Timed {
  ms: number;
  stderr: string;
  code: number | null;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => done({ ms: performance.now() - started, stderr, code }));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function run(): Promise<BenchRow[]> {
  const node: number[] = [];
  const version: number[] = [];
  // Interleaved, so both see the same machine conditions.
  for (let i = 0; i < RUNS; i++) {
    node.push((await timed(process.execPath, ['-e', '0'])).ms);
    version.push((await timed(process.execPath, [KEEL, '--version'])).ms);
  }
  const ratio = median(version) / median(node);

  const server = await startScriptedServer({ script: Array.from({ length: RUNS }, () => respond(text('pong'))) });
  const walls: number[] = [];
  const rss: number[] = [];
  const haveTime = existsSync('/usr/bin/time');
  try {
    for (let i = 0; i < RUNS; i++) {
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, KEEL_HOME: mkdtempSync(join(tmpdir(), 'keel-bench-')), OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'bench' };
      const result = haveTime
        ? await timed('/usr/bin/time', ['-f', 'peak-rss-kb=%M', process.execPath, KEEL, 'exec', 'ping'], env)
        : await timed(process.execPath, [KEEL, 'exec', 'ping'], env);
      if (result.code !== 0) throw new Error(`keel exec failed during the benchmark:\n${result.stderr}`);
      walls.push(result.ms);
      const kb = /peak-rss-kb=(\d+)/.exec(result.stderr);
      if (kb) rss.push(Number(kb[1]) / 1024);
    }
  } finally {
    await server.close();
  }
  const rows: BenchRow[] = [
    { name: 'node -e 0', value: median(node), unit: 'ms', target: '(baseline)', ok: true, note: `median of ${RUNS}` },
    { name: 'keel --version', value: median(version), unit: 'ms', target: '≤ 1.3 × node -e 0', ok: ratio <= 1.3, note: `median of ${RUNS}; ratio ${ratio.toFixed(2)}` },
    { name: 'keel exec, one turn (wall)', value: median(walls), unit: 'ms', target: '< 200 ms', ok: median(walls) < 200, note: `median of ${RUNS}, scripted server on 127.0.0.1` },
  ];
  if (rss.length > 0) {
    rows.push({ name: 'keel exec, one turn (peak RSS)', value: median(rss), unit: 'MiB', target: '< 90 MiB', ok: median(rss) < 90, note: `median of ${RUNS}, GNU time %M` });
  }
  return rows;
}
