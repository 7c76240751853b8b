/**
 * The prompt box: the editor the person types into, with recall of earlier prompts, completion of /commands, and the
 * images attached to the next prompt. Its keys are PROMPT_KEYS; typed and pasted text goes in as it is (the editor
 * normalises it), except a pasted path of an image file, which attaches the image.
 */
import { imagePathFromPaste } from '../../util/pasted-image-path.ts';
import type { ImageUserInput } from '../../util/load-image.ts';
import { attachmentRows } from '../image-labels.ts';
import { Composer } from '../input/composer.ts';
import { ImageAttachments } from '../input/image-attachments.ts';
import type { Key } from '../input/keys.ts';
import { PromptRecall, type PromptSource } from '../input/prompt-recall.ts';
import { PROMPT_KEYS, type PromptCommand } from '../keymap.ts';
import { parseSlashCommand, SLASH_COMMANDS } from '../slash-commands.ts';
import { span, type Line } from '../../util/text/styled.ts';
import type { ImageLoader } from '../tui-options.ts';
import { isRunning, type ViewState } from '../view-state.ts';
import { HANDLED, type Pane, type PaneArea, type PaneResult, type PaneView } from './pane.ts';

/** What the prompt box needs from the app around it. */
export interface PromptHost {
  view(): ViewState;
  /** The prompt changed on its own (a recalled prompt arrived, an image was read): it is to be drawn. */
  changed(): void;
  /** A prompt held back by Enter until its images were read is ready: to be done as Enter's result would be. */
  sendLater(result: PaneResult): void;
  /** Says in the transcript, in red, why a pasted image was not attached. */
  alert(text: string): void;
}

/** How pasted image paths are read: `home` for `~/`, `load` reads the file. */
export interface PromptImages {
  home: string | undefined;
  load: ImageLoader;
}

const RECALL_COMMANDS: ReadonlySet<PromptCommand> = new Set(['up_or_older', 'down_or_newer', 'older', 'newer']);

export class PromptPane implements Pane {
  readonly kind = 'prompt';
  private readonly composer = new Composer();
  private readonly recall: PromptRecall;
  private readonly attachments = new ImageAttachments();
  /** Counts edits, so that a recalled prompt arriving after the person typed on does not overwrite their text. */
  private edits = 0;
  /** Enter was pressed while an image was being read: the prompt goes once every image is, unless a key comes first. */
  private waitingToSend = false;

  constructor(
    prompts: PromptSource,
    private readonly host: PromptHost,
    private readonly images: PromptImages,
  ) {
    this.recall = new PromptRecall(prompts);
  }

  get text(): string {
    return this.composer.text;
  }

  /** No text and no image attached. */
  isEmpty(): boolean {
    return this.composer.isEmpty() && this.attachments.count === 0;
  }

  /** Images read already (`keel -i`, a prompt given back) wait in the box for the next prompt. */
  attach(images: readonly ImageUserInput[]): void {
    this.attachments.add(images);
  }

  /**
   * A prompt the engine refused, back in the box to be changed and sent again; only into an empty box (what the
   * person typed since is theirs). Returns whether it was put back.
   */
  giveBack(prompt: { text: string; images: readonly ImageUserInput[] }): boolean {
    if (!this.isEmpty()) return false;
    this.composer.setText(prompt.text);
    this.attachments.add(prompt.images);
    this.edits += 1;
    this.recall.reset();
    return true;
  }

  /** A prompt sent from here or from the command line: the newest one Up recalls from now on. */
  remember(text: string): void {
    this.recall.remember(text);
  }

  handleKey(key: Key): PaneResult {
    const command = PROMPT_KEYS.lookup(key);
    // Any key but a recall key ends browsing the history, and makes an answer still on its way from the file stale.
    if (command === null || !RECALL_COMMANDS.has(command)) {
      this.edits += 1;
      this.recall.reset();
    }
    // Any key but Enter takes back an Enter that waits for images: the person is not done.
    this.waitingToSend = false;
    if (key.kind === 'paste') {
      const path = imagePathFromPaste(key.text, this.images.home);
      if (path === null) this.composer.insert(key.text);
      else void this.attachPasted(path, key.text);
      return HANDLED;
    }
    if (key.kind === 'text') {
      this.composer.insert(key.text);
      return HANDLED;
    }
    return command === null ? HANDLED : this.run(command);
  }

  render(area: PaneArea): PaneView {
    return this.rows(area.width, Math.max(1, Math.min(Math.floor(area.height / 2), area.room - 2)));
  }

  /**
   * The prompt's rows at `width`, at most `maxRows` of them: a text taller than that shows the rows around the cursor,
   * under a line saying how much is out of view.
   */
  rows(width: number, maxRows: number): PaneView {
    const images = attachmentRows(this.attachments.list, this.waitingToSend, width);
    const text = this.textRows(width, Math.max(1, maxRows - images.length));
    if (images.length === 0) return text;
    return { rows: [...images, ...text.rows], cursor: text.cursor === null ? null : { row: text.cursor.row + images.length, col: text.cursor.col } };
  }

