import { describe, expect, it } from 'vitest';
import type { EventOf } from '../protocol/index.ts';
import { approvalLines, commandLines, relativeChange, relativePath } from './approval-lines.ts';
import { plainText, type Line } from '../util/text/styled.ts';

const CWD = '/home/ada/repo';

function texts(lines: Line[]): string[] {
  return lines.map(plainText);
}

function execRequest(fields: Partial<EventOf<'exec_approval_request'>> = {}): EventOf<'exec_approval_request'> {
  return { type: 'exec_approval_request', call_id: 'c1', command: ['rm', '-rf', 'build dir'], cwd: CWD, reason: null, ...fields };
}

describe('approvalLines', () => {
  it('asks about a command with a bold yellow title', () => {
    const lines = approvalLines(execRequest(), CWD);
    expect(texts(lines)).toEqual(['Run this command?', "$ rm -rf 'build dir'"]);
    expect(lines[0]?.spans[0]?.style).toEqual({ bold: true, color: 'yellow' });
    expect(lines[1]?.spans[0]).toEqual({ text: '$', style: { color: 'cyan' } });
  });

  it('says where the command runs and why it is asked, dim', () => {
    const lines = approvalLines(execRequest({ cwd: '/tmp', reason: 'writes outside the workspace\nand needs the network' }), CWD);
    expect(texts(lines)).toEqual(['Run this command?', "$ rm -rf 'build dir' (in /tmp)", 'writes outside the workspace', 'and needs the network']);
    expect(lines[1]?.spans.at(-1)?.style).toEqual({ dim: true });
    expect(lines[2]?.spans[0]?.style).toEqual({ dim: true });
  });

  it('shows every line of a script, escape codes removed', () => {
    const script = Array.from({ length: 6 }, (_, index) => `echo ${index}`).join('\n');
    const lines = texts(approvalLines(execRequest({ command: ['bash', '-lc', `${script}\u001b[2J`] }), CWD));
    expect(lines).toEqual(['Run this command?', "$ bash -lc 'echo 0", '  echo 1', '  echo 2', '  echo 3', '  echo 4', "  echo 5'"]);
  });

  it('asks about a patch, file by file, with paths relative to the session directory', () => {
    const request: EventOf<'apply_patch_approval_request'> = {
      type: 'apply_patch_approval_request',
      call_id: 'p1',
      changes: {
        [`${CWD}/src/old.ts`]: { type: 'update', unified_diff: '@@ -1 +1 @@\n-a\n+b\n', move_path: `${CWD}/src/new.ts` },
        '/etc/hosts': { type: 'delete', content: 'x\n' },
      },
      reason: 'edits a file outside the workspace',
    };
    const lines = texts(approvalLines(request, CWD));
    expect(lines[0]).toBe('Apply this patch?');
    expect(lines).toContain('R src/old.ts → src/new.ts (+1 -1)');
    expect(lines).toContain('D /etc/hosts (-1)');
    expect(lines.at(-1)).toBe('edits a file outside the workspace');
  });
});

describe('commandLines', () => {
  it('cuts a long script and counts what was left out', () => {
    expect(texts(commandLines('a\nb\nc\nd', null, CWD, 2))).toEqual(['$ a', '  b', '  … (2 more lines)']);
  });

  it('shows a directory inside the session directory relative to it', () => {
    expect(texts(commandLines('make', `${CWD}/web`, CWD))).toEqual(['$ make (in web)']);
    expect(texts(commandLines('make', CWD, CWD))).toEqual(['$ make']);
  });
});

describe('relativePath', () => {
  it('shortens only paths inside the directory', () => {
    expect(relativePath(`${CWD}/a/b.ts`, CWD)).toBe('a/b.ts');
    expect(relativePath(`${CWD}/a/b.ts`, `${CWD}/`)).toBe('a/b.ts');
    expect(relativePath(CWD, CWD)).toBe('.');
    expect(relativePath(`${CWD}-other/x`, CWD)).toBe(`${CWD}-other/x`);
    expect(relativePath('/x', '')).toBe('/x');
  });

  it('makes a move destination relative too', () => {
    expect(relativeChange({ type: 'update', unified_diff: '', move_path: `${CWD}/b` }, CWD)).toEqual({ type: 'update', unified_diff: '', move_path: 'b' });
    const add = { type: 'add' as const, content: '' };
    expect(relativeChange(add, CWD)).toBe(add);
  });
});
