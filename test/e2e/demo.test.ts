/** `keel demo` works on a new machine: no key, no network, a real session with real commands. */
import { expect, it } from 'vitest';
import { runKeel } from '../support/run-keel.ts';

it('runs a real session against the scripted model and shows it as a user would see it', async () => {
  const result = await runKeel(['demo'], { env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined } });
  expect(result.code).toBe(0);
  // The final answer goes to stdout once, and not also to stderr.
  expect(result.stdout).toMatch(/^This is a small JavaScript package/);
  expect(result.stderr).not.toContain('This is a small JavaScript package');
  // The commands really ran in the demo repository: their real output is shown.
  expect(result.stderr).toContain('src/greet.js');
  expect(result.stderr).toContain('Initial greeter');
  expect(result.stderr).toMatch(/keel-demo-\w+/);
});
