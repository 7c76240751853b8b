/**
 * `keel mcp-server`: keel as a tool of another agent, over MCP. Two tools, `keel` (a new session, one task) and
 * `keel-reply` (one more task in a session); see tool-schemas.ts. Questions of the engine go to the client as
 * elicitation requests, notable events as progress notifications; a cancelled call interrupts its task.
 *
 * The server runs until the client goes away (end of input, closed output, closed connection) or a stop signal
 * comes (a second one leaves at once). Then every open session is shut down (tasks interrupted, processes stopped,
 * logs closed) before it returns. Its transport's output carries nothing but MCP messages.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ReviewDecision } from '../protocol/index.ts';
import { EXIT_OK, SIGNAL_EXIT_CODES, type StopSignal } from '../util/exit-codes.ts';
import { DECISION_SCHEMA, decisionFromAnswer, type ApprovalQuestion } from './approval-question.ts';
import { ProgressNarrator } from './progress-narrator.ts';
import { SessionPool, ToolCallError, type SessionOpener } from './session-pool.ts';
import type { SessionRunner, TaskHooks } from './session-runner.ts';
import { checkKeelArgs, checkReplyArgs } from './tool-arguments.ts';
import { errorResult, taskResult } from './tool-results.ts';
import { KEEL_INPUT, KEEL_TOOL, KEEL_TOOL_DESCRIPTION, REPLY_INPUT, REPLY_TOOL, REPLY_TOOL_DESCRIPTION, TASK_OUTPUT } from './tool-schemas.ts';

export interface McpServerIo {
  /** The client's connection (stdio for `keel mcp-server`). */
  transport: Transport;
  /** Calls `handler` once when the client has gone: its input ended, or the output's reader went away. */
  onClientGone(handler: (why: string) => void): void;
  /** Subscribes to a stop signal; returns the unsubscribe function. */
  onSignal(signal: StopSignal, handler: () => void): () => void;
  /** Diagnostics, one line each (newline included). */
  stderr(text: string): void;
  /** Leaves at once (a second signal); the caller stops every process keel started first. */
  exitNow(code: number): never;
}

