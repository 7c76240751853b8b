/**
 * `keel proto`: parse the arguments, check the settings, open the session log (new, or `--resume` / `--last`),
 * and run the JSON-lines protocol on standard I/O until the session shuts down.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { runProto, type ProtoIo } from '../proto/run-proto.ts';
import { keelHome } from '../store/index.ts';
import { PROTO_HELP } from './help-text.ts';
import { openSession } from './open-session.ts';
import { onProcessSignal, processIo } from './process-io.ts';
import { resolveRunSettings } from './run-settings.ts';
import { locateSession, resumedCwd, type SessionRef } from './session-log-setup.ts';
import { resolveWorkdir, sandboxFlag, HEADLESS_OPTIONS, SESSION_OPTIONS } from './shared-flags.ts';
import { optionalInteger, UsageError } from './usage-error.ts';

export async function protoCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseProtoArgs(argv);
  if (values.help) {
    process.stdout.write(`${PROTO_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`proto takes no prompt ("${positionals[0]}"): send user_turn ops on standard input (see keel proto --help)`);
  }
  const home = keelHome(env);
  const cdOverride = values.cd === undefined ? undefined : resolveWorkdir(values.cd);
  const ref = resumeRef(values.resume, values.last === true);
  // A resumed session works in its own directory: its project config and AGENTS.md are the ones that apply.
  const located = ref === null ? null : await locateSession(home, ref);
  const cwd = located === null ? (cdOverride ?? process.cwd()) : resumedCwd(located.cwd, cdOverride);
  const settings = await resolveRunSettings({
    home,
    cwd,
    env,
    profile: values.profile,
    overrides: values.config ?? [],
    // Approvals default to config.toml's policy, on-request unless configured: the client answers them with the
    // exec_approval / patch_approval ops. --full-auto means -a on-request, as in the interactive UI.
    flags: {
      model: values.model,
      oss: values.oss,
      stateful: values.stateful,
      sandbox_mode: sandboxFlag(values),
      approval_policy: values['ask-for-approval'] ?? (values['full-auto'] ? 'on-request' : undefined),
    },
    maxRetries: optionalInteger(values['stream-max-retries'], '--stream-max-retries', true),
    idleTimeoutMs: optionalInteger(values['stream-idle-timeout-ms'], '--stream-idle-timeout-ms'),
  });
  const session = await openSession({
    home,
    env,
    settings,
    // The session catalogue knows two sources; a protocol client drives keel without a person, as exec does.
    target: located === null ? { type: 'new', cwd, source: 'exec' } : { type: 'resume', path: located.path, cwd },
    model: values.model,
    approvalPolicy: settings.approvalPolicy,
    shellTimeoutMs: optionalInteger(values['shell-timeout-ms'], '--shell-timeout-ms'),
  });
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    return await runProto({ agent: session.agent, io: processProtoIo(input) });
  } finally {
    input.close();
    await session.close();
  }
}

function processProtoIo(input: AsyncIterable<string>): ProtoIo {
  let outputClosed = false;
  const closedHandlers: Array<() => void> = [];
  // EPIPE and the like: the client went away. Writing on would only raise the same error again.
  process.stdout.on('error', () => {
    if (outputClosed) return;
    outputClosed = true;
    for (const handler of closedHandlers) handler();
  });
  return {
    lines: input,
    stdout: (text) => {
      if (!outputClosed) process.stdout.write(text);
    },
    stderr: (text) => void process.stderr.write(text),
    onSignal: onProcessSignal,
    onOutputClosed: (handler) => void closedHandlers.push(handler),
    exitNow: (code) => processIo.exit(code),
  };
}

/** `--resume SESSION_ID` or `--last`; null: a new session. */
function resumeRef(id: string | undefined, last: boolean): SessionRef | null {
  if (id !== undefined && last) throw new UsageError('--resume SESSION_ID and --last exclude each other: give one');
  if (id !== undefined) return { type: 'id', idOrPrefix: id };
  return last ? { type: 'last', cwd: process.cwd() } : null;
}

function parseProtoArgs(argv: string[]) {
  // Images travel inside user_turn ops; -i has no first prompt to attach to.
  const { image: _image, ...sessionOptions } = SESSION_OPTIONS;
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...sessionOptions,
        'ask-for-approval': { type: 'string', short: 'a' },
        resume: { type: 'string' },
        ...HEADLESS_OPTIONS,
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see keel proto --help)`);
  }
}

