/**
 * Whether an apply_patch edit applies without asking (reference 7.2, `assess_patch_safety`):
 *
 *   no file touched                                    → reject "empty patch"
 *   every file approved for this session               → apply
 *   untrusted                                          → ask
 *   danger-full-access                                 → apply
 *   every path (move targets too) writable             → apply
 *   otherwise                                          → ask; under `never`, reject
 *
 * "Writable" means inside a writable root and outside its read-only subpaths after resolving `..` and symbolic
 * links the way the kernel will. Unlike Codex, `on-failure` does not apply edits outside the roots unasked: keel
 * writes patches itself, not inside a sandbox that could fail, so there would be nothing to catch the write.
 */
import { posix } from 'node:path';
import type { AskForApproval, FileChange, SandboxPolicy } from '../../protocol/index.ts';
import { isInside, resolvePath, type PathProbe } from '../../sandbox/resolve-path.ts';
import type { WritablePaths } from '../../sandbox/writable-roots.ts';

export type PatchAssessment =
  | { type: 'auto_approve'; reason: string }
  | { type: 'ask'; reason: string; outside: string[] }
  | { type: 'reject'; reason: string; outside: string[] };

export interface PatchAssessmentInput {
  /** Every absolute path the patch writes or deletes, move destinations included (see `patchPaths`). */
  paths: readonly string[];
  writable: WritablePaths;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  /** Paths (as given in `paths`) the person approved for this session. */
  sessionApprovedPaths: ReadonlySet<string>;
  probe: PathProbe;
}

export type WriteVerdict = { type: 'writable' } | { type: 'not_writable'; reason: string };

/** The paths of an `apply_patch_approval_request`'s changes: each key, and each move destination. */
export function patchPaths(changes: Readonly<Record<string, FileChange>>): string[] {
  const paths: string[] = [];
  for (const [path, change] of Object.entries(changes)) {
    paths.push(path);
    if (change.type === 'update' && change.move_path !== null) paths.push(change.move_path);
  }
  return [...new Set(paths)];
}

export function assessPatch(input: PatchAssessmentInput): PatchAssessment {
  const { paths, approvalPolicy, sandboxPolicy } = input;
  if (paths.length === 0) return { type: 'reject', reason: 'empty patch', outside: [] };
  if (paths.every((path) => input.sessionApprovedPaths.has(path))) return { type: 'auto_approve', reason: 'these files were approved for this session' };
  if (approvalPolicy === 'untrusted') return { type: 'ask', reason: 'approval policy is untrusted: every edit asks', outside: [] };
  if (sandboxPolicy.type === 'danger-full-access') return { type: 'auto_approve', reason: 'the sandbox policy is danger-full-access' };

  const outside: string[] = [];
  const reasons: string[] = [];
  for (const path of paths) {
    const verdict = sandboxPolicy.type === 'read-only' ? readOnlyVerdict(path) : checkWritable(path, input.writable, input.probe);
    if (verdict.type === 'writable') continue;
    outside.push(path);
    reasons.push(verdict.reason);
  }
  if (outside.length === 0) return { type: 'auto_approve', reason: 'every file is inside the writable roots' };
  if (approvalPolicy === 'never') {
    return { type: 'reject', reason: `writing outside of the project; rejected by user approval settings (${reasons.join('; ')})`, outside };
  }
  return { type: 'ask', reason: reasons.join('; '), outside };
}

function readOnlyVerdict(path: string): WriteVerdict {
  return { type: 'not_writable', reason: `${path}: the sandbox policy is read-only` };
}

/** Whether a write to `path` stays inside the writable roots, symbolic links and `..` followed. */
export function checkWritable(path: string, writable: WritablePaths, probe: PathProbe): WriteVerdict {
  const resolved = resolvePath(path, probe);
  if (resolved.type === 'unresolvable') return { type: 'not_writable', reason: resolved.reason };
  const real = resolved.path;
  const protectedBy = writable.readOnlySubpaths.find((subpath) => isInside(real, subpath));
  if (protectedBy !== undefined) return { type: 'not_writable', reason: `${path} is inside ${protectedBy}, which stays read-only` };
  if (writable.roots.some((root) => isInside(real, root))) return { type: 'writable' };
  const written = posix.normalize(path);
  if (real !== written) return { type: 'not_writable', reason: `${path} leads to ${real}, outside the writable roots` };
  return { type: 'not_writable', reason: `${path} is outside the writable roots` };
}
