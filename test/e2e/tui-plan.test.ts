/**
 * The model's plan in the interactive UI, in a pseudo-terminal against the strict scripted model: a checklist that
 * updates in place while the task works through it, committed to the scrollback once; /status shows it; a resumed
 * session shows the plan as its task left it, once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { IDLE_PROMPT, NO_QUESTIONS, modelEnv, occurrences, outputLine, tuiPlace, waitForSession } from '../support/keel-tui.ts';
import { trackPtys, type PtyKeel } from '../support/pty-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const ptys = trackPtys();

type Status = 'pending' | 'in_progress' | 'completed';
const STEPS = ['Read the notes 4471', 'Merge the duplicates 4471', 'Write the summary 4471'] as const;

/** An update_plan call with the three steps in these statuses. */
function planCall(statuses: [Status, Status, Status], callId: string) {
  return functionCall('update_plan', { plan: STEPS.map((step, index) => ({ step, status: statuses[index] })) }, callId);
}

/** A command that waits for the test to create `file` in the working directory: the task stays where it is until then. */
function waitForFile(file: string, callId: string) {
  const cmd = `echo waiting-for-${file}; while [ ! -e ${file} ]; do sleep 0.05; done`;
  return functionCall('exec_command', { cmd, yield_time_ms: 30_000, login: false }, callId);
}

/** Lines of the whole history (scrollback and screen) that are exactly `text`, trailing spaces aside. */
function linesEqual(keel: PtyKeel, text: string): number {
  return keel.history().split('\n').filter((row) => row.trimEnd() === text).length;
}

const env = (url: string, home?: string) => ({ ...modelEnv(url, home), SHLVL: '1' });

describe('keel UI: the plan', () => {
  it('shows the plan as a checklist updated in place, commits it once when complete, and /status shows it', async () => {
    const { cwd } = tuiPlace();
    const server = await useScriptedServer([
      respond(planCall(['in_progress', 'pending', 'pending'], 'call_plan_1'), waitForFile('one', 'call_wait_1')),
      respond(planCall(['completed', 'in_progress', 'pending'], 'call_plan_2'), waitForFile('two', 'call_wait_2')),
      respond(planCall(['completed', 'completed', 'completed'], 'call_plan_3')),
      respond(text('The notes are tidy.')),
    ]);
    const keel = ptys.start([...NO_QUESTIONS, 'tidy the notes'], { cwd, env: env(server.url), cols: 120, rows: 30 });

    await keel.waitFor(outputLine('waiting-for-one'));
    await keel.waitFor('Plan · 0 of 3 done');
    await keel.waitFor(`  → ${STEPS[0]}`);
    expect(keel.screen()).toContain(`  · ${STEPS[2]}`);

    writeFileSync(join(cwd, 'one'), '');
    await keel.waitFor(outputLine('waiting-for-two'));
    await keel.waitFor('Plan · 1 of 3 done');
    await keel.waitFor(`  → ${STEPS[1]}`);
    expect(keel.screen()).toContain(`  ✓ ${STEPS[0]}`);
    // Redrawn in place: one checklist anywhere, scrollback included, and nothing of the earlier one left.
    const during = keel.history();
    expect(occurrences(during, 'Plan · ')).toBe(1);
    for (const step of STEPS) expect(occurrences(during, step)).toBe(1);
    expect(during).not.toContain('0 of 3 done');
    expect(during).not.toContain(`→ ${STEPS[0]}`);
    expect(linesEqual(keel, 'Plan')).toBe(0);

    writeFileSync(join(cwd, 'two'), '');
    await keel.waitFor('The notes are tidy.', { history: true });
    await keel.waitFor(IDLE_PROMPT);
    // Complete: committed once, as it ended, and no longer live.
    const after = keel.history();
    expect(linesEqual(keel, 'Plan')).toBe(1);
    for (const step of STEPS) {
      expect(occurrences(after, step)).toBe(1);
      expect(after).toContain(`  ✓ ${step}`);
    }
    expect(after).not.toContain('Plan · ');
    expect(after.indexOf(STEPS[2])).toBeLessThan(after.indexOf('The notes are tidy.'));

    keel.type('/status');
    keel.press('enter');
    await keel.waitFor(/^ +Plan +3 of 3 done *$/m);
    await keel.waitFor(new RegExp(`^ +✓ ${STEPS[2]} *$`, 'm'));
  });

  it('commits a plan left unfinished when its task ends; a resumed session shows it once, and /status too', async () => {
    const { home, cwd } = tuiPlace();
    const server = await useScriptedServer([
      respond(planCall(['in_progress', 'pending', 'pending'], 'call_plan_1')),
      respond(planCall(['completed', 'in_progress', 'pending'], 'call_plan_2')),
      respond(text('Stopping after the first step.')),
    ]);
    const first = ptys.start(NO_QUESTIONS, { cwd, env: env(server.url, home), cols: 120, rows: 30 });
    await waitForSession(first);
    first.type('tidy the notes');
    first.press('enter');
    await first.waitFor('Stopping after the first step.', { history: true });
    await first.waitFor(IDLE_PROMPT);
    expect(linesEqual(first, 'Plan')).toBe(1);
    expect(first.history()).toContain(`  → ${STEPS[1]}`);
    expect(first.history()).not.toContain('Plan · ');
    first.press('ctrl-d');
    expect(await first.exited).toEqual({ exitCode: 0 });

    const resumed = ptys.start(['resume', '--last', ...NO_QUESTIONS], { cwd, env: env(server.url, home), cols: 120, rows: 30 });
    await waitForSession(resumed);
    await resumed.waitFor('Resumed.', { history: true });
    const shown = resumed.history();
    expect(linesEqual(resumed, 'Plan')).toBe(1);
    for (const step of STEPS) expect(occurrences(shown, step)).toBe(1);
    expect(shown).toContain(`  ✓ ${STEPS[0]}`);
    expect(shown).toContain(`  → ${STEPS[1]}`);
    expect(shown).not.toContain('Plan · ');
    expect(shown.indexOf(STEPS[2])).toBeLessThan(shown.indexOf('Resumed.'));

    resumed.type('/status');
    resumed.press('enter');
    await resumed.waitFor(/^ +Plan +1 of 3 done *$/m);
    await resumed.waitFor(new RegExp(`^ +→ ${STEPS[1]} *$`, 'm'));
  });
});
