/** A list to choose one item from (the /resume sessions, the /approvals presets), as the pane on screen. */
import type { Key } from '../input/keys.ts';
import type { Picker } from '../picker.ts';
import { HANDLED, type Pane, type PaneArea, type PaneResult, type PaneView } from './pane.ts';

export class PickerPane<T> implements Pane {
  readonly kind = 'picker';

  /** `onPick` runs once the pane has closed, with the item chosen; nothing runs when the list is cancelled. */
  constructor(
    private readonly picker: Picker<T>,
    private readonly onPick: (value: T) => void,
  ) {}

  handleKey(key: Key): PaneResult {
    const outcome = this.picker.handle(key);
    switch (outcome.type) {
      case 'open':
        return HANDLED;
      case 'cancelled':
        return { type: 'close', then: null };
      case 'picked':
        return { type: 'close', then: () => this.onPick(outcome.value) };
    }
  }

  render(area: PaneArea): PaneView {
    return { rows: this.picker.render(area.width, Math.max(3, Math.min(14, area.room - 2))), cursor: null };
  }
}
