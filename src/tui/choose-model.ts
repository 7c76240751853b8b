/**
 * /model: with a name, the model of the next requests; without one, a list of the models keel knows to pick from. A
 * name keel does not know is used all the same (servers have models no table lists), with a warning that says what
 * keel then does not know about it.
 */
import { Picker } from './picker.ts';
import { PickerPane } from './panes/picker-pane.ts';
import type { SlashContext } from './run-slash-command.ts';

export function chooseModel(args: string, context: SlashContext): void {
  const model = args.trim();
  if (model === '') return openModelPicker(context);
  if (/\s/.test(model)) return context.note(`a model name has no spaces: /model NAME`, 'red');
  setModel(model, context);
}

function openModelPicker(context: SlashContext): void {
  const current = context.view.status.model;
  const choices = context.models.choices();
  if (choices.length === 0) return context.note(`the model is ${current}; change it with /model NAME`, null);
  const items = choices.map((choice) => ({ label: `${choice.name}${choice.name === current ? ' (current)' : ''}`, detail: choice.facts, value: choice.name }));
  const picker = new Picker(`Model for the next requests (now ${current}; /model NAME for another)`, items);
  context.open(new PickerPane(picker, (name) => setModel(name, context)));
}

function setModel(model: string, context: SlashContext): void {
  const description = context.models.describe(model);
  if (description.warning !== null) context.note(description.warning, 'yellow');
  for (const note of description.notes) context.note(note, 'yellow');
  context.submit({ type: 'override_turn_context', model });
  context.dispatch({ type: 'turn_context_changed', model, reasoningEffort: description.effort });
  const reasoning = description.effort === null ? '' : ` (reasoning ${description.effort})`;
  context.note(`model set to ${model}${reasoning} for the next requests`, 'cyan');
}
