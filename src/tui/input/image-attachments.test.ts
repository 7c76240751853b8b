import { describe, expect, it } from 'vitest';
import { ImageAttachments } from './image-attachments.ts';

const input = { type: 'image' as const, image_url: 'data:image/png;base64,AA==', name: 'a.png' };

describe('ImageAttachments', () => {
  it('lists an image by its file name while it is read, and counts a read that throws as one that failed', async () => {
    const attachments = new ImageAttachments();
    let fail: (error: Error) => void = () => undefined;
    const outcome = attachments.attach('/shots/b.png', '/shots/b.png', new Promise((_, reject) => (fail = reject)));
    expect(attachments.list).toEqual([{ type: 'loading', id: 0, name: 'b.png' }]);
    expect(attachments.loading).toBe(true);
    expect(() => attachments.take()).toThrow(/still loading/);
    fail(new Error('EIO'));
    expect(await outcome).toEqual({ type: 'failed', message: 'image /shots/b.png cannot be read: EIO' });
    expect(attachments.count).toBe(0);
  });

  it('keeps the order attached in, and hands the images over once', async () => {
    const attachments = new ImageAttachments();
    attachments.add([input]);
    const second = { ...input, name: 'c.png' };
    await attachments.attach('/c.png', '/c.png', Promise.resolve({ type: 'loaded', input: second, mime: 'image/png', bytes: 1 }));
    expect(attachments.take()).toEqual([input, second]);
    expect(attachments.take()).toEqual([]);
  });
});
