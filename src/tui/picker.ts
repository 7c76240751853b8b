/** A list to choose one item from (the /resume picker, the /approvals presets): its keys are PICKER_KEYS. */
import { sanitize } from '../util/text/sanitize.ts';
import { span, type Line } from '../util/text/styled.ts';
import { truncateLine } from '../util/text/wrap.ts';
import type { Key } from './input/keys.ts';
import { PICKER_KEYS } from './keymap.ts';

export interface PickerItem<T> {
  label: string;
  detail?: string;
  value: T;
}

export type PickerOutcome<T> = { type: 'picked'; value: T } | { type: 'cancelled' } | { type: 'open' };

export class Picker<T> {
  private selected: number;

  /** `initial`: the item selected first (default the first one). */
  constructor(
    readonly title: string,
    private readonly items: ReadonlyArray<PickerItem<T>>,
    private readonly empty = 'nothing to choose from',
    initial = 0,
  ) {
    this.selected = Math.min(Math.max(0, initial), Math.max(0, items.length - 1));
  }

  handle(key: Key): PickerOutcome<T> {
    const last = this.items.length - 1;
    const command = PICKER_KEYS.lookup(key);
    switch (command) {
      case 'previous':
        this.selected = this.selected <= 0 ? last : this.selected - 1;
        return { type: 'open' };
      case 'next':
        this.selected = this.selected >= last ? 0 : this.selected + 1;
        return { type: 'open' };
      case 'page_up':
        this.selected = Math.max(0, this.selected - 10);
        return { type: 'open' };
      case 'page_down':
        this.selected = Math.min(last, this.selected + 10);
        return { type: 'open' };
      case 'choose':
        return this.items.length === 0 ? { type: 'cancelled' } : this.pick(this.selected);
      case 'cancel':
        return { type: 'cancelled' };
      case 'pick_number': {
        // Only the items the list numbers (1 to 9) can be picked by their number.
        const index = Number(key.kind === 'text' ? key.text : NaN) - 1;
        return index < this.items.length ? this.pick(index) : { type: 'open' };
      }
      case null:
        return { type: 'open' };
    }
  }

  /** The title, a window of items around the selection (at most `maxRows` rows in all), and the keys. */
  render(width: number, maxRows: number): Line[] {
    const rows: Line[] = [{ spans: [span(this.title, { bold: true })] }];
    if (this.items.length === 0) {
      rows.push({ spans: [span(`  ${this.empty}`, { dim: true })] });
    } else {
      const room = Math.max(1, maxRows - 2);
      const first = Math.min(Math.max(0, this.selected - Math.floor(room / 2)), Math.max(0, this.items.length - room));
      for (let index = first; index < Math.min(this.items.length, first + room); index++) {
        const item = this.items[index]!;
        const chosen = index === this.selected;
        const spans = [span(`${chosen ? '›' : ' '} ${index < 9 ? `${index + 1}. ` : '   '}`, chosen ? { color: 'cyan' } : undefined)];
        // Labels come from logs and prompts: made safe to draw.
        spans.push(span(sanitize(item.label), chosen ? { bold: true, color: 'cyan' } : undefined));
        if (item.detail) spans.push(span(`  ${sanitize(item.detail)}`, { dim: true }));
        rows.push(truncateLine({ spans }, width));
      }
    }
    rows.push({ spans: [span('↑/↓ move · Enter choose · Esc cancel', { dim: true })] });
    return rows;
  }

  private pick(index: number): PickerOutcome<T> {
    const item = this.items[index];
    return item === undefined ? { type: 'cancelled' } : { type: 'picked', value: item.value };
  }
}
