/**
 * The conversation as the person sees it: engine events turned into styled lines. Finished things (a message, a
 * command that ended) are committed once, to be printed into the terminal's scrollback; what is still in progress
 * (streamed text, running commands) is the live part, redrawn above the prompt on every frame.
 *
 * Committed output is made of blocks (a user message, an answer, a command) with exactly one blank line between
 * them. The blocks themselves are drawn by message-cells.ts and command-cells.ts; streamed text is kept by TextStream.
 * This view renders events only: whether a task runs, or what waits for an answer, is the view state's to say.
 *
 * The model's plan is live too, as a checklist redrawn on each update, and committed once (see plan-cells.ts).
 */
import { notice } from './notice.ts';
import { undoResultLines } from './undo-cells.ts';
import { mcpCallLines } from './mcp-cells.ts';
import type { EventMsg, EventOf } from '../protocol/index.ts';
import { endedCommandLines, RunningCommand } from './command-cells.ts';
import { renderMarkdown, renderMarkdownLines } from './markdown.ts';
import {
  abortedLine,
  blockedLines,
  compactedLine,
  errorLines,
  headerLines,
  patchLines,
  patchResultLines,
  plainLines,
  reasoningLines,
  retryLine,
  THOUGHT,
  userLines,
  warningLines,
} from './message-cells.ts';
import { livePlanLines, planDone, planLines, samePlan, type Plan } from './plan-cells.ts';
import { ProcessWatch, stillRunningLine } from './process-list.ts';
import { TextStream } from './text-stream.ts';
import { EMPTY_LINE, plainText, type Line } from '../util/text/styled.ts';

export interface TranscriptOptions {
  version: string;
}

export class TranscriptView {
  private readonly version: string;
  private sessionCwd = '';
  /** Whether the running task had a command stopped, so an interruption says so only when it is true. */
  private stoppedCommand = false;
  private committed: Line[] = [];
  /** Whether anything was committed yet: every later block is preceded by one blank line. */
  private started = false;
  /** The group of the last committed block: a block of the same group (a patch's result) follows it without a gap. */
  private lastGroup: string | undefined;
  private message = new TextStream();
  private reasoning = new TextStream();
  /** Commands that began and have not ended, in the order they began. */
  private readonly commands = new Map<string, RunningCommand>();
  /** The plan shown live, and the last one committed (committed again only once it changed). */
  private plan: Plan | null = null;
  private committedPlan: Plan | null = null;
  private readonly processes = new ProcessWatch();

  constructor(options: TranscriptOptions) {
    this.version = options.version;
  }

  get ticking(): boolean {
    return this.commands.size > 0;
  }

  get cwd(): string {
    return this.sessionCwd;
  }

  apply(msg: EventMsg): void {
    switch (msg.type) {
      case 'session_configured':
        this.flushLive();
        this.sessionCwd = msg.cwd;
        this.commit(headerLines(this.version, msg));
        break;
      case 'task_started':
        this.stoppedCommand = false;
        break;
      case 'task_complete':
        this.flushStreams();
        this.commitPlan();
        break;
      case 'turn_aborted': {
        this.flushLive();
        // An interrupt stops the task's commands, not the background processes: the person should not think it did.
        const still = this.processes.runningCount;
        this.commit([abortedLine(msg.reason, this.stoppedCommand), ...(still > 0 ? [stillRunningLine(still)] : [])]);
        break;
      }
      case 'user_message':
        this.commit(userLines(msg.message, msg.images));
        break;
      case 'agent_message_delta':
        this.endThought();
        this.message.append(msg.delta);
        break;
      case 'agent_message':
        this.endThought();
        this.message = new TextStream();
        this.commit(renderMarkdown(msg.message));
        break;
      case 'agent_reasoning_delta':
        this.reasoning.append(msg.delta);
        break;
      case 'agent_reasoning':
        this.reasoning = new TextStream();
        this.commit(reasoningLines(renderMarkdown(msg.text)));
        break;
      case 'exec_command_begin':
        this.endThought();
        this.commands.set(msg.call_id, new RunningCommand(msg));
        break;
      case 'exec_command_output_delta':
        this.commands.get(msg.call_id)?.append(msg.chunk);
        break;
      case 'exec_command_end':
        this.endCommand(msg);
        break;
      case 'patch_apply_begin':
        this.endThought();
        this.commit(patchLines(msg, this.sessionCwd), `patch:${msg.call_id}`);
        break;
      case 'patch_apply_end':
        this.commit(patchResultLines(msg), `patch:${msg.call_id}`);
        break;
      case 'plan_update':
        this.endThought();
        this.updatePlan({ explanation: msg.explanation, plan: msg.plan });
        break;
      case 'background_processes':
        this.commit(this.processes.changes(msg.processes));
        break;
      case 'stream_error':
        // The retry streams the response again from its start: what the failed attempt streamed would repeat.
        this.message = new TextStream();
        this.reasoning = new TextStream();
        // Retries of one failure are listed together, without gaps.
        this.commit([retryLine(msg)], 'retry');
        break;
      case 'undo_result':
        // A preview is the app's question; what an undo did stays in the transcript.
        if (msg.done) this.commit(undoResultLines(msg));
        break;
      case 'rule_saved':
        this.commit([notice(`✓ saved the rule ${JSON.stringify(msg.pattern)} in ${msg.path}: it runs without asking from now on`, 'green')]);
        break;
      case 'context_compacted':
        this.commit([compactedLine(msg)]);
        break;
      case 'tool_call_blocked':
        this.endThought();
        this.commit(blockedLines(msg));
        break;
      case 'warning':
        this.commit(warningLines(msg.message));
        break;
      case 'error':
        this.flushStreams();
        this.commit(errorLines(msg.message));
        break;
      case 'mcp_tool_call_begin':
        this.endThought();
        break;
      case 'mcp_tool_call_end':
        this.commit(mcpCallLines(msg));
        break;
      case 'exec_approval_request':
      case 'apply_patch_approval_request':
      case 'mcp_tool_approval_request':
        // The app prints the request itself, right after this: the thought that led to it goes first.
        this.endThought();
        break;
      // Shown elsewhere (status line, /diff, the hint while compacting) or not at all.
      case 'turn_diff':
      case 'task_snapshot':
      case 'token_count':
      case 'shutdown_complete':
      case 'compaction_started':
      case 'mcp_servers':
        break;
      default:
        msg satisfies never;
    }
  }

