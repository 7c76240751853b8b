/**
 * The interactive front end, wired together. Terminal input becomes keys (KeyInput); a key goes to the pane on top
 * (the approval question, a list or the busy note over the prompt, else the prompt), and what the pane asks for
 * becomes ops for the engine. Engine events go to the transcript, which shows them, and to the view state, which is
 * what the UI knows; every frame is drawn from those two. No turn logic lives here. The keys themselves are in
 * keymap.ts, the /commands in run-slash-command.ts.
 */
import { SIGNAL_EXIT_CODES, type StopSignal } from '../util/exit-codes.ts';
import type { EventMsg, Op, ReviewDecision } from '../protocol/index.ts';
import type { ImageUserInput } from '../util/load-image.ts';
import { decisionLine } from './approval-choices.ts';
import { approvalLines } from './approval-lines.ts';
import { answeredList } from './background-state.ts';
import { DoubleEscape } from './double-escape.ts';
import { drawFrame } from './draw-frame.ts';
import { openForkPicker } from './fork-picker.ts';
import { FrameClock } from './frame-clock.ts';
import { readImageFile } from './input/image-attachments.ts';
import { KeyInput } from './input/key-input.ts';
import type { Key } from './input/keys.ts';
import { GLOBAL_KEYS } from './keymap.ts';
import { notice } from './notice.ts';
import { ApprovalPane } from './panes/approval-pane.ts';
import { BusyPane } from './panes/busy-pane.ts';
import type { Pane, PaneResult } from './panes/pane.ts';
import { PromptPane, type PromptHost } from './panes/prompt-pane.ts';
import { processListLines } from './process-list.ts';
import { QuitFlow } from './quit-flow.ts';
import { runSlashCommand, type NoteColor, type SlashContext } from './run-slash-command.ts';
import { Screen } from './screen.ts';
import { giveBack, sendPrompt } from './send-prompt.ts';
import { TerminalLink } from './terminal-link.ts';
import { SessionFeed } from './session-feed.ts';
import type { SessionHandle, SessionServices } from './session-handle.ts';
import { parseSlashCommand } from './slash-commands.ts';
import { switchSession, type SwitchHost } from './switch-session.ts';
import type { ModelDirectory, TuiOptions } from './tui-options.ts';
import type { Line } from '../util/text/styled.ts';
import { answerUndo, offerRestore } from './undo-flow.ts';
import { initialViewState, isRunning, pendingApproval, reduce, refusedPrompt, type ViewEvent, type ViewState } from './view-state.ts';

/** Runs the UI until the person quits; resolves with keel's exit code. */
export function runTui(initial: SessionHandle, options: TuiOptions): Promise<number> {
  return new TuiApp(initial, options).run();
}

class TuiApp implements SlashContext, SwitchHost {
  readonly now: () => number;
  readonly services: SessionServices;
  readonly models: ModelDirectory;
  private readonly screen: Screen;
  private readonly terminal: TerminalLink;
  private readonly input = new KeyInput((keys) => this.onKeys(keys));
  private readonly frames: FrameClock;
  private readonly prompt: PromptPane;
  private readonly approval: ApprovalPane;
  /** A pane over the prompt until it closes: a list to pick from, or a note that keel is busy. */
  private overlay: Pane | null = null;
  /** What the UI knows (see view-state.ts), and the session on screen: /commands and switching read them. */
  view: ViewState;
  shown: SessionFeed;
  /** A /new or /resume under way: quitting waits for it, so a session opened meanwhile is closed before keel exits. */
  private switching: Promise<void> = Promise.resolve();
  private readonly quits: QuitFlow;
  private readonly escapes = new DoubleEscape();
  private finish: (code: number) => void = () => undefined;

