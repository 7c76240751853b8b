/**
 * What configured MCP servers cost at start-up, on the real binary (`bin/keel.js`) against the scripted model server
 * on 127.0.0.1, with the test MCP server (test/support/mcp/test-mcp-server.mjs, written with the SDK) over stdio:
 *
 * 1. `keel exec` wall time, one turn, with no config.toml, with one server configured but disabled (so no server is
 *    enabled), and with 3 stdio servers. With servers the first model request waits for them (so their tools are in
 *    it): the difference is their start-up, by design. Whether the MCP client is loaded at all is checked in one extra,
 *    untimed run of each setup under a module-resolution hook (`--import`, module.register) that records every
 *    file keel's bundle imports: the chunks holding src/mcp/mcp-manager.ts or the SDK's client must not be among them
 *    without an enabled server (and must be with 3, which shows the check sees them). That is the pass/fail for "no cost
 *    without servers"; the wall times are reported (with `node -e 0`, interleaved, for how loaded the machine is), the
 *    exec target itself is exec-turn.bench.ts's.
 * 2. The interactive UI, in a pseudo-terminal: spawn until the idle prompt's placeholder is in keel's output, with 0
 *    and with 3 configured stdio servers (target: 3 add < 50 ms). Each run then waits for the servers to be up, checks
 *    `/mcp` lists all three as ready, and quits with Ctrl+D.
 *
 * Setups are interleaved run by run, after one warm-up each, so they see the same machine conditions. Every keel and
 * every server process started here (server pids come from the test server's log) must be gone at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { respond, text } from '../src/scripted/script-builders.ts';
import { startScriptedServer, type ScriptedServer } from '../src/scripted/scripted-server.ts';
import type { BenchRow } from './bench-row.ts';
import { includes, KEEL_BIN, startKeel, type PtySession } from './pty-session.ts';

const TEST_SERVER = resolve(import.meta.dirname, '../test/support/mcp/test-mcp-server.mjs');
const DIST_CHUNKS = resolve(import.meta.dirname, '../dist/chunks');
const API_KEY = 'sk-bench-mcp-0123456789abcdef';
const EXEC_RUNS = 9;
const TUI_RUNS = 11;
const SERVERS = 3;
/** The test server's tools (echo, write_note, slow, fail, crash, picture). */
const TOOLS_PER_SERVER = 6;
const PLACEHOLDER_IDLE = 'ask keel to do something';
const TUI_ADDED_TARGET_MS = 50;

