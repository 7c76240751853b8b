/**
 * The `apply_patch` tool: parse → plan → commit in the call's working directory. Offered as a function tool taking
 * `{input}`, or (`freeform: true`, for models that support it) as the custom tool with the Lark grammar, whose calls
 * carry the raw patch. It is also where a shell call that runs apply_patch is sent (the shell tool's `redirect`), so
 * both ways in share these events and this output.
 *
 * Events, per call: none when the call is aborted before anything was written; otherwise one `patch_apply_begin`
 * (with the planned changes, or none when the patch does not parse or apply) and then exactly one `patch_apply_end`.
 * A patch that fails is a result the model sees, with what to fix; it never throws.
 */
import { resolve } from 'node:path';
import type { FileWrite, ParseResult, Tool, ToolContext, ToolResult } from '../tool.ts';
import { unfinishedOutput } from '../unfinished-call.ts';
import { commitPatch, planPatch, type PatchFailure, type PatchPlan } from './apply-patch.ts';
import { nodePatchFs, type PatchFs } from './patch-fs.ts';
import type { FileEffect } from './plan-hunks.ts';
import { APPLY_PATCH_TOOL_NAME, applyPatchFreeformSpec, applyPatchFunctionSpec, patchFromArguments } from './tool-spec.ts';

export interface PatchArgs {
  patch: string;
  /** Where the patch's paths start: relative to the session's cwd unless absolute (a shell call's workdir / `cd`). */
  workdir?: string;
}

export interface ApplyPatchToolOptions {
  /** Offer the freeform custom tool (calls arrive as `custom_tool_call`) instead of the `{input}` function tool. */
  freeform?: boolean;
  /** Default: the real file system. */
  fs?: PatchFs;
}

/** The registry adds this prefix itself; the spec helper's messages carry it for callers that show them alone. */
const ARGUMENTS_PREFIX = 'failed to parse function arguments: ';

export function createApplyPatchTool(options: ApplyPatchToolOptions = {}): Tool<PatchArgs> {
  const form = options.freeform === true ? 'freeform' : 'function';
  const fs = options.fs ?? nodePatchFs;
  return {
    name: APPLY_PATCH_TOOL_NAME,
    kind: 'edit',
    spec: form === 'freeform' ? applyPatchFreeformSpec : applyPatchFunctionSpec,
    parse(raw): ParseResult<PatchArgs> {
      const parsed = patchFromArguments(form, raw);
      if (parsed.ok) return { ok: true, args: { patch: parsed.patch } };
      const error = parsed.error.startsWith(ARGUMENTS_PREFIX) ? parsed.error.slice(ARGUMENTS_PREFIX.length) : parsed.error;
      return { ok: false, error };
    },
    run: (args, ctx) => runPatch(args, ctx, fs),
    async approvalSubject(args, cwd) {
      const planned = await planPatch(args.patch, { cwd: resolve(cwd, args.workdir ?? '.'), fs });
      return planned.type === 'planned' ? { type: 'patch', changes: planned.plan.changes } : { type: 'none' };
    },
  };
}

/** Interrupted before anything was written. */
function notApplied(): ToolResult {
  return { output: unfinishedOutput({ type: 'interrupted_before_start', subject: 'patch' }), success: false };
}

async function runPatch(args: PatchArgs, ctx: ToolContext, fs: PatchFs): Promise<ToolResult> {
  if (ctx.signal.aborted) return notApplied();
  const cwd = resolve(ctx.cwd, args.workdir ?? '.');
  const planned = await planPatch(args.patch, { cwd, fs });
  // Planning only read files: stopping here leaves everything as it was, so there is nothing to report.
  if (ctx.signal.aborted) return notApplied();

  const changes = planned.type === 'planned' ? planned.plan.changes : {};
  ctx.emit({ type: 'patch_apply_begin', call_id: ctx.callId, auto_approved: ctx.approvedByPerson !== true, changes });
  const end = (stdout: string, stderr: string, success: boolean) =>
    ctx.emit({ type: 'patch_apply_end', call_id: ctx.callId, stdout, stderr, success });

  if (planned.type === 'failed') {
    end('', planned.message, false);
    return { output: planned.message, success: false };
  }
  // The commit is not interrupted once started: it is short, and stopping it halfway is what all-or-nothing forbids.
  const committed = await commitPatch(planned.plan, { fs }).catch((error: unknown) => {
    // Only a bug gets here; the begin event still gets its end before the error goes up.
    end('', `apply_patch failed: ${error instanceof Error ? error.message : String(error)}`, false);
    throw error;
  });
  if (committed.type === 'applied') {
    end(committed.summary, '', true);
    return { output: committed.summary, success: true, fileWrites: writesOf(planned.plan.effects) };
  }
  end('', committed.message, false);
  return { output: committed.message, success: false, fileWrites: writesOf(partlyWritten(planned.plan, committed)) };
}

/** The effects that did reach the disk when a commit failed: only an I/O error during the final swap leaves any. */
function partlyWritten(plan: PatchPlan, failure: PatchFailure): FileEffect[] {
  if (failure.kind !== 'io_error' || failure.replaced.length === 0) return [];
  // `replaced` names link targets where an update wrote through a symbolic link; those files are not in the diff.
  const replaced = new Set(failure.replaced);
  return plan.effects.filter((effect) => replaced.has(effect.path));
}

function writesOf(effects: readonly FileEffect[]): FileWrite[] {
  return effects.map((effect) => ({
    path: effect.path,
    before: effect.before.type === 'file' ? { bytes: effect.before.bytes, mode: effect.before.mode } : null,
    after: effect.after.type === 'write' ? { bytes: effect.after.bytes, mode: effect.after.mode } : null,
  }));
}
