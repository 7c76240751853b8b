/** keel's entry point: picks the command and turns every outcome into an exit code. */
// Each command is loaded only when it runs (the bundle is split per command): `keel exec` does not pay for the
// scripted server, the session list or the doctor.
import { killAllGroupsNow } from '../tools/shell/group-registry.ts';
import { closeAllLogsNow } from './session-log-setup.ts';
import { EXIT_USAGE } from '../util/exit-codes.ts';
import { MAIN_HELP } from './help-text.ts';
import { processIo, readAllStdin } from './process-io.ts';
import { UsageError } from './usage-error.ts';
import { likelyCommand } from './typo.ts';
import { VERSION } from './version.ts';

// Whatever way keel leaves, no command it started stays behind.
processIo.onExit(killAllGroupsNow);
process.on('exit', () => killAllGroupsNow());
// A bug in keel must not cost the session: the log records the crash (and stays resumable), processes are stopped.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    closeAllLogsNow(detail.slice(0, 4000));
    // Commands stopped and the terminal given back before the report, so it is readable.
    processIo.runExitHooks();
    process.stderr.write(`keel: internal error (the session is saved; resume it with "keel resume --last"):\n${detail}\n`);
    processIo.exit(1);
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case '--version':
    case '-V':
      process.stdout.write(`keel ${VERSION}\n`);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${MAIN_HELP}\n`);
      return 0;
    case 'exec':
      return (await import('./exec-command.ts')).execCommand(rest, process.env);
    case 'doctor':
      return (await import('./doctor-command.ts')).doctorCommand(rest, process.env);
    case 'mcp':
      return (await import('./mcp-command.ts')).mcpCommand(rest, process.env);
    case 'sandbox':
      return (await import('./sandbox-command.ts')).sandboxCommand(rest);
    case 'rules':
      return (await import('./rules-command.ts')).rulesCommand(rest, process.env);
    case 'sessions':
      return (await import('./sessions-command.ts')).sessionsCommand(rest, process.env);
    case 'undo':
      return (await import('./undo-command.ts')).undoCommand(rest, process.env);
    case 'fork':
      return (await import('./fork-command.ts')).forkCommand(rest, process.env);
    case 'proto':
      return (await import('./proto-command.ts')).protoCommand(rest, process.env);
    case 'mcp-server':
      return (await import('./mcp-server-command.ts')).mcpServerCommand(rest, process.env);
    case 'demo':
      return (await import('./demo-command.ts')).demoCommand(rest);
    case 'apply_patch':
      return (await import('../tools/apply-patch/command.ts')).applyPatchCommand(rest, {
        cwd: process.cwd(),
        readStdin: readAllStdin,
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    case 'resume':
    case undefined:
      return (await import('./tui-command.ts')).tuiCommand(argv, process.env);
    default: {
      // Anything else is the interactive UI's options and first prompt: keel "fix the failing test".
      const meant = likelyCommand(command);
      if (meant !== null) {
        throw new UsageError(`unknown command "${command}": did you mean "keel ${meant}"? (to send it as a prompt: keel -- ${command})`);
      }
      return (await import('./tui-command.ts')).tuiCommand(argv, process.env);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => processIo.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`keel: ${error.message}\n`);
      processIo.exit(EXIT_USAGE);
    }
    process.stderr.write(`keel: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    processIo.exit(1);
  },
);
