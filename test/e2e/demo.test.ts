/** `keel demo` works on a new machine: no key, no network, a real session with real commands and a real edit. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runKeel } from '../support/run-keel.ts';

it('runs a real session against the scripted model and shows it as a user would see it', async () => {
  const result = await runKeel(['demo'], { env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined } });
  const repo = /a scripted model works in (\S+)/.exec(result.stderr)?.[1];
  try {
    expect(result.code).toBe(0);
    // The final answer goes to stdout once, and not also to stderr.
    expect(result.stdout).toMatch(/^This is a small JavaScript package/);
    expect(result.stdout).toContain('I added `farewell(name)` to `src/greet.js`');
    expect(result.stderr).not.toContain('This is a small JavaScript package');
    // The commands really ran in the demo repository: their real output is shown.
    expect(result.stderr).toContain('src/greet.js');
    expect(result.stderr).toContain('Initial greeter');
    expect(repo).toMatch(/keel-demo-\w+$/);
    // The patch was shown being applied, and it really changed the file: git sees it and node runs it.
    expect(result.stderr).toContain('✎ apply_patch\n  M src/greet.js (+4 -0)\n  ✓ patch applied\n');
    expect(result.stderr).toMatch(/src\/greet\.js \| 4 \+\+\+\+/);
    expect(result.stderr).toContain('Goodbye, keel!');
    expect(readFileSync(join(repo!, 'src', 'greet.js'), 'utf8')).toBe(
      'export function greet(name) {\n  return `Hello, ${name}!`;\n}\n\nexport function farewell(name) {\n  return `Goodbye, ${name}!`;\n}\n',
    );
  } finally {
    if (repo !== undefined) rmSync(repo, { recursive: true, force: true });
  }
});
