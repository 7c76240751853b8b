/**
 * Does keel start as fast installed as it does from the checkout? `npm pack` (into a temporary folder) the built
 * checkout, `npm install -g --prefix <tmp>/prefix --offline` that tarball (keel has no dependencies, so this needs no
 * registry; a private npm cache in the same folder keeps ~/.npm untouched), then time, alternating run by run after one
 * warm-up each:
 *
 * - checkout: `node bin/keel.js …` (the node running this benchmark);
 * - installed: `<prefix>/bin/keel …`, the symlink npm made, through its `#!/usr/bin/env node` (PATH puts this same
 *   node first, so both run one node binary).
 *
 * Both for `keel exec ping`, one turn answered with one text message by the scripted server on 127.0.0.1 (as in
 * exec-turn.bench.ts, a fresh KEEL_HOME per run), and for `keel --version`. Both run in the same empty temporary working
 * directory, so nothing is written into the checkout. Target: the installed exec within 10 % of the checkout's (ratio of
 * medians); the --version figures are reported. Every temporary folder is removed at the end, and every process started
 * here must be gone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { respond, text } from '../src/scripted/script-builders.ts';
import { startScriptedServer } from '../src/scripted/scripted-server.ts';
import type { BenchRow } from './bench-row.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CHECKOUT_BIN = join(ROOT, 'bin/keel.js');
const RUNS = 11;
const TARGET_RATIO = 1.1;
const RUN_TIMEOUT_MS = 30_000;
const NPM_TIMEOUT_MS = 180_000;

interface Timed {
  ms: number;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Every process started here, checked at the end. */
const startedPids = new Set<number>();

function timed(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number }): Promise<Timed> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) startedPids.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ ms: performance.now() - started, stdout, stderr, code });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const fmt = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const range = (values: number[]): string => `${fmt(Math.min(...values))}–${fmt(Math.max(...values))} ms`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Timed> {
  const result = await timed('npm', args, { env, cwd, timeoutMs: NPM_TIMEOUT_MS });
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.code}):\n${result.stderr}${result.stdout}`);
  return result;
}

interface Variant {
  name: 'checkout' | 'installed';
  command: string;
  prefixArgs: string[];
}

export async function run(): Promise<BenchRow[]> {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const temp = mkdtempSync(join(tmpdir(), 'keel-bench-install-'));
  const prefix = join(temp, 'prefix');
  const cache = join(temp, 'npm-cache');
  const work = join(temp, 'work');
  const homes = join(temp, 'homes');
  mkdirSync(work);
  mkdirSync(homes);
  // The installed bin's `#!/usr/bin/env node` finds this same node first.
  const PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  const npmEnv: NodeJS.ProcessEnv = { ...process.env, PATH, npm_config_update_notifier: 'false' };

  let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
  try {
    // Pack and install.
    const pack = await npm(['pack', '--pack-destination', temp, '--cache', cache], ROOT, npmEnv);
    const tarball = join(temp, `keel-${version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}:\n${pack.stdout}${pack.stderr}`);
    const install = await npm(['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--cache', cache, tarball], temp, npmEnv);
    const installedBin = join(prefix, 'bin/keel');
    if (!existsSync(installedBin)) throw new Error(`npm install -g did not create ${installedBin}`);
    const installedTarget = realpathSync(installedBin);
    if (!installedTarget.startsWith(realpathSync(prefix))) throw new Error(`${installedBin} points outside the prefix: ${installedTarget}`);

    const variants: Variant[] = [
      { name: 'checkout', command: process.execPath, prefixArgs: [CHECKOUT_BIN] },
      { name: 'installed', command: installedBin, prefixArgs: [] },
    ];

    // --version: one warm-up each, then alternated.
    const baseEnv = { PATH, HOME: process.env.HOME };
    const versions: Record<Variant['name'], number[]> = { checkout: [], installed: [] };
    for (let i = -1; i < RUNS; i++) {
      for (const variant of variants) {
        const result = await timed(variant.command, [...variant.prefixArgs, '--version'], { env: baseEnv, cwd: work });
        if (result.code !== 0 || result.stdout.trim() !== `keel ${version}`) {
          throw new Error(`${variant.name} keel --version gave ${result.code}: ${JSON.stringify(result.stdout)}\n${result.stderr}`);
        }
        if (i >= 0) versions[variant.name].push(result.ms);
      }
    }

    // exec, one turn: one warm-up each, then alternated.
    const turns = (RUNS + 1) * variants.length;
    server = await startScriptedServer({ script: Array.from({ length: turns }, () => respond(text('pong'))) });
    const execs: Record<Variant['name'], number[]> = { checkout: [], installed: [] };
    for (let i = -1; i < RUNS; i++) {
      for (const variant of variants) {
        const home = mkdtempSync(join(homes, `${variant.name}-`));
        const env = { ...baseEnv, KEEL_HOME: home, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'bench' };
        const result = await timed(variant.command, [...variant.prefixArgs, 'exec', 'ping'], { env, cwd: work });
        if (result.code !== 0) throw new Error(`${variant.name} keel exec failed during the benchmark (${result.code}):\n${result.stderr}`);
        if (i >= 0) execs[variant.name].push(result.ms);
      }
    }
    if (server.violations.length > 0) throw new Error(`the scripted server saw problems:\n${server.violations.join('\n')}`);
    if (server.remainingSteps() !== 0) throw new Error(`${server.remainingSteps()} scripted answers were never asked for`);

    const left = [...startedPids].filter(alive);
    if (left.length > 0) throw new Error(`processes ${left.join(', ')} outlived the benchmark`);

    const execRatio = median(execs.installed) / median(execs.checkout);
    const versionRatio = median(versions.installed) / median(versions.checkout);
    const how = `median of ${RUNS}, alternated with the other after 1 warm-up each`;
    return [
      {
        name: 'npm pack + install -g --offline',
        value: pack.ms + install.ms,
        unit: 'ms',
        target: '(reported)',
        ok: true,
        note: `once: pack ${fmt(pack.ms)} ms, install ${fmt(install.ms)} ms, into a fresh prefix`,
      },
      { name: 'keel --version, checkout', value: median(versions.checkout), unit: 'ms', target: '(reported)', ok: true, note: `${how}; node bin/keel.js; ${range(versions.checkout)}` },
      {
        name: 'keel --version, installed',
        value: median(versions.installed),
        unit: 'ms',
        target: '(reported)',
        ok: true,
        note: `${how}; <prefix>/bin/keel; ${range(versions.installed)}; ratio to checkout ${versionRatio.toFixed(3)}`,
      },
      {
        name: 'keel exec, one turn, checkout',
        value: median(execs.checkout),
        unit: 'ms',
        target: '(baseline)',
        ok: true,
        note: `${how}; node bin/keel.js, scripted server on 127.0.0.1; ${range(execs.checkout)}`,
      },
      {
        name: 'keel exec, one turn, installed',
        value: median(execs.installed),
        unit: 'ms',
        target: `≤ ${TARGET_RATIO.toFixed(2)} × checkout`,
        ok: execRatio <= TARGET_RATIO,
        note: `${how}; <prefix>/bin/keel; ${range(execs.installed)}; ratio to checkout ${execRatio.toFixed(3)}`,
      },
    ];
  } finally {
    await server?.close();
    rmSync(temp, { recursive: true, force: true });
  }
}
