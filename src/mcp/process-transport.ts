/**
 * MCP over stdio, with the server started the way keel starts every process: in a process group of its own,
 * registered with the orphan watchdog and keel's exit handlers, so a server (and whatever it starts) never outlives
 * keel — not after SIGKILL either. The SDK's own stdio transport spawns a plain child, which a killed keel would
 * leave behind; this one implements the SDK's Transport on top of keel's process groups.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { spawnProcessGroup, type ProcessGroup } from '../tools/shell/process-group.ts';

export interface ProcessTransportOptions {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Lines of the server's stderr kept to explain a failure. */
const STDERR_LINES = 20;

export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private group: ProcessGroup | null = null;
  private readonly buffer = new ReadBuffer();
  private readonly stderrTail: string[] = [];
  private closed = false;
  private exitNote: string | null = null;

  constructor(private readonly options: ProcessTransportOptions) {}

  /** The last lines the server wrote on stderr, and how it ended if it did: what a failure report shows. */
  get diagnostics(): string {
    const parts = [...(this.exitNote !== null ? [this.exitNote] : []), ...this.stderrTail.slice(-STDERR_LINES)];
    return parts.join('\n');
  }

  async start(): Promise<void> {
    const spawned = await spawnProcessGroup([this.options.command, ...this.options.args], {
      cwd: this.options.cwd,
      env: this.options.env,
      stdin: 'pipe',
    });
    if (spawned.type === 'failed') throw new Error(spawned.message);
    const group = spawned.group;
    this.group = group;
    group.stdout.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (error) {
          // A line that is not JSON-RPC (a server that logs to stdout): reported, not fatal.
          this.onerror?.(error as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    let partial = '';
    group.stderr.setEncoding('utf8');
    group.stderr.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      this.stderrTail.push(...lines.filter((line) => line.trim() !== ''));
      if (this.stderrTail.length > STDERR_LINES) this.stderrTail.splice(0, this.stderrTail.length - STDERR_LINES);
    });
    for (const stream of [group.stdout, group.stderr]) stream.on('error', () => undefined);
    void group.leaderExit.then((exit) => {
      this.exitNote = exit.type === 'exited' ? `the server exited with code ${exit.code}` : `the server was ended by ${exit.signal}`;
      void this.finish();
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.group?.stdin;
    if (!stdin || stdin.destroyed || this.closed) return Promise.reject(new Error('the MCP server is not running'));
    return new Promise((resolve, reject) => {
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Closes its input, then stops the server and everything it started. */
  async close(): Promise<void> {
    this.group?.stdin?.end();
    await this.finish();
  }

  private async finish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.group?.stop();
    // Gone from the process table too: the leader reaped, not a zombie that still answers to its pid.
    if (this.group) await Promise.race([this.group.leaderExit, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    this.group?.stdout.destroy();
    this.group?.stderr.destroy();
    this.buffer.clear();
    this.onclose?.();
  }
}
