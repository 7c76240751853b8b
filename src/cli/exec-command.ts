/**
 * `keel exec` and `keel exec resume`: parse the arguments, check the settings before anything is sent, open the
 * session log (new, or the resumed one), and run one task.
 */
import { parseArgs } from 'node:util';
import { runExec } from '../exec/run-exec.ts';
import { colorWanted, createStyle } from '../exec/style.ts';
import { randomUUID } from 'node:crypto';
import type { ResponseItem } from '../protocol/index.ts';
import { keelHome } from '../store/index.ts';
import { buildSessionAgent } from './build-agent.ts';
import { resolveRunSettings, type RunSettings } from './run-settings.ts';
import { EXEC_HELP, EXEC_RESUME_HELP } from './help-text.ts';
import { locateSession, openNewLog, resumeLog, resumedCwd, type OpenLog, type SessionRef } from './session-log-setup.ts';
import { execIo, readAllStdin } from './process-io.ts';
import { UsageError } from './usage-error.ts';
import { resolveWorkdir, sandboxFlag, SESSION_OPTIONS } from './shared-flags.ts';
import { VERSION } from './version.ts';

export async function execCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const resuming = argv[0] === 'resume';
  const { values, positionals } = parseExecArgs(resuming ? argv.slice(1) : argv);
  if (values.help) {
    process.stdout.write(`${resuming ? EXEC_RESUME_HELP : EXEC_HELP}\n`);
    return 0;
  }
  const home = keelHome(env);
  const cdOverride = values.cd === undefined ? undefined : resolveWorkdir(values.cd);
  // A resumed session works in its own directory: its project config and AGENTS.md are the ones that apply.
  const located = resuming ? await locateSession(home, resumeRef(values, positionals)) : null;
  const cwd = located === null ? (cdOverride ?? process.cwd()) : resumedCwd(located.cwd, cdOverride);
  const settings = await resolveRunSettings({
    home,
    cwd,
    env,
    profile: values.profile,
    overrides: values.config ?? [],
    flags: { model: values.model, oss: values.oss, stateful: values.stateful, sandbox_mode: sandboxFlag(values) },
    maxRetries: optionalInteger(values['stream-max-retries'], '--stream-max-retries', true),
    idleTimeoutMs: optionalInteger(values['stream-idle-timeout-ms'], '--stream-idle-timeout-ms'),
  });
  const secrets = settings.client.apiKey === undefined ? [] : [settings.client.apiKey];
  const session =
    located === null
      ? await newTarget(values, positionals, { home, cwd, secrets, settings })
      : await resumeTarget(values, positionals, { path: located.path, cwd, secrets });
  try {
    const agent = buildSessionAgent(settings, {
      home,
      env,
      sessionId: session.sessionId,
      cwd: session.cwd,
      model: values.model ?? session.model ?? settings.model,
      recorder: session.log.writer,
      initialHistory: session.history,
      // exec never asks: what would need a question is refused, and the model is told why.
      approvalPolicy: 'never',
      shellTimeoutMs: optionalInteger(values['shell-timeout-ms'], '--shell-timeout-ms') ?? 120_000,
      secrets,
    });
    return await runExec({
      agent,
      prompt: session.prompt,
      json: values.json === true,
      outputLastMessage: values['output-last-message'] ?? null,
      version: VERSION,
      style: createStyle(colorWanted(process.stderr, env)),
      io: execIo(),
    });
  } finally {
    await session.log.close('shutdown');
  }
}

type ExecValues = ReturnType<typeof parseExecArgs>['values'];

interface Target {
  sessionId: string;
  cwd: string;
  /** The model a resumed session used; null for a new session (the configured one). */
  model: string | null;
  log: OpenLog;
  history: ResponseItem[];
  /** null: continue the cut-off task. */
  prompt: string | null;
}

async function newTarget(
  values: ExecValues,
  positionals: string[],
  place: { home: string; cwd: string; secrets: string[]; settings: RunSettings },
): Promise<Target> {
  if (positionals.length > 1) {
    throw new UsageError(`exec takes one prompt, got ${positionals.length} arguments: quote the prompt ("keel exec 'fix the tests'")`);
  }
  if (values.last) throw new UsageError('--last belongs to "keel exec resume"');
  const prompt = await readPrompt(positionals[0]);
  const sessionId = randomUUID();
  const { home, cwd, secrets, settings } = place;
  const log = await openNewLog({ home, sessionId, cwd, model: settings.model, providerId: settings.providerId, source: 'exec', secrets });
  return { sessionId, cwd, model: null, log, history: [], prompt };
}

/** Which session `exec resume` names: `--last [PROMPT]` or `SESSION_ID [PROMPT]`. */
function resumeRef(values: ExecValues, positionals: string[]): SessionRef {
  const [first, second, ...extra] = positionals;
  if (!values.last && first === undefined) {
    throw new UsageError('say which session to resume: "keel exec resume --last" or "keel exec resume SESSION_ID" (see keel sessions)');
  }
  if (extra.length > 0 || (values.last && second !== undefined)) {
    throw new UsageError('exec resume takes a session (or --last) and at most one prompt: quote the prompt');
  }
  return values.last ? { type: 'last', cwd: process.cwd() } : { type: 'id', idOrPrefix: first! };
}

async function resumeTarget(values: ExecValues, positionals: string[], place: { path: string; cwd: string; secrets: string[] }): Promise<Target> {
  const promptArg = values.last ? positionals[0] : positionals[1];
  const resumed = await resumeLog(place.path, place.secrets);
  try {
    const prompt = promptArg === undefined ? null : await readPrompt(promptArg);
    if (prompt === null && !resumed.midTask) {
      throw new UsageError(
        `the last task of session ${resumed.meta.session_id} had finished: give a prompt to go on ("keel exec resume ${resumed.meta.session_id} '…'")`,
      );
    }
    return { sessionId: resumed.meta.session_id, cwd: place.cwd, model: resumed.meta.model, log: resumed.log, history: resumed.history, prompt };
  } catch (error) {
    await resumed.log.close('shutdown');
    throw error;
  }
}

function parseExecArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...SESSION_OPTIONS,
        json: { type: 'boolean' },
        'output-last-message': { type: 'string', short: 'o' },
        stateful: { type: 'boolean' },
        'stream-max-retries': { type: 'string' },
        'stream-idle-timeout-ms': { type: 'string' },
        'shell-timeout-ms': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see keel exec --help)`);
  }
}

async function readPrompt(arg: string | undefined): Promise<string> {
  if (arg !== undefined && arg !== '-') {
    if (arg.trim() === '') throw new UsageError('the prompt is empty');
    return arg;
  }
  if (process.stdin.isTTY) {
    throw new UsageError('no prompt: give it as an argument (keel exec "PROMPT") or pipe it in (echo PROMPT | keel exec -)');
  }
  const text = (await readAllStdin()).trim();
  if (text === '') throw new UsageError('the prompt read from standard input is empty');
  return text;
}

/** A whole number given on the command line, or undefined when the flag is absent. */
function optionalInteger(raw: string | undefined, flag: string, allowZero = false): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new UsageError(`${flag} expects a ${allowZero ? 'non-negative' : 'positive'} whole number, got "${raw}"`);
  }
  return value;
}
