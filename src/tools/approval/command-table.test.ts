/**
 * The decision table: each command line with what keel must decide. `safe` lines run without asking and without a
 * sandbox under every policy; every other line asks under `untrusted` and is refused under `never` when no
 * sandbox can run, with the reason matched here (the reason is what the person and the model are told).
 * Adversarial lines come from user-expectations failure mode 6.
 */
import { describe, expect, it } from 'vitest';
import { assessCommand } from './assess-command.ts';
import { checkKnownSafe } from './known-safe.ts';

const bash = (script: string) => ['bash', '-lc', script];
type Row = [argv: string[], expected: 'safe' | RegExp];

const SAFE: Row[] = [
  [['ls'], 'safe'],
  [['ls', '-la', 'src'], 'safe'],
  [['/bin/ls', '-l'], 'safe'],
  [['/usr/bin/cat', 'README.md'], 'safe'],
  [['cat', 'package.json'], 'safe'],
  [['head', '-n', '20', 'src/a.ts'], 'safe'],
  [['tail', '-n', '5', 'log.txt'], 'safe'],
  [['wc', '-l', 'a', 'b'], 'safe'],
  [['grep', '-rn', 'TODO', 'src'], 'safe'],
  [['rg', '-n', 'parseShell', 'src'], 'safe'],
  [['rg', '--files'], 'safe'],
  [['find', '.', '-name', '*.ts', '-type', 'f'], 'safe'],
  [['git', 'status'], 'safe'],
  [['git', 'status', '--short'], 'safe'],
  [['git', 'log', '--oneline', '-n', '10'], 'safe'],
  [['git', 'diff', '--stat', 'HEAD~1'], 'safe'],
  [['git', 'show', 'HEAD:src/a.ts'], 'safe'],
  [['git', '--no-pager', 'log', '-p'], 'safe'],
  [['git', 'branch'], 'safe'],
  [['git', 'branch', '--show-current'], 'safe'],
  [['git', 'branch', '-a', '-v'], 'safe'],
  [['git', 'branch', '--list', 'feat/*'], 'safe'],
  [['sed', '-n', '10p', 'a.txt'], 'safe'],
  [['sed', '-n', '1,40p', 'src/a.ts'], 'safe'],
  [['echo', 'hello'], 'safe'],
  [['pwd'], 'safe'],
  [['true'], 'safe'],
  [['which', 'node'], 'safe'],
  [['stat', 'a.txt'], 'safe'],
  [['uniq', '-c', 'sorted.txt'], 'safe'],
  [['base64', 'a.bin'], 'safe'],
  [['ls', '&&', 'rm', '-rf', '/'], 'safe'], // argv, no shell: "&&" is a file name given to ls
  [bash('ls -la'), 'safe'],
  [bash('ls && pwd'), 'safe'],
  [bash('git status || git log -n 1'), 'safe'],
  [bash('cat a.txt | grep foo | wc -l'), 'safe'],
  [bash('ls; echo done'), 'safe'],
  [bash('(cd src && ls) && { echo ok; }'), 'safe'],
  [bash('git status 2>&1 | head -n 20'), 'safe'],
  [bash('rg TODO src 2>/dev/null'), 'safe'],
  [bash('grep -c x < input.txt'), 'safe'],
  [bash("cat <<'EOF'\nliteral $HOME\nEOF"), 'safe'],
  [bash('grep foo <<< "a foo line"'), 'safe'],
  [bash('ls src/*.ts'), 'safe'],
  [bash('ls ~/projects'), 'safe'],
  [bash('LC_ALL=C grep -r x .'), 'safe'],
  [bash("echo 'a && b' \"c | d\""), 'safe'],
  [bash('find . -name "*.md" | head'), 'safe'],
  [bash('cd /tmp && ls -la'), 'safe'],
  [['zsh', '-lc', 'git diff'], 'safe'],
  [['sh', '-c', 'ls | wc -l'], 'safe'],
  [['bash', '-c', 'pwd'], 'safe'],
  [['env', 'LC_ALL=C', 'sort'], /sort is not on the read-only list/],
  [['env', 'LC_ALL=C', 'grep', 'x', 'f'], 'safe'],
  [bash('echo one\necho two'), 'safe'],
  [bash('ls \\\n  -la'), 'safe'],
  [bash('! grep -q x f'), 'safe'],
  [bash('ls # rm -rf /'), 'safe'],
];