type Setup = 'no config' | 'none enabled' | '3 servers';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const fmt = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const range = (values: number[]): string => `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;

/** Temporary folders, removed at the end whatever happens. */
function tempDirs(): { make(prefix: string): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make: (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll: () => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
type Dirs = ReturnType<typeof tempDirs>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process started here (keel, and the servers keel started), checked at the end. */
const startedPids = new Set<number>();

/** A fresh KEEL_HOME for `setup`, and the test servers' log files (empty for setups without servers). */
function homeFor(setup: Setup, dirs: Dirs): { home: string; logs: string[] } {
  const home = dirs.make('keel-bench-mcp-home-');
  const server = (name: string, log: string, extra: string[] = []): string =>
    [`[mcp_servers.${name}]`, `command = ${JSON.stringify(process.execPath)}`, `args = [${JSON.stringify(TEST_SERVER)}]`, `env = { MCP_TEST_LOG = ${JSON.stringify(log)} }`, ...extra].join('\n');
  if (setup === 'no config') return { home, logs: [] };
  if (setup === 'none enabled') {
    writeFileSync(join(home, 'config.toml'), `${server('off', join(home, 'off.log'), ['enabled = false'])}\n`);
    return { home, logs: [] };
  }
  const logs = Array.from({ length: SERVERS }, (_, index) => join(home, `s${index + 1}.log`));
  writeFileSync(join(home, 'config.toml'), `${logs.map((log, index) => server(`s${index + 1}`, log)).join('\n\n')}\n`);
  return { home, logs };
}

/** The pids the test servers logged as started (one line `{"started":PID}` each, once connected). */
function serverPids(logs: string[]): number[] {
  const pids: number[] = [];
  for (const log of logs) {
    if (!existsSync(log)) continue;
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as { started?: number };
      if (typeof entry.started === 'number') pids.push(entry.started);
    }
  }
  return pids;
}

/** Waits (bounded) for the servers keel started to be gone; a server still running afterwards is a failure. */
async function expectServersGone(logs: string[], what: string): Promise<void> {
  const pids = serverPids(logs);
  for (const pid of pids) startedPids.add(pid);
  const deadline = performance.now() + 3_000;
  while (pids.some(alive) && performance.now() < deadline) await sleep(20);
  const left = pids.filter(alive);
  if (left.length > 0) throw new Error(`${what}: MCP server processes ${left.join(', ')} outlived keel`);
}

function keelEnv(home: string, server: ScriptedServer): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? home,
    KEEL_HOME: home,
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: API_KEY,
    TERM: 'xterm-256color',
    NO_COLOR: '1',
  };
}

/** Names of the tools in a captured request's body. */
function toolNames(body: unknown): string[] {
  const tools = (body as { tools?: Array<{ name?: string; function?: { name?: string } }> }).tools ?? [];
  return tools.map((tool) => tool.name ?? tool.function?.name ?? '');
}

// ---- 1. keel exec ---------------------------------------------------------------------------------------------------

interface Timed {
  ms: number;
  stderr: string;
  code: number | null;
}

function timed(args: string[], env: Record<string, string>): Promise<Timed> {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (child.pid !== undefined) startedPids.add(child.pid);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => done({ ms: performance.now() - started, stderr, code }));
  });
}

/** A preload that records every file: URL the process resolves an import to, one a line, in $KEEL_BENCH_MODULE_LOG. */
function writeModuleHook(dirs: Dirs): string {
  const dir = dirs.make('keel-bench-mcp-hook-');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    [
      "import { appendFileSync } from 'node:fs';",
      'let log;',
      'export function initialize(data) { log = data.log; }',
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context);',
      "  if (log && result.url.startsWith('file:')) appendFileSync(log, `${result.url}\\n`);",
      '  return result;',
      '}',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'preload.mjs'),
    [
      "import { register } from 'node:module';",
      "register('./hooks.mjs', import.meta.url, { data: { log: process.env.KEEL_BENCH_MODULE_LOG } });",
    ].join('\n'),
  );
  return join(dir, 'preload.mjs');
}

/** The bundle's chunks that hold keel's MCP manager or the SDK's client (by esbuild's source-path comments). */
function mcpClientChunks(): Set<string> {
  const chunks = new Set<string>();
  for (const name of readdirSync(DIST_CHUNKS)) {
    if (!name.endsWith('.mjs')) continue;
    const source = readFileSync(join(DIST_CHUNKS, name), 'utf8');
    if (source.includes('// src/mcp/mcp-manager.ts') || source.includes('// node_modules/@modelcontextprotocol/sdk/dist/esm/client/')) chunks.add(name);
  }
  if (chunks.size === 0) throw new Error(`no chunk in ${DIST_CHUNKS} holds the MCP client: has the build changed? (npm run build)`);
  return chunks;
}

interface ExecResult {
  /** `node -e 0`, interleaved, for how loaded the machine is. */
  node: number[];
  walls: Record<Setup, number[]>;
  /** The MCP client chunks each setup's untimed run loaded. */
  loaded: Record<Setup, string[]>;
}

async function measureExec(dirs: Dirs): Promise<ExecResult> {
  const setups: Setup[] = ['no config', 'none enabled', '3 servers'];
  const runs = (EXEC_RUNS + 1) * setups.length + setups.length; // timed runs and warm-ups, then one hooked run each
  const server = await startScriptedServer({ script: Array.from({ length: runs }, () => respond(text('pong'))) });
  const result: ExecResult = { node: [], walls: { 'no config': [], 'none enabled': [], '3 servers': [] }, loaded: { 'no config': [], 'none enabled': [], '3 servers': [] } };
  const once = async (setup: Setup, preload?: string): Promise<Timed> => {
    const { home, logs } = homeFor(setup, dirs);
    const env = keelEnv(home, server);
    const moduleLog = join(home, 'modules.log');
    if (preload !== undefined) env.KEEL_BENCH_MODULE_LOG = moduleLog;
    const before = server.requests.length;
    const run = await timed([...(preload === undefined ? [] : ['--import', preload]), KEEL_BIN, 'exec', 'ping'], env);
    if (run.code !== 0) throw new Error(`keel exec (${setup}) failed during the benchmark:\n${run.stderr}`);
    const requests = server.requests.slice(before);
    if (requests.length !== 1) throw new Error(`keel exec (${setup}) made ${requests.length} model requests, not 1`);
    const mcpTools = toolNames(requests[0]!.body).filter((name) => name.startsWith('mcp__'));
    const expected = setup === '3 servers' ? SERVERS * TOOLS_PER_SERVER : 0;
    if (mcpTools.length !== expected) throw new Error(`keel exec (${setup}): the model request offered ${mcpTools.length} MCP tools, not ${expected}`);
    if (setup === '3 servers' && serverPids(logs).length !== SERVERS) throw new Error(`keel exec (${setup}): ${serverPids(logs).length} servers logged a start, not ${SERVERS}`);
    await expectServersGone(logs, `keel exec (${setup})`);
    if (preload !== undefined) {
      const chunks = mcpClientChunks();
      const seen = existsSync(moduleLog) ? readFileSync(moduleLog, 'utf8').split('\n') : [];
      if (!seen.some((url) => url.endsWith('/dist/keel.mjs'))) throw new Error('the module hook did not see dist/keel.mjs load: it does not work');
      const names = new Set(seen.filter((url) => url.startsWith(pathToFileURL(DIST_CHUNKS).href)).map((url) => url.slice(url.lastIndexOf('/') + 1)));
      result.loaded[setup] = [...names].filter((name) => chunks.has(name)).sort();
    }
    return run;
  };
  try {
    for (const setup of setups) await once(setup); // warm-ups
    for (let i = 0; i < EXEC_RUNS; i++) {
      result.node.push((await timed(['-e', '0'], { PATH: process.env.PATH ?? '/usr/bin:/bin' })).ms);
      for (const setup of setups) result.walls[setup].push((await once(setup)).ms);
    }
    const preload = writeModuleHook(dirs);
    for (const setup of setups) await once(setup, preload);
    if (server.violations.length > 0) throw new Error(`the scripted server saw bad requests:\n${server.violations.join('\n')}`);
    return result;
  } finally {
    await server.close();
  }
}

// ---- 2. the interactive UI ------------------------------------------------------------------------------------------

interface TuiResult {
  readyMs: Record<'0 servers' | '3 servers', number[]>;
  /** Spawn until all 3 servers had logged their start (polled once the prompt showed, so never before it). */
  serversUpMs: number[];
}

async function waitUntil(test: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(5);
  }
  return performance.now();
}

async function withKeel<T>(start: () => PtySession, body: (keel: PtySession) => Promise<T>): Promise<T> {
  const keel = start();
  startedPids.add(keel.pid);
  try {
    return await body(keel);
  } finally {
    await keel.kill();
  }
}

/** Ctrl+D at the empty prompt, then waits for keel to have exited (kill() in withKeel is the fallback). */
async function quit(keel: PtySession): Promise<void> {
  const from = keel.length;
  keel.write('\u0004');
  await keel.waitFor(includes('Session saved'), { from, timeoutMs: 10_000, what: 'the quit' });
  await waitUntil(() => !keel.running, 10_000, 'keel exiting after Ctrl+D');
}

async function measureTui(dirs: Dirs): Promise<TuiResult> {
  const server = await startScriptedServer({ script: [] });
  const result: TuiResult = { readyMs: { '0 servers': [], '3 servers': [] }, serversUpMs: [] };
  const once = async (servers: 0 | 3, measured: boolean): Promise<void> => {
    const { home, logs } = homeFor(servers === 0 ? 'no config' : '3 servers', dirs);
    const cwd = dirs.make('keel-bench-mcp-cwd-');
    await withKeel(
      () => startKeel([], { cwd, env: keelEnv(home, server) }),
      async (keel) => {
        const ready = await keel.waitFor(includes(PLACEHOLDER_IDLE), { what: 'the idle prompt' });
        if (servers === 3) {
          const up = await waitUntil(() => serverPids(logs).length === SERVERS, 10_000, `${SERVERS} servers logging their start`);
          // /mcp until all three show as ready (the start is logged just before `initialize` is answered).
          const readyLine = new RegExp(`ready · ${TOOLS_PER_SERVER} tools`, 'g');
          let ok = false;
          for (let attempt = 0; attempt < 20 && !ok; attempt++) {
            const from = keel.length;
            const since = (): string => keel.output().slice(from);
            keel.write('/mcp\r');
            // Looks at all the output since the command (its listing may be longer than one window).
            await keel.waitFor(() => (since().match(readyLine) ?? []).length >= SERVERS || /starting…|not available/.test(since()), { from, what: '/mcp' });
            if (since().includes('not available')) throw new Error(`/mcp shows a server as not available: ${JSON.stringify(since())}`);
            ok = (since().match(readyLine) ?? []).length >= SERVERS;
            if (!ok) await sleep(50);
          }
          if (!ok) throw new Error(`/mcp did not list ${SERVERS} servers as ready; last output: ${JSON.stringify(keel.output().slice(-600))}`);
          if (measured) result.serversUpMs.push(up - keel.spawnedAt);
        }
        if (measured) result.readyMs[servers === 0 ? '0 servers' : '3 servers'].push(ready - keel.spawnedAt);
        await quit(keel);
      },
    );
    await expectServersGone(logs, `keel (${servers} servers)`);
  };
  try {
    await once(0, false);
    await once(3, false);
    for (let i = 0; i < TUI_RUNS; i++) {
      await once(0, true);
      await once(3, true);
    }
    if (server.violations.length > 0) throw new Error(`the scripted server saw bad requests:\n${server.violations.join('\n')}`);
    return result;
  } finally {
    await server.close();
  }
}

// ---- the table ------------------------------------------------------------------------------------------------------

export async function run(): Promise<BenchRow[]> {
  const dirs = tempDirs();
  try {
    const exec = await measureExec(dirs);
    const tui = await measureTui(dirs);

    // Nothing started here may outlive the benchmark.
    await sleep(200);
    const left = [...startedPids].filter(alive);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }

    const none = median(exec.walls['no config']);
    const disabled = median(exec.walls['none enabled']);
    const three = median(exec.walls['3 servers']);
    const tui0 = median(tui.readyMs['0 servers']);
    const tui3 = median(tui.readyMs['3 servers']);
    const added = tui3 - tui0;
    const loadedWithout = [...exec.loaded['no config'], ...exec.loaded['none enabled']];
    const execNote = `median of ${EXEC_RUNS} (after 1 warm-up), range`;
    return [
      { name: 'mcp: node -e 0', value: median(exec.node), unit: 'ms', target: '(machine baseline)', ok: true, note: `median of ${EXEC_RUNS}, interleaved with the exec runs` },
      { name: 'mcp: keel exec, no config.toml (wall)', value: none, unit: 'ms', target: '(baseline)', ok: true, note: `${execNote} ${range(exec.walls['no config'])}; one turn, scripted server on 127.0.0.1` },
      {
        name: 'mcp: keel exec, 1 server configured, disabled (wall)',
        value: disabled,
        unit: 'ms',
        target: '(informational)',
        ok: true,
        note: `${execNote} ${range(exec.walls['none enabled'])}; ${disabled >= none ? '+' : ''}${fmt(disabled - none)} ms vs no config.toml`,
      },
      {
        name: 'mcp: MCP client chunks loaded with no server enabled',
        value: loadedWithout.length,
        unit: 'chunks',
        target: '0',
        ok: loadedWithout.length === 0 && exec.loaded['3 servers'].length > 0,
        note: `one untimed exec of each setup under a module.register resolve hook; with 3 servers it loads ${exec.loaded['3 servers'].length} (${exec.loaded['3 servers'].join(', ') || 'none: the check is broken'})`,
      },
      {
        name: `mcp: keel exec, ${SERVERS} stdio servers (wall)`,
        value: three,
        unit: 'ms',
        target: '(informational)',
        ok: true,
        note: `${execNote} ${range(exec.walls['3 servers'])}; +${fmt(three - none)} ms vs no config.toml: the first request waits for the servers, by design; ${SERVERS * TOOLS_PER_SERVER} MCP tools in it`,
      },
      { name: 'mcp: tui spawn to idle prompt, 0 servers', value: tui0, unit: 'ms', target: '(baseline)', ok: true, note: `median of ${TUI_RUNS} (after 1 warm-up), range ${range(tui.readyMs['0 servers'])}; spawn → placeholder in pty output` },
      { name: `mcp: tui spawn to idle prompt, ${SERVERS} servers`, value: tui3, unit: 'ms', target: '(informational)', ok: true, note: `median of ${TUI_RUNS}, range ${range(tui.readyMs['3 servers'])}; servers all up (log) by ${fmt(median(tui.serversUpMs))} ms, /mcp shows them ready` },
      { name: `mcp: tui prompt delay added by ${SERVERS} stdio servers`, value: added, unit: 'ms', target: `< ${TUI_ADDED_TARGET_MS} ms`, ok: added < TUI_ADDED_TARGET_MS, note: 'difference of the medians above, runs interleaved; quit with Ctrl+D each run' },
      { name: 'mcp: keel/server processes left running', value: left.length, unit: 'procs', target: '0', ok: left.length === 0, note: `${startedPids.size} keel and server pids checked after the runs${left.length > 0 ? `; killed ${left.join(', ')}` : ''}` },
    ];
  } finally {
    dirs.removeAll();
  }
}
