/**
 * apply_patch as offered to the model: a function tool taking `{input}` for every model, or a freeform custom tool
 * with a grammar for models that support one (its calls arrive as `custom_tool_call` with the raw patch as input).
 */
import type { ToolSpec } from '../../model/model-event.ts';
import { APPLY_PATCH_FREEFORM_DESCRIPTION, APPLY_PATCH_FUNCTION_DESCRIPTION } from './tool-description.ts';
import { APPLY_PATCH_LARK_GRAMMAR } from './tool-grammar.ts';

export const APPLY_PATCH_TOOL_NAME = 'apply_patch';

export const applyPatchFunctionSpec: ToolSpec = {
  type: 'function',
  name: APPLY_PATCH_TOOL_NAME,
  description: APPLY_PATCH_FUNCTION_DESCRIPTION,
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      input: { type: 'string', description: 'The whole patch, from "*** Begin Patch" to "*** End Patch".' },
    },
    required: ['input'],
    additionalProperties: false,
  },
};

export const applyPatchFreeformSpec: ToolSpec = {
  type: 'custom',
  name: APPLY_PATCH_TOOL_NAME,
  description: APPLY_PATCH_FREEFORM_DESCRIPTION,
  format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_LARK_GRAMMAR },
};

/**
 * The patch text of a call: the raw input of a freeform call, or the `input` field of a function call's JSON
 * arguments. Pure; the error text is what the model sees.
 */
export function patchFromArguments(form: 'function' | 'freeform', raw: string): { ok: true; patch: string } | { ok: false; error: string } {
  if (form === 'freeform') return { ok: true, patch: raw };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return { ok: false, error: `failed to parse function arguments: ${error instanceof Error ? error.message : String(error)}` };
  }
  const input = (parsed as { input?: unknown } | null)?.input;
  if (typeof input !== 'string') return { ok: false, error: 'failed to parse function arguments: expected {"input": "<the whole patch>"}' };
  return { ok: true, patch: input };
}
