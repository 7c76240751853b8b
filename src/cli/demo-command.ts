/**
 * `keel demo`: a real session — the real engine, model client, shell and apply_patch tools — against the built-in
 * scripted model, in a fresh temporary git repository: the model looks around, adds a function with a patch and runs
 * it. No key, no network.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExec } from '../exec/run-exec.ts';
import { colorWanted, createStyle } from '../exec/style.ts';
import { functionCall, reasoning, respond, text } from '../scripted/script-builders.ts';
import { startScriptedServer } from '../scripted/scripted-server.ts';
import { buildAgent } from './build-agent.ts';
import { execIo } from './process-io.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';

const DEMO_PROMPT = 'Look around this repository, tell me what it contains, and add a farewell function next to greet.';

/** What the scripted model's patch adds to src/greet.js. */
const ADD_FAREWELL = [
  '*** Begin Patch',
  '*** Update File: src/greet.js',
  '@@ export function greet(name) {',
  '   return `Hello, ${name}!`;',
  ' }',
  '+',
  '+export function farewell(name) {',
  '+  return `Goodbye, ${name}!`;',
  '+}',
  '*** End Patch',
].join('\n');

export async function demoCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: keel demo\n\nRuns a real keel session against the built-in scripted model in a new temporary git repository.\nNo API key and no network are needed.\n');
    return 0;
  }
  if (args.length > 0) throw new UsageError(`demo takes no arguments, got "${args.join(' ')}"`);
  const repo = makeDemoRepository();
  const server = await startScriptedServer({ script: demoScript() });
  const style = createStyle(colorWanted(process.stderr, process.env));
  process.stderr.write(style.bold(`keel demo: a scripted model works in ${repo}\n\n`));
  try {
    const agent = buildAgent({
      model: 'scripted-demo',
      providerId: 'scripted',
      cwd: repo,
      client: { wireApi: 'responses', baseUrl: server.url, idleTimeoutMs: 30_000 },
      // The model is keel's own script and the repository a fresh temporary one: nothing to confine or ask about.
      approvalPolicy: 'never',
      sandboxPolicy: { type: 'danger-full-access' },
      stateful: false,
      maxRetries: 2,
      shellTimeoutMs: 30_000,
      // Played as a reasoning model, so the demo's requests carry reasoning the way a real one's do: asked for
      // encrypted, handed back with every later request (and checked by the scripted server's rules).
      modelProfile: () => ({ contextWindow: null, reasoning: { effort: 'medium', summary: 'auto' }, verbosity: null, acceptsImages: null, autoCompactTokenLimit: null }),
    });
    const code = await runExec({ agent, prompt: DEMO_PROMPT, json: false, outputLastMessage: null, version: VERSION, style, io: execIo() });
    process.stderr.write(
      style.dim(
        `\nThe model's requests went to the scripted server at ${server.url} (${server.requests.length} requests, every one checked\n` +
          `against the API's rules). The demo repository stays at ${repo} for you to look at.\n`,
      ),
    );
    return code;
  } finally {
    await server.close();
  }
}

function makeDemoRepository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'keel-demo-'));
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'README.md'), '# greeter\n\nPrints a friendly greeting.\n');
  writeFileSync(join(repo, 'src', 'greet.js'), "export function greet(name) {\n  return `Hello, ${name}!`;\n}\n");
  writeFileSync(join(repo, 'package.json'), '{ "name": "greeter", "version": "1.0.0", "type": "module" }\n');
  try {
    const git = (...gitArgs: string[]): void => {
      execFileSync('git', gitArgs, { cwd: repo, stdio: 'ignore' });
    };
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=keel demo', '-c', 'user.email=demo@keel.invalid', 'commit', '-q', '-m', 'Initial greeter');
  } catch {
    // Without git the demo still works; the model's `git log` will just say so.
  }
  return repo;
}

function demoScript() {
  // keel's own node, so the check runs whatever PATH a login shell sets up.
  const node = /^[\w@%+=:,./-]+$/.test(process.execPath) ? process.execPath : `'${process.execPath.replaceAll("'", "'\\''")}'`;
  const tryIt = `${node} --input-type=module -e "import { farewell } from \\"./src/greet.js\\"; console.log(farewell(\\"keel\\"));"`;
  return [
    respond(
      reasoning('Start by seeing what files the repository has.'),
      text("I'll list the repository's files first."),
      functionCall('shell', { command: ['bash', '-lc', 'git ls-files || ls -R'] }, 'call_list'),
    ),
    respond(functionCall('shell', { command: ['bash', '-lc', 'wc -l README.md src/greet.js && git log --oneline'] }, 'call_inspect')),
    respond(text("Now I'll add `farewell` next to `greet` with a patch."), functionCall('apply_patch', { input: ADD_FAREWELL }, 'call_patch')),
    respond(functionCall('shell', { command: ['bash', '-lc', `git diff --stat; ${tryIt}`] }, 'call_check')),
    respond(
      text(
        'This is a small JavaScript package, "greeter": `src/greet.js` exports `greet(name)`, which returns a ' +
          'greeting, and the README describes it. There is one commit so far.\n\n' +
          'I added `farewell(name)` to `src/greet.js` (4 new lines, not committed yet); `farewell("keel")` returns ' +
          '"Goodbye, keel!".',
      ),
    ),
  ];
}
