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
});
