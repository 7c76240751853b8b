/**
 * The approval question, under the request the transcript printed whole above it: what the person is asked, and how
 * to answer. Answers are APPROVAL_KEYS. While the prompt holds text, letters are typing, not answers (a message being
 * written must never approve anything); only an abort answers then. Typing goes on in the prompt, shown under the
 * question, unless another pane (a list) is open under this one.
 */
import type { Key } from '../input/keys.ts';
import { APPROVAL_KEYS } from '../keymap.ts';
import { span, type Line } from '../../util/text/styled.ts';
import { wrapLines } from '../../util/text/wrap.ts';
import { pendingApproval, type ViewState } from '../view-state.ts';
import { HANDLED, type Pane, type PaneArea, type PaneResult, type PaneView } from './pane.ts';
import type { PromptPane } from './prompt-pane.ts';

export class ApprovalPane implements Pane {
  readonly kind = 'approval';

  /** `typing`: whether keys that are not answers go to the prompt (false while a list is open under the question). */
  constructor(
    private readonly view: () => ViewState,
    private readonly prompt: PromptPane,
    private readonly typing: () => boolean,
  ) {}

  handleKey(key: Key): PaneResult {
    const decision = APPROVAL_KEYS.lookup(key);
    if (decision === 'abort' || (decision !== null && this.prompt.isEmpty())) return { type: 'answer', decision };
    return this.typing() ? this.prompt.handleKey(key) : HANDLED;
  }

  render(area: PaneArea): PaneView {
    const rows = wrapLines(this.question(), area.width);
    if (this.prompt.isEmpty()) return { rows, cursor: null };
    const input = this.prompt.rows(area.width, Math.max(1, Math.min(Math.floor(area.height / 3), area.room - 4)));
    return { rows: [...rows, ...input.rows], cursor: input.cursor === null ? null : { row: rows.length + input.cursor.row, col: input.cursor.col } };
  }

  /** The question, and how to answer it (or why answering waits). */
  private question(): Line[] {
    const state = this.view();
    const pending = pendingApproval(state);
    if (pending === null) return [];
    const more = pending.more > 0 ? ` (${pending.more} more waiting)` : '';
    const question = pending.kind === 'command' ? 'Run the command above?' : pending.kind === 'tool' ? 'Call the MCP tool above?' : 'Apply the patch above?';
    // What a person approves runs as asked, outside the sandbox: the question says so where there is one.
    const sandbox = state.status.sandbox.type;
    const where =
      pending.kind === 'tool' ? ' MCP servers run outside any sandbox.' : sandbox === 'danger-full-access' ? '' : ` It runs outside the ${sandbox} sandbox.`;
    const title: Line = { spans: [span(`↑ ${question}${more}`, { bold: true, color: 'yellow' }), span(where, { dim: true })] };
    if (!this.prompt.isEmpty()) {
      return [title, { spans: [span('to answer, send your message first (Enter queues it) or clear it (Ctrl+U); Esc aborts the task', { dim: true })] }];
    }
    const choices: Line = {
      spans: [
        span('y', { bold: true, color: 'green' }),
        span(' approve · '),
        span('a', { bold: true, color: 'green' }),
        span(' approve for this session · '),
        ...(pending.request.type === 'exec_approval_request' && pending.request.proposed_rule !== undefined
          ? [span('A', { bold: true, color: 'green' }), span(' always (saves a rule) · ')]
          : []),
        span('n', { bold: true, color: 'red' }),
        span(' deny · '),
        span('Esc', { bold: true, color: 'yellow' }),
        span(' abort the task'),
      ],
    };
    return [title, choices];
  }
}
