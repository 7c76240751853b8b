import { describe, expect, it } from 'vitest';
import { parseSlashCommand, SLASH_COMMANDS } from './slash-commands.ts';

describe('parseSlashCommand', () => {
  it('splits a command from its arguments', () => {
    expect(parseSlashCommand('/model gpt-5-mini')).toEqual({ name: 'model', args: 'gpt-5-mini' });
    expect(parseSlashCommand('/status')).toEqual({ name: 'status', args: '' });
    expect(parseSlashCommand('/status   ')).toEqual({ name: 'status', args: '' });
  });

  it('leaves messages alone: a leading space, a path, or no slash', () => {
    expect(parseSlashCommand(' /status')).toBeNull();
    expect(parseSlashCommand('/usr/bin/env is missing on this box')).toBeNull();
    expect(parseSlashCommand('fix /status')).toBeNull();
  });

  it('reports an unknown command as a command, so the person is told instead of it going to the model', () => {
    expect(parseSlashCommand('/stauts')).toEqual({ name: 'stauts', args: '' });
  });

  it('lists every command of the issue with a usage and a summary', () => {
    const names = SLASH_COMMANDS.map((command) => command.name);
    expect(names).toEqual(expect.arrayContaining(['new', 'resume', 'status', 'model', 'approvals', 'diff', 'compact', 'quit', 'help']));
    for (const command of SLASH_COMMANDS) expect(command.usage.startsWith(`/${command.name}`)).toBe(true);
  });
});
