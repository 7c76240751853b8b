/**
 * `keel [PROMPT]` and `keel resume [--last | SESSION_ID]` (and `keel fork`, once it made the fork): the interactive
 * UI. This layer opens session logs and builds engines; the UI asks for them through `SessionServices` (for /new,
 * /resume and /fork too).
 */
import { parseArgs } from 'node:util';
import { describeModel, modelChoices } from '../config/index.ts';
import { colorWanted } from '../exec/style.ts';
import { forkSession, historyMetadata, keelHome, listPrompts, listSessions, lookupPrompt } from '../store/index.ts';
import { runTui } from '../tui/app.ts';
import { SIGNAL_EXIT_CODES } from '../util/exit-codes.ts';
import { pickSession } from '../tui/pick-session.ts';
import type { SessionChoice, SessionChoices, SessionHandle, SessionOpening, SessionServices } from '../tui/session-handle.ts';
import { processTerminal } from '../tui/terminal.ts';
import type { PromptSource } from '../tui/input/prompt-recall.ts';
import { findRepoRoot } from '../util/git-info.ts';
import { RESUME_HELP, TUI_HELP } from './help-text.ts';
import { forkOpening, warnSkippedLines } from './fork-opening.ts';
import { checkModelTakesImages, loadImageFlags } from './image-flags.ts';
import { onProcessSignal, processIo } from './process-io.ts';
import { resolveRunSettings, type RunSettings } from './run-settings.ts';
import { openSession, type SessionTarget } from './open-session.ts';
import { locateSession, resumedCwd, type SessionRef } from './session-log-setup.ts';
import { UsageError } from './usage-error.ts';
import { routeWarnings } from './warnings.ts';
import { resolveWorkdir, sandboxFlag, SESSION_OPTIONS } from './shared-flags.ts';
import { VERSION } from './version.ts';

/** `opening`: the session resumed is a fork just made (`keel fork`), opened with its prompt in the box. */
export async function tuiCommand(argv: string[], env: NodeJS.ProcessEnv, opening?: SessionOpening): Promise<number> {
  const resuming = argv[0] === 'resume';
  const { values, positionals } = parseTuiArgs(resuming ? argv.slice(1) : argv);
  if (values.help) {
    process.stdout.write(`${resuming ? RESUME_HELP : TUI_HELP}\n`);
    return 0;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('the interactive UI needs a terminal on stdin and stdout; for scripts and CI use keel exec "PROMPT"');
  }
  // Relative to where keel was started, as the shell completed them; checked before a session is opened.
  const images = await loadImageFlags(values.image, process.cwd());
  const home = keelHome(env);
  const cdOverride = values.cd === undefined ? undefined : resolveWorkdir(values.cd);
  const startCwd = cdOverride ?? process.cwd();
  const repoRoot = findRepoRoot(startCwd) ?? startCwd;
  const ref = resuming ? await resumeRef(values, positionals, { home, cwd: startCwd, repoRoot }) : null;
  if (ref === 'cancelled') return 0;
  if (ref !== null && 'stopped' in ref) return ref.stopped;
  if (!resuming && positionals.length > 1) {
    throw new UsageError(`keel takes one prompt, got ${positionals.length} arguments: quote the prompt (keel "fix the tests")`);
  }
  const located = ref === null ? null : await locateSession(home, ref);
  const cwd = located === null ? startCwd : resumedCwd(located.cwd, cdOverride);
  const flagSandbox = sandboxFlag(values);
  const settings = await resolveRunSettings({
    home,
    cwd,
    env,
    profile: values.profile,
    overrides: values.config ?? [],
    flags: {
      model: values.model,
      oss: values.oss,
      sandbox_mode: flagSandbox,
      approval_policy: values['ask-for-approval'] ?? (values['full-auto'] ? 'on-request' : undefined),
    },
  });
  const model = values.model ?? located?.model ?? settings.model;
  checkModelTakesImages(images, model, settings.modelSettings(model).profile.acceptsImages);
  const opener = new SessionOpener({ home, env, settings, model: values.model });
  const resumed = located === null ? await opener.openNew(cwd) : await opener.openResumed(located.path, cwd);
  const opened = opening === undefined ? resumed : { ...resumed, opening };
  const services: SessionServices = {
    newSession: (choices) => opener.openNew(opener.currentCwd, choices),
    listSessions: () => repositorySessions(home, repoRoot),
    resumeSession: async (id, choices) => {
      const found = await locateSession(home, { type: 'id', idOrPrefix: id });
      return opener.openResumed(found.path, resumedCwd(found.cwd, undefined), choices);
    },
    listPrompts: async (id) => {
      const found = await locateSession(home, { type: 'id', idOrPrefix: id });
      return (await listPrompts(found.path)).map((prompt) => ({ number: prompt.number, text: prompt.text, images: prompt.images.length, queued: prompt.queued }));
    },
    forkSession: async (id, prompt, choices) => {
      const found = await locateSession(home, { type: 'id', idOrPrefix: id });
      const fork = await forkSession({ home, path: found.path, prompt, keelVersion: VERSION, source: 'tui', secrets: settings.secrets });
      warnSkippedLines(fork, found.path);
      const handle = await opener.openResumed(fork.path, resumedCwd(found.cwd, undefined), choices);
      return { ...handle, opening: forkOpening(fork, found, home) };
    },
  };
  const meta = await historyMetadata(home);
  const prompts: PromptSource = {
    count: meta.count,
    entry: async (offset) => (await lookupPrompt(home, meta.logId, offset))?.text ?? null,
  };
  const io = processTerminal();
  // However keel leaves (an internal error included), the terminal is given back as it was.
  processIo.onExit(() => io.restore());
  return runTui(opened, {
    io,
    color: colorWanted(process.stdout, env),
    version: VERSION,
    home: env.HOME,
    prompts,
    services,
    firstPrompt: resuming ? (values.last ? positionals[0] : positionals[1]) ?? null : positionals[0] ?? null,
    // With the first prompt, or waiting in the prompt box for the first one typed.
    initialImages: images,
    models: { describe: (name) => describeModel(settings.modelSettings(name)), choices: modelChoices },
    exitNow: (code) => processIo.exit(code),
    onSignal: onProcessSignal,
    warnings: routeWarnings,
    suspend: suspendProcess,
  });
}

