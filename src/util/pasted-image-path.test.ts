import { describe, expect, it } from 'vitest';
import { imagePathFromPaste } from './pasted-image-path.ts';

describe('imagePathFromPaste', () => {
  it('reads the spellings terminals use for a dropped file', () => {
    expect(imagePathFromPaste('/tmp/shot.png')).toBe('/tmp/shot.png');
    expect(imagePathFromPaste("  '/tmp/my shot.PNG'\n")).toBe('/tmp/my shot.PNG');
    expect(imagePathFromPaste('"/tmp/my shot.jpeg"')).toBe('/tmp/my shot.jpeg');
    expect(imagePathFromPaste('/tmp/my\\ shot.webp')).toBe('/tmp/my shot.webp');
    expect(imagePathFromPaste('file:///tmp/my%20shot.gif')).toBe('/tmp/my shot.gif');
    expect(imagePathFromPaste('~/Pictures/a.jpg', '/home/me')).toBe('/home/me/Pictures/a.jpg');
    expect(imagePathFromPaste('shots/a.png')).toBe('shots/a.png');
  });

  it('leaves prose, other files and several lines alone', () => {
    expect(imagePathFromPaste('look at this.png')).toBeNull();
    expect(imagePathFromPaste('/tmp/notes.txt')).toBeNull();
    expect(imagePathFromPaste('/tmp/a.png\n/tmp/b.png')).toBeNull();
    expect(imagePathFromPaste('file://server/share/a.png')).toBeNull();
    expect(imagePathFromPaste('')).toBeNull();
  });
});
