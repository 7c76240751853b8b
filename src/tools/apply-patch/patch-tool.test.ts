import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../../protocol/index.ts';
import type { ToolContext } from '../tool.ts';
import { MemoryPatchFs } from './memory-patch-fs.ts';
import { createApplyPatchTool } from './patch-tool.ts';
import { unfinishedOutput } from '../unfinished-call.ts';

const patchOf = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch', ''].join('\n');

function context(signal = new AbortController().signal): ToolContext & { events: EventMsg[] } {
  const events: EventMsg[] = [];
  return { signal, cwd: '/work', callId: 'c1', emit: (msg) => events.push(msg), events };
}

describe('the apply_patch tool', () => {
  it('takes {input} from a function call, or the raw patch from a freeform call', () => {
    expect(createApplyPatchTool().parse('{"input":"*** Begin Patch"}')).toEqual({ ok: true, args: { patch: '*** Begin Patch' } });
    expect(createApplyPatchTool({ freeform: true }).parse('*** Begin Patch')).toEqual({ ok: true, args: { patch: '*** Begin Patch' } });
    expect(createApplyPatchTool().spec.type).toBe('function');
    expect(createApplyPatchTool({ freeform: true }).spec.type).toBe('custom');
    // The registry adds "failed to parse function arguments: " once; the tool's error must not carry it too.
    const bad = createApplyPatchTool().parse('{"patch":1}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).not.toMatch(/^failed to parse/);
  });

  it('reports what it wrote, bytes before and after, resolved against the workdir', async () => {
    const fs = new MemoryPatchFs({ '/work/sub/a.txt': 'one\n', '/work/sub/b.txt': 'bee\n' });
    const ctx = context();
    const result = await createApplyPatchTool({ fs }).run(
      { patch: patchOf('*** Update File: a.txt', '-one', '+uno', '*** Add File: c.txt', '+sea', '*** Delete File: b.txt'), workdir: 'sub' },
      ctx,
    );
    expect(result.output).toBe('Success. Updated the following files:\nA c.txt\nM a.txt\nD b.txt\n');
    const writes = result.fileWrites!.map((write) => ({
      path: write.path,
      before: write.before && Buffer.from(write.before.bytes).toString(),
      after: write.after && Buffer.from(write.after.bytes).toString(),
    }));
    expect(writes).toEqual(
      expect.arrayContaining([
        { path: '/work/sub/a.txt', before: 'one\n', after: 'uno\n' },
        { path: '/work/sub/c.txt', before: null, after: 'sea\n' },
        { path: '/work/sub/b.txt', before: 'bee\n', after: null },
      ]),
    );
    expect(ctx.events.map((event) => event.type)).toEqual(['patch_apply_begin', 'patch_apply_end']);
  });

  it('reports a failure in begin/end and to the model, and writes nothing', async () => {
    const fs = new MemoryPatchFs({ '/work/a.txt': 'one\n' });
    const ctx = context();
    const result = await createApplyPatchTool({ fs }).run({ patch: patchOf('*** Update File: a.txt', '-two', '+dos') }, ctx);
    expect(result.success).toBe(false);
    expect(result.fileWrites).toBeUndefined();
    expect(result.output).toMatch(/^The patch was not applied, and no file was changed/);
    expect(ctx.events).toEqual([
      { type: 'patch_apply_begin', call_id: 'c1', auto_approved: true, changes: {} },
      { type: 'patch_apply_end', call_id: 'c1', stdout: '', stderr: result.output, success: false },
    ]);
    expect(fs.log).toEqual([]);
  });

  it('stops before writing when aborted while planning, with no events: nothing happened', async () => {
    const fs = new MemoryPatchFs({ '/work/a.txt': 'one\n' });
    const controller = new AbortController();
    const read = fs.readFile.bind(fs);
    fs.readFile = async (path) => {
      controller.abort();
      return read(path);
    };
    const ctx = context(controller.signal);
    const result = await createApplyPatchTool({ fs }).run({ patch: patchOf('*** Update File: a.txt', '-one', '+uno') }, ctx);
    expect(result).toEqual({ output: unfinishedOutput({ type: 'interrupted_before_start', subject: 'patch' }), success: false });
    expect(ctx.events).toEqual([]);
    expect(fs.snapshot()).toEqual({ '/work': '<dir>', '/work/a.txt': 'one\n' });
  });
});
