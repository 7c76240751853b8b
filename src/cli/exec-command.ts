/**
 * `keel exec` and `keel exec resume`: parse the arguments, check the settings before anything is sent, open the
 * session log (new, or the resumed one), and run one task.
 */
import { parseArgs } from 'node:util';
import { loadOutputSchema } from '../exec/output-schema.ts';
import { runExec } from '../exec/run-exec.ts';
import { colorWanted, createStyle } from '../exec/style.ts';
import { keelHome } from '../store/index.ts';
import { openSession } from './open-session.ts';
import { findJobSession, nextJobStep, reportRecorded } from './session-id-job.ts';
import { resolveRunSettings } from './run-settings.ts';
import { EXEC_HELP, EXEC_RESUME_HELP } from './help-text.ts';
import { checkModelTakesImages, loadImageFlags } from './image-flags.ts';
import { locateSession, resumedCwd, type SessionRef } from './session-log-setup.ts';
import { execIo, readAllStdin } from './process-io.ts';
import { optionalInteger, UsageError } from './usage-error.ts';
import { resolveWorkdir, sandboxFlag, HEADLESS_OPTIONS, SESSION_OPTIONS } from './shared-flags.ts';
import { VERSION } from './version.ts';

export async function execCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const resuming = argv[0] === 'resume';
  const { values, positionals } = parseExecArgs(resuming ? argv.slice(1) : argv);
  if (values.help) {
    process.stdout.write(`${resuming ? EXEC_RESUME_HELP : EXEC_HELP}\n`);
    return 0;
  }
  // Relative to where keel was started, as the shell completed them; checked before anything else is done.
  const images = await loadImageFlags(values.image, process.cwd());
  const schemaFlag = values['output-schema'];
  const outputSchema = schemaFlag === undefined ? null : await loadOutputSchema(schemaFlag);
  if (outputSchema?.type === 'unusable') throw new UsageError(outputSchema.message);
  const home = keelHome(env);
  const cdOverride = values.cd === undefined ? undefined : resolveWorkdir(values.cd);
  // --session-id: a job run again after it was stopped carries on with its own session (session-id-job.ts).
  const job = await findJobSession(home, values['session-id'], resuming);
  // A resumed session works in its own directory: its project config and AGENTS.md are the ones that apply.
  const located = resuming ? await locateSession(home, resumeRef(values, positionals)) : (job?.located ?? null);
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
  const model = values.model ?? located?.model ?? settings.model;
  checkModelTakesImages(images, model, settings.modelSettings(model).profile.acceptsImages);
  const promptArg = resuming ? (values.last ? positionals[0] : positionals[1]) : newSessionPrompt(values, positionals);
  if (resuming && promptArg === undefined && images.length > 0) {
    throw new UsageError('-i attaches images to a prompt: give one ("keel exec resume --last -i shot.png \'what changed?\'")');
  }
  // Read before the log is opened: a prompt that is missing or empty leaves no trace in any session. null: a resume
  // without a prompt continues the cut-off task.
  const given = resuming && promptArg === undefined ? null : await readPrompt(promptArg);
  const step = job === null || given === null ? null : await nextJobStep(job, given);
  if (step?.type === 'report') {
    const style = createStyle(colorWanted(process.stderr, env));
    return reportRecorded(step, { sessionId: job!.sessionId, json: values.json === true, outputLastMessage: values['output-last-message'] ?? null, version: VERSION, style, io: execIo() });
  }
  // A job's prompt that an earlier run sent already is not sent again: the cut-off task goes on.
  const prompt = step?.type === 'continue' ? null : given;
  const session = await openSession({
    home,
    env,
    settings,
    target: located === null ? { type: 'new', cwd, source: 'exec', sessionId: job?.sessionId } : { type: 'resume', path: located.path, cwd },
    model: values.model,
    // exec never asks: what would need a question is refused, and the model is told why.
    approvalPolicy: 'never',
    shellTimeoutMs: optionalInteger(values['shell-timeout-ms'], '--shell-timeout-ms'),
    check: ({ sessionId, plan }) => {
      // A job's stopped task goes on even when its history ends with an answer: the stop came before the task ended.
      if (prompt === null && !plan.midTask && step?.type !== 'continue') {
        throw new UsageError(`the last task of session ${sessionId} had finished: give a prompt to go on ("keel exec resume ${sessionId} '…'")`);
      }
    },
  });
  try {
    return await runExec({
      agent: session.agent,
      prompt,
      images,
      json: values.json === true,
      outputLastMessage: values['output-last-message'] ?? null,
      outputSchema: outputSchema?.schema ?? null,
      failOnRefusal: values['fail-on-refusal'] === true,
      version: VERSION,
      style: createStyle(colorWanted(process.stderr, env)),
      io: execIo(),
    });
  } finally {
    await session.close();
  }
}

type ExecValues = ReturnType<typeof parseExecArgs>['values'];

/** The prompt argument of a new session (undefined: read standard input). */
function newSessionPrompt(values: ExecValues, positionals: string[]): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`exec takes one prompt, got ${positionals.length} arguments: quote the prompt ("keel exec 'fix the tests'")`);
  }
  if (values.last) throw new UsageError('--last belongs to "keel exec resume"');
  return positionals[0];
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
        'output-schema': { type: 'string' },
        'fail-on-refusal': { type: 'boolean' },
        ...HEADLESS_OPTIONS,
        'session-id': { type: 'string' },
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

