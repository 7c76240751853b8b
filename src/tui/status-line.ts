/**
 * The bottom line: model and reasoning effort, approval and sandbox mode, background processes running, context left,
 * tokens used, directory.
 */
import { formatTokens } from '../util/format-tokens.ts';
import type { AskForApproval, SandboxPolicy, TokenUsage } from '../protocol/index.ts';
import { sanitize } from '../util/text/sanitize.ts';
import { span, type Line } from '../util/text/styled.ts';
import { truncateLine } from '../util/text/wrap.ts';

export interface StatusInfo {
  model: string;
  /** The reasoning effort requests ask for; null when none is sent. */
  reasoningEffort: string | null;
  cwd: string;
  approval: AskForApproval;
  sandbox: SandboxPolicy;
  totalUsage: TokenUsage | null;
  /** Tokens the last request's context held (input + output of the last response). */
  contextUsed: number | null;
  contextWindow: number | null;
}

/**
 * Part of every context taken by instructions and tool descriptions, which the person cannot free: left out of
 * the percentage so that "100% left" means an empty conversation.
 */
const BASELINE_TOKENS = 12_000;

export function contextLeftPercent(used: number, window: number): number {
  if (window <= BASELINE_TOKENS) return 0;
  const effective = window - BASELINE_TOKENS;
  const spent = Math.max(0, used - BASELINE_TOKENS);
  return Math.round((Math.max(0, effective - spent) / effective) * 100);
}

export function shortPath(path: string, home: string | undefined): string {
  if (home && (path === home || path.startsWith(`${home}/`))) return `~${path.slice(home.length)}`;
  return path;
}

export { formatTokens };

/** `background`: how many background processes run; shown when any does, since they go on between tasks. */
export function statusLine(info: StatusInfo, width: number, home: string | undefined, background = 0): Line {
  // Most important first: a narrow screen cuts the directory, which the header already shows, not the context left.
  // The effort goes with the model: together they say how the answers are made.
  const parts = [info.model];
  if (info.reasoningEffort !== null) parts.push(`reasoning ${info.reasoningEffort}`);
  parts.push(`${info.approval} · ${info.sandbox.type}`);
  if (background > 0) parts.push(`${background} background`);
  if (info.contextUsed !== null && info.contextWindow !== null) parts.push(`${contextLeftPercent(info.contextUsed, info.contextWindow)}% context left`);
  if (info.totalUsage !== null && info.totalUsage.total_tokens > 0) parts.push(`${formatTokens(info.totalUsage.total_tokens)} tokens`);
  parts.push(shortPath(info.cwd, home));
  return truncateLine({ spans: [span(sanitize(parts.join(' · ')), { dim: true })] }, width);
}

/** "5m ago", for lists of sessions. */
export function relativeTime(then: Date, now: number): string {
  const seconds = Math.max(0, Math.round((now - then.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}
