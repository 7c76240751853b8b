/**
 * What shows while keel is busy with something the person asked for (opening a session, saving one to quit). Typing
 * goes on into the prompt, out of sight until the pane closes; only sending waits, and Ctrl+C still stops a task.
 */
import type { Key } from '../input/keys.ts';
import { BUSY_KEYS } from '../keymap.ts';
import { span } from '../../util/text/styled.ts';
import { HANDLED, type Pane, type PaneResult, type PaneView } from './pane.ts';
import type { PromptPane } from './prompt-pane.ts';

export class BusyPane implements Pane {
  readonly kind = 'busy';

  constructor(
    readonly message: string,
    private readonly prompt: PromptPane,
  ) {}

  handleKey(key: Key): PaneResult {
    const command = BUSY_KEYS.lookup(key);
    switch (command) {
      case 'interrupt':
        return { type: 'interrupt' };
      case 'hold':
        return HANDLED;
      case null:
        return this.prompt.handleKey(key);
    }
  }

  render(): PaneView {
    return { rows: [{ spans: [span(this.message, { dim: true })] }], cursor: null };
  }
}
