/**
 * Did the sandbox make this command fail? A heuristic (reference 5.2): only a sandboxed run that exited non-zero
 * can be a denial; then the output is searched for what a blocked write or a bubblewrap failure prints. With the
 * network cut off, a failed name lookup or an unreachable network is the sandbox's doing too. Exit codes 2, 126 and
 * 127 are the program's own complaints (usage, not executable, not found) and never count by themselves.
 */

export type SandboxDenial = { type: 'likely_denial'; evidence: string } | { type: 'not_denial' };

export interface DenialContext {
  /** The command ran inside a sandbox. */
  sandboxed: boolean;
  /** The sandbox cut the network off. */
  networkDisabled: boolean;
}

const DENIAL_PHRASES = ['operation not permitted', 'permission denied', 'read-only file system', 'seccomp', 'sandbox', 'landlock', 'failed to write file', 'bwrap:'];

const NETWORK_PHRASES = ['could not resolve host', 'temporary failure in name resolution', 'name or service not known', 'network is unreachable', 'getaddrinfo eai_again', 'getaddrinfo enotfound'];

// 128 + SIGSYS: what a seccomp filter that kills a process leaves.
const SIGSYS_EXIT = 128 + 31;

export function detectSandboxDenial(exitCode: number | null, output: string, context: DenialContext): SandboxDenial {
  if (!context.sandboxed || exitCode === 0) return { type: 'not_denial' };
  const text = output.toLowerCase();
  const phrases = context.networkDisabled ? [...DENIAL_PHRASES, ...NETWORK_PHRASES] : DENIAL_PHRASES;
  const found = phrases.find((phrase) => text.includes(phrase));
  if (found !== undefined) return { type: 'likely_denial', evidence: quoteAround(output, text.indexOf(found), found.length) };
  if (exitCode === SIGSYS_EXIT) return { type: 'likely_denial', evidence: 'killed by SIGSYS' };
  return { type: 'not_denial' };
}

export function isLikelySandboxDenial(exitCode: number | null, output: string, context: DenialContext = { sandboxed: true, networkDisabled: false }): boolean {
  return detectSandboxDenial(exitCode, output, context).type === 'likely_denial';
}

/** The line of output that matched, for the person deciding whether to retry. */
function quoteAround(output: string, at: number, length: number): string {
  const start = output.lastIndexOf('\n', at) + 1;
  const newline = output.indexOf('\n', at + length);
  const line = output.slice(start, newline < 0 ? output.length : newline).trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
