import { describe, expect, it } from 'vitest';
import type { ToolCallItem } from '../../protocol/index.ts';
import { createApplyPatchTool } from '../apply-patch/patch-tool.ts';
import { ToolRegistry } from '../tool-registry.ts';
import { createShellTool } from './shell-tool.ts';

const PATCH = '*** Begin Patch\n*** Add File: x.txt\n+x\n*** End Patch\n';
const registry = new ToolRegistry([createShellTool(), createApplyPatchTool({ freeform: true })]);
const shellCall = (args: Record<string, unknown>): ToolCallItem => ({ type: 'function_call', name: 'shell', call_id: 'c', arguments: JSON.stringify(args) });

describe('a shell call that runs apply_patch', () => {
  it.each([
    ['argv', { command: ['apply_patch', PATCH] }, undefined],
    ['argv in a workdir', { command: ['apply_patch', PATCH], workdir: 'pkg' }, 'pkg'],
    ['a heredoc', { command: ['bash', '-lc', `apply_patch <<'EOF'\n${PATCH}EOF\n`] }, undefined],
    ['cd DIR && a heredoc', { command: ['bash', '-lc', `cd sub && apply_patch <<'EOF'\n${PATCH}EOF\n`] }, 'sub'],
    ['cd DIR in a workdir', { command: ['bash', '-lc', `cd "sub dir" && apply_patch <<EOF\n${PATCH}EOF`], workdir: 'pkg' }, 'pkg/sub dir'],
    ['cd to an absolute path', { command: ['bash', '-lc', `cd /abs && apply_patch <<'EOF'\n${PATCH}EOF\n`], workdir: 'pkg' }, '/abs'],
  ])('resolves to the apply_patch tool: %s', (_, args, workdir) => {
    const resolved = registry.resolve(shellCall(args));
    expect(resolved).toMatchObject({ type: 'run', tool: { name: 'apply_patch', kind: 'edit' } });
    expect(resolved.type === 'run' && resolved.args).toEqual(workdir === undefined ? { patch: PATCH } : { patch: PATCH, workdir });
  });

  it('is recognized in a local_shell_call too, with its working_directory', () => {
    const resolved = registry.resolve({
      type: 'local_shell_call',
      call_id: 'l1',
      status: 'completed',
      action: { type: 'exec', command: ['apply_patch', PATCH], working_directory: 'pkg' },
    });
    expect(resolved).toMatchObject({ type: 'run', tool: { name: 'apply_patch' }, args: { patch: PATCH, workdir: 'pkg' } });
  });

  it('stays a shell command when the script does anything else', () => {
    for (const command of [['ls'], ['bash', '-lc', `echo hi; apply_patch <<'EOF'\n${PATCH}EOF\n`]]) {
      expect(registry.resolve(shellCall({ command }))).toMatchObject({ type: 'run', tool: { name: 'shell' } });
    }
  });

  it('answers an invocation it cannot use with how to call apply_patch, running nothing', () => {
    expect(registry.resolve(shellCall({ command: [PATCH] }))).toEqual({
      type: 'respond',
      result: { output: expect.stringMatching(/^patch detected without explicit call to apply_patch/), success: false },
    });
    expect(registry.resolve(shellCall({ command: ['apply_patch'] }))).toMatchObject({ type: 'respond', result: { success: false } });
  });
});
