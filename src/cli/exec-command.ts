/** `keel exec`: parses its arguments, checks the settings before anything is sent, and runs one task. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runExec } from '../exec/run-exec.ts';
import { colorWanted, createStyle } from '../exec/style.ts';
import { buildAgent, DEFAULT_MODEL } from './build-agent.ts';
import { EXEC_HELP } from './help-text.ts';
import { execIo, readAllStdin } from './process-io.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export async function execCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseExecArgs(argv);
  if (values.help) {
    process.stdout.write(`${EXEC_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(`exec takes one prompt, got ${positionals.length} arguments: quote the prompt ("keel exec \\"fix the tests\\"")`);
  }
  const cwd = resolveWorkdir(values.cd);
  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  const baseUrl = env.OPENAI_BASE_URL?.trim() || undefined;
  if (apiKey === undefined && baseUrl === undefined) {
    throw new UsageError(
      'no model to talk to: set OPENAI_API_KEY to use OpenAI, or OPENAI_BASE_URL to use an OpenAI-compatible server ' +
        '(for example OPENAI_BASE_URL=http://localhost:11434/v1). Try "keel demo" to see keel work without either.',
    );
  }
  const prompt = await readPrompt(positionals[0]);
  const agent = buildAgent({
    model: values.model ?? DEFAULT_MODEL,
    cwd,
    baseUrl: baseUrl ?? OPENAI_BASE_URL,
    apiKey,
    stateful: values.stateful === true,
    maxRetries: positiveInteger(values['stream-max-retries'], '--stream-max-retries', 5, true),
    idleTimeoutMs: positiveInteger(values['stream-idle-timeout-ms'], '--stream-idle-timeout-ms', 300_000),
    shellTimeoutMs: positiveInteger(values['shell-timeout-ms'], '--shell-timeout-ms', 120_000),
  });
  return runExec({
    agent,
    prompt,
    json: values.json === true,
    outputLastMessage: values['output-last-message'] ?? null,
    version: VERSION,
    style: createStyle(colorWanted(process.stderr, env)),
    io: execIo(),
  });
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
