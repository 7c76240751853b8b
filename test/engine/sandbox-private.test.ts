/**
 * What a sandboxed command cannot reach of keel itself, through the real wiring (createSafetyServices) and real
 * bubblewrap: keel's home is an empty directory, and keel's process (with the API key in its environment) is not
 * visible. Skipped only where no sandbox can run (CI installs bubblewrap).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSafetyServices } from '../../src/cli/safety-services.ts';
import { nodeSandboxHost, probeSandbox } from '../../src/sandbox/index.ts';

const probe = process.platform === 'linux' ? await probeSandbox(nodeSandboxHost()) : null;
const skip = probe?.type !== 'available';

describe.skipIf(skip)('the sandbox hides keel from the commands it runs', () => {
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  writeFileSync(join(home, 'history.jsonl'), '{"text":"sk-secret-prompt"}\n');
  const work = mkdtempSync(join(tmpdir(), 'keel-work-'));
  const services = createSafetyServices(process.env, home);

  async function runSandboxed(script: string): Promise<{ status: number | null; out: string }> {
    await services.sandboxAvailable({ type: 'read-only' });
    const wrapped = services.wrap(['bash', '-c', script], { type: 'read-only' }, work);
    if (wrapped.type !== 'wrapped') throw new Error(wrapped.reason);
    const result = spawnSync(wrapped.argv[0]!, wrapped.argv.slice(1), { cwd: work, encoding: 'utf8' });
    return { status: result.status, out: `${result.stdout}${result.stderr}` };
  }

  it("shows keel's home as an empty directory", async () => {
    const listed = await runSandboxed(`ls -A ${home}; cat ${home}/history.jsonl`);
    expect(listed.out).not.toContain('sk-secret-prompt');
    expect(listed.out).toMatch(/No such file or directory/);
  });

  it("cannot see keel's process or read its environment", async () => {
    const seen = await runSandboxed(`test -e /proc/${process.pid} && echo visible || echo hidden; cat /proc/${process.pid}/environ 2>&1 | head -c 200`);
    expect(seen.out).toContain('hidden');
    expect(seen.out).not.toContain('OPENAI');
  });
});