const UNSAFE: Row[] = [
  // Programs off the list, or spelled to look like ones on it.
  [['rm', '-rf', 'build'], /rm is not on the read-only list/],
  [['npm', 'install'], /npm is not on the read-only list/],
  [['python3', '-c', 'print(1)'], /python3 is not on the read-only list/],
  [['./ls'], /\.\/ls is not a system program/],
  [['/tmp/x/cat', 'a'], /not a system program/],
  [bash('git status'.replace(' ', '\\ ')), /git status is not on the read-only list/],
  [bash("'git status'"), /git status is not on the read-only list/],
  // Every command of a pipe, chain, list and subshell is checked.
  [bash('ls | rm -rf x'), /rm is not/],
  [bash('true && rm important_file.txt'), /rm is not/],
  [bash('ls || rm x'), /rm is not/],
  [bash('ls; rm x'), /rm is not/],
  [bash('ls & rm x'), /rm is not/],
  [bash('ls\nrm x'), /rm is not/],
  [bash('(ls; rm x)'), /rm is not/],
  [bash('{ ls; rm x; }'), /rm is not/],
  [bash('cat x | xargs rm'), /xargs is not on the read-only list/],
  // Redirections that write.
  [bash('echo hi > out.txt'), /> out.txt writes a file/],
  [bash('echo hi >> ~/.bashrc'), />> ~\/.bashrc writes a file/],
  [bash('ls 2> errors.log'), /2> errors.log writes a file/],
  [bash('ls &> all.log'), /&> all.log writes a file/],
  [bash('cat a >| b'), />\| b writes a file/],
  [bash('ls >&out'), />& out writes a file/],
  [bash('cat <> f'), /opens a file for writing/],
  [bash('cat < /dev/tcp/example.com/80'), /opens a network connection/],
  [bash('(ls) > out'), /> out writes a file/],
  [bash('{ ls; } 2>> log'), /writes a file/],
  // Substitutions run commands.
  [bash('echo $(rm -rf x)'), /rm is not/],
  [bash('echo $(pwd)'), /\$\(pwd\) runs a command/],
  [bash('echo `whoami`'), /`whoami` runs a command/],
  [bash('cat "$(ls)"'), /runs a command/],
  [bash('diff <(ls a) <(ls b)'), /diff is not|runs a command/],
  [bash('cat <(ls)'), /<\(ls\) runs a command/],
  [bash('echo ${HOME}'), /is only known when the command runs/],
  [bash('cat $FILE'), /\$FILE is only known/],
  [bash('echo $((1+2))'), /computed when the command runs/],
  [bash('cat <<EOF\n$(rm -rf x)\nEOF'), /rm is not/],
  [bash('cat <<EOF\nhome is $HOME\nEOF'), /here-document: \$HOME/],
  [bash('X=$(rm x) ls'), /rm is not/],
  // eval, exec, source and friends.
  [bash('eval "ls"'), /eval is not on the read-only list/],
  [bash("eval 'rm -rf x'"), /eval is not|rm is not/],
  [bash('exec ls'), /exec is not on the read-only list/],
  [bash('source ./env.sh'), /source is not on the read-only list/],
  [bash('. ./env.sh'), /\. is not on the read-only list/],
  [bash('command ls'), /command is not on the read-only list/],
  [bash('sudo ls'), /sudo is not on the read-only list/],
  [bash('nohup ls'), /nohup is not/],
  [bash('timeout 5 cat x'), /timeout is not/],
  // Environment prefixes that change behaviour.
  [['env', 'X=1', 'ls'], /env sets X, which can change/],
  [['env', 'PAGER=./evil', 'git', 'log'], /env sets PAGER/],
  [['env', 'GIT_EXTERNAL_DIFF=./evil', 'git', 'diff'], /env sets GIT_EXTERNAL_DIFF/],
  [['env'], /env without a command prints the environment/],
  [['env', '-S', 'ls -la'], /env -S builds the command/],
  [bash('PAGER=./evil git log'), /setting PAGER can change/],
  [bash('LD_PRELOAD=./x.so ls'), /setting LD_PRELOAD/],
  [bash('PATH=.:$PATH ls'), /setting PATH/],
  [bash('RIPGREP_CONFIG_PATH=./rc rg x'), /setting RIPGREP_CONFIG_PATH/],
  [bash('GIT_DIR=/tmp/evil; git status'), /setting GIT_DIR/],
  // Argument injection into "safe" programs.
  [['rg', '--pre', './evil.sh', 'x'], /rg --pre runs a preprocessor/],
  [['rg', '--pre=./evil.sh', 'x'], /rg --pre/],
  [['rg', '--pre-glob', '*.pdf', 'x'], /rg --pre/],
  [['rg', '--pr=./evil.sh', 'x'], /rg --pre/],
  [['rg', '--search-zip', 'x'], /search-zip/],
  [['rg', '-iz', 'x'], /search-zip/],
  [['rg', '--hostname-bin=./x', 'y'], /hostname-bin/],
  [['find', '.', '-exec', 'rm', '{}', ';'], /find -exec runs another program/],
  [['find', '.', '-execdir', 'sh', '-c', 'x', ';'], /find -execdir/],
  [['find', '.', '-ok', 'rm', '{}', ';'], /find -ok/],
  [['find', '.', '-delete'], /find -delete removes files/],
  [['find', '.', '-fprint', '/etc/x'], /find -fprint writes a file/],
  [bash('find . -name x -exec rm {} \\;'), /find -exec/],
  [bash("find . '-delete'"), /find -delete/],
  [['git', '-c', 'core.pager=./evil', 'log'], /git -c can set any configuration/],
  [['git', '--config-env=core.pager=X', 'log'], /git --config-env/],
  [['git', '-C', '/tmp/evil', 'status'], /git -C reads another repository/],
  [['git', '--git-dir=/tmp/evil/.git', 'status'], /git --git-dir/],
  [['git', '--exec-path=./bin', 'status'], /git --exec-path/],
  [['git', '-p', 'log'], /git --paginate runs a pager/],
  [['git', 'log', '--output=/tmp/x'], /git log --output writes a file/],
  [['git', 'diff', '--outp=/tmp/x'], /git diff --outp writes a file/],
  [['git', 'diff', '--ext-diff'], /--ext-diff/],
  [['git', 'show', '--textconv', 'HEAD:a'], /--textconv/],
  [['git', 'push'], /git push is not on the read-only list/],
  [['git', 'checkout', '.'], /git checkout is not/],
  [['git', 'branch', '-D', 'main'], /git branch -D can create, rename or delete/],
  [['git', 'branch', 'new-branch'], /git branch new-branch can create/],
  [['git'], /git without a subcommand/],
  [['sed', '-i', 's/a/b/', 'f'], /sed is known-safe only as/],
  [['sed', '-n', '1p;w out', 'f'], /sed is known-safe only/],
  [['sed', '-n', '1e', 'f'], /sed is known-safe only/],
  [['base64', '-o', 'out', 'in'], /base64 -o writes a file/],
  [['base64', '--output=out', 'in'], /base64 -o/],
  [['uniq', 'in.txt', 'out.txt'], /uniq writes its second operand/],
  // Globs that can become options, brace expansion.
  [bash('ls *'), /could expand to a file name starting with "-"/],
  [bash('rg foo *'), /could expand/],
  [bash('cat -*'), /could expand/],
  [bash('rg --{pre,x}=sh foo'), /expanded by the shell into several words/],
  [bash('rg {--pre=./x,foo} y'), /expanded by the shell/],
  // Quoting tricks: what runs is what bash would run.
  [bash("$'\\x72\\x6d' -rf x"), /rm is not/],
  [bash('r""m -rf x'), /rm is not/],
  [bash("r'm' x"), /rm is not/],
  [bash('\\rm x'), /rm is not/],
  [bash('ls;rm x'), /rm is not/],
  [bash('ls&&rm x'), /rm is not/],
  [bash('ls|rm x'), /rm is not/],
  [bash('echo "$(rm x)"'), /rm is not/],
  [bash('echo "`rm x`"'), /rm is not/],
  [bash("echo '$(rm x)' | sh"), /sh is not on the read-only list|sh/],
  // Nested shells are parsed too.
  [bash("bash -c 'rm -rf x'"), /rm is not/],
  [bash('sh -c "ls > out"'), /> out writes a file/],
  [['bash', '-lc', "bash -lc 'git -c x=y log'"], /git -c/],
  [['bash', '-i', '-c', 'ls'], /bash -i is not a plain script run/],
  [['bash', 'script.sh'], /bash is not on the read-only list/],
  [['bash', '-c', 'ls', '&&', 'rm', 'x'], 'safe'], // extra words are $0 and $1 of the script, not commands
  // What the parser cannot read exactly asks.
  [bash('for f in *; do cat $f; done'), /"for" compound commands are not analysed/],
  [bash('if true; then ls; fi'), /"if" compound commands/],
  [bash('while true; do ls; done'), /"while"/],
  [bash('f() { rm x; }; f'), /function definitions/],
  [bash('[[ -f x ]] && cat x'), /"\[\[" compound/],
  [bash('((x=1))'), /arithmetic commands/],
  [bash("echo 'unterminated"), /unterminated single quote/],
  [bash('echo "unterminated'), /unterminated double quote/],
  [bash('echo $(ls'), /missing "\)"/],
  [bash('ls |'), /expected a command/],
  [bash('ls &&'), /expected a command/],
  [bash(''), /the script is empty/],
  [bash('cat <<EOF\nno end'), /here-document delimited by "EOF" is not terminated/],
  [bash('echo ${x:-$(rm y)}'), /is not analysed/],
  [bash('echo $[1+2]'), /\$\[…\] arithmetic/],
  [['sh', '-c', 'cat <<< x'], /"<<<" is bash syntax/],
  [['sh', '-c', "echo $'a'"], /bash syntax/],
  [bash('$CMD -la'), /the program \$CMD is only known at run time/],
  [bash('[ -f x ] && cat x'), /\[ is not on the read-only list/],
  [bash('ls [a-z]*'), /could expand/],
  [bash('exec 3>file'), /exec is not|writes a file/],
  [bash('> truncated.txt'), /> truncated.txt writes a file/],
  [[], /the command is empty/],
];

describe('the command decision table', () => {
  it('has at least 100 command lines', () => {
    expect(SAFE.length + UNSAFE.length).toBeGreaterThanOrEqual(100);
  });

  describe.each([...SAFE, ...UNSAFE])('%j', (argv, expected) => {
    it(expected === 'safe' ? 'is known-safe: runs without asking and without a sandbox' : `is not known-safe (${expected.source})`, () => {
      const verdict = checkKnownSafe(argv);
      if (expected === 'safe') expect(verdict).toMatchObject({ type: 'known_safe' });
      else expect(verdict).toEqual({ type: 'not_safe', reason: expect.stringMatching(expected) });

      const untrusted = assessCommand({ argv, cwd: '/w', approvalPolicy: 'untrusted', sandboxPolicy: { type: 'workspace-write', writable_roots: [], network_access: false }, sandboxAvailable: true, sessionApproved: new Set() });
      const never = assessCommand({ argv, cwd: '/w', approvalPolicy: 'never', sandboxPolicy: { type: 'read-only' }, sandboxAvailable: false, sessionApproved: new Set() });
      if (expected === 'safe') {
        expect(untrusted).toMatchObject({ type: 'auto_approve', sandbox: 'none' });
        expect(never).toMatchObject({ type: 'auto_approve', sandbox: 'none' });
      } else if (argv.length === 0) {
        expect(untrusted).toEqual({ type: 'reject', reason: 'the command is empty' });
      } else {
        expect(untrusted).toEqual({ type: 'ask', reason: expect.stringMatching(expected) });
        expect(never).toEqual({ type: 'reject', reason: expect.stringMatching(expected) });
      }
    });
  });
});
