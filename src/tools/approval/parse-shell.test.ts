import { describe, expect, it } from 'vitest';
import { analyzeArgv } from './analyze-command.ts';
import { parseShell } from './parse-shell.ts';
import type { ShellList, SimpleCommand } from './shell-ast.ts';
import { wordValue } from './word-value.ts';

function parsed(source: string, dialect: 'bash' | 'posix' = 'bash'): ShellList {
  const outcome = parseShell(source, dialect);
  if (outcome.type !== 'parsed') throw new Error(outcome.reason);
  return outcome.script;
}

/** Every simple command's words, as the shell would pass them (literal words only). */
function commands(source: string): string[][] {
  return analyzeArgv(['bash', '-c', source]).commands.slice(1).map((command) => command.words.map((word) => word.value));
}

function first(source: string): SimpleCommand {
  const command = parsed(source).items[0]!.pipelines[0]!.commands[0]!;
  if (command.type !== 'simple') throw new Error('not simple');
  return command;
}

describe('parseShell', () => {
  it('builds lists, chains, pipelines and background items', () => {
    const script = parsed('a | b && ! c || d; e & f\ng');
    expect(script.items).toHaveLength(4);
    expect(script.items[0]).toMatchObject({ operators: ['&&', '||'], background: false });
    expect(script.items[0]!.pipelines.map((pipeline) => [pipeline.negated, pipeline.commands.length])).toEqual([[false, 2], [true, 1], [false, 1]]);
    expect(script.items[1]!.background).toBe(true);
  });

  it('reads subshells and groups with their redirections', () => {
    const [item] = parsed('(a; b) > out && { c; d; } 2>&1').items;
    expect(item!.pipelines[0]!.commands[0]).toMatchObject({ type: 'subshell', redirects: [{ op: '>', fd: null }] });
    expect(item!.pipelines[1]!.commands[0]).toMatchObject({ type: 'group', redirects: [{ op: '>&', fd: 2 }] });
  });

  it('removes quotes and escapes the way the shell does', () => {
    expect(commands(`echo 'a b' "c \\"d\\" \\$e" f\\ g h""i 'j'"k"`)).toEqual([['echo', 'a b', 'c "d" $e', 'f g', 'hi', 'jk']]);
    expect(commands('echo "a\\nb" \'c\\d\'')).toEqual([['echo', 'a\\nb', 'c\\d']]);
    expect(commands('ec\\\nho x')).toEqual([['echo', 'x']]);
  });

  it('decodes $\'…\' exactly, or refuses', () => {
    expect(commands("echo $'\\x72\\155\\t\\u0041\\''")).toEqual([['echo', 'rm\tA\'']]);
    expect(parseShell("echo $'\\cA'")).toEqual({ type: 'unparsable', reason: "the escape \\c in $'…' is not analysed" });
    // bash cuts the word at a NUL, emits \xff as a raw byte, and spells \u00e9 by the locale: none is a JS string.
    for (const escape of ['\\0', '\\x00', '\\xff', '\\377', '\\u00e9', '\\U0001F600']) {
      expect(parseShell(`echo $'a${escape}b'`), escape).toEqual({ type: 'unparsable', reason: `the escape ${escape} in $'…' is not analysed` });
    }
  });

  it('separates assignments from words, and only in front of the command', () => {
    const command = first('A=1 B+="x y" cmd C=3');
    expect(command.assignments.map((assignment) => [assignment.name, assignment.append, wordValue(assignment.value, 'bash')])).toEqual([
      ['A', false, { type: 'literal', value: '1' }],
      ['B', true, { type: 'literal', value: 'x y' }],
    ]);
    expect(command.words.map((word) => word.raw)).toEqual(['cmd', 'C=3']);
  });

  it('finds commands inside substitutions, nested ones too', () => {
    expect(commands('echo $(a $(b) `c`) "$(d)" <(e) >(f)')).toEqual([['b'], ['c'], ['a', '$(b)', '`c`'], ['d'], ['e'], ['f'], ['echo', '$(a $(b) `c`)', '"$(d)"', '<(e)', '>(f)']]);
    expect(commands('echo `echo \\`inner\\``')).toEqual([['inner'], ['echo', '`inner`'], ['echo', '`echo \\`inner\\``']]);
  });

  it('reads here-documents, with the body literal when the delimiter is quoted', () => {
    const quoted = first("cat <<'END'\n$(not run)\nEND\n").redirects[0]!;
    expect(wordValue(quoted.heredoc!, 'bash')).toEqual({ type: 'literal', value: '$(not run)\n' });
    expect(commands('cat <<END\n$(runs)\nEND\necho after')).toEqual([['runs'], ['cat'], ['echo', 'after']]);
    expect(commands('cat <<-END\n\tx\n\tEND\nls')).toEqual([['cat'], ['ls']]);
  });

  it('tells globs that can become options from those that cannot', () => {
    const value = (raw: string) => wordValue(first(`ls ${raw}`).words[1]!, 'bash');
    expect(value('*.ts')).toMatchObject({ type: 'expanding', canBeOption: true });
    expect(value('src/*.ts')).toMatchObject({ type: 'expanding', canBeOption: false });
    expect(value('-*')).toMatchObject({ type: 'expanding', canBeOption: true });
    expect(value('"*.ts"')).toEqual({ type: 'literal', value: '*.ts' });
    expect(value('\\*')).toEqual({ type: 'literal', value: '*' });
    expect(value('~/x')).toMatchObject({ type: 'expanding', expansion: 'tilde', canBeOption: false });
    expect(value('a{b,c}')).toMatchObject({ type: 'dynamic' });
    expect(wordValue(first('ls a{b,c}').words[1]!, 'posix')).toEqual({ type: 'literal', value: 'a{b,c}' });
  });

  it('keeps comments out and # inside words', () => {
    expect(commands('ls a#b # rm -rf /\npwd')).toEqual([['ls', 'a#b'], ['pwd']]);
  });

  it('refuses what it does not model, with the reason', () => {
    const reasons: [string, RegExp][] = [
      ['case x in a) ls;; esac', /"case" compound commands/],
      ['select x in a; do ls; done', /"select"/],
      ['time ls', /"time"/],
      ['a=(1 2)', /array assignments/],
      ['ls {fd}>x', /\{name\}> redirections/],
      ['echo $((a); (b))', /ambiguous/],
      ['echo $(( $(x) ))', /substitution inside \$\(\(…\)\)/],
      ['(ls) foo', /unexpected word "foo"/],
      ['( )', /empty|expected a command/],
      ['ls >', /has no target/],
      ['ls ;; x', /unexpected ";;"/],
      [')', /expected a command/],
      ['echo \\', /a backslash ends the script/],
      ['cat <<$X\nx\n$X', /delimiter with substitutions/],
    ];
    for (const [source, reason] of reasons) expect(parseShell(source), source).toEqual({ type: 'unparsable', reason: expect.stringMatching(reason) });
  });

  it('refuses bash-only syntax in a POSIX sh script rather than misreading it', () => {
    for (const source of ['ls &> x', 'a |& b', 'cat <<< x', 'diff <(a) b', "echo $'x'"]) {
      expect(parseShell(source, 'posix').type, source).toBe('unparsable');
      expect(parseShell(source, 'bash').type, source).toBe('parsed');
    }
  });

  it('reads what bash reads where the differential test found it did not', () => {
    // A line ending in a backslash joins the next before bash looks for the delimiter.
    expect(commands('cat <<E\na\\\nE\nE\necho x')).toEqual([['cat'], ['echo', 'x']]);
    expect(wordValue(first('cat <<E\na\\\nE\nE\n').redirects[0]!.heredoc!, 'bash')).toEqual({ type: 'literal', value: 'aE\n' });
    expect(wordValue(first("cat <<'E'\na\\\nE\n").redirects[0]!.heredoc!, 'bash')).toEqual({ type: 'literal', value: 'a\\\n' });
    // A process substitution inside a word is part of that word.
    expect(first('echo a<(ls)b').words.map((word) => word.raw)).toEqual(['echo', 'a<(ls)b']);
    // bash expands `~` after `=` and `:` in assignments and in arguments that look like one.
    expect(wordValue(first('echo a=~/x').words[1]!, 'bash')).toMatchObject({ type: 'expanding', expansion: 'tilde' });
    expect(wordValue(first('K=a:~/x ls').assignments[0]!.value, 'bash')).toMatchObject({ type: 'expanding', expansion: 'tilde' });
    expect(wordValue(first('ls ~-').words[1]!, 'bash')).toMatchObject({ type: 'dynamic' });
    expect(wordValue(first('ls {a,{b}}').words[1]!, 'bash')).toMatchObject({ type: 'dynamic' });
    // `! !` negates twice; backquotes drop backslash-newline, even inside their single quotes.
    expect(parsed('! ! ls').items[0]!.pipelines[0]).toMatchObject({ negated: false, commands: [{ words: [{ raw: 'ls' }] }] });
    expect(commands("echo `echo 'a\\\nb'`")).toEqual([['echo', 'ab'], ['echo', "`echo 'a\\\nb'`"]]);
  });

  it('refuses what bash reads as syntax or joins across a line continuation', () => {
    // From `$( { echo \&; } )` on, bash 5.2 does something other than what its grammar says: it re-reads `$( … )`
    // from a reprint that drops the `;` after `\&`; `${.}` is a bad substitution; `$$(` is read as `$(` to find the
    // word's end; after `~:` or `~=`, nothing more of the word is expanded;
    // `name[` where an assignment may stand reads on to its `]`.
    for (const source of ['a | ! b', '}', 'ls; }', 'in x', 'echo $\\\nHOME', 'echo 2\\\n>x', 'a &\\\n& b', 'echo a 12345>x', 'echo $( { echo \\&; } )', 'echo ${.}', 'echo "$$(x)"', 'echo ~:$(x)', 'echo ~=~$(x)', 'x[a b]', 'x[a]=1 ls', 'export x[a b]', 'echo "`echo "a"`"']) {
      expect(parseShell(source).type, source).toBe('unparsable');
    }
  });

  it('survives deep nesting by refusing it', () => {
    const deep = `${'$('.repeat(40)}ls${')'.repeat(40)}`;
    expect(parseShell(`echo ${deep}`)).toEqual({ type: 'unparsable', reason: 'the script nests too deeply' });
  });
});
