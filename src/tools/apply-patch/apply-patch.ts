/**
 * The apply_patch engine's front door: parse → plan → commit. `planPatch` stops before writing, so an approval step
 * can show the exact changes first and then `commitPatch` the same plan; `applyPatch` does both. Expected failures
 * (a bad patch, lines not found, an I/O error) are results with a `kind` and a model-facing message, never throws.
 */
import type { FileChange } from '../../protocol/index.ts';
import { commitEffects } from './commit-effects.ts';
import { describePlanErrors } from './describe-plan-errors.ts';
import { diffLabel, fileChanges } from './file-changes.ts';
import { describeParseError, parsePatch, type ParseError } from './parse-patch.ts';
import type { Patch } from './patch-syntax.ts';
import { nodePatchFs, type PatchFs, type PatchReader } from './patch-fs.ts';
import { planHunks, reasonOf, type FileEffect, type PlanError } from './plan-hunks.ts';

/** Paths as written in the patch, for the summary: a move is listed under its destination. */
export interface AffectedPaths {
  added: string[];
  modified: string[];
  deleted: string[];
}

export interface PatchPlan {
  cwd: string;
  /** Keyed by absolute path; a move is keyed by its source and names its destination in `move_path`. */
  changes: Record<string, FileChange>;
  affected: AffectedPaths;
  /** What `commitPatch` will write; `before` is what must still be on disk then. */
  effects: readonly FileEffect[];
}

export interface PatchApplied {
  type: 'applied';
  /** `Success. Updated the following files:` then `A`/`M`/`D` lines: the tool's output to the model. */
  summary: string;
  changes: Record<string, FileChange>;
  affected: AffectedPaths;
}

export type PatchFailure = { type: 'failed'; message: string } & (
  | { kind: 'invalid_patch'; error: ParseError }
  | { kind: 'does_not_apply'; errors: PlanError[] }
  /** Files changed on disk between planning and commit; nothing was written. */
  | { kind: 'stale'; paths: string[] }
  /** `replaced` is empty when the workspace was left exactly as it was. */
  | { kind: 'io_error'; path: string; cause: unknown; replaced: string[] }
);

export type PlanPatchResult = { type: 'planned'; plan: PatchPlan } | PatchFailure;
export type ApplyPatchResult = PatchApplied | PatchFailure;

export async function planPatch(patchText: string, options: { cwd: string; fs?: PatchReader }): Promise<PlanPatchResult> {
  const parsed = parsePatch(patchText);
  if (parsed.type === 'invalid') {
    return { type: 'failed', kind: 'invalid_patch', error: parsed.error, message: `Invalid patch: ${describeParseError(parsed.error)}` };
  }
  const planned = await planHunks(parsed.patch, options.cwd, options.fs ?? nodePatchFs);
  if (planned.type === 'failed') {
    return { type: 'failed', kind: 'does_not_apply', errors: planned.errors, message: describePlanErrors(planned.errors) };
  }
  const plan: PatchPlan = {
    cwd: options.cwd,
    changes: fileChanges(planned.state, options.cwd),
    affected: affectedPaths(parsed.patch),
    effects: planned.state.effects,
  };
  return { type: 'planned', plan };
}

export async function commitPatch(plan: PatchPlan, options: { fs?: PatchFs } = {}): Promise<ApplyPatchResult> {
  const label = (path: string) => diffLabel(plan.cwd, path);
  const committed = await commitEffects(plan.effects, options.fs ?? nodePatchFs);
  switch (committed.type) {
    case 'committed':
      return { type: 'applied', summary: summaryOf(plan.affected), changes: plan.changes, affected: plan.affected };
    case 'stale':
      return {
        type: 'failed',
        kind: 'stale',
        paths: committed.paths,
        message:
          `The patch was not applied, and no file was changed: ${committed.paths.map(label).join(', ')} changed on disk ` +
          'after the patch was checked. Re-read the files and send the patch again.',
      };
    case 'failed': {
      const what = `could not ${committed.action} ${label(committed.path)}: ${reasonOf(committed.cause)}`;
      const message =
        committed.replaced.length === 0
          ? `The patch was not applied, and no file was changed: ${what}.`
          : `The patch was only partly applied: ${what}. Already replaced: ${committed.replaced.map(label).join(', ')}; ` +
            'every other file is unchanged.';
      return { type: 'failed', kind: 'io_error', path: committed.path, cause: committed.cause, replaced: committed.replaced, message };
    }
  }
}

export async function applyPatch(patchText: string, options: { cwd: string; fs?: PatchFs }): Promise<ApplyPatchResult> {
  const planned = await planPatch(patchText, options);
  if (planned.type === 'failed') return planned;
  return commitPatch(planned.plan, options.fs === undefined ? {} : { fs: options.fs });
}

function affectedPaths(patch: Patch): AffectedPaths {
  const affected: AffectedPaths = { added: [], modified: [], deleted: [] };
  const add = (list: string[], path: string) => {
    if (!list.includes(path)) list.push(path);
  };
  for (const hunk of patch.hunks) {
    if (hunk.type === 'add') add(affected.added, hunk.path);
    else if (hunk.type === 'delete') add(affected.deleted, hunk.path);
    else add(affected.modified, hunk.movePath ?? hunk.path);
  }
  return affected;
}

export function summaryOf(affected: AffectedPaths): string {
  const lines = [
    'Success. Updated the following files:',
    ...affected.added.map((path) => `A ${path}`),
    ...affected.modified.map((path) => `M ${path}`),
    ...affected.deleted.map((path) => `D ${path}`),
  ];
  return lines.join('\n') + '\n';
}
