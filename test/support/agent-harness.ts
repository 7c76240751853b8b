/**
 * Drives the engine in-process the way a front end does (ops in, events out) against a model server, with the
 * real model client and the real tools. Tests wait on events, never on time.
 */
import type { SnapshotService } from '../../src/core/snapshot-service.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, type Agent } from '../../src/core/agent.ts';
import { BASE_INSTRUCTIONS } from '../../src/core/base-instructions.ts';
import { createModelClient } from '../../src/model/create-model-client.ts';
import type { ModelProfile } from '../../src/model/model-profile.ts';
import type { AskForApproval, Event, EventMsg, EventType, Op, SandboxPolicy } from '../../src/protocol/index.ts';
import type { SafetyServices } from '../../src/core/approval-gate.ts';
import type { AnyTool } from '../../src/tools/tool.ts';
import type { ProcessTable } from '../../src/tools/exec-command/process-table.ts';
import type { LateTools } from '../../src/tools/late-tools.ts';
import { createShellTool } from '../../src/tools/shell/shell-tool.ts';

export interface HarnessOptions {
  baseUrl: string;
  /** Default `test-model`. */
  model?: string;
  /** What the engine knows about models; default: nothing (no reasoning parameters). */
  modelProfile?: (model: string) => ModelProfile;
  wireApi?: 'responses' | 'chat';
  stateful?: boolean;
  cwd?: string;
  maxRetries?: number;
  idleTimeoutMs?: number;
  tools?: AnyTool[];
  approvalPolicy?: AskForApproval;
  sandboxPolicy?: SandboxPolicy;
  /** Given: every call goes through the approval gate with these services. */
  safety?: SafetyServices;
  /** The background processes of exec_command tools among `tools`. */
  processes?: ProcessTable;
  /** Tools that join once their servers are up (MCP). */
  lateTools?: LateTools;
  /** keel's snapshots of the working tree (undo, diffs of every tool's changes). */
  snapshots?: SnapshotService;
}

type Waiter = { predicate: (event: Event) => boolean; resolve: (event: Event) => void; from: number };

export class AgentHarness {
  readonly events: Event[] = [];
  readonly cwd: string;
  private readonly agent: Agent;
  private waiters: Waiter[] = [];
  private ended = false;

  constructor(options: HarnessOptions) {
    this.cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'keel-test-'));
    this.agent = createAgent({
      providerId: 'scripted',
      context: {
        model: options.model ?? 'test-model',
        cwd: this.cwd,
        approvalPolicy: options.approvalPolicy ?? 'never',
        sandboxPolicy: options.sandboxPolicy ?? { type: 'danger-full-access' },
      },
      safety: options.safety,
      processes: options.processes,
      lateTools: options.lateTools,
      snapshots: options.snapshots,
      client: createModelClient({
        wireApi: options.wireApi ?? 'responses',
        baseUrl: options.baseUrl,
        apiKey: 'test-key',
        idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
      }),
      tools: options.tools ?? [createShellTool({})],
      instructions: BASE_INSTRUCTIONS,
      stateful: options.stateful ?? false,
      modelProfile: options.modelProfile,
      maxRetries: options.maxRetries ?? 5,
      // Deterministic jitter keeps retry delays predictable in assertions.
      random: () => 0.5,
    });
    void this.pump();
  }

  submit(op: Op): string {
    return this.agent.submit(op);
  }

  /** Sends a user turn with one text item. */
  say(text: string): string {
    return this.submit({ type: 'user_turn', items: [{ type: 'text', text }] });
  }

  /** Resolves with the first event (seen so far or to come, from index `from`) that matches. */
  waitFor(predicate: (event: Event) => boolean, from = 0): Promise<Event> {
    const seen = this.events.slice(from).find(predicate);
    if (seen) return Promise.resolve(seen);
    if (this.ended) return Promise.reject(new Error('the session ended before the awaited event'));
    return new Promise((resolve) => this.waiters.push({ predicate, resolve, from }));
  }

  /** The next event of `type` after everything seen so far. */
  next<T extends EventType>(type: T): Promise<Extract<EventMsg, { type: T }>> {
    return this.waitFor((event) => event.msg.type === type, this.events.length).then((event) => event.msg as Extract<EventMsg, { type: T }>);
  }

  /** The first event of `type` at or after index `from`. */
  async first<T extends EventType>(type: T, from = 0): Promise<Extract<EventMsg, { type: T }>> {
    const event = await this.waitFor((candidate) => candidate.msg.type === type, from);
    return event.msg as Extract<EventMsg, { type: T }>;
  }

  ofType<T extends EventType>(type: T): Array<Extract<EventMsg, { type: T }>> {
    return this.events.filter((event) => event.msg.type === type).map((event) => event.msg as Extract<EventMsg, { type: T }>);
  }

  async shutdown(): Promise<void> {
    if (this.ended) return;
    this.submit({ type: 'shutdown' });
    await this.waitFor((event) => event.msg.type === 'shutdown_complete');
  }

  private async pump(): Promise<void> {
    for await (const event of this.agent.events) {
      this.events.push(event);
      const index = this.events.length - 1;
      this.waiters = this.waiters.filter((waiter) => {
        if (index < waiter.from || !waiter.predicate(event)) return true;
        waiter.resolve(event);
        return false;
      });
    }
    this.ended = true;
  }
}
