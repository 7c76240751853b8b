/**
 * The recipes in examples/ are run as written: the test reads the GitHub Actions workflow and the Kubernetes Job,
 * takes the exact keel command lines out of them, and runs those against the scripted model — the Job's twice, with
 * the pod "killed" in between, to show that the rerun resumes the session instead of starting over.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { respond, text } from '../../src/scripted/script-builders.ts';
import { userMessageTexts } from '../../src/scripted/index.ts';
import { KEEL_BIN, startKeel } from '../support/run-keel.ts';
import { useScriptedServer } from '../support/scripted-model.ts';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;

/** A directory with `keel` in it, for command lines that call keel by name. */
function keelOnPath(): string {
  const bin = mkdtempSync(join(tmpdir(), 'keel-bin-'));
  symlinkSync(KEEL_BIN, join(bin, 'keel'));
  return bin;
}

function runShell(script: string, env: Record<string, string>, cwd: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.once('exit', (code) => resolve(code));
  });
}

it('runs each task of the GitHub Actions matrix with the exact command line of the workflow', async () => {
  const workflow = parse(readFileSync(join(EXAMPLES, 'github-actions/keel.yml'), 'utf8')) as {
    jobs: { keel: { strategy: { matrix: { task: Array<Record<string, string>> } }; steps: Array<{ name?: string; run?: string }> } };
  };
  const job = workflow.jobs.keel;
  const step = job.steps.find((each) => each.name === 'Run keel')!;
  const tasks = job.strategy.matrix.task;
  expect(tasks.length).toBeGreaterThan(1);
  const home = mkdtempSync(join(tmpdir(), 'keel-gha-home-'));
  for (const task of tasks) {
    const server = await useScriptedServer([respond(text(`done: ${task.name}`))]);
    const script = step.run!.replace(/\$\{\{\s*matrix\.task\.(\w+)\s*\}\}/g, (_, key: string) => task[key]!);
    expect(script).not.toContain('${{');
    const cwd = mkdtempSync(join(tmpdir(), 'keel-gha-work-'));
    const env = { PATH: `${keelOnPath()}:${process.env.PATH}`, KEEL_HOME: home, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.url };
    expect(await runShell(script, env, cwd)).toBe(0);
    const lines = readFileSync(join(cwd, 'keel-events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type?: string; msg?: { type: string } });
    const result = lines.find((line) => line.type === 'exec_result' || line.msg?.type === 'exec_result');
    expect(result, 'an exec_result line').toBeDefined();
    expect(JSON.stringify(result)).toContain(task.session);
    const [request] = await server.waitForRequests(1);
    expect(userMessageTexts(request!).at(-1)).toBe(task.prompt);
  }
});

it("resumes the Kubernetes Job's session when the pod is killed and the Job runs the same command again", async () => {
  const documents = parseAllDocuments(readFileSync(join(EXAMPLES, 'kubernetes/job.yaml'), 'utf8')).map((doc) => doc.toJS() as Record<string, unknown>);
  const job = documents.find((doc) => doc.kind === 'Job') as {
    spec: { backoffLimit: number; template: { spec: { containers: Array<{ command: string[]; args: string[]; env: Array<{ name: string; value?: string }> }> } } };
  };
  expect(job.spec.backoffLimit).toBeGreaterThan(0);
  const container = job.spec.template.spec.containers[0]!;
  expect(container.command).toEqual(['keel']);
  const prompt = container.args.at(-1)!;
  // The volume keel's home is mounted from, here a directory; the same for both "pods".
  const home = mkdtempSync(join(tmpdir(), 'keel-k8s-home-'));
  expect(container.env.find((each) => each.name === 'KEEL_HOME')?.value).toBe('/keel-home');
  const cwd = join(mkdtempSync(join(tmpdir(), 'keel-k8s-')), 'workspace');
  mkdirSync(cwd);

  // The first pod is killed while it waits for the model's answer.
  const first = await useScriptedServer([respond(text('never seen'), { faults: { stallAfterEvents: 0 } })]);
  const pod = startKeel(container.args, { env: { KEEL_HOME: home, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: first.url }, cwd });
  await first.waitForRequests(1);
  pod.child.kill('SIGKILL');
  await pod.exited;

  // The Job starts a new pod with the same command line: the cut-off task goes on, the prompt is not sent twice.
  const second = await useScriptedServer([respond(text('Fixed the tests.'))]);
  const rerun = startKeel(container.args, { env: { KEEL_HOME: home, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: second.url }, cwd });
  const { code } = await rerun.exited;
  expect(code).toBe(0);
  expect(second.violations).toEqual([]);
  const [request] = await second.waitForRequests(1);
  expect(userMessageTexts(request!).filter((message) => message === prompt)).toHaveLength(1);
});
