import { describe, expect, it } from 'vitest';
import type { EventMsg } from '../protocol/index.ts';
import { HumanRenderer } from './human-renderer.ts';
import { createStyle } from './style.ts';

function render(messages: EventMsg[]): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  const renderer = new HumanRenderer({
    stdout: (text) => (out.stdout += text),
    stderr: (text) => (out.stderr += text),
    style: createStyle(true),
    version: '0.0.0',
  });
  messages.forEach((msg, seq) => renderer.render({ id: '1', seq, msg }));
  return out;
}

const DIM = (text: string) => `\u001b[2m${text}\u001b[22m`;

describe('exec\'s human renderer', () => {
  it('shows reasoning summaries dimmed, every line, on stderr only', () => {
    const { stdout, stderr } = render([
      { type: 'agent_reasoning', text: 'First look.\n\nThen answer.' },
      { type: 'agent_message', message: 'Done.' },
      { type: 'task_complete', last_agent_message: 'Done.' },
    ]);
    expect(stderr).toBe(`${DIM('thinking: First look.')}\n${DIM('')}\n${DIM('Then answer.')}\n`);
    expect(stdout).toBe('Done.\n');
  });

  it('names the reasoning effort in the header when one is sent', () => {
    const configured = {
      type: 'session_configured',
      session_id: 's1',
      model: 'gpt-5-codex',
      model_provider_id: 'openai',
      cwd: '/w',
      approval_policy: 'never',
      sandbox_policy: { type: 'read-only' },
      rollout_path: null,
    } as const;
    expect(render([{ ...configured, reasoning_effort: 'high' }]).stderr).toContain('model gpt-5-codex (reasoning high) · session s1');
    expect(render([{ ...configured, reasoning_effort: null }]).stderr).toContain('model gpt-5-codex · session s1');
  });

  it('says on stderr that the context was compacted, with the sizes, and why when a request did not fit', () => {
    const compacted = { type: 'context_compacted', reason: 'auto', tokens_before: 182_400, tokens_after: 9_400, compactions: 1 } as const;
    const { stdout, stderr } = render([{ type: 'compaction_started', reason: 'auto' }, compacted]);
    expect(stderr).toBe(`${DIM('context compacted: 182k → 9.4k tokens')}\n`);
    expect(stdout).toBe('');
    expect(render([{ ...compacted, reason: 'overflow' }]).stderr).toBe(`${DIM('context compacted: 182k → 9.4k tokens (the request did not fit)')}\n`);
  });

  it('does not take an answer followed by a compaction for the final one', () => {
    const { stdout, stderr } = render([
      { type: 'agent_message', message: 'Read the loader.' },
      { type: 'compaction_started', reason: 'auto' },
      { type: 'context_compacted', reason: 'auto', tokens_before: 1100, tokens_after: 300, compactions: 1 },
      { type: 'agent_message', message: 'Renamed.' },
      { type: 'task_complete', last_agent_message: 'Renamed.' },
    ]);
    expect(stderr).toBe(`Read the loader.\n${DIM('context compacted: 1.1k → 300 tokens')}\n`);
    expect(stdout).toBe('Renamed.\n');
  });
  it('shows every call that did not run in red on stderr, and counts them when the task ends', () => {
    const { stdout, stderr } = render([
      { type: 'tool_call_blocked', call_id: 'c1', tool: 'shell', summary: 'rm -rf build', outcome: 'refused', reason: 'this run asks no questions' },
      { type: 'agent_message', message: 'I could not delete it.' },
      { type: 'task_complete', last_agent_message: 'I could not delete it.', blocked_calls: { refused: 1, denied: 0, aborted: 0 } },
    ]);
    expect(stderr).toBe('\u001b[31m✗ refused: rm -rf build — this run asks no questions\u001b[39m\n\u001b[33m1 call did not run (1 refused)\u001b[39m\n');
    expect(stdout).toBe('I could not delete it.\n');
  });
  it('prints each plan on stderr as a checklist', () => {
    const { stdout, stderr } = render([
      { type: 'plan_update', explanation: 'Found it.', plan: [{ step: 'Read', status: 'completed' }, { step: 'Rename', status: 'in_progress' }, { step: 'Test', status: 'pending' }] },
    ]);
    expect(stderr).toBe('\u001b[1mplan\u001b[22m\n\u001b[2m  Found it.\u001b[22m\n  ✓ Read\n  → Rename\n  · Test\n');
    expect(stdout).toBe('');
  });
});

describe('exec\'s human renderer with a final-answer hook', () => {
  function renderWith(finalAnswer: (answer: string) => string | null) {
    const out = { stdout: '', stderr: '' };
    const renderer = new HumanRenderer({ stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text), style: createStyle(false), version: '0', finalAnswer });
    renderer.render({ id: '1', seq: 0, msg: { type: 'agent_message', message: '{ "a": 1 }' } });
    renderer.render({ id: '1', seq: 1, msg: { type: 'task_complete', last_agent_message: '{ "a": 1 }' } });
    return out;
  }

  it('prints what the hook makes of the answer, or the answer on stderr when it gives nothing', () => {
    expect(renderWith(() => '{"a":1}')).toEqual({ stdout: '{"a":1}\n', stderr: '' });
    expect(renderWith(() => null)).toEqual({ stdout: '', stderr: '{ "a": 1 }\n' });
  });
});
