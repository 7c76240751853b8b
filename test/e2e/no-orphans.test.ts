/** No process outlives keel, even when keel itself is killed with SIGKILL and cannot clean up. */
import { expect, it } from 'vitest';
import { functionCall, respond } from '../../src/scripted/script-builders.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';

it.each(['SIGKILL', 'SIGTERM', 'SIGHUP'] as const)('stops every command keel started within two seconds of keel getting %s', async (signal) => {
  const marker = `sleep 40.${100 + ['SIGKILL', 'SIGTERM', 'SIGHUP'].indexOf(signal)}`;
  const server = await useScriptedServer([
    respond(functionCall('shell', { command: ['bash', '-c', `${marker} & (${marker} &) ; ${marker}; wait`] }, 'call_k')),
  ], { allowUnconsumedSteps: false, allowViolations: false });
  const run = startKeel(['exec', '--json', 'start something long'], { env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'k' } });
  await run.waitForLine((line) => line.includes('"exec_command_begin"'));
  // The three sleeps (not counting the bash whose script names them) are running before keel is killed.
  await waitUntil(() => liveProcessesMatching(marker).filter((p) => p.cmdline === marker).length === 3);
  run.child.kill(signal);
  await run.exited;
  const killedAt = Date.now();
  await waitUntil(() => liveProcessesMatching(marker).length === 0, 5_000);
  expect(Date.now() - killedAt).toBeLessThan(2_500);
});
