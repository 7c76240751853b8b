import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuitFlow, type QuitSteps } from './quit-flow.ts';

/** A quit flow whose steps are recorded; `save` resolves when `saved()` is called. */
function quitFlow(): { flow: QuitFlow; steps: string[]; finishSaving: () => void } {
  const steps: string[] = [];
  let finishSaving = (): void => undefined;
  const recorder: QuitSteps = {
    saving: () => steps.push('saving'),
    save: () => new Promise<void>((resolve) => (finishSaving = resolve)),
    close: () => steps.push('close'),
    saved: (code) => steps.push(`saved ${code}`),
    disarmed: () => steps.push('disarmed'),
    exitNow: ((code: number) => steps.push(`exit ${code}`)) as unknown as (code: number) => never,
  };
  return { flow: new QuitFlow(recorder), steps, finishSaving: () => finishSaving() };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('QuitFlow', () => {
  it('arms on a first unconfirmed request and quits on the second', async () => {
    const { flow, steps, finishSaving } = quitFlow();
    flow.request(false);
    expect(flow.armed).toBe(true);
    expect(steps).toEqual([]);
    flow.request(false);
    expect(flow.quitting).toBe(true);
    finishSaving();
    await vi.waitFor(() => expect(steps).toEqual(['saving', 'close', 'saved 0']));
    expect(flow.closed).toBe(true);
  });

  it('disarms on another key, or by itself after a while', () => {
    vi.useFakeTimers();
    const { flow, steps } = quitFlow();
    flow.request(false);
    flow.disarm();
    expect(flow.armed).toBe(false);
    flow.request(false);
    vi.advanceTimersByTime(2000);
    expect(flow.armed).toBe(false);
    expect(steps).toEqual(['disarmed', 'disarmed']);
  });

  it('quits at once when confirmed, once however often asked, with the code of what asked', async () => {
    const { flow, steps, finishSaving } = quitFlow();
    const quitting = flow.quit(143);
    flow.request(true);
    void flow.quit(129);
    finishSaving();
    await quitting;
    expect(steps).toEqual(['saving', 'close', 'saved 143']);
  });

  it('leaves at once while saving hangs, closing the terminal only once', async () => {
    const { flow, steps, finishSaving } = quitFlow();
    const quitting = flow.quit(0);
    flow.leaveNow(130);
    expect(steps).toEqual(['saving', 'close', 'exit 130']);
    finishSaving();
    await quitting;
    expect(steps).toEqual(['saving', 'close', 'exit 130', 'saved 0']);
  });
});
