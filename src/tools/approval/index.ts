/** Approval decisions for commands and patches, and the shell parsing they rest on. */
export { analyzeArgv, type CommandAnalysis, type FoundCommand, type FoundRedirect } from './analyze-command.ts';
export { assessCommand, commandApprovalKey, type CommandAssessment, type CommandAssessmentInput } from './assess-command.ts';
export { assessPatch, checkWritable, patchPaths, type PatchAssessment, type PatchAssessmentInput, type WriteVerdict } from './assess-patch.ts';
export { assessSandboxRetry, type SandboxRetryAssessment } from './assess-sandbox-retry.ts';
export { matchRules, type CommandRule, type RuleMatch } from './command-rules.ts';
export { checkKnownSafe, isKnownSafe, knownSafeVerdict, type KnownSafeVerdict } from './known-safe.ts';
export { parseShell } from './parse-shell.ts';
export type { ParseOutcome, ShellDialect, ShellList } from './shell-ast.ts';
