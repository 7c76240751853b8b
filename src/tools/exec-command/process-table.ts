/**
 * The session's background processes: every process `exec_command` started that was still running when its call
 * returned. Shared by `exec_command`, `write_stdin` and the session (which lists and stops them, and tells the model
 * about them). Lifetime rules:
 *
 * - a process is in the table from the moment its call returns "still running" until the model has been told how it
 *   ended (by `write_stdin`, or by the note with its next request);
 * - at most `max` run at once: `exec_command` is refused beyond that;
 * - `stopAll` (the end of the session) stops every one; keel's exit handlers and the orphan watchdog cover the
 *   cases where keel cannot wait (every group is registered with them when it is spawned, see process-group.ts).
 */
import type { BackgroundProcess as ListedProcess } from '../../protocol/index.ts';
import type { BackgroundProcess, ProcessEnd } from './background-process.ts';

export const DEFAULT_MAX_BACKGROUND_PROCESSES = 8;

export interface ProcessTableOptions {
  /** How many may run at once. Default 8. */
  max?: number;
  /** The first id to hand out (a resumed session continues after the ids its earlier runs used). Default 1. */
  firstId?: number;
  /**
   * A resumed session's background processes as its log last listed them (none of them was reported to the model
   * yet): the model is told how each ended — those still running were stopped with the run.
   */
  endedWithLastRun?: readonly ListedProcess[];
}

interface Entry {
  process: BackgroundProcess;
  /** Whether the model has been told how it ended (then it leaves the table). */
  reported: boolean;
}

export class ProcessTable {
  readonly max: number;
  private nextId: number;
  private readonly entries = new Map<number, Entry>();
  private readonly listeners = new Set<(processes: ListedProcess[]) => void>();
  private endedWithLastRun: ListedProcess[];
  /** Whether the model should hear which processes still run, although none ended (after an interrupt). */
  private remindRunning = false;

  constructor(options: ProcessTableOptions = {}) {
    this.max = options.max ?? DEFAULT_MAX_BACKGROUND_PROCESSES;
    this.nextId = options.firstId ?? 1;
    this.endedWithLastRun = [...(options.endedWithLastRun ?? [])];
  }

  /** The id the next process gets; taken by `exec_command` when it spawns. */
  allocateId(): number {
    return this.nextId++;
  }

  /** Processes running in the background now. */
  get runningCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.process.end === null) count++;
    return count;
  }

  get(id: number): BackgroundProcess | undefined {
    return this.entries.get(id)?.process;
  }

  ids(): number[] {
    return [...this.entries.keys()];
  }

  /** Puts a process its call left running into the background. */
  add(process: BackgroundProcess): void {
    this.entries.set(process.id, { process, reported: false });
    void process.ended.then(() => this.changed());
    this.changed();
  }

  /** The model has read how `id` ended (its `write_stdin` answer said so): it leaves the table. */
  reported(id: number): void {
    if (this.entries.delete(id)) this.changed();
  }

  /** Stops one process; false when there is none with that id still running. */
  async stop(id: number): Promise<boolean> {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.process.end !== null) return false;
    await entry.process.stop();
    return true;
  }

  /** Stops every running process; resolves when all are gone. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.process.stop()));
  }

  list(): ListedProcess[] {
    return [...this.entries.values()].map(({ process }) => listed(process));
  }

  /** Called with the list whenever a process is added, ends, or leaves the table. */
  onChange(listener: (processes: ListedProcess[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The task was interrupted: its next request reminds the model of what still runs in the background. */
  interrupted(): void {
    if (this.runningCount > 0) this.remindRunning = true;
  }

  /**
   * What the model must hear before its next task, or null when nothing changed that it does not know: processes
   * that ended since it last looked (they then leave the table), the ones a previous run of keel took down with it,
   * and after an interrupt the ones still running.
   */
  noteForModel(): string | null {
    const lines: string[] = [];
    for (const { id, command, status, exit_code } of this.endedWithLastRun) {
      const how = status === 'exited' ? `exited with code ${exit_code}` : "stopped when keel's previous run ended";
      lines.push(`- session ID ${id} (\`${command}\`): ${how}; its output since it was last read is lost`);
    }
    this.endedWithLastRun = [];
    const running: string[] = [];
    for (const [id, entry] of [...this.entries]) {
      const end = entry.process.end;
      if (end === null) {
        running.push(`- session ID ${id} (\`${entry.process.command}\`): still running`);
        continue;
      }
      lines.push(`- session ID ${id} (\`${entry.process.command}\`): ${endWords(end)}`);
      this.entries.delete(id);
    }
    const mention = lines.length > 0 || this.remindRunning;
    this.remindRunning = false;
    if (!mention) return null;
    if (lines.length > 0) this.changed();
    const all = [...lines, ...running];
    return [
      '<background_processes>',
      'Background processes started with exec_command, as they are now:',
      ...all,
      running.length > 0 ? 'Poll a running one with write_stdin (empty chars) to read its new output.' : 'None is running now.',
      '</background_processes>',
    ].join('\n');
  }

  private changed(): void {
    const processes = this.list();
    for (const listener of this.listeners) listener(processes);
  }
}

function listed(process: BackgroundProcess): ListedProcess {
  const end = process.end;
  return {
    id: process.id,
    command: process.command,
    cwd: process.cwd,
    started_at: process.startedAt,
    status: end === null ? 'running' : end.type,
    exit_code: end?.exitCode ?? null,
  };
}

export function endWords(end: ProcessEnd): string {
  if (end.type === 'stopped') return 'stopped by the user';
  return `exited with code ${end.exitCode}`;
}
