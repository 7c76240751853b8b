/**
 * A scripted model for trying the interactive UI by hand (README: "Driving the UI by hand in tmux"): serves a
 * script on 127.0.0.1 and prints the base URL to use as OPENAI_BASE_URL. With no argument, the built-in script
 * runs a long command (interrupt it), answers the follow-up, asks to create a file (an approval under
 * `-a untrusted`), then chats. With an argument, it serves that JSON script (the format of src/scripted/README.md).
 *
 *   npx tsx scripts/scripted-session.ts [SCRIPT.json]
 */
import { readFileSync } from 'node:fs';
import { functionCall, parseScriptJson, reasoning, respond, startScriptedServer, text, type ScriptStep } from '../src/scripted/index.ts';

const builtIn: ScriptStep[] = [
  respond(
    reasoning('The person wants to see a long-running command.'),
    text('I will run a **long** command; press Esc or Ctrl+C to stop it.'),
    functionCall('shell', { command: ['bash', '-c', 'for i in 1 2 3 4 5; do echo "step $i"; sleep 1; done; sleep 60'] }, 'call_long'),
  ),
  respond(text('The command was stopped. Next I will create a file: answer the question below.'), functionCall('shell', { command: ['touch', 'created-by-keel.txt'] }, 'call_touch')),
  respond(text('Done. Ask me anything else:\n\n- the answer is always the same\n- `/status` shows the session')),
  ...Array.from({ length: 20 }, () => respond(text('This is the scripted model: every further answer is this one.'))),
];

const path = process.argv[2];
const script = path === undefined ? builtIn : parseScriptJson(readFileSync(path, 'utf8'));
const server = await startScriptedServer({ script });
process.stdout.write(`${server.url}\n`);
const report = (): void => {
  for (const violation of server.violations.splice(0)) process.stderr.write(`rule broken: ${violation}\n`);
};
setInterval(report, 500);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
