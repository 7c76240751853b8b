/**
 * What stops keel's commands when keel cannot: after a SIGKILL, a crash that skips exit handlers, or a power-cut of
 * the parent process. A tiny POSIX shell, started with the first command in a session of its own (so the terminal's
 * Ctrl+C and hang-up do not reach it), holds a pipe from keel and a list of live process groups. When the pipe
 * closes — keel is gone, however it went — it sends SIGTERM to every group still listed, and SIGKILL a second later.
 * On a normal exit keel has already stopped its groups and unlisted them, so the watchdog just leaves.
 *
 * Node offers no PR_SET_PDEATHSIG; this is the portable equivalent, at the cost of one `sh` per keel process.
 * The script sticks to POSIX sh (dash's `kill` takes no `--`, so a group is named as `-PGID` right after the signal).
 */
import { spawn, type ChildProcess } from 'node:child_process';

const WATCHDOG_SCRIPT = `
trap '' INT TERM HUP QUIT
live=' '
while IFS= read -r line; do
  case $line in
    +*) live="$live\${line#+} " ;;
    -*) gone=\${line#-}; kept=' '
        for g in $live; do [ "$g" = "$gone" ] || kept="$kept$g "; done
        live=$kept ;;
  esac
done
[ -n "\${live# }" ] || exit 0
for g in $live; do kill -TERM "-$g" 2>/dev/null; done
sleep 1
for g in $live; do kill -KILL "-$g" 2>/dev/null; done
`;

let watchdog: ChildProcess | null = null;
let failed = false;

function send(line: string): void {
  if (failed) return;
  if (watchdog === null) {
    try {
      watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      failed = true;
      return;
    }
    watchdog.on('error', () => {
      // No /bin/sh: keel's own exit handlers still stop every group; only the SIGKILL case loses its safety net.
      failed = true;
    });
    // Neither the watchdog nor its pipe may keep keel alive.
    watchdog.unref();
    const stdin = watchdog.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null;
    stdin?.unref?.();
    stdin?.on('error', () => {
      failed = true;
    });
  }
  watchdog.stdin?.write(line);
}

export function watchGroup(pgid: number): void {
  send(`+${pgid}\n`);
}

export function unwatchGroup(pgid: number): void {
  send(`-${pgid}\n`);
}
