/**
 * /fork (and Esc twice on an empty prompt): the prompts of the session on screen in a list; the one chosen starts a
 * new session whose history is everything before it, shown in place of this one with that prompt in the box to be
 * changed and sent. This session stays as it is, saved; cancelling the list changes nothing.
 */
import { PickerPane } from './panes/picker-pane.ts';
import { Picker } from './picker.ts';
import type { SlashContext } from './run-slash-command.ts';
import type { PromptChoice } from './session-handle.ts';
import { isRunning } from './view-state.ts';

/**
 * Oldest first, so the numbers the list shows are the prompts' own (`keel fork ID --at N` takes the same), with the
 * newest selected: forking usually means taking back the last prompt or one just before it.
 */
export function forkPicker(prompts: readonly PromptChoice[]): Picker<number> {
  const items = prompts.map((prompt) => ({ label: firstLine(prompt.text), detail: promptDetail(prompt), value: prompt.number }));
  return new Picker<number>('Fork this session at a prompt: the new session has everything before it', items, 'no prompt was sent yet', items.length - 1);
}

export async function openForkPicker(context: SlashContext): Promise<void> {
  if (isRunning(context.view)) return context.note('a task is running: interrupt it first (Esc), then /fork', 'yellow');
  const current = context.shown.handle.agent.sessionId;
  let prompts: PromptChoice[];
  try {
    prompts = await context.services.listPrompts(current);
  } catch (error) {
    return context.note(`could not read this session's prompts: ${(error as Error).message}`, 'red');
  }
  if (prompts.length === 0) return context.note('nothing to fork yet: no prompt was sent in this session', null);
  const { status } = context.view;
  const choices = { model: status.model, approvalPolicy: status.approval, sandboxPolicy: status.sandbox };
  context.open(
    new PickerPane(forkPicker(prompts), (number) =>
      context.switchSession(() => context.services.forkSession(current, number, choices), `a fork at prompt ${number}`),
    ),
  );
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0]!.trim();
  return line === '' ? '(an image)' : line;
}

function promptDetail(prompt: PromptChoice): string | undefined {
  const lines = prompt.text.trim().split('\n').length - 1;
  const parts = [
    lines > 0 ? `+${lines} line${lines === 1 ? '' : 's'}` : '',
    prompt.images > 0 ? `${prompt.images} image${prompt.images === 1 ? '' : 's'}` : '',
    prompt.queued ? 'sent while a task ran' : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? undefined : parts.join(' · ');
}
