/**
 * /undo [N]: the files back as they were before the last task that changed them (or task N). Nothing is written
 * before the person has seen what would be: the engine is asked for a preview first, its diff and caveats are printed
 * whole into the transcript (as an approval's request is), and a question under it asks whether to go on. Only a
 * choice to undo sends the undo itself, for the task previewed; the transcript shows what it did (transcript.ts).
 *
 * The engine's answer is matched to this request by its submission id, so an undo_result of another front end's
 * doing (or of an earlier session on screen) is never taken for it. A refusal (nothing to undo, no snapshots) comes as
 * a `warning`, which the transcript shows as it shows any.
 */
import type { EventMsg, EventOf } from '../protocol/index.ts';
import type { Key } from './input/keys.ts';
import { Keymap } from './keymap.ts';
import { HANDLED, type Pane, type PaneArea, type PaneResult, type PaneView } from './panes/pane.ts';
import { Picker } from './picker.ts';
import type { SlashContext } from './run-slash-command.ts';
import type { ForkRestore, RestoreOutcome, SessionHandle } from './session-handle.ts';
import { undoPreviewLines, undoResultLines } from './undo-cells.ts';
import { isRunning } from './view-state.ts';

export const UNDO_USAGE = 'usage: /undo (the last task that changed files), or /undo N for task N';

type UndoResult = EventOf<'undo_result'>;
type UndoChoice = { type: 'undo'; force: boolean } | { type: 'keep' };

/**
 * The preview each session on screen waits for, by its submission id (ids count per session, so the session is part of
 * the key). Keyed weakly: a session switched away from takes its question with it.
 */
const asked = new WeakMap<SessionHandle, string>();

/** `/undo args`. While a task runs the engine would refuse; saying so here keeps it to one note. */
export function startUndo(args: string, context: SlashContext): void {
  const task = parseTask(args);
  if (task === 'bad') return context.note(UNDO_USAGE, 'red');
  if (isRunning(context.view)) return context.note('a task is running: interrupt it first (Esc), then /undo', 'yellow');
  // A second /undo before the first one's answer: only the latest is asked about.
  asked.set(context.shown.handle, context.submit(task === undefined ? { type: 'undo', preview: true } : { type: 'undo', task, preview: true }));
}

/** Every engine event of the session on screen, after the transcript took it in; `submission` null for a replayed one. */
export function answerUndo(msg: EventMsg, submission: string | null, context: SlashContext): void {
  const handle = context.shown.handle;
  if (submission === null || asked.get(handle) !== submission) return;
  // A warning or error (nothing to undo, no snapshots, the preview failed) is the whole answer; the transcript shows it.
  if (msg.type === 'warning' || msg.type === 'error') asked.delete(handle);
  if (msg.type !== 'undo_result' || msg.done) return;
  asked.delete(handle);
  context.print(undoPreviewLines(msg));
  if (msg.restored.length + msg.deleted.length + msg.conflicts.length === 0) return;
  context.open(new UndoQuestion(msg, (choice) => decide(choice, msg, context)));
}

/** '' → the engine's choice (the last task that changed files); a task number; anything else is 'bad'. */
function parseTask(args: string): number | undefined | 'bad' {
  const text = args.trim();
  if (text === '') return undefined;
  if (!/^\d+$/.test(text)) return 'bad';
  const task = Number(text);
  return Number.isSafeInteger(task) && task > 0 ? task : 'bad';
}

/**
 * A fork's offer, made as it opens: the files back as they were at the prompt forked at (the source's task and every
 * later one undone), shown and asked as /undo does. Nothing is asked when they already are.
 */
export async function offerRestore(restore: ForkRestore, context: SlashContext): Promise<void> {
  const answer = (outcome: RestoreOutcome, shown: (result: UndoResult) => void): void => {
    if (outcome.type === 'refused') context.note(`the files cannot be put back to that prompt: ${outcome.message}`, 'yellow');
    else shown(outcome.result);
  };
  const failed = (error: unknown): RestoreOutcome => ({ type: 'refused', message: (error as Error).message });
  answer(await restore.preview().catch(failed), (preview) => {
    if (preview.restored.length + preview.deleted.length + preview.conflicts.length === 0) return;
    context.print(undoPreviewLines(preview));
    const title = `↑ Put the files back as they were at that prompt (task ${restore.task} and every later task undone)?`;
    context.open(
      new UndoQuestion(
        preview,
        (choice) => {
          if (choice.type === 'keep') return context.note('kept the files as they are: the fork starts from the files as they are now', null);
          void restore
            .apply(choice.force)
            .catch(failed)
            .then((outcome) => answer(outcome, (done) => context.print(undoResultLines(done, true))));
        },
        title,
      ),
    );
  });
}

function decide(choice: UndoChoice, preview: UndoResult, context: SlashContext): void {
  if (choice.type === 'keep') return context.note(`kept the files as they are: task ${preview.task} is not undone`, null);
  // The task previewed, not "the last one": what the person saw is what is undone, whatever ran meanwhile.
  context.submit({ type: 'undo', task: preview.task, force: choice.force });
}

/** y / n as the approval questions have them; the list's own keys (arrows, Enter, numbers, Esc) work too. */
const QUESTION_KEYS = new Keymap<'undo' | 'keep'>(
  [
    {
      bindings: [
        [['y', 'Y'], 'undo'],
        [['n', 'N'], 'keep'],
      ],
      help: null,
    },
  ],
  true,
);

/** The question under the printed preview: undo, undo overwriting what changed since (when anything did), or keep. */
class UndoQuestion implements Pane {
  readonly kind = 'picker';
  private readonly picker: Picker<UndoChoice>;
  /** What y picks: the plain undo; none when every change conflicts (y must never overwrite anyone's work). */
  private readonly plain: UndoChoice | null;

  /** `decided` runs once the pane has closed: Esc and n are a choice to keep the files, so they say so too. */
  constructor(
    preview: UndoResult,
    private readonly decided: (choice: UndoChoice) => void,
    title = `↑ Undo task ${preview.task}: put the files back as the diff above shows?`,
  ) {
    const clean = preview.restored.length + preview.deleted.length;
    const conflicts = preview.conflicts.length;
    this.plain = clean > 0 ? { type: 'undo', force: false } : null;
    const items = [
      ...(this.plain === null ? [] : [{ label: 'Undo these changes', detail: conflicts > 0 ? 'y · the files changed since stay as they are' : 'y', value: this.plain }]),
      ...(conflicts > 0 ? [{ label: `Undo, overwriting the ${conflicts === 1 ? 'file' : `${conflicts} files`} changed since`, value: { type: 'undo', force: true } as const }] : []),
      { label: 'Keep the files as they are', detail: 'n / Esc', value: { type: 'keep' } as const },
    ];
    this.picker = new Picker<UndoChoice>(title, items);
  }

  handleKey(key: Key): PaneResult {
    const shortcut = QUESTION_KEYS.lookup(key);
    if (shortcut === 'keep') return this.close({ type: 'keep' });
    if (shortcut === 'undo') return this.plain === null ? HANDLED : this.close(this.plain);
    const outcome = this.picker.handle(key);
    switch (outcome.type) {
      case 'open':
        return HANDLED;
      case 'cancelled':
        return this.close({ type: 'keep' });
      case 'picked':
        return this.close(outcome.value);
    }
  }

  render(area: PaneArea): PaneView {
    return { rows: this.picker.render(area.width, Math.max(3, Math.min(8, area.room - 2))), cursor: null };
  }

  private close(choice: UndoChoice): PaneResult {
    return { type: 'close', then: () => this.decided(choice) };
  }
}
