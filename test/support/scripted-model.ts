/**
 * The strict scripted-model harness for vitest. `useScriptedServer(script)` starts a scripted model server for the
 * current test and, when the test finishes, fails it if the server saw any violation (a request the real API would
 * have refused, an unexpected request, a failed `expect`) or if script steps were left unconsumed; then closes it.
 *
 *   const server = await useScriptedServer([respond(text('hi'))]);
 *   // ... point keel at server.url, run, assert on events and server.requests ...
 */
import { onTestFinished } from 'vitest';
import {
  startScriptedServer,
  type ChatFlavor,
  type ScriptedServer,
  type ScriptStep,
} from '../../src/scripted/index.ts';

export interface UseScriptedServerOptions {
  /** The test provokes violations on purpose (e.g. it checks how keel handles a 400). */
  allowViolations?: boolean;
  /** The test ends before the script does on purpose (e.g. it interrupts mid-task). */
  allowUnconsumedSteps?: boolean;
  chat?: ChatFlavor;
  /** For concurrent tests: the test context's own `onTestFinished`. */
  onTestFinished?: (hook: () => Promise<void>) => void;
}

/** What a strict test fails on; empty when the server was used exactly as scripted. */
export function strictnessProblems(server: ScriptedServer, options: UseScriptedServerOptions = {}): string[] {
  const problems = options.allowViolations ? [] : [...server.violations];
  const left = server.remainingSteps();
  if (!options.allowUnconsumedSteps && left > 0) problems.push(`${left} script step(s) were never requested`);
  return problems;
}

export async function useScriptedServer(
  script: ScriptStep[],
  options: UseScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const started: { server?: ScriptedServer } = {};
  // Registered before the first await, so the hook binds to this test even if the test yields.
  (options.onTestFinished ?? onTestFinished)(async () => {
    const server = started.server;
    if (!server) return;
    const problems = strictnessProblems(server, options);
    await server.close();
    if (problems.length > 0) throw new Error(`scripted model server:\n  ${problems.join('\n  ')}`);
  });
  const server = await startScriptedServer({ script, ...(options.chat ? { chat: options.chat } : {}) });
  started.server = server;
  return server;
}
