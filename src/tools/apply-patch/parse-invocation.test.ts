import { describe, expect, it } from 'vitest';
import { parseInvocation } from './parse-invocation.ts';

const PATCH = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n';

describe('parseInvocation: recognized calls', () => {
  it('argv ["apply_patch", PATCH] and ["applypatch", PATCH]', () => {
    expect(parseInvocation(['apply_patch', PATCH])).toEqual({ type: 'patch', patch: PATCH });
    expect(parseInvocation(['applypatch', PATCH])).toEqual({ type: 'patch', patch: PATCH });
    expect(parseInvocation(['/usr/local/bin/apply_patch', PATCH])).toEqual({ type: 'patch', patch: PATCH });
  });

  it('a heredoc script under bash -lc, bash -c, sh -c and zsh -lc, with any delimiter, quoted or not', () => {
    for (const [shell, flag] of [
      ['bash', '-lc'],
      ['bash', '-c'],
      ['sh', '-c'],
      ['zsh', '-lc'],
      ['/bin/bash', '-lc'],
    ]) {
      for (const opener of ["<<'EOF'", '<<EOF', '<<"EOF"', "<< 'EOF'", '<<PATCH_END']) {
        const delimiter = opener.replace(/^<<\s*['"]?|['"]$/g, '');
        const script = `apply_patch ${opener}\n${PATCH}${delimiter}\n`;
        expect(parseInvocation([shell!, flag!, script])).toEqual({ type: 'patch', patch: PATCH });
      }
    }
  });

  it('a leading cd DIR && gives the working directory', () => {
    expect(parseInvocation(['bash', '-lc', `cd src/app && apply_patch <<'EOF'\n${PATCH}EOF`])).toEqual({ type: 'patch', patch: PATCH, workdir: 'src/app' });
    expect(parseInvocation(['bash', '-lc', `cd "my dir" && applypatch <<EOF\n${PATCH}EOF\n`])).toEqual({ type: 'patch', patch: PATCH, workdir: 'my dir' });
  });

  it('<<- strips leading tabs; surrounding whitespace and a CRLF delimiter line are fine', () => {
    expect(parseInvocation(['bash', '-c', `\n  apply_patch <<-EOF\n\t*** Begin Patch\n\t*** Delete File: x\n\t*** End Patch\n\tEOF\r\n\n`])).toEqual({
      type: 'patch',
      patch: '*** Begin Patch\n*** Delete File: x\n*** End Patch\n',
    });
  });

  it('the patch as one quoted argument inside the script', () => {
    expect(parseInvocation(['bash', '-lc', `apply_patch '${PATCH}'`])).toEqual({ type: 'patch', patch: PATCH });
  });
});

describe('parseInvocation: not a patch', () => {
  it('ordinary commands and scripts', () => {
    for (const argv of [[], ['ls', '-la'], ['bash', '-lc', 'grep -r apply_patch src'], ['bash', '-lc', 'echo hi && apply_patch <<EOF\nx\nEOF'], ['python', '-c', 'print(1)']]) {
      expect(parseInvocation(argv)).toEqual({ type: 'not_patch' });
    }
  });

  it('scripts whose cd is not a plain single step', () => {
    for (const script of [`cd a b && apply_patch <<EOF\n${PATCH}EOF`, `cd $HOME && apply_patch <<EOF\n${PATCH}EOF`, `cd a; apply_patch <<EOF\n${PATCH}EOF`]) {
      expect(parseInvocation(['bash', '-lc', script])).toEqual({ type: 'not_patch' });
    }
  });
});

describe('parseInvocation: errors the model can act on', () => {
  it('apply_patch without its patch, or with extra arguments', () => {
    expect(parseInvocation(['apply_patch'])).toMatchObject({ type: 'error', message: expect.stringContaining('needs the patch text') });
    expect(parseInvocation(['apply_patch', PATCH, 'extra'])).toMatchObject({ type: 'error', message: expect.stringContaining('exactly one argument') });
    expect(parseInvocation(['bash', '-lc', 'apply_patch'])).toMatchObject({ type: 'error', message: expect.stringContaining('without a patch') });
  });

  it('a raw patch given as the command or as the script', () => {
    expect(parseInvocation([PATCH])).toMatchObject({ type: 'error', message: expect.stringContaining('without explicit call to apply_patch') });
    expect(parseInvocation(['bash', '-lc', PATCH])).toMatchObject({ type: 'error', message: expect.stringContaining('without explicit call to apply_patch') });
  });

  it('commands after the heredoc, or a heredoc that is never closed', () => {
    expect(parseInvocation(['bash', '-lc', `apply_patch <<'EOF'\n${PATCH}EOF\necho done\n`])).toMatchObject({
      type: 'error',
      message: expect.stringContaining('nothing may follow'),
    });
    expect(parseInvocation(['bash', '-lc', `apply_patch <<'EOF'\n${PATCH}`])).toMatchObject({ type: 'error', message: expect.stringContaining('not closed') });
    expect(parseInvocation(['bash', '-lc', `apply_patch <<'EOF' && ls\n${PATCH}EOF`])).toMatchObject({ type: 'error' });
    expect(parseInvocation(['bash', '-lc', 'apply_patch --dry-run file.patch'])).toMatchObject({ type: 'error', message: expect.stringContaining('only command') });
  });
});
