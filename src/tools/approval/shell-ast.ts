/**
 * The syntax tree of the shell subset keel reads exactly: lists, `&&`/`||` chains, pipelines, subshells, groups,
 * simple commands with assignments, words and redirections, and the substitutions inside words. Compound commands
 * (`if`, `for`, `case`, `[[ … ]]`, functions, …) are not modelled: the parser calls such scripts unparsable.
 *
 * The tree is read-only. To keep a 100 KB script's tree small, nodes share frozen objects: one empty array for every
 * empty list, and one `parts` array for every use of the same short plain word.
 */

/** How the script will be read: `bash` also covers zsh (as Codex does); `posix` is sh/dash, where bash-only syntax means something else. */
export type ShellDialect = 'bash' | 'posix';

export type ParseOutcome = { type: 'parsed'; script: ShellList } | { type: 'unparsable'; reason: string };

export interface ShellList {
  items: AndOrItem[];
}

/** Pipelines joined by `&&` / `||`; `background` when the item ended with `&`. */
export interface AndOrItem {
  pipelines: Pipeline[];
  operators: ('&&' | '||')[];
  background: boolean;
}

export interface Pipeline {
  negated: boolean;
  commands: ShellCommand[];
}

export type ShellCommand = SimpleCommand | CompoundCommand;

export interface SimpleCommand {
  type: 'simple';
  assignments: Assignment[];
  /** The program and its arguments. Empty for an assignment-only or redirection-only command. */
  words: Word[];
  redirects: Redirect[];
}

/** `( list )` runs in a subshell, `{ list; }` in the current shell; both may carry redirections. */
export interface CompoundCommand {
  type: 'subshell' | 'group';
  body: ShellList;
  redirects: Redirect[];
}

export interface Assignment {
  name: string;
  /** `NAME+=value` (bash) appends. */
  append: boolean;
  value: Word;
}

export interface Word {
  /** The word as written, for messages. */
  raw: string;
  parts: WordPart[];
}

export type WordPart =
  /** Literal characters; `quoted` when they came from quotes or a backslash, so globs and `~` in them stay literal. */
  | { type: 'text'; value: string; quoted: boolean }
  /** `$name`, `${…}`, `$1`, `$@`, …: the value is only known when the command runs. */
  | { type: 'param'; raw: string }
  /** `$(( … ))`. */
  | { type: 'arith'; raw: string }
  /** `$( … )` or backticks: runs `body` and splices its output into the word. */
  | { type: 'command_sub'; body: ShellList; raw: string }
  /** `<( … )` / `>( … )`: runs `body` with a pipe whose path becomes the word. */
  | { type: 'process_sub'; body: ShellList; raw: string };

export type RedirectOp = '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '&>' | '&>>' | '<<' | '<<-' | '<<<';

export interface Redirect {
  /** The file descriptor written before the operator (`2>`), null for the operator's default. */
  fd: number | null;
  op: RedirectOp;
  /** The file, descriptor, here-string or (for `<<`) the delimiter. */
  target: Word;
  /** For `<<` / `<<-`: the document's text, scanned like a double-quoted string unless the delimiter was quoted. */
  heredoc?: Word;
}