  constructor(
    initial: SessionHandle,
    private readonly options: TuiOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.services = options.services;
    this.models = options.models;
    this.screen = new Screen(options.io, options.color);
    this.frames = new FrameClock(() => this.draw(), this.now);
    this.view = initialViewState(initial.agent.sessionId, initial.compactions);
    this.shown = this.feed(initial);
    const host: PromptHost = {
      view: () => this.view,
      changed: () => this.frames.drawNow(),
      // A prompt that waited for its images, unless keel is leaving meanwhile (keys are not taken then either).
      sendLater: (result) => {
        if (!this.quits.quitting) this.perform(result);
      },
      alert: (text) => this.note(text, 'red'),
    };
    this.prompt = new PromptPane(options.prompts, host, { home: options.home, load: options.loadImage ?? readImageFile });
    this.approval = new ApprovalPane(() => this.view, this.prompt, () => this.overlay === null);
    this.terminal = new TerminalLink(options, this.screen, {
      data: (data) => this.input.feed(data),
      // Dragging a window edge sends a burst of these: one reflow per frame at most.
      resized: () => {
        this.screen.resize();
        this.frames.schedule();
      },
      closed: () => void this.quits.quit(SIGNAL_EXIT_CODES.SIGHUP),
      warning: (text) => this.note(`warning: ${text}`, 'yellow'),
      signal: (signal) => this.onSignal(signal),
      resumed: () => this.frames.drawNow(),
    });
    this.quits = new QuitFlow({
      saving: () => this.busy('saving the session…'),
      save: async () => {
        await this.shown.end();
        await this.switching;
      },
      close: () => {
        // What arrived while saving (the end of an interrupted answer, the stop lines) is drawn before leaving.
        this.screen.commit(this.shown.transcript.takeCommitted());
        this.screen.setLive([], null);
        this.screen.render();
        this.frames.stop();
        this.input.stop();
        this.terminal.close();
      },
      saved: (code) => {
        this.options.io.write(`Session saved. Resume it with: keel resume ${this.shown.handle.agent.sessionId}\r\n`);
        this.finish(code);
      },
      disarmed: () => this.frames.drawNow(),
      exitNow: options.exitNow,
    });
  }

  run(): Promise<number> {
    const done = new Promise<number>((resolve) => (this.finish = resolve));
    this.terminal.open();
    this.shown.start();
    this.opened(this.shown.handle);
    const first = this.options.firstPrompt?.trim();
    const images = this.options.initialImages ?? [];
    // Images from the command line go with the first prompt: the one given with them, else the first one typed.
    if (first) this.submitPrompt(first, images);
    else this.prompt.attach(images);
    this.frames.drawNow();
    return done;
  }

  // ---- the session on screen, and what the engine says ----------------------------------------------------------

  private feed(handle: SessionHandle): SessionFeed {
    return new SessionFeed(handle, this.options.version, {
      event: (msg, submission) => this.onEvent(msg, submission),
      committed: (lines) => {
        this.screen.commit(lines);
        this.frames.schedule();
      },
    });
  }

  /** An engine event, which the transcript has taken in: what the UI knows from it. */
  private onEvent(msg: EventMsg, submission: string | null): void {
    const refused = refusedPrompt(this.view, msg, submission);
    const listed = answeredList(this.view.background, msg, submission);
    this.dispatch({ type: 'engine', msg, submission, at: this.now() });
    if (listed !== null) this.print(processListLines(listed, this.now()));
    answerUndo(msg, submission, this);
    // The transcript showed the engine's reason; the prompt is not lost with it.
    if (refused !== null) giveBack(refused, this.prompt, (text) => this.note(text, 'cyan'));
    if (msg.type === 'exec_approval_request' || msg.type === 'apply_patch_approval_request' || msg.type === 'mcp_tool_approval_request') {
      // Printed whole into the transcript, however long: a person must see all of what they approve. The live area
      // then only asks.
      this.shown.transcript.commitLines(approvalLines(msg, this.view.status.cwd));
    }
    this.frames.tick(isRunning(this.view) || this.shown.transcript.ticking);
  }

  // ---- keys -----------------------------------------------------------------------------------------------------

  private onKeys(keys: Key[]): void {
    for (const key of keys) this.onKey(key);
    this.frames.drawNow();
  }

  private onKey(key: Key): void {
    // Ctrl+C counts whatever pane is up: a second one quits, and one leaves a quit that hangs.
    const ctrlC = key.kind === 'key' && key.ctrl && key.name === 'c';
    if (this.quits.quitting) {
      // Saving should take a moment; if it hangs, a Ctrl+C leaves anyway.
      if (ctrlC && this.options.exitNow) this.quits.leaveNow(130);
      return;
    }
    if (!ctrlC) this.quits.disarm();
    // Looked at before the pane takes the key: the first Esc still goes on to it (where, idle, it does nothing).
    if (this.escapes.pressed(key, this.now(), this.activePane() === this.prompt && this.prompt.isEmpty() && !this.running())) {
      return void openForkPicker(this);
    }
    switch (GLOBAL_KEYS.lookup(key)) {
      case 'redraw':
        return this.screen.redrawAll();
      case 'suspend':
        return this.terminal.suspend();
      case null:
        return this.perform(this.activePane().handleKey(key));
    }
  }

