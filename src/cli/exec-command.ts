/**
 * `keel exec` and `keel exec resume`: parse the arguments, check the settings before anything is sent, open the
 * session log (new, or the resumed one), and run one task.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runExec } from '../exec/run-exec.ts';
import { colorWanted, createStyle } from '../exec/style.ts';
import { randomUUID } from 'node:crypto';
import type { ResponseItem } from '../protocol/index.ts';
import { appendPrompt, keelHome } from '../store/index.ts';
import { buildAgent, DEFAULT_MODEL } from './build-agent.ts';
import { EXEC_HELP, EXEC_RESUME_HELP } from './help-text.ts';
import { openNewLog, resumeLog, resumedCwd, type OpenLog, type SessionRef } from './session-log-setup.ts';
import { execIo, readAllStdin } from './process-io.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export async function execCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const resuming = argv[0] === 'resume';
  const { values, positionals } = parseExecArgs(resuming ? argv.slice(1) : argv);
  if (values.help) {
    process.stdout.write(`${resuming ? EXEC_RESUME_HELP : EXEC_HELP}\n`);
    return 0;
  }
  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  const baseUrl = env.OPENAI_BASE_URL?.trim() || undefined;
  if (apiKey === undefined && baseUrl === undefined) {
    throw new UsageError(
      'no model to talk to: set OPENAI_API_KEY to use OpenAI, or OPENAI_BASE_URL to use an OpenAI-compatible server ' +
        '(for example OPENAI_BASE_URL=http://localhost:11434/v1). Try "keel demo" to see keel work without either.',
    );
  }
  const home = keelHome(env);
  const secrets = apiKey === undefined ? [] : [apiKey];
  const session = resuming ? await resumeTarget(values, positionals, home, secrets) : await newTarget(values, positionals, home, secrets);
  const promptHistory = {
    append: (text: string) => appendPrompt({ home, sessionId: session.sessionId, text, secrets }),
  };
  try {
    const agent = buildAgent({
      model: session.model,
      cwd: session.cwd,
      baseUrl: baseUrl ?? OPENAI_BASE_URL,
      apiKey,
      stateful: values.stateful === true,
      maxRetries: positiveInteger(values['stream-max-retries'], '--stream-max-retries', 5, true),
      idleTimeoutMs: positiveInteger(values['stream-idle-timeout-ms'], '--stream-idle-timeout-ms', 300_000),
      shellTimeoutMs: positiveInteger(values['shell-timeout-ms'], '--shell-timeout-ms', 120_000),
      sessionId: session.sessionId,
      recorder: session.log.writer,
      initialHistory: session.history,
      promptHistory,
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
  model: string;
  log: OpenLog;
  history: ResponseItem[];
  /** null: continue the cut-off task. */
  prompt: string | null;
}

async function newTarget(values: ExecValues, positionals: string[], home: string, secrets: string[]): Promise<Target> {
  if (positionals.length > 1) {
    throw new UsageError(`exec takes one prompt, got ${positionals.length} arguments: quote the prompt ("keel exec 'fix the tests'")`);
  }
  if (values.last) throw new UsageError('--last belongs to "keel exec resume"');
  const cwd = resolveWorkdir(values.cd);
  const prompt = await readPrompt(positionals[0]);
  const sessionId = randomUUID();
  const model = values.model ?? DEFAULT_MODEL;
  const log = await openNewLog({ home, sessionId, cwd, model, providerId: 'openai', source: 'exec', secrets });
  return { sessionId, cwd, model, log, history: [], prompt };
}

async function resumeTarget(values: ExecValues, positionals: string[], home: string, secrets: string[]): Promise<Target> {
  const [first, second, ...extra] = positionals;
  if (!values.last && first === undefined) {
    throw new UsageError('say which session to resume: "keel exec resume --last" or "keel exec resume SESSION_ID" (see keel sessions)');
  }
  const promptArg = values.last ? first : second;
  if (extra.length > 0 || (values.last && second !== undefined)) {
    throw new UsageError('exec resume takes a session (or --last) and at most one prompt: quote the prompt');
  }
  const ref: SessionRef = values.last ? { type: 'last', cwd: process.cwd() } : { type: 'id', idOrPrefix: first! };
  const resumed = await resumeLog(home, ref, secrets);
  try {
    const cwd = resumedCwd(resumed.meta.cwd, values.cd === undefined ? undefined : resolveWorkdir(values.cd));
    const prompt = promptArg === undefined ? null : await readPrompt(promptArg);
    if (prompt === null && !resumed.midTask) {
      throw new UsageError(
        `the last task of session ${resumed.meta.session_id} had finished: give a prompt to go on ("keel exec resume ${resumed.meta.session_id} '…'")`,
      );
    }
    const model = values.model ?? resumed.meta.model;
    return { sessionId: resumed.meta.session_id, cwd, model, log: resumed.log, history: resumed.history, prompt };
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
        model: { type: 'string', short: 'm' },
        cd: { type: 'string', short: 'C' },
        json: { type: 'boolean' },
        'output-last-message': { type: 'string', short: 'o' },
        stateful: { type: 'boolean' },
        'stream-max-retries': { type: 'string' },
        'stream-idle-timeout-ms': { type: 'string' },
        'shell-timeout-ms': { type: 'string' },
        last: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see keel exec --help)`);
  }
}

function resolveWorkdir(dir: string | undefined): string {
  const cwd = resolve(dir ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cd ${dir}: no such directory`);
  return cwd;
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

function positiveInteger(raw: string | undefined, flag: string, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new UsageError(`${flag} expects a ${allowZero ? 'non-negative' : 'positive'} whole number, got "${raw}"`);
  }
  return value;
}
