/** Test support: config for the test MCP server (test-mcp-server.mjs), over stdio or streamable HTTP, and its log. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { McpServerConfig } from '../../../src/config/keel-config.ts';

export const TEST_SERVER = new URL('./test-mcp-server.mjs', import.meta.url).pathname;

export interface ServerLog {
  path: string;
  entries(): Record<string, unknown>[];
}

export function serverLog(): ServerLog {
  const path = join(mkdtempSync(join(tmpdir(), 'keel-mcp-')), 'server.log');
  return {
    path,
    entries: () => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) : []),
  };
}

export function stdioServer(log: ServerLog, overrides: Partial<McpServerConfig> = {}, env: Record<string, string> = {}): McpServerConfig {
  return {
    transport: { type: 'stdio', command: process.execPath, args: [TEST_SERVER], env: { MCP_TEST_LOG: log.path, ...env }, cwd: null },
    startup_timeout_sec: 20,
    tool_timeout_sec: 60,
    enabled: true,
    enabled_tools: null,
    disabled_tools: [],
    default_tools_approval_mode: 'auto',
    ...overrides,
  };
}

/** Starts the test server over HTTP on a free port; resolves with its URL once it listens. */
export async function startHttpServer(log: ServerLog, token?: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [TEST_SERVER], {
    env: { ...process.env, MCP_TEST_HTTP_PORT: '0', MCP_TEST_LOG: log.path, ...(token ? { MCP_TEST_TOKEN: token } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /listening (\d+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the test MCP server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, child };
}