  /** The pane that takes the keys: an approval question before anything else, then a pane over the prompt. */
  private activePane(): Pane {
    if (this.view.approvals.length > 0) return this.approval;
    return this.overlay ?? this.prompt;
  }

  private perform(result: PaneResult): void {
    switch (result.type) {
      case 'handled':
        return;
      case 'send': {
        const command = parseSlashCommand(result.text);
        return command === null ? this.submitPrompt(result.text, result.images) : runSlashCommand(command, result.text, this);
      }
      case 'interrupt':
        if (isRunning(this.view)) this.submit({ type: 'interrupt' });
        return;
      case 'quit':
        return this.quits.request(result.confirmed);
      case 'answer':
        return this.answer(result.decision);
      case 'close':
        this.overlay = null;
        return result.then?.();
    }
  }

  private submitPrompt(text: string, images: readonly ImageUserInput[]): void {
    sendPrompt({ submit: (op) => this.submit(op), dispatch: (event) => this.dispatch(event), remember: (typed) => this.prompt.remember(typed) }, text, images);
  }

  private answer(asked: ReviewDecision): void {
    const pending = pendingApproval(this.view);
    if (pending === null) return;
    // "Always" only where the question offers a rule to save; elsewhere Shift+A is "for the session", as a is.
    const offersRule = pending.request.type === 'exec_approval_request' && pending.request.proposed_rule !== undefined;
    const decision: ReviewDecision = asked === 'approved_always' && !offersRule ? 'approved_for_session' : asked;
    const id = pending.request.call_id;
    // An MCP tool's question is answered like a command's.
    this.submit(pending.kind === 'patch' ? { type: 'patch_approval', id, decision } : { type: 'exec_approval', id, decision });
    this.dispatch({ type: 'approval_answered', decision });
    this.print([decisionLine(decision, pending.kind)]);
  }

  // ---- what /commands and switching sessions use (SlashContext, SwitchHost) ---------------------------------------

  running(): boolean {
    return isRunning(this.view);
  }

  leaving(): boolean {
    return this.quits.quitting;
  }

  dispatch(event: ViewEvent): void {
    this.view = reduce(this.view, event);
  }

  submit(op: Op): string {
    return this.shown.handle.agent.submit(op);
  }

  note(text: string, color: NoteColor): void {
    this.print(text.split('\n').map((row) => notice(row, color)));
  }

  print(lines: Line[]): void {
    this.shown.transcript.commitLines(lines);
    this.screen.commit(this.shown.transcript.takeCommitted());
    this.frames.schedule();
  }

  open(pane: Pane | null): void {
    this.overlay = pane;
    this.frames.drawNow();
  }

  busy(message: string | null): void {
    this.open(message === null ? null : new BusyPane(message, this.prompt));
  }

  switchSession(open: () => Promise<SessionHandle>, what: string): void {
    this.switching = switchSession(this, open, what);
  }

  show(next: SessionHandle): void {
    // A blank line between the sessions: the new transcript view does not know what was printed before it.
    this.screen.commit([{ spans: [] }]);
    this.dispatch({ type: 'session_opened', sessionId: next.agent.sessionId, compactions: next.compactions });
    this.shown = this.feed(next);
    this.shown.start();
    this.opened(next);
    this.frames.drawNow();
  }

  /** A fork's opening: where it comes from, and the prompt forked at in the box, to change and send. */
  private opened(handle: SessionHandle): void {
    if (handle.opening === undefined) return;
    this.note(handle.opening.note, 'cyan');
    this.prompt.giveBack(handle.opening.draft);
    if (handle.opening.restore !== null) void offerRestore(handle.opening.restore, this);
  }

  leave(): void {
    void this.quits.quit(0);
  }

  private onSignal(signal: StopSignal): void {
    // Asked again to stop while saving: leave now. A hang-up is not a second request: it comes with the closed input
    // that started the quit.
    if (this.quits.quitting && signal === 'SIGTERM') return this.quits.leaveNow(SIGNAL_EXIT_CODES[signal]);
    if (signal === 'SIGINT') return this.onKeys([{ kind: 'key', name: 'c', ctrl: true, alt: false, shift: false }]);
    void this.quits.quit(SIGNAL_EXIT_CODES[signal]);
  }

  // ---- drawing --------------------------------------------------------------------------------------------------

  private draw(): void {
    if (this.quits.closed) return;
    const sources = { view: this.view, pane: this.activePane(), transcript: this.shown.transcript, promptText: this.prompt.text };
    drawFrame(this.screen, { ...sources, quitArmed: this.quits.armed, home: this.options.home, now: this.now() });
  }
}
