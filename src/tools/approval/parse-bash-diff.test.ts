/**
 * The parser against real bash. Every script of the corpus (parse-bash-diff-corpus.ts: 3,000 generated from a seed,
 * and the hand-collected ones) runs under `bash -c` in a throwaway directory where every command is a function (or,
 * for names bash does not know, `command_not_found_handle`) that records its argv, the K1 it sees and, for `cat`,
 * its stdin. For each script the parser reads, every command it claims to know must be among bash's records with
 * exactly those words, and bash must run nothing it did not predict; a script bash calls a syntax error must be one
 * the parser refuses. Words the parser does not call literal (expansions, globs, `~`) are checked up to that word.
 * Set KEEP_BASH_DIFF=1 to keep the directory (scripts, records, bash's errors) for a look after a failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bashDiffCorpus } from './parse-bash-diff-corpus.ts';
import { expectedCommands, type ExpectedCommand } from './parse-bash-diff-expect.ts';
import { parseShell } from './parse-shell.ts';

// BASH_DIFF_SEED and BASH_DIFF_COUNT explore beyond the fixed corpus, to look for new disagreements.
const GENERATED = Number(process.env.BASH_DIFF_COUNT ?? 3_000);
const SEED = Number(process.env.BASH_DIFF_SEED ?? 20_251_202);
// bash 5 (for command_not_found_handle and today's rules on process substitution); the test is skipped without it.
const BASH = spawnSync('bash', ['-c', '[ "${BASH_VERSINFO[0]}" -ge 5 ] && command -v bash'], { encoding: 'utf8' }).stdout?.trim() ?? '';
// Some scripts the parser refuses can hang bash (a `coproc` whose reader waits on the shell itself): each one gets
// SCRIPT_SECONDS, under coreutils' timeout, which stops the script's whole process group.
const TIMEOUT = spawnSync('bash', ['-c', 'command -v timeout'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const SCRIPT_SECONDS = 10;

interface BashRecord {
  words: string[];
  k1: string | undefined;
  stdin: string;
}

interface BashRun {
  records: BashRecord[];
  error: string | null;
}

// One record is one line of tab-separated fields, `\`, newline and tab escaped, written by one printf: bash
// line-buffers its output, so a record holding a newline would reach the file in pieces, and the commands of a
// pipeline write at the same time.
const EMIT = [
  '__emit() {',
  "  builtin local -a __r; builtin local __f IFS=$'\\t' __b='\\' __n=$'\\n' __t=$'\\t'",
  '  for __f in "$@"; do __f=${__f//"$__b"/"$__b$__b"}; __f=${__f//"$__n"/"${__b}n"}; __r+=("${__f//"$__t"/"${__b}t"}"); done',
  `  builtin printf '%s\\n' "\${__r[*]}" >> "$__KOUT"`,
  '}',
].join('\n');

// The recorder. `builtin` is the one builtin not shadowed: the recorder needs it to reach the real printf and read.
const RECORDER = [
  EMIT,
  '__k() {',
  "  builtin local __in=; if [[ $1 == cat ]]; then IFS= builtin read -r -d '' __in; fi",
  '  __emit R "$__KID" "${K1+s}" "${K1-}" "$__in" "$#" "$@"',
  '}',
  'command_not_found_handle() { __k "$@"; }',
].join('\n');

// stderr goes to a file per script: a background command of one script may still write to it while the next runs.
const DRIVER = [
  EMIT,
  'i=$FIRST',
  "while IFS= read -r -d '' script; do",
  '  __KID=$i BASH_ENV=$PRELUDE PATH=$NOBIN $LIMIT "$BASH_BIN" -c "$script" </dev/null >/dev/null 2>"$ERRORS.$i"',
  '  if [ -s "$ERRORS.$i" ]; then __emit E "$i" "$(< "$ERRORS.$i")"; fi',
  '  i=$((i + 1))',
  'done < "$SCRIPTS"',
].join('\n');

let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'keel-bash-diff-'));
});

afterAll(() => {
  if (root !== '' && process.env.KEEP_BASH_DIFF === undefined) rmSync(root, { recursive: true, force: true });
});

/** Runs the scripts in parallel chunks, one bash driver per chunk; returns bash's records for each script. */
async function runUnderBash(scripts: readonly string[]): Promise<BashRun[]> {
  const work = join(root, 'work');
  mkdirSync(work);
  // Files for globs to match, so a glob the parser took for a literal shows.
  for (const name of ['a', 'ab', 'b.ts', '-rf', 'x y']) writeFileSync(join(work, name), '');
  mkdirSync(join(root, 'nobin'));
  mkdirSync(join(root, 'errors'));
  const builtins = spawnSync(BASH, ['-c', 'compgen -b'], { encoding: 'utf8' }).stdout.split('\n').filter((name) => name !== '' && name !== 'builtin');
  const shadows = builtins.map((name) => `${name}() { __k ${name} "$@"; }`);
  writeFileSync(join(root, 'prelude.sh'), `${RECORDER}\n${shadows.join('\n')}\n`);
  writeFileSync(join(root, 'driver.sh'), DRIVER);
  const chunks = Math.max(2, Math.min(8, availableParallelism()));
  const size = Math.ceil(scripts.length / chunks);
  await Promise.all(
    Array.from({ length: chunks }, (_, chunk) => {
      const first = chunk * size;
      writeFileSync(join(root, `scripts.${chunk}`), scripts.slice(first, first + size).map((script) => `${script}\0`).join(''));
      writeFileSync(join(root, `out.${chunk}`), '');
      const env = {
        FIRST: String(first),
        SCRIPTS: join(root, `scripts.${chunk}`),
        ERRORS: join(root, 'errors', 'script'),
        __KOUT: join(root, `out.${chunk}`),
        PRELUDE: join(root, 'prelude.sh'),
        NOBIN: join(root, 'nobin'),
        BASH_BIN: BASH,
        LIMIT: TIMEOUT === '' ? '' : `${TIMEOUT} -k 2 ${SCRIPT_SECONDS}`,
        HOME: join(root, 'home'),
        LC_ALL: 'C',
      };
      return new Promise<void>((resolve, reject) => {
        // In a process group of its own, so that whatever is left of it can be stopped with it.
        const child = spawn(BASH, [join(root, 'driver.sh')], { cwd: work, env, stdio: 'ignore', detached: true });
        const stop = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 100_000);
        child.on('error', reject);
        child.on('exit', (code, signal) => {
          clearTimeout(stop);
          if (code === 0) resolve();
          else reject(new Error(`bash driver ${chunk} ended with ${code ?? signal}`));
        });
      });
    }),
  );
  const runs: BashRun[] = scripts.map(() => ({ records: [], error: null }));
  for (let chunk = 0; chunk < chunks; chunk++) readRecords(readFileSync(join(root, `out.${chunk}`), 'latin1'), runs);
  return runs;
}