export interface McpServerOptions {
  opener: SessionOpener;
  io: McpServerIo;
  /** Where a call without `cwd` works, and what a relative one is taken from. */
  serverCwd: string;
  isDirectory(path: string): boolean;
  version: string;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * How long a question may wait for its answer. A person answers in their own time; the client's own interface
 * decides how long to wait, and a cancelled call or an interrupt withdraws the question earlier.
 */
const QUESTION_TIMEOUT_MS = 24 * 60 * 60 * 1000;

const INSTRUCTIONS =
  'keel is a coding agent. Call the keel tool with a task (and the directory to work in); it works until the task ' +
  'is done and answers with its final message and a session_id. Call keel-reply with that session_id to go on.';

type Ending = { type: 'client_gone'; why: string } | { type: 'signal'; signal: StopSignal };

export async function runMcpServer(options: McpServerOptions): Promise<number> {
  const { io } = options;
  const diagnostic = (text: string): void => io.stderr(`keel mcp-server: ${text}\n`);
  const server = new McpServer({ name: 'keel', version: options.version }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  const pool = new SessionPool(options.opener, diagnostic);
  // Form elicitation is what the questions need (an empty `elicitation` capability means form).
  const clientAnswers = (): boolean => server.server.getClientCapabilities()?.elicitation?.form !== undefined;

  const ask = async (question: ApprovalQuestion, withdrawn: AbortSignal, extra: Extra): Promise<ReviewDecision> => {
    if (!clientAnswers()) {
      diagnostic(`call ${question.callId} needs an answer the client cannot give (no elicitation): it is denied`);
      return 'denied';
    }
    try {
      const answer = await server.server.elicitInput(
        { mode: 'form', message: question.message, requestedSchema: DECISION_SCHEMA },
        { signal: AbortSignal.any([withdrawn, extra.signal]), timeout: QUESTION_TIMEOUT_MS, relatedRequestId: extra.requestId },
      );
      return decisionFromAnswer(answer);
    } catch (error) {
      if (withdrawn.aborted || extra.signal.aborted) return 'abort';
      diagnostic(`the question about call ${question.callId} got no answer (${(error as Error).message}): the call is denied`);
      return 'denied';
    }
  };

  const hooksFor = (extra: Extra): TaskHooks & { answered(): void } => {
    const narrator = new ProgressNarrator();
    const token = extra._meta?.progressToken;
    let progress = 0;
    // Once the call is answered its token means nothing to the client: later events (a command stopped while keel
    // shuts down) send no progress.
    let answered = false;
    return {
      answered: () => {
        answered = true;
      },
      signal: extra.signal,
      decide: (question, withdrawn) => ask(question, withdrawn, extra),
      onEvent: (msg) => {
        if (token === undefined || answered) return;
        const message = narrator.narrate(msg);
        if (message === null) return;
        progress += 1;
        extra
          .sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message } })
          .catch((error: unknown) => diagnostic(`a progress notification could not be sent: ${(error as Error).message}`));
      },
    };
  };

  const runCall = async (extra: Extra, prompt: string, open: (clientAnswers: boolean) => Promise<SessionRunner>): Promise<CallToolResult> => {
    try {
      const runner = await open(clientAnswers());
      const hooks = hooksFor(extra);
      const outcome = await pool.runTask(runner, prompt, hooks).finally(() => hooks.answered());
      return taskResult(runner.sessionId, outcome);
    } catch (error) {
      if (error instanceof ToolCallError) return errorResult(error.message);
      diagnostic(`internal error in a tool call: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return errorResult(`internal error: ${(error as Error).message}`);
    }
  };

  server.registerTool(
    KEEL_TOOL,
    { title: 'keel: run a coding task', description: KEEL_TOOL_DESCRIPTION, inputSchema: KEEL_INPUT, outputSchema: TASK_OUTPUT, annotations: { openWorldHint: true } },
    async (args, extra) => {
      const checked = checkKeelArgs(args, { serverCwd: options.serverCwd, isDirectory: options.isDirectory });
      if (checked.type === 'invalid') return errorResult(checked.message);
      const { prompt, ...where } = checked.request;
      return runCall(extra, prompt, (answers) => pool.openNew({ ...where, clientAnswers: answers }));
    },
  );
  server.registerTool(
    REPLY_TOOL,
    { title: 'keel: continue a session', description: REPLY_TOOL_DESCRIPTION, inputSchema: REPLY_INPUT, outputSchema: TASK_OUTPUT, annotations: { openWorldHint: true } },
    async (args, extra) => {
      const checked = checkReplyArgs(args);
      if (checked.type === 'invalid') return errorResult(checked.message);
      return runCall(extra, checked.request.prompt, (answers) => pool.find(checked.request.sessionId, answers));
    },
  );

  let signals = 0;
  let endNow: (ending: Ending) => void = () => {};
  const ended = new Promise<Ending>((resolve) => (endNow = resolve));
  const unsubscribe = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) =>
    io.onSignal(signal, () => {
      signals += 1;
      if (signals > 1) {
        diagnostic('stopping now');
        io.exitNow(SIGNAL_EXIT_CODES[signal]);
      }
      endNow({ type: 'signal', signal });
    }),
  );
  io.onClientGone((why) => endNow({ type: 'client_gone', why }));
  server.server.onclose = () => endNow({ type: 'client_gone', why: 'the connection closed' });

  try {
    await server.connect(io.transport);
    const ending = await ended;
    const why = ending.type === 'signal' ? `${ending.signal} (send it again to quit at once)` : ending.why;
    diagnostic(`${why}: shutting the open sessions down`);
    await pool.shutdownAll();
    await server.close().catch((error: unknown) => diagnostic(`the connection did not close cleanly: ${(error as Error).message}`));
    return ending.type === 'signal' ? SIGNAL_EXIT_CODES[ending.signal] : EXIT_OK;
  } finally {
    for (const off of unsubscribe) off();
  }
}
