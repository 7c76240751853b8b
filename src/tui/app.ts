/**
 * The interactive front end. It renders the engine's events and turns keys into ops; it holds no turn logic. What
 * it owns: the prompt box, the approval prompt, pickers, the status line, and which session is on screen.
 *
 * Keys, in short: Enter sends (queued while a task runs), Shift+Enter / Ctrl+J / Alt+Enter add a line, Up/Down
 * recall; Esc or Ctrl+C interrupt a running task; otherwise Ctrl+C clears the prompt, and on an empty prompt asks
 * for a second Ctrl+C to quit; Ctrl+D on an empty prompt quits.
 */
import { SIGNAL_EXIT_CODES, type StopSignal } from '../util/exit-codes.ts';
import type { EventMsg, Op, ReviewDecision, Event } from '../protocol/index.ts';
import { APPROVAL_PRESETS, approvalDecision, decisionLine, type ApprovalPreset } from './approval-choices.ts';
import { approvalLines, type ApprovalRequest } from './approval-lines.ts';
import { notice } from './notice.ts';
import { diffLines } from './diff-lines.ts';
import { Composer } from './input/composer.ts';
import { KeyParser, type Key } from './input/keys.ts';
import { PromptRecall, type PromptSource } from './input/prompt-recall.ts';
import { Picker, type PickerOutcome } from './picker.ts';
import { sessionPicker } from './pick-session.ts';
import { Screen, type LiveCursor } from './screen.ts';
import type { SessionChoice, SessionChoices, SessionHandle, SessionServices } from './session-handle.ts';
import { SLASH_COMMANDS, helpText, parseSlashCommand } from './slash-commands.ts';
import { statusLine, statusReport, type StatusInfo } from './status-line.ts';
import type { TerminalIo } from './terminal.ts';
import { span, type Line } from './text/styled.ts';
import { truncateLine, wrapLines } from './text/wrap.ts';
import { TranscriptView } from './transcript.ts';


export interface TuiOptions {
  io: TerminalIo;
  color: boolean;
  version: string;
  /** The person's home directory, to show paths under it as ~/…. */
  home?: string;
  prompts: PromptSource;
  services: SessionServices;
  /** A first prompt from the command line, sent as soon as the UI is up. */
  firstPrompt?: string | null;
  /** Subscribes to stop signals; returns the unsubscribe function. */
  onSignal?: (signal: StopSignal, handler: () => void) => () => void;
  /**
   * Stops keel as a shell's Ctrl+Z does (the terminal is already given back) and calls `resume` once it runs again.
   * Absent: Ctrl+Z does nothing.
   */
  suspend?: (resume: () => void) => void;
  /** Called once the UI is up with a function that shows a warning in it; returns the unsubscribe function. */
  warnings?: (show: (text: string) => void) => () => void;
  /** Leaves at once (Ctrl+C while quitting waits on the engine): the caller stops every process keel started. */
  exitNow?: (code: number) => never;
  now?: () => number;
}



type Mode =
  | { type: 'compose' }
  | { type: 'picker'; picker: Picker<unknown>; onPick: (value: unknown) => void }
  | { type: 'busy'; message: string };

/** How long input must pause before a lone ESC byte counts as the Esc key rather than the start of a sequence. */
const ESCAPE_WAIT_MS = 30;
/** How long a first Ctrl+C on an empty prompt waits for the second one that quits. */
const QUIT_CONFIRM_MS = 2000;
/** At most one frame per this many milliseconds: streaming thousands of deltas a second costs ~60 frames. */
const FRAME_MS = 16;


/** Runs the UI until the person quits; resolves with keel's exit code. */
export function runTui(initial: SessionHandle, options: TuiOptions): Promise<number> {
  return new TuiApp(initial, options).run();
}

