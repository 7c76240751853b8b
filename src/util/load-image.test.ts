import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImageFile } from './load-image.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600', 'hex');

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'keel-image-'));
}

describe('loadImageFile', () => {
  it('makes a data URL with the type the bytes show, whatever the name says', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'photo.png'), JPEG);
    const loaded = await loadImageFile('photo.png', { cwd });
    expect(loaded).toEqual({
      type: 'loaded',
      input: { type: 'image', image_url: `data:image/jpeg;base64,${JPEG.toString('base64')}`, name: 'photo.png' },
      mime: 'image/jpeg',
      bytes: JPEG.length,
    });
  });

  it('says what is wrong, and what to do, for a missing file, a directory, text, an empty file and a huge one', async () => {
    const cwd = dir();
    mkdirSync(join(cwd, 'shots.png'));
    writeFileSync(join(cwd, 'notes.png'), 'just text\n');
    writeFileSync(join(cwd, 'empty.png'), '');
    writeFileSync(join(cwd, 'big.png'), Buffer.concat([PNG, Buffer.alloc(200)]));
    const failure = async (path: string) => {
      const loaded = await loadImageFile(path, { cwd, maxBytes: 100 });
      if (loaded.type !== 'failed') throw new Error(`${path} loaded`);
      return { kind: loaded.kind, message: loaded.message };
    };
    expect(await failure('nope.png')).toEqual({ kind: 'not_found', message: 'image nope.png: no such file (check the path)' });
    expect(await failure('shots.png')).toEqual({ kind: 'not_a_file', message: 'image shots.png is not a file: give the path of an image file' });
    expect(await failure('notes.png')).toEqual({
      kind: 'not_an_image',
      message: 'image notes.png is not a PNG, JPEG, GIF or WebP image (judged by its content, not its name): attach a PNG, JPEG, GIF or WebP file',
    });
    expect((await failure('empty.png')).message).toBe('image empty.png is empty: attach a PNG, JPEG, GIF or WebP file');
    expect(await failure('big.png')).toEqual({
      kind: 'too_large',
      message: 'image big.png is 216 bytes; the model APIs take images up to 100 bytes: shrink or crop it first',
    });
  });

  it.skipIf(process.getuid?.() === 0)('says so when the file cannot be read', async () => {
    const cwd = dir();
    const path = join(cwd, 'secret.png');
    writeFileSync(path, PNG);
    chmodSync(path, 0o000);
    const loaded = await loadImageFile(path);
    expect(loaded).toMatchObject({ type: 'failed', kind: 'unreadable', message: `image ${path} cannot be read: permission denied (check its permissions)` });
  });
});
