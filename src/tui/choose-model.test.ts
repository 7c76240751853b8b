import { describe, expect, it } from 'vitest';
import type { Op } from '../protocol/index.ts';
import { key, rowTexts, stateAfter } from './panes/pane-fixture.ts';
import type { Pane, PaneResult } from './panes/pane.ts';
import { runSlashCommand, type NoteColor, type SlashContext } from './run-slash-command.ts';
import type { SessionHandle } from './session-handle.ts';
import { parseSlashCommand } from './slash-commands.ts';
import type { ModelDescription, ModelDirectory } from './tui-options.ts';
import { reduce, type ViewState } from './view-state.ts';

const KNOWN: Record<string, ModelDescription> = {
  'gpt-5-codex': { known: true, reasoning: 'medium, summary auto', effort: 'medium', contextWindow: 272_000, warning: null, notes: [] },
  'o3-mini': { known: true, reasoning: 'low', effort: 'low', contextWindow: 200_000, warning: null, notes: ['model_verbosity is not sent to o3-mini'] },
};

const models: ModelDirectory = {
  describe: (model) =>
    KNOWN[model] ?? { known: false, reasoning: 'off', effort: null, contextWindow: null, warning: `keel does not know the model "${model}"`, notes: [] },
  choices: () => [
    { name: 'gpt-5-codex', family: 'gpt-5-codex', facts: 'reasoning low–high (default medium) · 272k context · images' },
    { name: 'o3-mini', family: 'o3-mini', facts: 'reasoning low–high (default medium) · 200k context' },
  ],
};

/** The app as /model sees it: what it submitted, noted and opened, and the view state it changed. */
class FakeApp implements SlashContext {
  view: ViewState = stateAfter({ type: 'task_started', model_context_window: null });
  readonly ops: Op[] = [];
  readonly notes: Array<[string, NoteColor]> = [];
  pane: Pane | null = null;
  readonly shown = { handle: {} as SessionHandle };
  readonly services = {} as SlashContext['services'];
  readonly now = (): number => 0;

  constructor(readonly models: ModelDirectory) {}

  run(text: string): void {
    runSlashCommand(parseSlashCommand(text)!, text, this);
  }

  /** A key to the open pane; a pick closes it and then does what was picked, as the app does. */
  press(name: string): PaneResult {
    const result = this.pane!.handleKey(key(name));
    if (result.type === 'close') {
      this.pane = null;
      result.then?.();
    }
    return result;
  }

  note(text: string, color: NoteColor): void {
    this.notes.push([text, color]);
  }
  print(): void {}
  submit(op: Op): string {
    this.ops.push(op);
    return String(this.ops.length);
  }
  dispatch(event: Parameters<SlashContext['dispatch']>[0]): void {
    this.view = reduce(this.view, event);
  }
  leave(): void {}
  switchSession(): void {}
  open(pane: Pane | null): void {
    this.pane = pane;
  }
}

describe('/model', () => {
  it('without a name lists the known models with their facts, the one in use marked; Enter switches to the one chosen', () => {
    const app = new FakeApp(models);
    app.run('/model');
    const rows = rowTexts(app.pane!.render({ width: 100, height: 24, room: 20 }));
    expect(rows[0]).toBe('Model for the next requests (now gpt-test; /model NAME for another)');
    expect(rows[1]).toBe('› 1. gpt-5-codex  reasoning low–high (default medium) · 272k context · images');
    expect(rows[2]).toBe('  2. o3-mini  reasoning low–high (default medium) · 200k context');
    app.press('down');
    app.press('enter');
    expect(app.pane).toBeNull();
    expect(app.ops).toEqual([{ type: 'override_turn_context', model: 'o3-mini' }]);
    expect(app.view.status).toMatchObject({ model: 'o3-mini', reasoningEffort: 'low' });
    expect(app.notes).toEqual([
      ['model_verbosity is not sent to o3-mini', 'yellow'],
      ['model set to o3-mini (reasoning low) for the next requests', 'cyan'],
    ]);
  });

  it('marks the model in use, and Esc leaves everything as it was', () => {
    const app = new FakeApp(models);
    app.dispatch({ type: 'turn_context_changed', model: 'gpt-5-codex' });
    app.run('/model');
    expect(rowTexts(app.pane!.render({ width: 100, height: 24, room: 20 }))[1]).toContain('gpt-5-codex (current)');
    app.press('escape');
    expect(app.ops).toEqual([]);
  });

  it('switches to a name keel does not know, with its warning, and says no reasoning effort is sent', () => {
    const app = new FakeApp(models);
    app.dispatch({ type: 'turn_context_changed', reasoningEffort: 'high' });
    app.run('/model my-local-model');
    expect(app.notes).toEqual([
      ['keel does not know the model "my-local-model"', 'yellow'],
      ['model set to my-local-model for the next requests', 'cyan'],
    ]);
    expect(app.ops).toEqual([{ type: 'override_turn_context', model: 'my-local-model' }]);
    expect(app.view.status).toMatchObject({ model: 'my-local-model', reasoningEffort: null });
  });

  it('refuses a name with spaces; with no list to offer it says how to switch', () => {
    const app = new FakeApp(models);
    app.run('/model two words');
    expect(app.notes).toEqual([['a model name has no spaces: /model NAME', 'red']]);
    const bare = new FakeApp({ ...models, choices: () => [] });
    bare.run('/model');
    expect(bare.pane).toBeNull();
    expect(bare.notes).toEqual([['the model is gpt-test; change it with /model NAME', null]]);
    expect([...app.ops, ...bare.ops]).toEqual([]);
  });
});
