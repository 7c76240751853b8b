/**
 * Every key the interactive UI answers to, as data: for each pane, which keys give which command, and how /help says
 * what they do. Key handling looks commands up here and /help is printed from here, so the two cannot drift apart.
 *
 * Keys are written as /help shows them: `Ctrl+C`, `Alt+Left`, `Shift+Enter`, `PageUp`, or a single character for a
 * typed one (`y`). A key with Ctrl matches whatever else is held with it, one with Alt (and no Ctrl) whatever Shift
 * is, and a plain one the key alone or with Shift, unless another binding names Shift itself (Shift+Enter).
 */
import type { ReviewDecision } from '../protocol/index.ts';
import type { Key } from './input/keys.ts';

/** One line of /help: bindings that belong together (`Ctrl+A / Ctrl+E`), and what they do (null: not listed). */
export interface KeymapRow<C> {
  bindings: ReadonlyArray<readonly [keys: readonly string[], command: C]>;
  help: string | null;
}

const NAMES: Readonly<Record<string, string>> = {
  Enter: 'enter',
  Esc: 'escape',
  Tab: 'tab',
  Backspace: 'backspace',
  Delete: 'delete',
  Up: 'up',
  Down: 'down',
  Left: 'left',
  Right: 'right',
  Home: 'home',
  End: 'end',
  PageUp: 'pageup',
  PageDown: 'pagedown',
};

type ModifierClass = 'ctrl' | 'alt' | 'plain';

function classOf(key: { ctrl: boolean; alt: boolean }): ModifierClass {
  return key.ctrl ? 'ctrl' : key.alt ? 'alt' : 'plain';
}

/** The lookup slot of a written key: `text:y` for a typed character, else `class[+shift]:name`. */
function slotOf(spec: string): string {
  const parts = spec.split('+');
  const written = parts.pop()!;
  if (parts.length === 0 && written.length === 1) return `text:${written}`;
  const mods = new Set(parts);
  if ([...mods].some((mod) => mod !== 'Ctrl' && mod !== 'Alt' && mod !== 'Shift') || (mods.has('Ctrl') && mods.has('Alt'))) {
    throw new Error(`keymap: cannot bind ${spec}`);
  }
  const name = NAMES[written] ?? (written.length === 1 ? written.toLowerCase() : undefined);
  if (name === undefined) throw new Error(`keymap: no key named ${written} in ${spec}`);
  return `${classOf({ ctrl: mods.has('Ctrl'), alt: mods.has('Alt') })}${mods.has('Shift') ? '+shift' : ''}:${name}`;
}

export class Keymap<C> {
  private readonly slots = new Map<string, C>();

  /**
   * `lenient`: a key held with modifiers that no binding names counts as the key alone (a list takes Ctrl+Down for
   * Down, and Esc with anything held still aborts); otherwise such a key does nothing.
   */
  constructor(
    readonly rows: ReadonlyArray<KeymapRow<C>>,
    private readonly lenient = false,
  ) {
    for (const row of rows) {
      for (const [keys, command] of row.bindings) {
        for (const spec of keys) {
          const slot = slotOf(spec);
          if (this.slots.has(slot)) throw new Error(`keymap: ${spec} is bound twice`);
          this.slots.set(slot, command);
        }
      }
    }
  }

  /** The command `key` gives, or null (pasted text, and keys bound to nothing). */
  lookup(key: Key): C | null {
    if (key.kind === 'paste') return null;
    if (key.kind === 'text') return this.slots.get(`text:${key.text}`) ?? null;
    const mods = classOf(key);
    const exact = (key.shift ? this.slots.get(`${mods}+shift:${key.name}`) : undefined) ?? this.slots.get(`${mods}:${key.name}`);
    if (exact !== undefined || !this.lenient || mods === 'plain') return exact ?? null;
    return this.slots.get(`plain:${key.name}`) ?? null;
  }

  /** The /help lines of this keymap: the keys of each listed row, and what they do. */
  help(): Array<[keys: string, what: string]> {
    return this.rows.flatMap((row) => (row.help === null ? [] : [[row.bindings.map(([keys]) => keys.join(', ')).join(' / '), row.help]]));
  }
}

/** Keys that work whatever pane is up. */
export type GlobalCommand = 'redraw' | 'suspend';

export const GLOBAL_KEYS = new Keymap<GlobalCommand>([
  {
    bindings: [
      [['Ctrl+L'], 'redraw'],
      [['Ctrl+Z'], 'suspend'],
    ],
    help: 'redraw / suspend (fg to come back)',
  },
]);

export type PromptCommand =
  | 'send'
  | 'newline'
  | 'up_or_older'
  | 'down_or_newer'
  | 'older'
  | 'newer'
  | 'complete'
  | 'interrupt'
  | 'interrupt_or_clear'
  | 'quit_or_delete'
  | 'left'
  | 'right'
  | 'word_left'
  | 'word_right'
  | 'line_start'
  | 'line_end'
  | 'backspace'
  | 'delete'
  | 'kill_line_start'
  | 'kill_line_end'
  | 'kill_word_before'
  | 'kill_word_after'
  | 'yank';

