/**
 * The last line `keel exec` writes on stderr for people, the same verdict as `--json`'s `exec_result`:
 * `keel exec: completed · exit 0 · session 3f2a1b2c… · 12k tokens · calls: 5 ok, 1 failed, 1 refused`. Not `keel:`,
 * which starts keel's error messages: a script or a test that looks for errors on stderr must not find the verdict.
 */
import { formatTokens } from '../util/format-tokens.ts';
import { EXIT_REFUSED } from '../util/exit-codes.ts';
import type { ExecResult, ToolCallTally } from './exec-result.ts';
import type { Style } from './style.ts';

/** Enough of a session id to tell sessions apart in a log; `keel sessions` and the first line have it whole. */
const SHOWN_ID_CHARS = 8;

const CALL_WORDS: ReadonlyArray<[keyof ToolCallTally, string]> = [
  ['completed', 'ok'],
  ['failed', 'failed'],
  ['refused', 'refused'],
  ['denied', 'denied'],
  ['aborted', 'aborted'],
];

export function verdictLine(result: ExecResult, style: Style): string {
  const id = result.session_id.length > SHOWN_ID_CHARS ? `${result.session_id.slice(0, SHOWN_ID_CHARS)}…` : result.session_id;
  const exit = result.exit_code === EXIT_REFUSED ? `exit ${result.exit_code} (--fail-on-refusal)` : `exit ${result.exit_code}`;
  const parts = [`keel exec: ${result.status}`, exit, `session ${id}`, `${formatTokens(result.usage.total_tokens)} tokens`, callsPart(result.tool_calls)];
  if (result.resets_at !== undefined) parts.push(result.resets_at === null ? 'quota exhausted (no reset time given)' : `quota resets at ${result.resets_at}`);
  const line = parts.join(' · ');
  if (result.status === 'failed') return style.red(line);
  if (result.status === 'interrupted' || result.exit_code !== 0) return style.yellow(line);
  return style.dim(line);
}

function callsPart(calls: ToolCallTally): string {
  const shown = CALL_WORDS.filter(([key]) => calls[key] > 0).map(([key, word]) => `${calls[key]} ${word}`);
  return shown.length === 0 ? 'no calls' : `calls: ${shown.join(', ')}`;
}
