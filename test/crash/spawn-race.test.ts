/**
 * A SIGKILL that lands while keel is starting a command — after `exec_command_begin`, around the fork — must not
 * leave the command behind either. The window is a few milliseconds wide, so the kill is tried many times; each try
 * is synchronized on the `exec_command_begin` line, never on a sleep.
 */
import { expect, it } from 'vitest';
import { functionCall, respond } from '../../src/scripted/script-builders.ts';
import { concurrencyLimit } from '../support/concurrency-limit.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { freshPlace, markerFor, waitForNoSurvivors } from './crash-session.ts';
import { startKeel } from '../support/run-keel.ts';
import { descendantsOf } from '../support/process-tree.ts';
import { keelEnv } from './crash-session.ts';

/** The window is hit in roughly one try of six on a 2-core machine; 20 tries miss it less than one time in 30. */
const TRIES = 20;
const pool = concurrencyLimit(2);

it(`leaves no process behind when killed right as its first command starts (${TRIES} tries)`, async () => {
  const outcomes = await Promise.all(
    Array.from({ length: TRIES }, (_, attempt) =>
      pool(async () => {
        const marker = markerFor(200 + attempt);
        const server = await useScriptedServer(
          [respond(functionCall('shell', { command: ['bash', '-c', `${marker} & ${marker}; wait`] }, 'call_race'))],
          { allowUnconsumedSteps: true },
        );
        const place = freshPlace();
        const run = startKeel(['exec', '--json', 'start it'], { env: keelEnv(server.url, place.home), cwd: place.cwd });
        let started: number[] = [];
        await new Promise<void>((resolve) => {
          const onLine = (line: string): void => {
            if (!line.includes('"exec_command_begin"')) return;
            run.child.off('keel-line', onLine);
            started = descendantsOf(run.child.pid!);
            run.child.kill('SIGKILL');
            resolve();
          };
          run.child.on('keel-line', onLine);
        });
        await run.exited;
        try {
          await waitForNoSurvivors(marker, started, 2_000);
          return null;
        } catch (error) {
          return `try ${attempt + 1} (keel had ${started.length} children when killed): ${(error as Error).message}`;
        }
      }),
    ),
  );
  expect(outcomes.filter((outcome) => outcome !== null)).toEqual([]);
}, 60_000);