class TuiApp {
  private readonly screen: Screen;
  private readonly keys = new KeyParser();
  private readonly composer = new Composer();
  private readonly recall: PromptRecall;
  private transcript: TranscriptView;
  private handle: SessionHandle;
  private pump: Promise<void> = Promise.resolve();
  private mode: Mode = { type: 'compose' };
  private readonly approvals: ApprovalRequest[] = [];
  /** Prompts sent while a task ran, shown until the engine takes them into the conversation. */
  private readonly queued: string[] = [];
  private quitArmed = false;
  private quitTimer: NodeJS.Timeout | null = null;
  /** Counts edits, so that a recalled prompt arriving after the person typed on does not overwrite their text. */
  private recallGeneration = 0;
  private quitting = false;
  /** A /new or /resume under way (opening a session takes a moment). */
  private switching: Promise<void> = Promise.resolve();
  /** The terminal has been given back: nothing may be drawn any more. */
  private closed = false;
  private status: StatusInfo & { providerId: string; sessionId: string };
  /** The latest cumulative diff of each task, keyed by the task's submission id, for /diff. */
  private readonly diffs = new Map<string, string>();
  private taskStartedAt: number | null = null;
  /** When the request being retried goes out again (after a `stream_error`), for the countdown in the hint line. */
  private retryAt: number | null = null;
  private readonly now: () => number;

  private renderTimer: NodeJS.Timeout | null = null;
  private lastFrame = 0;
  private escapeTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: Array<() => void> = [];
  private finish: (code: number) => void = () => undefined;

  constructor(
    initial: SessionHandle,
    private readonly options: TuiOptions,
  ) {
    this.screen = new Screen(options.io, options.color);
    this.recall = new PromptRecall(options.prompts);
    this.now = options.now ?? Date.now;
    this.handle = initial;
    this.transcript = new TranscriptView({ version: options.version });
    this.status = {
      model: '',
      cwd: '',
      approval: 'on-request',
      sandbox: { type: 'read-only' },
      totalUsage: null,
      contextUsed: null,
      contextWindow: null,
      providerId: '',
      sessionId: initial.agent.sessionId,
    };
  }

