import { describe, expect, it } from 'vitest';
import { parsePatch } from './parse-patch.ts';
import { APPLY_PATCH_FUNCTION_DESCRIPTION } from './tool-description.ts';
import { APPLY_PATCH_LARK_GRAMMAR } from './tool-grammar.ts';
import { applyPatchFreeformSpec, applyPatchFunctionSpec, patchFromArguments } from './tool-spec.ts';

describe('apply_patch tool specs', () => {
  it('offers a function tool taking {input: string}', () => {
    expect(applyPatchFunctionSpec).toMatchObject({
      type: 'function',
      name: 'apply_patch',
      parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'], additionalProperties: false },
    });
  });

  it('offers a freeform custom tool constrained by a Lark grammar', () => {
    expect(applyPatchFreeformSpec).toMatchObject({
      type: 'custom',
      name: 'apply_patch',
      format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_LARK_GRAMMAR },
    });
    expect(applyPatchFreeformSpec.description).toContain('FREEFORM');
    for (const marker of ['*** Begin Patch', '*** End Patch', '*** Add File: ', '*** Delete File: ', '*** Update File: ', '*** Move to: ', '*** End of File', '"@@"']) {
      expect(APPLY_PATCH_LARK_GRAMMAR).toContain(marker);
    }
    expect(APPLY_PATCH_LARK_GRAMMAR).toMatch(/^start: /);
  });

  it("describes a patch the engine's own parser accepts", () => {
    const example = /Example:\n\n(\*\*\* Begin Patch[\s\S]*?\*\*\* End Patch)/.exec(APPLY_PATCH_FUNCTION_DESCRIPTION)?.[1];
    expect(example).toBeDefined();
    const parsed = parsePatch(example!);
    expect(parsed.type === 'parsed' && parsed.patch.hunks.map((hunk) => hunk.type)).toEqual(['add', 'update', 'update', 'delete']);
  });

  it('takes the patch from a function call\'s JSON or a freeform call\'s raw input', () => {
    expect(patchFromArguments('function', '{"input":"*** Begin Patch"}')).toEqual({ ok: true, patch: '*** Begin Patch' });
    expect(patchFromArguments('freeform', '*** Begin Patch')).toEqual({ ok: true, patch: '*** Begin Patch' });
    expect(patchFromArguments('function', '{"patch":"x"}')).toMatchObject({ ok: false, error: expect.stringContaining('{"input"') });
    expect(patchFromArguments('function', '{oops')).toMatchObject({ ok: false, error: expect.stringContaining('failed to parse function arguments') });
  });
});
