/** `keel exec` as a child process against the scripted model server: output discipline, JSON lines, signals, exit codes. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Event } from '../../src/protocol/index.ts';
import { functionCall, httpError, reasoning, respond, text } from '../../src/scripted/script-builders.ts';
import { checkEventInvariants } from '../support/event-invariants.ts';
import { liveProcessesMatching } from '../support/processes.ts';
import { runKeel, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const modelEnv = (url: string) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: 'test-key' });

describe('keel exec', () => {
  it('prints only the final answer on stdout and progress on stderr', async () => {
    const server = await useScriptedServer([respond(text('The answer is 42.'))]);
    const result = await runKeel(['exec', 'what is the answer?'], { env: modelEnv(server.url) });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The answer is 42.\n');
    expect(result.stderr).toContain('what is the answer?');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer test-key');
  });

  it('runs a shell call, sends its output back, and writes --output-last-message', async () => {
    const server = await useScriptedServer([
      respond(text('Let me look.'), functionCall('shell', { command: ['bash', '-c', 'echo hello from the shell'] }, 'call_1')),
      respond(text('The shell said hello.')),
    ]);
    const outFile = join(mkdtempSync(join(tmpdir(), 'keel-out-')), 'last.txt');
    const result = await runKeel(['exec', '-o', outFile, 'say hello'], { env: modelEnv(server.url) });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The shell said hello.\n');
    expect(result.stderr).toContain('Let me look.');
    expect(result.stderr).toContain('hello from the shell');
    expect(readFileSync(outFile, 'utf8')).toBe('The shell said hello.');
    const [, second] = await server.waitForRequests(2);
    const output = (second!.body.input as Array<Record<string, string>>).find((item) => item.type === 'function_call_output')!;
    expect(JSON.parse(output.output!)).toMatchObject({ output: 'hello from the shell\n', metadata: { exit_code: 0 } });
  });

  it('never passes secrets (the API key, *TOKEN*, *SECRET*) to the commands it runs', async () => {
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['bash', '-c', 'echo "key=${OPENAI_API_KEY:-none} token=${MY_TOKEN:-none} path=${PATH:+set}"'] }, 'call_env')),
      respond(text('checked')),
    ]);
    const result = await runKeel(['exec', 'show env'], { env: { ...modelEnv(server.url), MY_TOKEN: 'tok-123' } });
    expect(result.code).toBe(0);
    const [, second] = await server.waitForRequests(2);
    const output = (second!.body.input as Array<Record<string, string>>).find((item) => item.type === 'function_call_output')!;
    expect(JSON.parse(output.output!).output).toBe('key=none token=none path=set\n');
  });

  it('reads the prompt from stdin with "-"', async () => {
    const server = await useScriptedServer([respond(text('got it'))]);
    const result = await runKeel(['exec', '-'], { env: modelEnv(server.url), stdin: 'prompt from a pipe\n' });
    expect(result.code).toBe(0);
    expect(JSON.stringify(server.requests[0]!.body.input)).toContain('prompt from a pipe');
  });

  it('--json prints a header and then events that parse and keep the invariants', async () => {
    const server = await useScriptedServer([
      respond(functionCall('shell', { command: ['echo', 'json'] }, 'call_j')),
      respond(text('done')),
    ]);
    const result = await runKeel(['exec', '--json', 'go'], { env: modelEnv(server.url) });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: 'header', format_version: 2 });
    // exec's own verdict line (exec_result) is no event: see exec-verdict.test.ts.
    const events = lines.slice(1).filter((line) => line.type !== 'exec_result').map((line) => Event.parse(line));
    expect(events[0]!.msg).toMatchObject({ type: 'session_configured', session_id: lines[0].session_id });
    expect(events.map((event) => event.msg.type)).toContain('exec_command_end');
    expect(events.at(-1)!.msg.type).toBe('shutdown_complete');
    expect(checkEventInvariants(events)).toEqual([]);
  });

  it('reports the catalogue\'s context window and the reasoning effort, and shows reasoning summaries on stderr', async () => {
    const server = await useScriptedServer([respond(reasoning('Just answer.'), text('done'), { usage: { input_tokens: 2000, output_tokens: 20 } })]);
    const json = await runKeel(['exec', '--json', 'go'], { env: modelEnv(server.url) });
    expect(json.code).toBe(0);
    const messages = json.stdout.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line).msg);
    expect(messages[0]).toMatchObject({ type: 'session_configured', model: 'gpt-5-codex', reasoning_effort: 'medium' });
    expect(messages.find((msg) => msg.type === 'task_started')).toMatchObject({ model_context_window: 258_400, reasoning_effort: 'medium' });
    expect(messages.find((msg) => msg.type === 'token_count').info.model_context_window).toBe(258_400);
    expect(server.requests[0]!.body).toMatchObject({ reasoning: { effort: 'medium', summary: 'auto' }, include: ['reasoning.encrypted_content'] });

    const human = await useScriptedServer([respond(reasoning('Just answer.'), text('done'))]);
    const result = await runKeel(['exec', 'go'], { env: { ...modelEnv(human.url), FORCE_COLOR: '1', NO_COLOR: undefined } });
    expect(result.stderr).toContain('\u001b[2mthinking: Just answer.\u001b[22m');
    expect(result.stdout).toBe('done\n');
  });

  it('on SIGINT during a command stops it, leaves no process behind and exits 130', async () => {
    const marker = 'sleep 30.419';
    const server = await useScriptedServer([respond(functionCall('shell', { command: ['bash', '-c', `${marker} & ${marker}; wait`] }, 'call_s'))]);
    const run = startKeel(['exec', '--json', 'wait a while'], { env: modelEnv(server.url) });
    await run.waitForLine((line) => line.includes('"exec_command_begin"'));
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(130);
    expect(liveProcessesMatching(marker)).toEqual([]);
    const types = run.lines.slice(1).map((line) => (JSON.parse(line) as Partial<Event>).msg?.type);
    expect(types).toContain('turn_aborted');
    expect(types.indexOf('exec_command_end')).toBeLessThan(types.indexOf('turn_aborted'));
  });

  it('exits 1 when the task ends in an error, with the server message on stderr', async () => {
    const server = await useScriptedServer([httpError(401, { message: 'Incorrect API key provided.' })]);
    const result = await runKeel(['exec', 'hi'], { env: modelEnv(server.url) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Incorrect API key provided.');
    expect(result.stdout).toBe('');
  });

  it('exits 2 with what to set when there is neither a key nor a base URL', async () => {
    const result = await runKeel(['exec', 'hi'], { env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('OPENAI_API_KEY');
    expect(result.stderr).toContain('OPENAI_BASE_URL');
  });

  it('exits 2 on a bad option, naming it', async () => {
    const result = await runKeel(['exec', '--frobnicate', 'hi'], { env: { OPENAI_API_KEY: 'k' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--frobnicate');
  });
});

describe('keel exec -i', () => {
  // A 1×1 PNG and the start of a JFIF file: the signatures are what keel reads.
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb', 'hex');

  function files(entries: Record<string, Buffer | string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'keel-images-'));
    for (const [name, content] of Object.entries(entries)) writeFileSync(join(dir, name), content);
    return dir;
  }

  it('sends a PNG and a JPEG with the prompt, typed by their bytes (not their names)', async () => {
    const server = await useScriptedServer([respond(text('Two screens.'))]);
    const cwd = files({ 'screen.png': PNG, 'photo.png': JPEG });
    const result = await runKeel(['exec', '-i', 'screen.png', '--image', 'photo.png', 'what are these?'], { env: modelEnv(server.url), cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Two screens.\n');
    expect(result.stderr).toContain('[image: screen.png]');
    const input = server.requests[0]!.body.input as Array<{ type: string; role?: string; content?: unknown[] }>;
    expect(input.at(-1)!.content).toEqual([
      { type: 'input_text', text: 'what are these?' },
      { type: 'input_image', image_url: `data:image/png;base64,${PNG.toString('base64')}` },
      { type: 'input_image', image_url: `data:image/jpeg;base64,${JPEG.toString('base64')}` },
    ]);
  });

  it('refuses a missing file and a text file with what is wrong, before anything is sent or recorded', async () => {
    const server = await useScriptedServer([]);
    const cwd = files({ 'notes.png': 'not an image\n' });
    const home = mkdtempSync(join(tmpdir(), 'keel-home-'));
    const missing = await runKeel(['exec', '-i', 'gone.png', 'look'], { env: { ...modelEnv(server.url), KEEL_HOME: home }, cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('keel: image gone.png: no such file (check the path)\n');
    const notImage = await runKeel(['exec', '-i', 'notes.png', 'look'], { env: { ...modelEnv(server.url), KEEL_HOME: home }, cwd });
    expect(notImage.code).toBe(2);
    expect(notImage.stderr).toContain('image notes.png is not a PNG, JPEG, GIF or WebP image (judged by its content, not its name)');
    expect(server.requests).toEqual([]);
    expect(existsSync(join(home, 'sessions'))).toBe(false);
  });

  it('refuses images for a model known to take none, naming the way out', async () => {
    const server = await useScriptedServer([]);
    const cwd = files({ 'screen.png': PNG });
    const result = await runKeel(['exec', '-m', 'o3-mini', '-i', 'screen.png', 'look'], { env: modelEnv(server.url), cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('o3-mini does not take images');
    expect(result.stderr).toContain('model_supports_images = true');
  });
});

describe('keel', () => {
  it('--version prints the version', async () => {
    const result = await runKeel(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^keel \d+\.\d+\.\d+\n$/);
  });

  it('--help lists the commands', async () => {
    const result = await runKeel(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['exec', 'demo', 'apply_patch']) expect(result.stdout).toContain(command);
    expect(result.stdout).toContain('-i, --image FILE');
    expect((await runKeel(['exec', '--help'])).stdout).toContain('-i, --image FILE');
  });
});
