/**
 * What an approval prompt shows: the command or patch being asked about and why. The app draws these lines above
 * its own choice line. The command and path helpers here are shared with the transcript, so a command looks the
 * same when it is asked about, while it runs and once it has ended.
 */
import { quoteArgv } from '../util/shell-quote.ts';
import type { EventOf, FileChange } from '../protocol/index.ts';
import { fileChangeLines } from './diff-lines.ts';
import { sanitize, sanitizeLines } from '../util/text/sanitize.ts';
import { span, type Line, type Span } from '../util/text/styled.ts';

export type ApprovalRequest = EventOf<'exec_approval_request'> | EventOf<'apply_patch_approval_request'> | EventOf<'mcp_tool_approval_request'>;

/** A person must see all they approve: no file of a patch is cut short. */
const PATCH_FILE_LINES = Number.POSITIVE_INFINITY;

export function approvalLines(request: ApprovalRequest, cwd: string): Line[] {
  if (request.type === 'exec_approval_request') {
    return [title('Run this command?'), ...commandLines(quoteArgv(request.command), request.cwd, cwd), ...reasonLines(request.reason)];
  }
  if (request.type === 'mcp_tool_approval_request') {
    const { server, tool, arguments: args } = request.invocation;
    // Every argument, pretty-printed: a person must see all they approve.
    const argLines = sanitizeLines(JSON.stringify(args, null, 2)).map((text): Line => ({ spans: [span(`  ${text}`)], indent: 2 }));
    return [title('Call this MCP tool?'), { spans: [span('  '), span(`${sanitize(server)}.${sanitize(tool)}`, { bold: true })], indent: 2 }, ...argLines, ...reasonLines(request.reason)];
  }
  const files = Object.entries(request.changes).flatMap(([path, change]) =>
    fileChangeLines(relativePath(path, cwd), relativeChange(change, cwd), PATCH_FILE_LINES),
  );
  return [title('Apply this patch?'), ...files, ...reasonLines(request.reason)];
}

/**
 * `$ command` (`command` already quoted, see quoteArgv), with a dim `(in DIR)` when the command runs somewhere else
 * than the session's directory. A command with newlines in it (a script passed to `bash -lc`) keeps them,
 * continuation lines indented; past `maxLines` the rest is summed up in one dim line. Approval prompts show every
 * line: a person must see all they approve. `lead` stands instead of the `$ ` before the first line (the title of a
 * command that went on in the background).
 */
export function commandLines(command: string, dir: string | null, cwd: string, maxLines = Infinity, lead?: readonly Span[]): Line[] {
  const [head = '', ...rest] = sanitizeLines(command);
  const first: Line = { spans: lead === undefined ? [span('$', { color: 'cyan' }), span(` ${head}`)] : [...lead, span(head)], indent: 2 };
  if (dir !== null && dir !== cwd) first.spans.push(span(` (in ${sanitize(relativePath(dir, cwd))})`, { dim: true }));
  const shown = rest.slice(0, Math.max(0, maxLines - 1));
  const lines = [first, ...shown.map((text): Line => ({ spans: [span(`  ${text}`)], indent: 2 }))];
  const hidden = rest.length - shown.length;
  if (hidden > 0) lines.push({ spans: [span(`  … (${hidden} more lines)`, { dim: true })] });
  return lines;
}

/** `path` relative to `cwd` when it is inside it; other paths stay as they are. */
export function relativePath(path: string, cwd: string): string {
  if (cwd === '') return path;
  if (path === cwd) return '.';
  const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** A change whose move destination is shown relative to `cwd`, like its source. */
export function relativeChange(change: FileChange, cwd: string): FileChange {
  if (change.type !== 'update' || change.move_path === null) return change;
  return { ...change, move_path: relativePath(change.move_path, cwd) };
}

function title(text: string): Line {
  return { spans: [span(text, { bold: true, color: 'yellow' })] };
}

function reasonLines(reason: string | null): Line[] {
  if (reason === null) return [];
  return sanitizeLines(reason).map((text) => ({ spans: [span(text, { dim: true })] }));
}
