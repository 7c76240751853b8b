import { describe, expect, it } from 'vitest';
import { Picker } from '../picker.ts';
import { key, rowTexts, typed } from './pane-fixture.ts';
import { PickerPane } from './picker-pane.ts';

const items = ['alpha', 'beta', 'gamma'].map((label) => ({ label, value: label.toUpperCase() }));

/** A picker pane over the three items, and what it picked so far. */
function pickerPane(): { pane: PickerPane<string>; picked: string[] } {
  const picked: string[] = [];
  return { pane: new PickerPane(new Picker('Pick one', items), (value) => picked.push(value)), picked };
}

describe('PickerPane', () => {
  it('moves with the arrows and closes on Enter, picking only once it has closed', () => {
    const { pane, picked } = pickerPane();
    expect(pane.handleKey(key('down'))).toEqual({ type: 'handled' });
    const result = pane.handleKey(key('enter'));
    expect(result).toEqual({ type: 'close', then: expect.any(Function) });
    expect(picked).toEqual([]);
    if (result.type === 'close') result.then?.();
    expect(picked).toEqual(['BETA']);
  });

  it('picks by number, and closes without picking on Esc', () => {
    const { pane, picked } = pickerPane();
    const result = pane.handleKey(typed('3'));
    if (result.type === 'close') result.then?.();
    expect(picked).toEqual(['GAMMA']);
    expect(pickerPane().pane.handleKey(key('escape'))).toEqual({ type: 'close', then: null });
  });

  it('draws the list with the selection, within the room it is given, and no cursor', () => {
    const { pane } = pickerPane();
    pane.handleKey(key('up'));
    const view = pane.render({ width: 40, height: 24, room: 21 });
    expect(rowTexts(view)).toEqual(['Pick one', '  1. alpha', '  2. beta', '› 3. gamma', '↑/↓ move · Enter choose · Esc cancel']);
    expect(view.cursor).toBeNull();
    expect(pane.render({ width: 40, height: 6, room: 3 }).rows).toHaveLength(3);
  });
});
