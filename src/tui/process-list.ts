/**
 * The session's background processes as the person sees them: the /ps list, and a note in the transcript when one
 * that was running ends (it exited by itself, or /stop or the end of the session stopped it).
 */
import { formatDuration } from '../util/format-duration.ts';
import type { BackgroundProcess } from '../protocol/index.ts';
import { firstLine } from './process-cells.ts';
import { sanitize } from '../util/text/sanitize.ts';
import { span, type Line, type SpanStyle } from '../util/text/styled.ts';

const DIM: SpanStyle = { dim: true };

export function runningProcesses(processes: readonly BackgroundProcess[]): BackgroundProcess[] {
  return processes.filter((process) => process.status === 'running');
}

/** The /ps report: for each process its id, how it is, for how long it has run, its command and directory. */
export function processListLines(processes: readonly BackgroundProcess[], now: number): Line[] {
  if (processes.length === 0) {
    return [{ spans: [span('No background processes: a command that outlasts its wait goes on in the background and is listed here.')], indent: 2 }];
  }
  const rows = processes.map((process) => ({ process, state: stateText(process), time: timeText(process, now) }));
  const idWidth = Math.max(...rows.map((row) => String(row.process.id).length));
  const stateWidth = Math.max(...rows.map((row) => row.state.length));
  const timeWidth = Math.max(...rows.map((row) => row.time.length));
  const lines: Line[] = [{ spans: [span('Background processes', { bold: true })] }];
  for (const { process, state, time } of rows) {
    const color = process.status === 'running' ? 'cyan' : process.status === 'stopped' ? 'yellow' : process.exit_code === 0 ? 'green' : 'red';
    const lead = `  ${String(process.id).padStart(idWidth)}  `;
    lines.push({
      spans: [
        span(lead),
        span(state.padEnd(stateWidth), { color }),
        span(`  ${time.padEnd(timeWidth)}  `, DIM),
        span(firstLine(process.command)),
        span(`  in ${sanitize(process.cwd)}`, DIM),
      ],
      indent: lead.length + stateWidth + timeWidth + 4,
    });
  }
  if (runningProcesses(processes).length > 0) lines.push({ spans: [span('/stop ID stops one (and what it started), /stop all stops every one', DIM)] });
  return lines;
}

/** Turns each list the engine sends into notes about the processes that ended since the last one. */
export class ProcessWatch {
  /** The processes the last list had running, by id. */
  private running = new Map<number, BackgroundProcess>();

  get runningCount(): number {
    return this.running.size;
  }

  /** Notes for each process that was running and is no more, in the list's order. */
  changes(processes: readonly BackgroundProcess[]): Line[] {
    const lines: Line[] = [];
    for (const process of processes) if (process.status !== 'running' && this.running.has(process.id)) lines.push(endedLine(process));
    this.running = new Map(runningProcesses(processes).map((process) => [process.id, process]));
    return lines;
  }

  /**
   * The lists seen so far were of an earlier run of keel (a resumed session's log): the processes they had running
   * ended with that run, unseen (keel was killed or crashed). Notes for them; none is running from now on.
   */
  endRun(): Line[] {
    const lines = [...this.running.values()].map((process): Line => ({
      spans: [span(`⏹ background session ${process.id} ended with keel's previous run: `, { color: 'yellow' }), span(firstLine(process.command))],
      indent: 2,
    }));
    this.running.clear();
    return lines;
  }
}

/** Under an interruption, while background processes run: they were not stopped with the task. */
export function stillRunningLine(count: number): Line {
  const what = count === 1 ? '1 background process still runs' : `${count} background processes still run`;
  return { spans: [span(`  ${what}: /ps lists them, /stop stops one`, DIM)] };
}

function endedLine(process: BackgroundProcess): Line {
  const command = firstLine(process.command);
  if (process.status === 'stopped') return { spans: [span(`⏹ background session ${process.id} stopped: `, { color: 'yellow' }), span(command)], indent: 2 };
  const color = process.exit_code === 0 ? 'green' : 'red';
  return { spans: [span(`• background session ${process.id} exited with code ${process.exit_code ?? '?'}: `, { color }), span(command)], indent: 2 };
}

function stateText(process: BackgroundProcess): string {
  if (process.status === 'running') return 'running';
  if (process.status === 'stopped') return 'stopped';
  return `exited ${process.exit_code ?? '?'}`;
}

function timeText(process: BackgroundProcess, now: number): string {
  const since = formatDuration(now - process.started_at);
  return process.status === 'running' ? since : `started ${since} ago`;
}

