/**
 * Recognizes a shell call that runs apply_patch, so it goes through the patch engine (with its approvals and events)
 * instead of the shell. Models write it as argv `["apply_patch", PATCH]`, or as a shell script:
 * `bash -lc "apply_patch <<'EOF'\n…\nEOF\n"`, possibly after `cd DIR && `. Only those exact shapes count: a script
 * that does anything more is the shell's business. But once a script clearly starts by calling apply_patch and the
 * rest cannot be read, the model gets an error saying why, rather than the shell's "command not found". Pure.
 */

export type Invocation =
  /** `workdir` is the `cd` target as written (relative to the call's working directory unless absolute). */
  | { type: 'patch'; patch: string; workdir?: string }
  | { type: 'not_patch' }
  | { type: 'error'; message: string };

const PROGRAM_NAMES = new Set(['apply_patch', 'applypatch']);
const POSIX_SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
const NOT_PATCH: Invocation = { type: 'not_patch' };
const RAW_PATCH_MESSAGE =
  'patch detected without explicit call to apply_patch. Rerun as ["apply_patch", "<patch>"], or use the apply_patch tool';

export function parseInvocation(argv: readonly string[]): Invocation {
  const [program, ...args] = argv;
  if (program === undefined) return NOT_PATCH;
  const name = baseName(program);
  if (PROGRAM_NAMES.has(name)) {
    if (args.length === 1) return { type: 'patch', patch: args[0]! };
    return {
      type: 'error',
      message:
        args.length === 0
          ? 'apply_patch needs the patch text as its only argument: ["apply_patch", "*** Begin Patch\\n…\\n*** End Patch"]'
          : `apply_patch takes exactly one argument, the whole patch text (got ${args.length})`,
    };
  }
  if (args.length === 0 && looksLikePatch(program)) return { type: 'error', message: RAW_PATCH_MESSAGE };
  const script = shellScript(name, args);
  return script === null ? NOT_PATCH : parseScript(script);
}

function baseName(program: string): string {
  const name = program.slice(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1);
  return name.toLowerCase().replace(/\.exe$/, '');
}

function looksLikePatch(text: string): boolean {
  return text.trimStart().startsWith('*** Begin Patch');
}

/** The script of `bash -lc SCRIPT` and its relatives, or null when argv is not such a call. */
function shellScript(shell: string, args: string[]): string | null {
  if (POSIX_SHELLS.has(shell)) {
    // `-c`, `-lc`, `-ec`…: single-letter flags ending with c, as one word; or `-l -c`.
    if (args.length === 2 && /^-[a-z]*c$/.test(args[0]!)) return args[1]!;
    if (args.length === 3 && args[0] === '-l' && args[1] === '-c') return args[2]!;
    return null;
  }
  if (shell === 'pwsh' || shell === 'powershell') {
    const rest = args[0]?.toLowerCase() === '-noprofile' ? args.slice(1) : args;
    return rest.length === 2 && /^-(c|command)$/i.test(rest[0]!) ? rest[1]! : null;
  }
  if (shell === 'cmd') return args.length === 2 && args[0]!.toLowerCase() === '/c' ? args[1]! : null;
  return null;
}

/** A cursor over the script text with the few shell lexing rules the accepted shapes need. */
class Scanner {
  position = 0;

  constructor(readonly text: string) {}

  skipBlanks(): void {
    while (this.position < this.text.length && (this.text[this.position] === ' ' || this.text[this.position] === '\t')) this.position++;
  }

  skipWhitespace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position++;
  }

  take(literal: string): boolean {
    if (!this.text.startsWith(literal, this.position)) return false;
    this.position += literal.length;
    return true;
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  /** One shell word: bare, '…' or "…" (without expansions). Null when the next thing is not a plain word. */
  word(): string | null {
    const quote = this.text[this.position];
    if (quote === "'" || quote === '"') {
      const close = this.text.indexOf(quote, this.position + 1);
      if (close === -1) return null;
      const inner = this.text.slice(this.position + 1, close);
      // Double quotes would expand $ and backquotes and interpret escapes; those forms are not plain paths.
      if (quote === '"' && /[$`\\]/.test(inner)) return null;
      this.position = close + 1;
      return inner;
    }
    const match = /^[^\s;&|<>()$`'"\\]+/.exec(this.text.slice(this.position, this.position + 4096));
    if (match === null) return null;
    this.position += match[0].length;
    return match[0];
  }
}

function parseScript(script: string): Invocation {
  const scanner = new Scanner(script);
  scanner.skipWhitespace();
  if (looksLikePatch(script)) return { type: 'error', message: RAW_PATCH_MESSAGE };

  let workdir: string | undefined;
  const start = scanner.position;
  if (scanner.take('cd') && /[ \t]/.test(script[scanner.position] ?? '')) {
    scanner.skipBlanks();
    const directory = scanner.word();
    scanner.skipBlanks();
    if (directory === null || !scanner.take('&&')) return NOT_PATCH;
    scanner.skipWhitespace();
    workdir = directory;
  } else {
    scanner.position = start;
  }

  const program = scanner.word();
  if (program === null || !PROGRAM_NAMES.has(program)) return NOT_PATCH;
  const withDir = (patch: string): Invocation => (workdir === undefined ? { type: 'patch', patch } : { type: 'patch', patch, workdir });
  scanner.skipBlanks();

  if (scanner.take('<<')) {
    const body = heredoc(scanner);
    if (body.type === 'error') return body;
    return withDir(body.text);
  }
  if (scanner.atEnd() || /^\s*$/.test(script.slice(scanner.position))) {
    const message = `${program} was called without a patch: pass it as a heredoc (${program} <<'EOF' … EOF) or as the one argument`;
    return { type: 'error', message };
  }
  const quoted = script[scanner.position] === "'" || script[scanner.position] === '"' ? scanner.word() : null;
  scanner.skipWhitespace();
  if (quoted !== null && scanner.atEnd()) return withDir(quoted);
  return {
    type: 'error',
    message:
      `${program} must be the only command of the script (optionally after \`cd DIR &&\`), ` +
      `with the patch as a heredoc: ${program} <<'EOF' … EOF`,
  };
}

/** The body of `<<DELIM` / `<<'DELIM'` / `<<"DELIM"` / `<<-DELIM`, which must end the script. */
function heredoc(scanner: Scanner): { type: 'body'; text: string } | { type: 'error'; message: string } {
  const stripTabs = scanner.take('-');
  scanner.skipBlanks();
  const delimiter = scanner.word();
  const lineEnd = scanner.text.indexOf('\n', scanner.position);
  if (delimiter === null || delimiter === '' || lineEnd === -1 || scanner.text.slice(scanner.position, lineEnd).trim() !== '') {
    return { type: 'error', message: "apply_patch's heredoc must be the whole command: apply_patch <<'EOF', a newline, the patch, then a line EOF" };
  }
  const lines = scanner.text.slice(lineEnd + 1).split('\n');
  const body: string[] = [];
  for (const [index, raw] of lines.entries()) {
    const line = stripTabs ? raw.replace(/^\t+/, '') : raw;
    if (line.replace(/\r$/, '').trimEnd() === delimiter) {
      const rest = lines.slice(index + 1).join('\n');
      if (rest.trim() !== '') {
        return { type: 'error', message: 'apply_patch must be the only command of the script: nothing may follow its heredoc' };
      }
      return { type: 'body', text: body.join('\n') + '\n' };
    }
    body.push(line);
  }
  return { type: 'error', message: `apply_patch's heredoc is not closed: no line '${delimiter}' after the patch` };
}
