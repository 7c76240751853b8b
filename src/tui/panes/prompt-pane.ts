/**
 * The prompt box: the editor the person types into, with recall of earlier prompts and completion of /commands. Its
 * keys are PROMPT_KEYS; typed and pasted text goes in as it is (the editor normalises it).
 */
import { Composer } from '../input/composer.ts';
import type { Key } from '../input/keys.ts';
import { PromptRecall, type PromptSource } from '../input/prompt-recall.ts';
import { PROMPT_KEYS, type PromptCommand } from '../keymap.ts';
import { SLASH_COMMANDS } from '../slash-commands.ts';
import { span, type Line } from '../text/styled.ts';
import { isRunning, type ViewState } from '../view-state.ts';
import { HANDLED, type Pane, type PaneArea, type PaneResult, type PaneView } from './pane.ts';

const RECALL_COMMANDS: ReadonlySet<PromptCommand> = new Set(['up_or_older', 'down_or_newer', 'older', 'newer']);

export class PromptPane implements Pane {
  readonly kind = 'prompt';
  private readonly composer = new Composer();
  private readonly recall: PromptRecall;
  /** Counts edits, so that a recalled prompt arriving after the person typed on does not overwrite their text. */
  private edits = 0;

  /** `changed`: called when the text changed on its own (a recalled prompt arrived), so that it is drawn. */
  constructor(
    prompts: PromptSource,
    private readonly view: () => ViewState,
    private readonly changed: () => void,
  ) {
    this.recall = new PromptRecall(prompts);
  }

  get text(): string {
    return this.composer.text;
  }

  isEmpty(): boolean {
    return this.composer.isEmpty();
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
    if (key.kind === 'text' || key.kind === 'paste') {
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
    const running = isRunning(this.view());
    const sign = running ? '↳ ' : '› ';
    if (this.composer.isEmpty()) {
      const placeholder = running ? 'type a message to queue it for the running task' : 'ask keel to do something, or /help';
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
        if (isRunning(this.view())) return { type: 'interrupt' };
        if (composer.isEmpty()) return { type: 'quit', confirmed: false };
        composer.clear();
        this.recall.reset();
        return HANDLED;
      case 'quit_or_delete':
        if (composer.isEmpty()) return { type: 'quit', confirmed: true };
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
    if (text.trim() === '') return HANDLED;
    this.composer.clear();
    this.recall.reset();
    return { type: 'send', text };
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
    this.changed();
  }

  private completeSlashCommand(): void {
    const text = this.composer.text;
    if (!text.startsWith('/') || text.includes(' ')) return;
    const matches = SLASH_COMMANDS.filter((command) => command.name.startsWith(text.slice(1)));
    if (matches.length === 1) this.composer.setText(`/${matches[0]!.name} `);
  }
}
