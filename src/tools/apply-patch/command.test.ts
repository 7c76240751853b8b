import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPatchCommand, type CommandIo } from './command.ts';

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'keel-command-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { cwd, readStdin: async () => stdin, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) };
  const code = await applyPatchCommand(args, io);
  return { code, stdout, stderr };
}

const PATCH = '*** Begin Patch\n*** Update File: a.txt\n@@\n-old\n+new\n*** End Patch\n';

describe('keel apply_patch', () => {
  it('applies the patch given as the argument and prints the summary', async () => {
    writeFileSync(join(cwd, 'a.txt'), 'old\n');
    expect(await run([PATCH])).toEqual({ code: 0, stdout: 'Success. Updated the following files:\nM a.txt\n', stderr: '' });
    expect(readFileSync(join(cwd, 'a.txt'), 'utf8')).toBe('new\n');
  });

  it('reads the patch from stdin when there is no argument', async () => {
    writeFileSync(join(cwd, 'a.txt'), 'old\n');
    expect(await run([], PATCH)).toMatchObject({ code: 0, stdout: 'Success. Updated the following files:\nM a.txt\n' });
  });

  it('prints the error on stderr and exits 1', async () => {
    const result = await run([PATCH]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("*** Update File: a.txt (patch line 2): this file does not exist. To create it, use '*** Add File: a.txt'");
    expect(result.stderr.endsWith('\n')).toBe(true);
  });

  it('explains its usage with --help, and on a missing or extra argument', async () => {
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: keel apply_patch [PATCH]');
    expect(await run([], '  \n')).toMatchObject({ code: 1, stderr: expect.stringContaining('no patch given') });
    expect(await run([PATCH, PATCH])).toMatchObject({ code: 1, stderr: expect.stringContaining('takes one argument') });
  });
});