function readRecords(data: string, runs: BashRun[]): void {
  for (const line of data.split('\n')) {
    if (line === '') continue;
    const fields = line.split('\t').map((field) => field.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)));
    const [kind, id, k1Set, k1Value, stdin, count, ...words] = fields;
    const run = runs[Number(id)]!;
    if (kind === 'E') run.error = fields[2]!;
    else if (kind === 'R' && Number(count) === words.length) run.records.push({ k1: k1Set === 's' ? k1Value : undefined, stdin: stdin!, words });
    else throw new Error(`cannot read the record ${JSON.stringify(line)}`);
  }
}

function fits(record: BashRecord, expected: ExpectedCommand): boolean {
  if (expected.complete ? record.words.length !== expected.known.length : record.words.length < expected.known.length) return false;
  if (!expected.known.every((word, index) => record.words[index] === word)) return false;
  if (expected.k1 !== null && record.k1 !== expected.k1) return false;
  return expected.stdin === null || record.stdin === expected.stdin;
}

/**
 * Why bash's run disagrees with the parser's commands, or null. Records and commands are matched as a bipartite
 * graph (a record fits a command when it has the command's known words): every command that certainly runs needs
 * a record of its own, and every record needs a command of its own.
 */
function disagreement(predicted: ExpectedCommand[], run: BashRun): string | null {
  const expected = run.error === null ? predicted.filter((command) => !command.skipped) : predicted;
  const owner = new Map<ExpectedCommand, BashRecord>();
  const holder = new Map<BashRecord, ExpectedCommand>();
  const assign = (command: ExpectedCommand, record: BashRecord) => {
    owner.set(command, record);
    holder.set(record, command);
  };
  // An augmenting path from a command: take a free record, or one whose holder can move to another record.
  const claimRecord = (command: ExpectedCommand, seen: Set<BashRecord>): boolean => {
    for (const record of run.records) {
      if (seen.has(record) || !fits(record, command)) continue;
      seen.add(record);
      const held = holder.get(record);
      if (held === undefined || claimRecord(held, seen)) {
        assign(command, record);
        return true;
      }
    }
    return false;
  };
  // After a run-time error (a failed redirection, a bad substitution) bash may skip the rest: nothing is required.
  if (run.error === null) {
    for (const command of expected.filter((each) => each.required)) {
      if (!claimRecord(command, new Set())) return `bash did not run ${JSON.stringify(command)}`;
    }
  }
  // An augmenting path from a record: take a command without a record, or move the record a command holds.
  const claimCommand = (record: BashRecord, seen: Set<ExpectedCommand>): boolean => {
    for (const command of expected) {
      if (seen.has(command) || !fits(record, command)) continue;
      seen.add(command);
      const held = owner.get(command);
      if (held === undefined || claimCommand(held, seen)) {
        assign(command, record);
        return true;
      }
    }
    return false;
  };
  for (const record of run.records) {
    if (holder.has(record)) continue;
    if (!claimCommand(record, new Set())) return `bash ran ${JSON.stringify(record)}, which the parser did not predict`;
  }
  return null;
}

describe('the parser agrees with bash', () => {
  it.skipIf(BASH === '')(`on ${GENERATED} generated and the hand-collected scripts`, { timeout: 120_000 }, async () => {
    const scripts = bashDiffCorpus(SEED, GENERATED);
    const runs = await runUnderBash(scripts);
    const failures: string[] = [];
    let parsed = 0;
    let knownWords = 0;
    scripts.forEach((script, index) => {
      const outcome = parseShell(script, 'bash');
      if (outcome.type !== 'parsed') return;
      parsed += 1;
      const run = runs[index]!;
      const where = `#${index} ${JSON.stringify(script)}`;
      if (run.error !== null && /syntax error near|unexpected EOF|syntax error: unexpected end of file/.test(run.error)) {
        failures.push(`${where}: the parser read it, bash says: ${run.error}`);
        return;
      }
      const expected = expectedCommands(outcome.script);
      knownWords += expected.reduce((sum, command) => sum + command.known.length, 0);
      const problem = disagreement(expected, run);
      if (problem !== null) failures.push(`${where}: ${problem}; bash ran ${JSON.stringify(run.records.map((record) => record.words))}${run.error ? `, said ${run.error}` : ''}`);
    });
    expect(failures.slice(0, 15)).toEqual([]);
    // The comparison means something only while the parser reads much of the corpus.
    expect(parsed).toBeGreaterThan(scripts.length * 0.4);
    expect(knownWords).toBeGreaterThan(scripts.length);
  });
});
