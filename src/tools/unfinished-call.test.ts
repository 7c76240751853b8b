import { describe, expect, it } from 'vitest';
import { unfinishedOutput, type UnfinishedCall } from './unfinished-call.ts';

describe('the words the model gets for a call that did not finish', () => {
  const cases: [UnfinishedCall, string][] = [
    [{ type: 'never_ran' }, 'aborted'],
    [{ type: 'lost_with_keel' }, 'aborted: keel stopped while this command was running (the command was stopped with it; its output is lost)'],
    [{ type: 'interrupted_before_start', subject: 'command' }, 'aborted by user before it started'],
    [{ type: 'interrupted_before_start', subject: 'patch' }, 'aborted by user before the patch was applied: no file was changed'],
    [{ type: 'interrupted', partialOutput: 'partial', ranMs: 2345 }, 'partial\naborted by user after 2.3s'],
    [{ type: 'interrupted', partialOutput: 'line\n', ranMs: 20 }, 'line\naborted by user after 0.1s'],
    [{ type: 'interrupted', partialOutput: '', ranMs: 1000 }, 'aborted by user after 1.0s'],
    [{ type: 'abort_answer' }, 'aborted by user'],
    [{ type: 'denied', subject: 'command' }, 'exec command rejected by user'],
    [{ type: 'denied', subject: 'patch' }, 'patch rejected by user'],
    [{ type: 'refused', subject: 'command', reason: 'writes outside the workspace' }, 'exec command rejected: writes outside the workspace'],
    [{ type: 'refused', subject: 'patch', reason: 'the path is protected' }, 'patch rejected: the path is protected'],
    [{ type: 'declined_unsandboxed' }, 'the person declined to run it without the sandbox'],
  ];
  it.each(cases)('%j', (ending, text) => {
    expect(unfinishedOutput(ending)).toBe(text);
  });

  it('never claims a call that ran took no time', () => {
    expect(unfinishedOutput({ type: 'interrupted', partialOutput: 'x', ranMs: 0 })).toBe('x\naborted by user after 0.1s');
  });
});