/** Opens new and resumed sessions with the settings this run resolved. */
class SessionOpener {
  currentCwd = '';

  constructor(private readonly context: { home: string; env: NodeJS.ProcessEnv; settings: RunSettings; model: string | undefined }) {}

  /** `choices`: what the person chose earlier in this run (absent for the first session: the settings decide). */
  openNew(cwd: string, choices?: SessionChoices): Promise<SessionHandle> {
    return this.open({ type: 'new', cwd, source: 'tui' }, choices?.model ?? this.context.settings.model, choices);
  }

  /** A resumed session keeps its own model unless -m chose one. */
  openResumed(path: string, cwd: string, choices?: SessionChoices): Promise<SessionHandle> {
    return this.open({ type: 'resume', path, cwd }, this.context.model, choices);
  }

  private async open(target: SessionTarget, model: string | undefined, choices: SessionChoices | undefined): Promise<SessionHandle> {
    const { home, env, settings } = this.context;
    const session = await openSession({
      home,
      env,
      settings,
      target,
      model,
      approvalPolicy: choices?.approvalPolicy ?? settings.approvalPolicy,
      sandboxPolicy: choices?.sandboxPolicy,
    });
    this.currentCwd = session.cwd;
    return {
      agent: session.agent,
      replay: session.plan?.replay ?? [],
      cutOff: session.plan?.cutOff ?? false,
      replayFromCompaction: session.plan?.replayFromCompaction ?? false,
      compactions: session.plan?.context.compactions ?? 0,
      logPath: session.logPath,
      instructionFiles: settings.instructionFiles,
      close: session.close,
    };
  }
}

async function repositorySessions(home: string, repoRoot: string): Promise<SessionChoice[]> {
  const summaries = await listSessions({ home, cwd: repoRoot, limit: 200 });
  // A session in which nothing was ever asked has nothing to go on with; the one used last comes first.
  const used = summaries.filter((summary) => summary.turns > 0).sort((a, b) => b.lastActivity.localeCompare(a.lastActivity));
  return used.map((summary) => ({
    id: summary.id,
    updatedAt: new Date(summary.lastActivity),
    title: summary.firstPrompt?.replace(/\s+/g, ' ') ?? '(no prompt)',
    // "running": its lock is held by a live keel, so it cannot be opened here.
    status: summary.status === 'running' ? 'open in another keel' : summary.status,
  }));
}

type TuiValues = ReturnType<typeof parseTuiArgs>['values'];

/** Which session `keel resume` opens: --last, an id, or one picked from this repository's sessions. */
async function resumeRef(
  values: TuiValues,
  positionals: string[],
  place: { home: string; cwd: string; repoRoot: string },
): Promise<SessionRef | 'cancelled' | { stopped: number }> {
  if (values.last) {
    if (positionals.length > 1) throw new UsageError('resume --last takes at most one prompt: quote it');
    return { type: 'last', cwd: place.cwd };
  }
  if (positionals.length > 2) throw new UsageError('resume takes a session id and at most one prompt: quote the prompt');
  const [id] = positionals;
  if (id !== undefined) return { type: 'id', idOrPrefix: id };
  const choices = await repositorySessions(place.home, place.repoRoot);
  if (choices.length === 0) {
    throw new UsageError(`no session was started in ${place.repoRoot} yet: list all sessions with "keel sessions --all" and resume one by its id`);
  }
  const io = processTerminal();
  processIo.onExit(() => io.restore());
  const picked = await pickSession(io, choices, { color: colorWanted(process.stdout, process.env), now: Date.now(), onSignal: onProcessSignal });
  if (picked.type === 'picked') return { type: 'id', idOrPrefix: picked.id };
  return picked.type === 'cancelled' ? 'cancelled' : { stopped: SIGNAL_EXIT_CODES[picked.signal] };
}

function parseTuiArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...SESSION_OPTIONS, 'ask-for-approval': { type: 'string', short: 'a' } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see keel --help)`);
  }
}

/** Stops keel like a shell's Ctrl+Z (raw mode keeps the terminal from sending the signal itself). */
function suspendProcess(resume: () => void): void {
  let resumed = false;
  const once = (): void => {
    if (resumed) return;
    resumed = true;
    process.off('SIGCONT', once);
    resume();
  };
  process.on('SIGCONT', once);
  process.kill(process.pid, 'SIGTSTP');
  // Without job control (no shell waiting to continue it) the stop is discarded: then keel simply goes on.
  setTimeout(once, 100);
}

