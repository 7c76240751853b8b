/**
 * Finds the file a program name runs, the way execvp would, so that "not found" and "not executable" are reported
 * before anything starts (the command is started through a gate shell, whose own error would be less clear).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export type ProgramLookup = { type: 'found'; path: string } | { type: 'missing'; errno: 'ENOENT' | 'EACCES' };

export function findProgram(program: string, env: NodeJS.ProcessEnv, cwd: string): ProgramLookup {
  if (program.includes('/')) return check(resolve(cwd, program));
  let sawUnexecutable = false;
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (dir === '') continue;
    const found = check(resolve(cwd, join(dir, program)));
    if (found.type === 'found') return found;
    if (found.errno === 'EACCES') sawUnexecutable = true;
  }
  return { type: 'missing', errno: sawUnexecutable ? 'EACCES' : 'ENOENT' };
}

function check(path: string): ProgramLookup {
  try {
    if (!statSync(path).isFile()) return { type: 'missing', errno: 'EACCES' };
  } catch {
    return { type: 'missing', errno: 'ENOENT' };
  }
  try {
    accessSync(path, constants.X_OK);
    return { type: 'found', path };
  } catch {
    return { type: 'missing', errno: 'EACCES' };
  }
}