  run(): Promise<number> {
    const { io } = this.options;
    const done = new Promise<number>((resolve) => (this.finish = resolve));
    io.enter();
    this.unsubscribe.push(io.onData((data) => this.onInput(data)));
    this.unsubscribe.push(
      io.onResize(() => {
        // Dragging a window edge sends a burst of these: one reflow per frame at most.
        this.screen.resize();
        this.scheduleRender();
      }),
    );
    this.unsubscribe.push(io.onClose(() => void this.quit(SIGNAL_EXIT_CODES.SIGHUP)));
    const offWarnings = this.options.warnings?.((text) => this.note(`warning: ${text}`, 'yellow'));
    if (offWarnings) this.unsubscribe.push(offWarnings);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const off = this.options.onSignal?.(signal, () => this.onSignal(signal));
      if (off) this.unsubscribe.push(off);
    }
    this.adopt(this.handle);
    const first = this.options.firstPrompt?.trim();
    if (first) this.submitPrompt(first);
    this.render();
    return done;
  }

  // ---- sessions -------------------------------------------------------------------------------------------------

  /** Shows a session: its recorded transcript (resume), then its live events. */
  private adopt(handle: SessionHandle): void {
    this.handle = handle;
    this.transcript = new TranscriptView({ version: this.options.version });
    this.diffs.clear();
    this.status.sessionId = handle.agent.sessionId;
    this.status.totalUsage = null;
    this.status.contextUsed = null;
    this.replay(handle);
    this.pump = this.consume(handle);
  }

  private replay(handle: SessionHandle): void {
    if (handle.replay.length === 0) return;
    let header = false;
    for (const msg of handle.replay) {
      if (msg.type === 'session_configured') {
        if (header) continue;
        header = true;
      }
      // Approvals asked long ago are not questions any more.
      if (msg.type === 'exec_approval_request' || msg.type === 'apply_patch_approval_request') continue;
      this.transcript.apply(msg);
      this.track(msg, null);
    }
    // A log that ends inside a task (keel was killed or crashed; an interrupt or a quit ends the task first).
    const cutOff = this.transcript.taskRunning;
    // Close what it left open, as the engine did in the log itself.
    if (cutOff) this.transcript.apply({ type: 'turn_aborted', reason: 'interrupted' });
    this.taskStartedAt = null;
    this.updateTicking();
    this.transcript.commitLines([
      notice(
        cutOff
          ? 'Resumed. keel stopped in the middle of the last task; what was running was recorded as aborted. Type a message to go on.'
          : 'Resumed. Type a message to go on.',
        'cyan',
      ),
    ]);
    this.screen.commit(this.transcript.takeCommitted());
  }

  private async consume(handle: SessionHandle): Promise<void> {
    const replayed = handle.replay.length > 0;
    for await (const event of handle.agent.events) {
      if (this.handle !== handle) continue;
      try {
        // A resumed session's header was shown before its transcript.
        if (!(replayed && event.msg.type === 'session_configured')) this.transcript.apply(event.msg);
        this.track(event.msg, event);
      } catch (error) {
        // A bug in drawing one event must not end the session: the engine and the log go on regardless.
        this.transcript.commitLines([notice(`keel could not display a ${event.msg.type} event: ${(error as Error).message}`, 'red')]);
      }
      this.screen.commit(this.transcript.takeCommitted());
      this.scheduleRender();
    }
    await handle.close();
  }

  /** The app's own state from an event (the transcript keeps the rest). `event` is null for replayed ones. */
  private track(msg: EventMsg, event: Event | null): void {
    // Any news after a retry notice means the retry went out.
    this.retryAt = msg.type === 'stream_error' && event !== null ? this.now() + msg.delay_ms : null;
    switch (msg.type) {
      case 'session_configured':
        Object.assign(this.status, {
          model: msg.model,
          cwd: msg.cwd,
          approval: msg.approval_policy,
          sandbox: msg.sandbox_policy,
          providerId: msg.model_provider_id,
        });
        break;
      case 'task_started':
        this.taskStartedAt = this.now();
        if (msg.model_context_window !== null) this.status.contextWindow = msg.model_context_window;
        this.updateTicking();
        break;
      case 'task_complete':
      case 'turn_aborted':
        this.taskStartedAt = null;
        // The engine answers every open approval when a task ends.
        this.approvals.length = 0;
        this.queued.length = 0;
        this.updateTicking();
        break;
      case 'user_message': {
        const index = this.queued.indexOf(msg.message);
        if (index >= 0) this.queued.splice(index, 1);
        break;
      }
      case 'exec_approval_request':
      case 'apply_patch_approval_request':
        if (event === null) break;
        // Printed whole into the transcript, however long: a person must see all of what they approve. The live
        // area then only asks.
        this.transcript.commitLines(approvalLines(msg, this.status.cwd));
        this.approvals.push(msg);
        break;
      case 'token_count':
        if (msg.info !== null) {
          this.status.totalUsage = msg.info.total_token_usage;
          this.status.contextUsed = msg.info.last_token_usage.total_tokens;
          if (msg.info.model_context_window !== null) this.status.contextWindow = msg.info.model_context_window;
        }
        break;
      case 'turn_diff':
        this.diffs.set(event?.id ?? `replay-${this.diffs.size}`, msg.unified_diff);
        break;
      case 'exec_command_begin':
      case 'exec_command_end':
        this.updateTicking();
        break;
      default:
        break;
    }
  }

  /** Ends the current session: the engine interrupts what runs, flushes and closes its log. */
  private async endSession(): Promise<void> {
    this.handle.agent.submit({ type: 'shutdown' });
    await this.pump;
  }

  private switchSession(open: () => Promise<SessionHandle>, what: string): Promise<void> {
    // Quitting waits for this, so a session opened meanwhile is closed before keel exits.
    const switching = this.openAndSwitch(open, what);
    this.switching = switching;
    return switching;
  }

  private async openAndSwitch(open: () => Promise<SessionHandle>, what: string): Promise<void> {
    if (this.transcript.taskRunning) {
      this.note(`a task is running: interrupt it first (Esc), then ${what}`, 'yellow');
      return;
    }
    this.mode = { type: 'busy', message: `opening ${what}…` };
    this.render();
    let next: SessionHandle;
    try {
      next = await open();
    } catch (error) {
      this.mode = { type: 'compose' };
      this.note(`could not open ${what}: ${(error as Error).message}`, 'red');
      return;
    }
    // keel is leaving (a signal, a closed terminal): the session opened meanwhile is closed again, not shown.
    if (this.quitting) return discard(next);
    await this.endSession();
    if (this.quitting) return discard(next);
    this.approvals.length = 0;
    this.queued.length = 0;
    this.mode = { type: 'compose' };
    // A blank line between the sessions: the new transcript view does not know what was printed before it.
    this.screen.commit([{ spans: [] }]);
    this.adopt(next);
    this.render();
  }

  // ---- input ----------------------------------------------------------------------------------------------------

  private onInput(data: string): void {
    if (this.escapeTimer !== null) clearTimeout(this.escapeTimer);
    this.escapeTimer = null;
    for (const key of this.keys.feed(data)) this.onKey(key);
    if (this.keys.pending) {
      this.escapeTimer = setTimeout(() => {
        this.escapeTimer = null;
        for (const key of this.keys.flush()) this.onKey(key);
        this.render();
      }, ESCAPE_WAIT_MS);
    }
    this.render();
  }

  private onKey(key: Key): void {
    const isCtrlC = key.kind === 'key' && key.ctrl && key.name === 'c';
    if (this.quitting) {
      // Saving should take a moment; if it hangs, a Ctrl+C leaves anyway (the log is written record by record).
      if (isCtrlC && this.options.exitNow) {
        this.shutdownUi();
        this.options.exitNow(130);
      }
      return;
    }
    if (!isCtrlC) this.quitArmed = false;
    if (key.kind === 'key' && key.ctrl && key.name === 'l') {
      this.screen.redrawAll();
      return;
    }
    if (key.kind === 'key' && key.ctrl && key.name === 'z') return this.suspend();
    if (this.approvals.length > 0) {
      const decision = approvalDecision(key);
      // Answer keys count only on an empty prompt: letters of a message being typed must never approve anything.
      if (decision === 'abort' || (decision !== null && this.composer.isEmpty())) return this.answerApproval(decision);
      if (this.mode.type === 'compose') this.composeKey(key);
      return;
    }
    switch (this.mode.type) {
      case 'picker':
        return this.pickerKey(key, this.mode);
      case 'busy':
        // While a session opens, typing goes on; only sending waits.
        if (isCtrlC) this.interruptOrQuit();
        else if (!(key.kind === 'key' && key.name === 'enter')) this.composeKey(key);
        return;
      case 'compose':
        return this.composeKey(key);
    }
  }

  private composeKey(key: Key): void {
    const composer = this.composer;
    // Any key but a recall key ends browsing the history, and makes an answer still on its way from the file stale.
    if (!isRecallKey(key)) {
      this.recallGeneration += 1;
      this.recall.reset();
    }
    if (key.kind === 'text' || key.kind === 'paste') {
      composer.insert(key.text);
      return;
    }
    const { name, ctrl, alt, shift } = key;
    if (ctrl) {
      switch (name) {
        case 'c':
          return this.interruptOrQuit();
        case 'd':
          if (composer.isEmpty()) return void this.quit(0);
          return composer.deleteForward();
        case 'j':
          return composer.newline();
        case 'a':
          return composer.lineStart();
        case 'e':
          return composer.lineEnd();
        case 'u':
          return composer.killToLineStart();
        case 'k':
          return composer.killToLineEnd();
        case 'w':
          return composer.killWordBefore();
        case 'y':
          return composer.yank();
        case 'b':
          return composer.left();
        case 'f':
          return composer.right();
        case 'p':
          return void this.recallOlder();
        case 'n':
          return void this.recallNewer();
        case 'left':
          return composer.wordLeft();
        case 'right':
          return composer.wordRight();
        case 'backspace':
          return composer.killWordBefore();
        default:
          return;
      }
    }
    if (alt) {
      switch (name) {
        case 'enter':
          return composer.newline();
        case 'b':
        case 'left':
          return composer.wordLeft();
        case 'f':
        case 'right':
          return composer.wordRight();
        case 'backspace':
          return composer.killWordBefore();
        case 'd':
          return composer.deleteWordAfter();
        default:
          return;
      }
    }
    switch (name) {
      case 'enter':
        if (shift) return composer.newline();
        return this.submitComposer();
      case 'escape':
        if (this.transcript.taskRunning) this.interrupt();
        return;
      case 'backspace':
        return composer.backspace();
      case 'delete':
        return composer.deleteForward();
      case 'left':
        return composer.left();
      case 'right':
        return composer.right();
      case 'home':
        return composer.lineStart();
      case 'end':
        return composer.lineEnd();
      case 'up':
        if (this.recall.browsing || composer.onFirstLine()) return void this.recallOlder();
        composer.up();
        return;
      case 'down':
        if (this.recall.browsing) return void this.recallNewer();
        composer.down();
        return;
      case 'tab':
        return this.completeSlashCommand();
      default:
        return;
    }
  }

  private async recallOlder(): Promise<void> {
    const generation = this.recallGeneration;
    const text = await this.recall.older(this.composer.text);
    if (text !== null && generation === this.recallGeneration) this.composer.setText(text);
    this.render();
  }

  private async recallNewer(): Promise<void> {
    const generation = this.recallGeneration;
    const text = await this.recall.newer();
    if (text !== null && generation === this.recallGeneration) this.composer.setText(text);
    this.render();
  }

  private completeSlashCommand(): void {
    const text = this.composer.text;
    if (!text.startsWith('/') || text.includes(' ')) return;
    const matches = SLASH_COMMANDS.filter((command) => command.name.startsWith(text.slice(1)));
    if (matches.length === 1) this.composer.setText(`/${matches[0]!.name} `);
  }

  /** Ctrl+Z: the terminal goes back to the shell while keel is stopped; tasks keep their state and go on after. */
  private suspend(): void {
    const { suspend, io } = this.options;
    if (suspend === undefined) return;
    this.screen.clearLive();
    io.restore();
    suspend(() => {
      if (this.closed) return;
      io.enter();
      // The window may have been resized while keel was stopped (a stopped job gets no SIGWINCH).
      this.screen.resize();
      this.render();
    });
  }

  private interruptOrQuit(): void {
    if (this.transcript.taskRunning) return this.interrupt();
    if (this.mode.type === 'busy') return;
    if (!this.composer.isEmpty()) {
      this.composer.clear();
      this.recall.reset();
      return;
    }
    if (this.quitArmed) return void this.quit(0);
    this.quitArmed = true;
    // The second press must follow soon, or the hint goes and a later Ctrl+C only asks again.
    if (this.quitTimer !== null) clearTimeout(this.quitTimer);
    this.quitTimer = setTimeout(() => {
      this.quitTimer = null;
      this.quitArmed = false;
      this.render();
    }, QUIT_CONFIRM_MS);
  }

  private interrupt(): void {
    this.submit({ type: 'interrupt' });
  }

  private answerApproval(decision: ReviewDecision): void {
    const request = this.approvals.shift()!;
    this.submit(
      request.type === 'exec_approval_request'
        ? { type: 'exec_approval', id: request.call_id, decision }
        : { type: 'patch_approval', id: request.call_id, decision },
    );
    // An abort interrupts the task; the engine answers the other open requests itself.
    if (decision === 'abort') this.approvals.length = 0;
    this.transcript.commitLines([decisionLine(decision, request.type === 'exec_approval_request' ? 'command' : 'patch')]);
    this.screen.commit(this.transcript.takeCommitted());
  }

  private pickerKey(key: Key, mode: Extract<Mode, { type: 'picker' }>): void {
    const outcome: PickerOutcome<unknown> = mode.picker.handle(key);
    if (outcome.type === 'open') return;
    this.mode = { type: 'compose' };
    if (outcome.type === 'picked') mode.onPick(outcome.value);
  }

  // ---- prompts and slash commands -------------------------------------------------------------------------------

  private submitComposer(): void {
    const text = this.composer.text;
    if (text.trim() === '') return;
    this.composer.clear();
    this.recall.reset();
    const command = parseSlashCommand(text);
    if (command !== null) return this.runSlashCommand(command.name, command.args, text);
    this.submitPrompt(text);
  }

  private submitPrompt(text: string): void {
    this.recall.remember(text);
    this.submit({ type: 'add_to_history', text });
    if (this.transcript.taskRunning) this.queued.push(text);
    this.submit({ type: 'user_turn', items: [{ type: 'text', text }] });
  }

  private runSlashCommand(name: string, args: string, original: string): void {
    switch (name) {
      case 'help':
        return this.note(helpText(), null);
      case 'quit':
      case 'exit':
        return void this.quit(0);
      case 'new':
        return void this.switchSession(() => this.options.services.newSession(this.choices()), 'a new session');
      case 'resume':
        return void this.openResumePicker();
      case 'status':
        return this.showStatus();
      case 'model':
        return this.setModel(args);
      case 'approvals':
        return this.openApprovalsPicker();
      case 'diff':
        return this.showDiff();
      default:
        this.note(`unknown command ${original.split(/\s/)[0]}: /help lists the commands (start with a space to send a message beginning with "/")`, 'red');
    }
  }

  private async openResumePicker(): Promise<void> {
    if (this.transcript.taskRunning) return this.note('a task is running: interrupt it first (Esc), then /resume', 'yellow');
    let sessions: SessionChoice[];
    try {
      sessions = (await this.options.services.listSessions()).filter((choice) => choice.id !== this.handle.agent.sessionId);
    } catch (error) {
      return this.note(`could not list the sessions: ${(error as Error).message}`, 'red');
    }
    const picker = sessionPicker(sessions, this.now());
    this.mode = {
      type: 'picker',
      picker: picker as Picker<unknown>,
      onPick: (id) => void this.switchSession(() => this.options.services.resumeSession(id as string, this.choices()), 'the session'),
    };
    this.render();
  }

  private openApprovalsPicker(): void {
    const items = APPROVAL_PRESETS.map((preset) => {
      const current = preset.approval === this.status.approval && preset.sandbox.type === this.status.sandbox.type;
      return { label: `${preset.label}${current ? ' (current)' : ''}`, detail: preset.detail, value: preset };
    });
    const picker = new Picker('Approvals and sandbox for the next commands', items);
    this.mode = {
      type: 'picker',
      picker: picker as Picker<unknown>,
      onPick: (value) => {
        const preset = value as ApprovalPreset;
        this.submit({ type: 'override_turn_context', approval_policy: preset.approval, sandbox_policy: preset.sandbox });
        this.status.approval = preset.approval;
        this.status.sandbox = preset.sandbox;
        this.note(`${preset.label}: approvals ${preset.approval}, sandbox ${preset.sandbox.type}`, 'cyan');
      },
    };
  }

  private setModel(args: string): void {
    const model = args.trim();
    if (model === '') return this.note(`the model is ${this.status.model}; change it with /model NAME`, null);
    if (/\s/.test(model)) return this.note(`a model name has no spaces: /model NAME`, 'red');
    this.submit({ type: 'override_turn_context', model });
    this.status.model = model;
    this.note(`model set to ${model} for the next requests`, 'cyan');
  }

  private showStatus(): void {
    this.commitNotice(statusReport(this.status, { logPath: this.handle.logPath, instructionFiles: this.handle.instructionFiles }));
  }

  private showDiff(): void {
    const diffs = [...this.diffs.values()].filter((diff) => diff.trim() !== '');
    if (diffs.length === 0) return this.note('no file was changed by apply_patch in this session yet (changes made by shell commands are not tracked)', null);
    this.commitNotice([{ spans: [span('Changes made in this session', { bold: true })] }, ...diffs.flatMap((diff) => diffLines(diff, 2000))]);
  }

  private note(text: string, color: 'red' | 'yellow' | 'cyan' | null): void {
    this.commitNotice(text.split('\n').map((row) => notice(row, color)));
  }

  private commitNotice(lines: Line[]): void {
    this.transcript.commitLines(lines);
    this.screen.commit(this.transcript.takeCommitted());
    this.scheduleRender();
  }

  /** The model and policies in force, kept by /new and /resume. */
  private choices(): SessionChoices {
    return { model: this.status.model, approvalPolicy: this.status.approval, sandboxPolicy: this.status.sandbox };
  }

  private submit(op: Op): void {
    this.handle.agent.submit(op);
  }

  // ---- quitting -------------------------------------------------------------------------------------------------

  private onSignal(signal: StopSignal): void {
    if (this.quitting && signal === 'SIGTERM') {
      // Asked again to stop while saving: leave now (every record is already on disk). A hang-up is not a second
      // request: it comes with the closed input that started the quit.
      this.shutdownUi();
      this.options.exitNow?.(SIGNAL_EXIT_CODES[signal]);
      return;
    }
    if (signal === 'SIGINT') {
      this.onKey({ kind: 'key', name: 'c', ctrl: true, alt: false, shift: false });
      this.render();
      return;
    }
    void this.quit(SIGNAL_EXIT_CODES[signal]);
  }

  /** Quits: the engine stops what runs and flushes the log; the terminal is given back as it was. */
  private async quit(code: number): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    this.mode = { type: 'busy', message: 'saving the session…' };
    this.render();
    try {
      await this.endSession();
      await this.switching;
    } finally {
      // What arrived while saving (the end of an interrupted answer, the stop lines) is drawn before leaving.
      this.screen.commit(this.transcript.takeCommitted());
      this.screen.setLive([], null);
      this.screen.render();
      this.shutdownUi();
      const id = this.handle.agent.sessionId;
      this.options.io.write(`Session saved. Resume it with: keel resume ${id}\r\n`);
      this.finish(code);
    }
  }

  private shutdownUi(): void {
    this.closed = true;
    for (const timer of [this.renderTimer, this.escapeTimer, this.tickTimer, this.quitTimer]) if (timer !== null) clearTimeout(timer);
    this.renderTimer = this.escapeTimer = this.tickTimer = this.quitTimer = null;
    for (const off of this.unsubscribe.splice(0)) off();
    this.screen.clearLive();
    this.options.io.restore();
  }

  // ---- drawing --------------------------------------------------------------------------------------------------

  private updateTicking(): void {
    const wanted = this.taskStartedAt !== null || this.transcript.ticking;
    if (wanted && this.tickTimer === null) {
      this.tickTimer = setInterval(() => this.scheduleRender(), 1000);
    } else if (!wanted && this.tickTimer !== null) {
      clearInterval(this.tickTimer);
      this.tickTimer = null;
    }
  }

  private scheduleRender(): void {
    if (this.renderTimer !== null || this.closed) return;
    const wait = Math.max(0, this.lastFrame + FRAME_MS - this.now());
    this.renderTimer = setTimeout(() => {
      this.renderTimer = null;
      this.render();
    }, wait);
  }

  private render(): void {
    if (this.closed) return;
    if (this.renderTimer !== null) {
      clearTimeout(this.renderTimer);
      this.renderTimer = null;
    }
    this.lastFrame = this.now();
    const width = this.screen.columns;
    const height = this.screen.rows;
    const bottom: Line[] = [];
    let cursor: LiveCursor | null = null;
    // Until the session says how it is configured, the status line would show defaults, not the settings in force.
    const status = this.status.model === '' ? { spans: [] } : statusLine(this.status, width, this.options.home);
    const footer = [truncateLine(this.hintLine(), width), status];
    const room = height - 1 - footer.length;

    const approval = this.approvals[0];
    if (approval !== undefined) {
      bottom.push(...wrapLines(this.approvalPrompt(approval), width));
      if (!this.composer.isEmpty()) {
        const input = this.composerRows(width, Math.max(1, Math.min(Math.floor(height / 3), room - 4)));
        cursor = { row: bottom.length + input.cursorRow, col: input.cursorCol };
        bottom.push(...input.rows);
      }
    } else if (this.mode.type === 'picker') {
      bottom.push(...this.mode.picker.render(width, Math.max(3, Math.min(14, room - 2))));
    } else if (this.mode.type === 'busy') {
      bottom.push({ spans: [span(this.mode.message, { dim: true })] });
    } else {
      const input = this.composerRows(width, Math.max(1, Math.min(Math.floor(height / 2), room - 2)));
      cursor = { row: bottom.length + input.cursorRow, col: input.cursorCol };
      bottom.push(...input.rows);
    }
    const queued = this.queued.flatMap((text) => wrapLines([{ spans: [span(`↳ queued: ${text.replace(/\s+/g, ' ')}`, { dim: true })], indent: 2 }], width));
    const top = queued.length > 0 ? [{ spans: [] }, ...queued, { spans: [] }] : [{ spans: [] }];
    const liveRoom = Math.max(0, room - bottom.length - top.length);
    const live = this.transcript.live(width, liveRoom, this.now());
    const rows = [...live, ...top, ...bottom, ...footer];
    if (cursor !== null) cursor = { row: cursor.row + live.length + top.length, col: cursor.col };
    this.screen.setLive(rows, cursor);
    this.screen.render();
  }

  private composerRows(width: number, maxRows: number): { rows: Line[]; cursorRow: number; cursorCol: number } {
    const prompt = this.transcript.taskRunning ? '↳ ' : '› ';
    if (this.composer.isEmpty()) {
      const placeholder = this.transcript.taskRunning ? 'type a message to queue it for the running task' : 'ask keel to do something, or /help';
      const row: Line = { spans: [span(prompt, { bold: true, color: 'cyan' }), span(placeholder.slice(0, Math.max(0, width - 3)), { dim: true })] };
      return { rows: [row], cursorRow: 0, cursorCol: 2 };
    }
    const layout = this.composer.layout(Math.max(1, width - 2));
    const total = layout.rows.length;
    // A text taller than the box shows the rows around the cursor, with a line saying how much is out of view.
    const room = total > maxRows ? Math.max(1, maxRows - 1) : maxRows;
    const first = Math.min(Math.max(0, layout.cursorRow - room + 1), Math.max(0, total - room));
    const visible = layout.rows.slice(first, first + room);
    const rows: Line[] = visible.map((text, index) => ({
      spans: [span(index + first === 0 ? prompt : '  ', { bold: true, color: 'cyan' }), span(text)],
    }));
    if (total <= maxRows) return { rows, cursorRow: layout.cursorRow - first, cursorCol: layout.cursorCol + 2 };
    const above = first;
    const below = total - first - visible.length;
    const summary = `  ${total} lines${above > 0 ? ` · ${above} above` : ''}${below > 0 ? ` · ${below} below` : ''}`;
    return { rows: [{ spans: [span(summary, { dim: true })] }, ...rows], cursorRow: layout.cursorRow - first + 1, cursorCol: layout.cursorCol + 2 };
  }

  /** The question under the request printed above it, and how to answer (or why answering waits). */
  private approvalPrompt(request: ApprovalRequest): Line[] {
    const more = this.approvals.length > 1 ? ` (${this.approvals.length - 1} more waiting)` : '';
    const question = request.type === 'exec_approval_request' ? 'Run the command above?' : 'Apply the patch above?';
    // What a person approves runs as asked, outside the sandbox: the question says so where there is one.
    const sandbox = this.status.sandbox.type;
    const where = sandbox === 'danger-full-access' ? '' : ` It runs outside the ${sandbox} sandbox.`;
    const title: Line = { spans: [span(`↑ ${question}${more}`, { bold: true, color: 'yellow' }), span(where, { dim: true })] };
    if (!this.composer.isEmpty()) {
      return [title, { spans: [span('to answer, send your message first (Enter queues it) or clear it (Ctrl+U); Esc aborts the task', { dim: true })] }];
    }
    const choices: Line = {
      spans: [
        span('y', { bold: true, color: 'green' }),
        span(' approve · '),
        span('a', { bold: true, color: 'green' }),
        span(' approve for this session · '),
        span('n', { bold: true, color: 'red' }),
        span(' deny · '),
        span('Esc', { bold: true, color: 'yellow' }),
        span(' abort the task'),
      ],
    };
    return [title, choices];
  }

  private hintLine(): Line {
    if (this.mode.type === 'busy' || this.mode.type === 'picker') return { spans: [] };
    if (this.quitArmed) return { spans: [span('Press Ctrl+C again to quit', { color: 'yellow', bold: true }), span(' · Ctrl+D also quits', { dim: true })] };
    if (this.approvals.length > 0) return { spans: [span('keel is waiting for your answer', { color: 'yellow' })] };
    const typed = /^\/(\S*)$/.exec(this.composer.text);
    if (typed !== null) {
      // Typing a command: the ones it could become (Tab completes a single match).
      const matches = SLASH_COMMANDS.filter((command) => command.name.startsWith(typed[1]!));
      const text = matches.length === 0 ? 'no such command: /help lists them' : matches.map((command) => command.usage).join('  ');
      return { spans: [span(text, { dim: true })] };
    }
    if (this.taskStartedAt !== null) {
      const seconds = Math.floor((this.now() - this.taskStartedAt) / 1000);
      if (this.retryAt !== null && this.retryAt > this.now()) {
        const wait = Math.ceil((this.retryAt - this.now()) / 1000);
        return { spans: [span('⟳ ', { color: 'yellow' }), span(`retrying in ${wait}s · working ${seconds}s · Esc or Ctrl+C to interrupt`, { dim: true })] };
      }
      return {
        spans: [span('● ', { color: 'cyan' }), span(`working ${seconds}s · Esc or Ctrl+C to interrupt · Enter queues a message`, { dim: true })],
      };
    }
    return { spans: [span('Enter send · Ctrl+J new line · ↑ history · /help commands · Ctrl+D quit', { dim: true })] };
  }
}

function isRecallKey(key: Key): boolean {
  if (key.kind !== 'key' || key.alt || key.shift) return false;
  return key.ctrl ? key.name === 'p' || key.name === 'n' : key.name === 'up' || key.name === 'down';
}

/** Closes a session that was opened but will not be shown. */
async function discard(handle: SessionHandle): Promise<void> {
  handle.agent.submit({ type: 'shutdown' });
  for await (const _event of handle.agent.events) {
    // Drained only so that the engine finishes and flushes.
  }
  await handle.close();
}

