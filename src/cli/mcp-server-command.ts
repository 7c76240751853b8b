/**
 * `keel mcp-server`: parse the server's defaults, check them once before the client connects, and serve MCP on
 * standard I/O. Each session is opened the way `keel proto` opens one: settings resolved for its own directory (its
 * project config and AGENTS.md), the log new or resumed through open-session.
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { MCP_SERVER_HELP } from '../mcp-server/mcp-server-help.ts';
import { runMcpServer, type McpServerIo } from '../mcp-server/run-mcp-server.ts';
import type { RecordedSession, SessionOpener } from '../mcp-server/session-pool.ts';
import { effectiveApprovalPolicy } from '../mcp-server/tool-arguments.ts';
import type { AskForApproval, SandboxMode } from '../protocol/index.ts';
import { keelHome } from '../store/index.ts';
import { openSession } from './open-session.ts';
import { onProcessSignal, processIo } from './process-io.ts';
import { resolveRunSettings, type RunSettings } from './run-settings.ts';
import { locateSession, resumedCwd } from './session-log-setup.ts';
import { resolveWorkdir, sandboxFlag, HEADLESS_OPTIONS, SESSION_OPTIONS } from './shared-flags.ts';
import { optionalInteger, UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';

/** What a call may choose for its session; the server's flags fill in the rest. */
interface CallChoices {
  model?: string;
  sandbox?: SandboxMode;
  approvalPolicy?: AskForApproval;
}

export async function mcpServerCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseServerArgs(argv);
  if (values.help) {
    process.stdout.write(`${MCP_SERVER_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`mcp-server takes no prompt ("${positionals[0]}"): prompts come as calls of its keel tool (see keel mcp-server --help)`);
  }
  const home = keelHome(env);
  const serverCwd = values.cd === undefined ? process.cwd() : resolveWorkdir(values.cd);
  const sandbox = sandboxFlag(values);
  const approval = values['ask-for-approval'] ?? (values['full-auto'] ? 'on-request' : undefined);
  const maxRetries = optionalInteger(values['stream-max-retries'], '--stream-max-retries', true);
  const idleTimeoutMs = optionalInteger(values['stream-idle-timeout-ms'], '--stream-idle-timeout-ms');
  const shellTimeoutMs = optionalInteger(values['shell-timeout-ms'], '--shell-timeout-ms');

  const settingsFor = (cwd: string, call: CallChoices): Promise<RunSettings> =>
    resolveRunSettings({
      home,
      cwd,
      env,
      profile: values.profile,
      overrides: values.config ?? [],
      flags: {
        model: call.model ?? values.model,
        oss: values.oss,
        stateful: values.stateful,
        sandbox_mode: call.sandbox ?? sandbox,
        approval_policy: call.approvalPolicy ?? approval,
      },
      maxRetries,
      idleTimeoutMs,
    });
  // A wrong flag, config file or provider shows as a server that does not start, with the reason on stderr,
  // rather than as a failure of every call.
  await settingsFor(serverCwd, {});

  const opener: SessionOpener = {
    async openNew(request) {
      const settings = await settingsFor(request.cwd, request);
      return openSession({
        home,
        env,
        settings,
        // As for keel proto: a program drives the session, not a person at a terminal.
        target: { type: 'new', cwd: request.cwd, source: 'exec' },
        model: request.model ?? values.model,
        approvalPolicy: effectiveApprovalPolicy(request.clientAnswers, settings.approvalPolicy),
        shellTimeoutMs,
      });
    },
    async locate(idOrPrefix): Promise<RecordedSession> {
      const located = await locateSession(home, { type: 'id', idOrPrefix });
      return {
        path: located.path,
        async resume(clientAnswers) {
          const cwd = resumedCwd(located.cwd, undefined);
          const settings = await settingsFor(cwd, {});
          return openSession({
            home,
            env,
            settings,
            target: { type: 'resume', path: located.path, cwd },
            model: values.model,
            approvalPolicy: effectiveApprovalPolicy(clientAnswers, settings.approvalPolicy),
            shellTimeoutMs,
          });
        },
      };
    },
  };
  return runMcpServer({ opener, io: processServerIo(), serverCwd, isDirectory, version: VERSION });
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function processServerIo(): McpServerIo {
  const goneHandlers: Array<(why: string) => void> = [];
  let gone = false;
  const clientGone = (why: string) => (): void => {
    if (gone) return;
    gone = true;
    for (const handler of goneHandlers) handler(why);
  };
  // The SDK's stdio transport does not watch for the end of input: a client that closes it is done with keel.
  process.stdin.once('end', clientGone('the client closed its end (end of input)'));
  // EPIPE and the like: nobody reads the answers any more.
  process.stdout.on('error', clientGone('standard output was closed'));
  return {
    transport: new StdioServerTransport(process.stdin, process.stdout),
    onClientGone: (handler) => void goneHandlers.push(handler),
    onSignal: onProcessSignal,
    stderr: (text) => void process.stderr.write(text),
    exitNow: (code) => processIo.exit(code),
  };
}

function parseServerArgs(argv: string[]) {
  // Prompts, images and the session to resume come with each call, not on the command line.
  const { image: _image, last: _last, ...sessionOptions } = SESSION_OPTIONS;
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...sessionOptions,
        'ask-for-approval': { type: 'string', short: 'a' },
        ...HEADLESS_OPTIONS,
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see keel mcp-server --help)`);
  }
}
