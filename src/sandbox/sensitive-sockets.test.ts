import { describe, expect, it } from 'vitest';
import type { RootsProbe } from './index.ts';
import { sensitiveSockets } from './sensitive-sockets.ts';

function probe(files: string[], links: Record<string, string> = {}): RootsProbe {
  return {
    readlink: (path) => links[path] ?? null,
    kind: (path) => (files.includes(path) ? 'file' : 'missing'),
    readFile: () => null,
  };
}

describe('sensitiveSockets', () => {
  it('lists the container and bus sockets that exist, resolved and without duplicates', () => {
    const found = sensitiveSockets({ XDG_RUNTIME_DIR: '/run/user/1000', HOME: '/home/me' }, probe(['/run/docker.sock', '/run/user/1000/bus', '/home/me/.docker/run/docker.sock'], { '/var/run': '/run' }));
    expect(found).toEqual([
      { path: '/run/docker.sock', kind: 'file' },
      { path: '/run/user/1000/bus', kind: 'file' },
      { path: '/home/me/.docker/run/docker.sock', kind: 'file' },
    ]);
  });

  it('is empty when none exist', () => {
    expect(sensitiveSockets({}, probe([]))).toEqual([]);
  });
});
