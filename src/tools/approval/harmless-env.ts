/**
 * Environment variables a command may set in front of another (`LC_ALL=C grep …`) without changing what that
 * command can do. Everything else is suspect: `PAGER`, `GIT_EXTERNAL_DIFF`, `LD_PRELOAD`, `PATH`, `BASH_ENV`,
 * `RIPGREP_CONFIG_PATH` … each turn a read-only command into one that runs a program of the caller's choosing.
 * A list of the harmless is short and stays correct; a list of the dangerous never would.
 */

const HARMLESS = new Set(['LANG', 'LANGUAGE', 'LC_ALL', 'NO_COLOR', 'FORCE_COLOR', 'CLICOLOR', 'TZ', 'COLUMNS', 'LINES', 'TERM', 'CI', 'NODE_ENV', 'RUST_BACKTRACE']);

export function isHarmlessEnvName(name: string): boolean {
  // LC_CTYPE, LC_MESSAGES, …; LOCPATH (which loads locale files from anywhere) does not match.
  return HARMLESS.has(name) || /^LC_[A-Z]+$/.test(name);
}

/** `NAME=value` as a separate argument (the form `env` takes), or null. */
export function splitAssignment(word: string): { name: string; value: string } | null {
  const match = /^([A-Za-z_]\w*)=/.exec(word);
  return match ? { name: match[1]!, value: word.slice(match[0].length) } : null;
}
