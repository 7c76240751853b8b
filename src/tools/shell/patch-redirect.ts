/**
 * A shell call that runs apply_patch (`["apply_patch", PATCH]`, `bash -lc "apply_patch <<'EOF' … EOF"`, optionally
 * after `cd DIR &&`) is an edit, not a command: it goes to the apply_patch tool, so it gets that tool's approvals,
 * events and output, and no process is spawned. Pure.
 */
import { isAbsolute, join } from 'node:path';
import { parseInvocation } from '../apply-patch/parse-invocation.ts';
import type { PatchArgs } from '../apply-patch/patch-tool.ts';
import { redirectTo, type Redirect, type Tool } from '../tool.ts';
import type { ShellArgs } from './shell-args.ts';

export function patchRedirect(args: ShellArgs, patchTool: Tool<PatchArgs>): Redirect | null {
  const invocation = parseInvocation(args.command);
  switch (invocation.type) {
    case 'not_patch':
      return null;
    case 'error':
      // Running it would only say "command not found"; this says how to call apply_patch properly.
      return { type: 'respond', result: { output: invocation.message, success: false } };
    case 'patch': {
      const workdir = patchWorkdir(args.workdir, invocation.workdir);
      return redirectTo(patchTool, workdir === undefined ? { patch: invocation.patch } : { patch: invocation.patch, workdir });
    }
  }
}

/** The call's `workdir`, then the script's `cd` from there; both relative to the session's cwd unless absolute. */
function patchWorkdir(callWorkdir: string | undefined, cd: string | undefined): string | undefined {
  if (cd === undefined) return callWorkdir;
  if (callWorkdir === undefined || isAbsolute(cd)) return cd;
  return join(callWorkdir, cd);
}