  private textRows(width: number, maxRows: number): PaneView {
    const running = isRunning(this.host.view());
    const sign = running ? '↳ ' : '› ';
    if (this.composer.isEmpty()) {
      let placeholder = running ? 'type a message to queue it for the running task' : 'ask keel to do something, or /help';
      if (this.attachments.count > 0) placeholder = 'say what to do with the image, or Enter to send it';
      const row: Line = { spans: [span(sign, { bold: true, color: 'cyan' }), span(placeholder.slice(0, Math.max(0, width - 3)), { dim: true })] };
      return { rows: [row], cursor: { row: 0, col: 2 } };
    }
    const layout = this.composer.layout(Math.max(1, width - 2));
    const total = layout.rows.length;
    const room = total > maxRows ? Math.max(1, maxRows - 1) : maxRows;
    const first = Math.min(Math.max(0, layout.cursorRow - room + 1), Math.max(0, total - room));
    const visible = layout.rows.slice(first, first + room);
    const rows: Line[] = visible.map((text, index) => ({
      spans: [span(index + first === 0 ? sign : '  ', { bold: true, color: 'cyan' }), span(text)],
    }));
    const cursor = { row: layout.cursorRow - first, col: layout.cursorCol + 2 };
    if (total <= maxRows) return { rows, cursor };
    const below = total - first - visible.length;
    const summary = `  ${total} lines${first > 0 ? ` · ${first} above` : ''}${below > 0 ? ` · ${below} below` : ''}`;
    return { rows: [{ spans: [span(summary, { dim: true })] }, ...rows], cursor: { row: cursor.row + 1, col: cursor.col } };
  }

  private run(command: PromptCommand): PaneResult {
    const composer = this.composer;
    switch (command) {
      case 'send':
        return this.send();
      case 'newline':
        composer.newline();
        return HANDLED;
      case 'up_or_older':
        if (this.recall.browsing || composer.onFirstLine()) this.recallOlder();
        else composer.up();
        return HANDLED;
      case 'down_or_newer':
        if (this.recall.browsing) this.recallNewer();
        else composer.down();
        return HANDLED;
      case 'older':
        this.recallOlder();
        return HANDLED;
      case 'newer':
        this.recallNewer();
        return HANDLED;
      case 'complete':
        this.completeSlashCommand();
        return HANDLED;
      case 'interrupt':
        return { type: 'interrupt' };
      case 'interrupt_or_clear':
        if (isRunning(this.host.view())) return { type: 'interrupt' };
        if (this.isEmpty()) return { type: 'quit', confirmed: false };
        composer.clear();
        this.attachments.clear();
        this.recall.reset();
        return HANDLED;
      case 'quit_or_delete':
        // Not with images attached: quitting would drop them unasked.
        if (this.isEmpty()) return { type: 'quit', confirmed: true };
        composer.deleteForward();
        return HANDLED;
      case 'left':
        composer.left();
        return HANDLED;
      case 'right':
        composer.right();
        return HANDLED;
      case 'word_left':
        composer.wordLeft();
        return HANDLED;
      case 'word_right':
        composer.wordRight();
        return HANDLED;
      case 'line_start':
        composer.lineStart();
        return HANDLED;
      case 'line_end':
        composer.lineEnd();
        return HANDLED;
      case 'backspace':
        // The images are shown before the text: at its start, the one before the cursor is the last image.
        if (composer.cursor === 0 && this.attachments.removeLast()) return HANDLED;
        composer.backspace();
        return HANDLED;
      case 'delete':
        composer.deleteForward();
        return HANDLED;
      case 'kill_line_start':
        composer.killToLineStart();
        return HANDLED;
      case 'kill_line_end':
        composer.killToLineEnd();
        return HANDLED;
      case 'kill_word_before':
        composer.killWordBefore();
        return HANDLED;
      case 'kill_word_after':
        composer.deleteWordAfter();
        return HANDLED;
      case 'yank':
        composer.yank();
        return HANDLED;
    }
  }

  private send(): PaneResult {
    const text = this.composer.text;
    // A /command takes no images: they stay for the prompt after it.
    if (parseSlashCommand(text) !== null) return this.sent(text, []);
    if (text.trim() === '' && this.attachments.count === 0) return HANDLED;
    if (this.attachments.loading) {
      this.waitingToSend = true;
      return HANDLED;
    }
    return this.sent(text, this.attachments.take());
  }

  private sent(text: string, images: readonly ImageUserInput[]): PaneResult {
    this.composer.clear();
    this.recall.reset();
    return { type: 'send', text, images };
  }

  /** Reads a pasted image path, keys going on meanwhile; what the read found decides what the paste was. */
  private async attachPasted(path: string, pasted: string): Promise<void> {
    const cwd = this.host.view().status.cwd;
    const outcome = await this.attachments.attach(path, pasted, this.images.load(path, cwd === '' ? undefined : cwd));
    switch (outcome.type) {
      case 'as_text':
        // No such file: it was text that looks like a path, and goes where a paste goes.
        this.edits += 1;
        this.composer.insert(outcome.text);
        break;
      case 'failed':
        // An image the person meant to send cannot go: the prompt waits for them to decide.
        this.waitingToSend = false;
        this.host.alert(outcome.message);
        break;
      case 'attached':
      case 'dropped':
        break;
    }
    if (this.waitingToSend && !this.attachments.loading) {
      this.waitingToSend = false;
      const result = this.send();
      if (result.type === 'send') this.host.sendLater(result);
    }
    this.host.changed();
  }

  private recallOlder(): void {
    void this.recalled(this.recall.older(this.composer.text));
  }

  private recallNewer(): void {
    void this.recalled(this.recall.newer());
  }

  /** Shows a recalled prompt once it is read, unless the person has edited on meanwhile. */
  private async recalled(found: Promise<string | null>): Promise<void> {
    const edits = this.edits;
    const text = await found;
    if (text !== null && edits === this.edits) this.composer.setText(text);
    this.host.changed();
  }

  private completeSlashCommand(): void {
    const text = this.composer.text;
    if (!text.startsWith('/') || text.includes(' ')) return;
    const matches = SLASH_COMMANDS.filter((command) => command.name.startsWith(text.slice(1)));
    if (matches.length === 1) this.composer.setText(`/${matches[0]!.name} `);
  }
}
