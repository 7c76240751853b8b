/** The apply_patch engine's public surface, for the tool integration, approvals and the CLI. */
export {
  applyPatch,
  commitPatch,
  planPatch,
  summaryOf,
  type AffectedPaths,
  type ApplyPatchResult,
  type PatchApplied,
  type PatchFailure,
  type PatchPlan,
  type PlanPatchResult,
} from './apply-patch.ts';
export { applyPatchCommand, type CommandIo } from './command.ts';
export { MemoryPatchFs } from './memory-patch-fs.ts';
export { parseInvocation, type Invocation } from './parse-invocation.ts';
export { parsePatch, describeParseError, type ParseError, type ParseResult } from './parse-patch.ts';
export type { Hunk, Patch, UpdateChunk, ChunkLine } from './patch-syntax.ts';
export { nodePatchFs, type EntryInfo, type EntryKind, type PatchFs, type PatchReader } from './patch-fs.ts';
export type { FileEffect, PlanError } from './plan-hunks.ts';
export {
  APPLY_PATCH_TOOL_NAME,
  applyPatchFreeformSpec,
  applyPatchFunctionSpec,
  patchFromArguments,
} from './tool-spec.ts';
export { createApplyPatchTool, type ApplyPatchToolOptions, type PatchArgs } from './patch-tool.ts';
export { gitFileDiff, type FileVersion } from './git-diff.ts';
export { diffLabel } from './file-changes.ts';