  takeCommitted(): Line[] {
    const lines = this.committed;
    this.committed = [];
    return lines;
  }

  commitLines(lines: Line[]): void {
    this.commit(lines);
  }

  /**
   * What was applied so far is a resumed session's recorded transcript: its plan is committed as it was left, and the
   * background processes it had running ended with the run of keel that recorded it.
   */
  endReplay(): void {
    this.commitPlan();
    this.commit(this.processes.endRun());
  }

  /**
   * Streamed thoughts, the streamed answer, each running command, then the plan, separated by blank rows (and
   * preceded by one when something was committed before, so the live part looks as it will once committed). Blocks
   * are built from the last one back, each asked only for the rows still free: the plan, nearest the prompt, first.
   */
  live(width: number, maxRows: number, now: number): Line[] {
    const blocks: Array<(budget: number) => Line[]> = [];
    if (!this.reasoning.empty) blocks.push((budget) => this.reasoning.tailRows(width, budget, THOUGHT));
    if (!this.message.empty) blocks.push((budget) => this.message.markdownTailRows(width, budget));
    for (const command of this.commands.values()) {
      blocks.push((budget) => command.liveRows(this.sessionCwd, width, now).slice(-budget));
    }
    const plan = this.plan;
    if (plan !== null) blocks.push((budget) => livePlanLines(plan, width, budget));
    const parts: Line[][] = [];
    let budget = maxRows;
    for (let index = blocks.length - 1; index >= 0 && budget > 0; index--) {
      const rows = blocks[index]?.(budget) ?? [];
      parts.push(rows);
      budget -= rows.length;
      if ((index > 0 || this.started) && budget > 0) {
        parts.push([EMPTY_LINE]);
        budget -= 1;
      }
    }
    return parts.reverse().flat();
  }

  /** Adds a block to the committed stream: one blank line before it unless it is the first or continues `group`. */
  private commit(lines: readonly Line[], group?: string): void {
    const block = tidy(lines);
    if (block.length === 0) return;
    if (this.started && (group === undefined || group !== this.lastGroup)) this.committed.push(EMPTY_LINE);
    for (const row of block) this.committed.push(row);
    this.started = true;
    this.lastGroup = group;
  }

  /**
   * Commits streamed thoughts that got no final event. A summary arrives as `agent_reasoning`, but raw reasoning
   * streamed without a summary gets none: it is over when the model moves on to its answer or a tool.
   */
  private endThought(): void {
    if (this.reasoning.empty) return;
    this.commit(reasoningLines(plainLines(this.reasoning.texts())));
    this.reasoning = new TextStream();
  }

  /** Commits streamed text that got no final event (the turn failed or was stopped): nothing seen is lost. */
  private flushStreams(): void {
    this.endThought();
    if (!this.message.empty) this.commit(renderMarkdownLines(this.message.texts()));
    this.message = new TextStream();
  }

  /** Commits everything live; commands still running are shown stopped. */
  private flushLive(): void {
    this.flushStreams();
    for (const command of this.commands.values()) {
      this.stoppedCommand = true;
      this.commit(command.stoppedLines(this.sessionCwd));
    }
    this.commands.clear();
    this.commitPlan();
  }

  /** An empty plan takes the checklist away; a complete one is committed at once, its task being done with it. */
  private updatePlan(plan: Plan): void {
    this.plan = plan.plan.length === 0 ? null : plan;
    if (this.plan !== null && planDone(this.plan)) this.commitPlan();
  }

  /** Commits the live plan as it stands (unless it is the one committed last) and takes it out of the live part. */
  private commitPlan(): void {
    if (this.plan === null) return;
    if (!samePlan(this.plan, this.committedPlan)) this.commit(planLines(this.plan));
    this.committedPlan = this.plan;
    this.plan = null;
  }

  private endCommand(msg: EventOf<'exec_command_end'>): void {
    if (msg.status === 'aborted') this.stoppedCommand = true;
    const command = this.commands.get(msg.call_id);
    this.commands.delete(msg.call_id);
    this.commit(endedCommandLines(msg, command, this.sessionCwd));
  }
}

/** Drops blank lines at both ends and repeated ones inside, so that blocks are separated by exactly one. */
function tidy(lines: readonly Line[]): Line[] {
  const isBlank = (row: Line): boolean => plainText(row).trim() === '';
  const out: Line[] = [];
  for (const row of lines) {
    const previous = out.at(-1);
    if (isBlank(row) && (previous === undefined || isBlank(previous))) continue;
    out.push(row);
  }
  return out.slice(0, out.findLastIndex((row) => !isBlank(row)) + 1);
}