/** The prompt editor's keys; typed and pasted text is inserted. */
export const PROMPT_KEYS = new Keymap<PromptCommand>([
  { bindings: [[['Enter'], 'send']], help: 'send (while a task runs: queued for it)' },
  { bindings: [[['Shift+Enter', 'Ctrl+J', 'Alt+Enter'], 'newline']], help: 'new line' },
  {
    bindings: [
      [['Up'], 'up_or_older'],
      [['Down'], 'down_or_newer'],
    ],
    help: 'earlier prompts',
  },
  {
    bindings: [
      [['Ctrl+P'], 'older'],
      [['Ctrl+N'], 'newer'],
    ],
    help: null,
  },
  { bindings: [[['Tab'], 'complete']], help: 'complete a /command' },
  { bindings: [[['Esc'], 'interrupt']], help: 'interrupt the task; twice when idle: /fork' },
  { bindings: [[['Ctrl+C'], 'interrupt_or_clear']], help: 'interrupt, else clear the prompt; twice: quit' },
  { bindings: [[['Ctrl+D'], 'quit_or_delete']], help: 'quit (on an empty prompt)' },
  {
    bindings: [
      [['Ctrl+A'], 'line_start'],
      [['Ctrl+E'], 'line_end'],
    ],
    help: 'start / end of the line',
  },
  {
    bindings: [
      [['Ctrl+U'], 'kill_line_start'],
      [['Ctrl+K'], 'kill_line_end'],
      [['Ctrl+W'], 'kill_word_before'],
    ],
    help: 'delete to line start / end / a word',
  },
  { bindings: [[['Ctrl+Y'], 'yank']], help: 'put back what was deleted' },
  // Images are attached by pasting (or dropping) an image file's path; they are shown before the text.
  { bindings: [[['Backspace'], 'backspace']], help: "drop the last image (at the prompt's start)" },
  {
    bindings: [
      [['Alt+Left'], 'word_left'],
      [['Alt+Right'], 'word_right'],
    ],
    help: 'move by word',
  },
  // Keys everyone knows, and the readline spellings of the ones above.
  {
    bindings: [
      [['Left', 'Ctrl+B'], 'left'],
      [['Right', 'Ctrl+F'], 'right'],
      [['Alt+B', 'Ctrl+Left'], 'word_left'],
      [['Alt+F', 'Ctrl+Right'], 'word_right'],
      [['Home'], 'line_start'],
      [['End'], 'line_end'],
      [['Delete'], 'delete'],
      [['Alt+Backspace', 'Ctrl+Backspace'], 'kill_word_before'],
      [['Alt+D'], 'kill_word_after'],
    ],
    help: null,
  },
]);

/** The answers to an approval question. Typed letters answer only while the prompt is empty (see ApprovalPane). */
export const APPROVAL_KEYS = new Keymap<ReviewDecision>(
  [
    {
      bindings: [
        [['y'], 'approved'],
        [['a'], 'approved_for_session'],
        [['n'], 'denied'],
        [['Esc'], 'abort'],
      ],
      help: 'approve / for the session / deny / abort',
    },
    {
      bindings: [
        [['Y'], 'approved'],
        // Shift+A: the same and for good, when the question offers a rule to save (else it counts as for the session).
        [['A'], 'approved_always'],
        [['N'], 'denied'],
        [['Ctrl+C'], 'abort'],
      ],
      help: null,
    },
  ],
  true,
);

export type PickerCommand = 'previous' | 'next' | 'page_up' | 'page_down' | 'choose' | 'cancel' | 'pick_number';

/** A list to choose from; its own footer says how (`↑/↓ move · Enter choose · Esc cancel`). */
export const PICKER_KEYS = new Keymap<PickerCommand>(
  [
    {
      bindings: [
        [['Up', 'Ctrl+P'], 'previous'],
        [['Down', 'Ctrl+N', 'Tab'], 'next'],
        [['PageUp'], 'page_up'],
        [['PageDown'], 'page_down'],
        [['Enter'], 'choose'],
        [['Esc', 'Ctrl+C'], 'cancel'],
        [['1', '2', '3', '4', '5', '6', '7', '8', '9'], 'pick_number'],
      ],
      help: null,
    },
  ],
  true,
);

export type BusyCommand = 'interrupt' | 'hold';

/** While keel is busy (see BusyPane): other keys go on to the prompt. */
export const BUSY_KEYS = new Keymap<BusyCommand>(
  [
    {
      bindings: [
        [['Ctrl+C'], 'interrupt'],
        [['Enter'], 'hold'],
      ],
      help: null,
    },
  ],
  true,
);

/** The key lines of /help (and of `keel --help`'s list, were it to print them): the prompt's, the answers', the rest. */
export function keyHelp(): Array<[keys: string, what: string]> {
  return [...PROMPT_KEYS.help(), ...APPROVAL_KEYS.help(), ...GLOBAL_KEYS.help()];
}
