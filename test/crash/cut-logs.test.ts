/**
 * Every state a kill can leave the log in: the log of one whole crash session, cut after each of its lines (what a
 * SIGKILL landing right after that write leaves behind, since every record is one write), resumed with
 * `keel exec resume --last`. Deterministic where kill-points.test.ts depends on timing: every cut is tried.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'vitest';
import { startScriptedServer } from '../../src/scripted/index.ts';
import { respond, text } from '../../src/scripted/script-builders.ts';
import { parseSessionLog } from '../../src/store/index.ts';
import { concurrencyLimit } from '../support/concurrency-limit.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { strictnessProblems, useScriptedServer } from '../support/scripted-model.ts';
import { NEXT_PROMPT, RESUMED_TEXT } from './check-resume.ts';
import {
  crashScript,
  freshPlace,
  keelEnv,
  logEndsMidTask,
  markerFor,
  messages,
  onlyLogPath,
  outputOf,
  PROMPT,
  readLog,
  replay,
  withoutId,
  type Place,
} from './crash-session.ts';

const pool = concurrencyLimit(3);

/** The whole session once, undisturbed, at collection time: its log's lines say which cuts there are. */
async function wholeRun(): Promise<{ place: Place; relativePath: string; lines: string[] }> {
  const server = await startScriptedServer({ script: crashScript(markerFor(998)) });
  try {
    const place = freshPlace();
    const run = startKeel(['exec', '--json', PROMPT], { env: keelEnv(server.url, place.home), cwd: place.cwd });
    const exit = await run.exited;
    if (exit.code !== 0) throw new Error(`the whole crash session failed (${exit.code}):\n${run.stderr}`);
    const problems = strictnessProblems(server);
    if (problems.length > 0) throw new Error(`the whole crash session misused the server:\n${problems.join('\n')}`);
    const path = onlyLogPath(place.home);
    return { place, relativePath: relative(place.home, path), lines: readFileSync(path, 'utf8').split('\n').slice(0, -1) };
  } finally {
    await server.close();
  }
}

const whole = await wholeRun();

/** What a line records, for test names: `item function_call`, `event exec_command_end`, … */
function describeLine(line: string): string {
  const record = JSON.parse(line) as { type: string; item?: { type: string; call_id?: string }; event?: { type: string; call_id?: string } };
  const inner = record.item ?? record.event;
  return [record.type, inner?.type, inner?.call_id].filter(Boolean).join(' ');
}

describe.concurrent('a log cut after any line resumes into a history the API accepts', () => {
  // From line 3 on (after the header and session_configured: the task and its prompt are on disk).
  for (let keep = 3; keep <= whole.lines.length; keep++) {
    const where = `cut after line ${keep} (${describeLine(whole.lines[keep - 1]!)})`;
    it(where, ({ expect, onTestFinished }) =>
      pool(async () => {
        const kept = whole.lines.slice(0, keep);
        const home = freshPlace().home;
        const path = join(home, whole.relativePath);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${kept.join('\n')}\n`, { mode: 0o600 });
        const before = parseSessionLog(readFileSync(path), path);
        expect(before.problems).toEqual([]);
        const continued = logEndsMidTask(before);

        const server = await useScriptedServer([respond(text(RESUMED_TEXT))], { onTestFinished });
        const args = continued ? ['exec', 'resume', '--json', '--last'] : ['exec', 'resume', '--json', '--last', NEXT_PROMPT];
        const resumed = await runKeel(args, { env: keelEnv(server.url, home), cwd: whole.place.cwd });
        expect(resumed.stderr, where).toBe('');
        expect(resumed.code, where).toBe(0);
        expect(server.requests.map((request) => request.status), where).toEqual([200]);
        const input = server.requests[0]!.body.input as Array<Record<string, unknown>>;

        // Everything recorded before the cut is sent again.
        for (const item of before.items) expect(input, where).toContainEqual(withoutId(item));
        // A command recorded as finished keeps its real result: its end event carries the exit code and output.
        for (const { event } of before.events) {
          if (event.type !== 'exec_command_end') continue;
          const output = outputOf(input, event.call_id);
          expect(output, `${where}: output of ${event.call_id}`).not.toBe('aborted');
          expect((JSON.parse(output!) as { metadata: { exit_code: number } }).metadata.exit_code, where).toBe(event.exit_code);
        }

        const after = await readLog(home);
        expect(after.problems, where).toEqual([]);
        const history = replay(after.items);
        expect(history.normalize(), where).toEqual([]);
        const items = history.items.map(withoutId);
        expect(items.slice(0, input.length), where).toEqual(input);
        expect(items.length, where).toBe(input.length + 1);
        const events = messages(resumed.stdout.trimEnd().split('\n'));
        expect(events.filter((msg) => msg?.type === 'task_complete'), where).toEqual([{ type: 'task_complete', last_agent_message: RESUMED_TEXT }]);
        if (!continued) expect(JSON.stringify(input.at(-1)), where).toContain(NEXT_PROMPT);
      }),
    );
  }
});
