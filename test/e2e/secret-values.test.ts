/** Credentials under names other than KEY/SECRET/TOKEN: hidden from commands, and kept out of the log, the history and the hook. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { functionCall, respond, text } from '../../src/scripted/script-builders.ts';
import { runKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';
import { waitUntil } from '../support/wait-until.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

it('hides credential values from commands and redacts them from the session log, the prompt history and the notify hook', async () => {
  const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
  const notifyFile = join(mkdtempSync(join(tmpdir(), 'keel-notify-')), 'notice.json');
  writeFileSync(join(home, 'config.toml'), `notify = ["sh", "-c", "printf '%s' \\"$1\\" > ${notifyFile}", "hook"]\n`);
  const password = 'hunter2-correct-horse';
  const databaseUrl = `postgres://app:${password}@db.internal:5432/app`;
  const server = await useScriptedServer([
    respond(functionCall('shell', { command: ['bash', '-c', 'echo "db=${DATABASE_URL:-none} pw=${DEPLOY_PASSWORD:-none} author=${GIT_AUTHOR_NAME:-none}"'] }, 'call_env')),
    respond(text(`The database is ${databaseUrl}, and the deploy password is ${password}.`)),
  ]);
  const result = await runKeel(['exec', '--dangerously-bypass-sandbox', `connect to ${databaseUrl} with https://ghp_tokentokentoken@github.com/o/r and mysql://root:rootpass-xyz@localhost`], {
    env: {
      KEEL_HOME: home,
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: 'test-key',
      DATABASE_URL: databaseUrl,
      DEPLOY_PASSWORD: password,
      GIT_AUTHOR_NAME: 'Ann',
    },
  });
  expect(result.code).toBe(0);
  const [, second] = await server.waitForRequests(2);
  const output = (second!.body.input as Array<Record<string, string>>).find((item) => item.type === 'function_call_output')!;
  expect(JSON.parse(output.output!).output).toBe('db=none pw=none author=Ann\n');

  const stored = filesUnder(home).filter((path) => path.endsWith('.jsonl'));
  expect(stored.some((path) => path.includes('sessions'))).toBe(true);
  expect(stored.some((path) => path.endsWith('history.jsonl'))).toBe(true);
  for (const path of stored) {
    const contents = readFileSync(path, 'utf8');
    expect(contents, path).not.toContain(password);
    expect(contents, path).not.toContain('ghp_tokentokentoken');
    expect(contents, path).not.toContain('rootpass-xyz');
  }
  const history = readFileSync(join(home, 'history.jsonl'), 'utf8');
  // The variable's whole value is a secret; a URL nobody configured loses just its credential.
  expect(history).toContain('"connect to [redacted] with https://[redacted]@github.com/o/r and mysql://root:[redacted]@localhost"');

  await waitUntil(() => existsSync(notifyFile) && readFileSync(notifyFile, 'utf8').endsWith('}'));
  const notice = readFileSync(notifyFile, 'utf8');
  expect(notice).not.toContain(password);
  expect(notice).not.toContain('ghp_tokentokentoken');
  expect(JSON.parse(notice)).toMatchObject({ 'last-assistant-message': expect.stringContaining('the deploy password is [redacted]') });
});
