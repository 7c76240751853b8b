/** What the panes' tests share: keys, view states idle and running, a prompt history, and the text of a pane's rows. */
import type { EventMsg } from '../../protocol/index.ts';
import type { Key } from '../input/keys.ts';
import type { PromptSource } from '../input/prompt-recall.ts';
import { plainText } from '../../util/text/styled.ts';
import type { ImageLoader } from '../tui-options.ts';
import { initialViewState, reduce, type ViewState } from '../view-state.ts';
import type { PaneView } from './pane.ts';
import { PromptPane, type PromptHost } from './prompt-pane.ts';

export const key = (name: string, mods: Partial<{ ctrl: boolean; alt: boolean; shift: boolean }> = {}): Key => ({
  kind: 'key',
  name,
  ctrl: false,
  alt: false,
  shift: false,
  ...mods,
});

export const typed = (text: string): Key => ({ kind: 'text', text });

/** The view state after these engine events, live, in a read-only session in /repo. */
export function stateAfter(...events: EventMsg[]): ViewState {
  const configured: EventMsg = {
    type: 'session_configured',
    session_id: 's-1',
    model: 'gpt-test',
    model_provider_id: 'openai',
    cwd: '/repo',
    approval_policy: 'on-request',
    sandbox_policy: { type: 'read-only' },
    rollout_path: null,
  };
  return [configured, ...events].reduce((state, msg) => reduce(state, { type: 'engine', msg, submission: 'sub-1', at: 0 }), initialViewState('s-1'));
}

export const IDLE = stateAfter();
export const RUNNING = stateAfter({ type: 'task_started', model_context_window: null });

/** A prompt history file holding `entries`, oldest first. */
export function history(...entries: string[]): PromptSource {
  return { count: entries.length, entry: async (offset) => entries[offset] ?? null };
}

export function rowTexts(view: PaneView): string[] {
  return view.rows.map(plainText);
}

/** A loader for which no file exists. */
export const NO_FILES: ImageLoader = async (path) => ({ type: 'failed', kind: 'not_found', path, message: `image ${path}: no such file` });

/** A prompt pane on `state`, with the host callbacks given (the others do nothing); images are read by `load`. */
export function newPromptPane(
  state: ViewState | (() => ViewState),
  options: { prompts?: PromptSource; host?: Partial<PromptHost>; load?: ImageLoader; home?: string } = {},
): PromptPane {
  const view = typeof state === 'function' ? state : () => state;
  const host: PromptHost = { view, changed: () => undefined, sendLater: () => undefined, alert: () => undefined, ...options.host };
  return new PromptPane(options.prompts ?? history(), host, { home: options.home ?? '/home/ada', load: options.load ?? NO_FILES });
}
