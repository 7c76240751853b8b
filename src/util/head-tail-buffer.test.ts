import { describe, expect, it } from 'vitest';
import { HeadTailBuffer } from './head-tail-buffer.ts';
import { truncateExtremes, truncateForModel } from './truncate.ts';

describe('HeadTailBuffer', () => {
  it('keeps everything while it fits', () => {
    const buffer = new HeadTailBuffer({ headBytes: 8, tailBytes: 8 });
    buffer.push('hello ');
    buffer.push('world\n');
    expect(buffer.render()).toBe('hello world\n');
    expect(buffer.totalBytes).toBe(12);
    expect(buffer.totalLines).toBe(1);
    expect(buffer.droppedBytes).toBe(0);
    expect(truncateExtremes(buffer.extremes())).toBe('hello world\n');
  });

  it('keeps the first and last bytes and marks what it dropped', () => {
    const buffer = new HeadTailBuffer({ headBytes: 4, tailBytes: 4 });
    for (const part of ['abc', 'def', 'ghi', 'jkl']) buffer.push(part);
    expect(buffer.droppedBytes).toBe(4);
    expect(buffer.render()).toBe('abcd\n[... omitted 4 of 12 bytes ...]\nijkl');
  });

  it('moves its cuts to character boundaries when rendering', () => {
    const buffer = new HeadTailBuffer({ headBytes: 2, tailBytes: 2 });
    buffer.push('a€€b'); // 61 | e2 82 ac | e2 82 ac | 62
    expect(buffer.render()).toBe('a\n[... omitted 6 of 8 bytes ...]\nb');
  });

  it('counts lines across chunks', () => {
    const buffer = new HeadTailBuffer({ headBytes: 1, tailBytes: 1 });
    buffer.push('a\nb');
    buffer.push('\nc');
    expect(buffer.totalLines).toBe(3);
    buffer.push('\n');
    expect(buffer.totalLines).toBe(3);
  });

  it('holds bounded memory however much is pushed', () => {
    const buffer = new HeadTailBuffer({ headBytes: 1024, tailBytes: 1024 });
    const chunk = 'x'.repeat(999) + '\n';
    let maxRetained = 0;
    for (let i = 0; i < 100_000; i++) {
      buffer.push(chunk);
      maxRetained = Math.max(maxRetained, buffer.retainedBytes);
    }
    expect(buffer.totalBytes).toBe(100_000_000);
    expect(buffer.totalLines).toBe(100_000);
    expect(maxRetained).toBeLessThanOrEqual(1024 + 1024 + chunk.length);
  });

  it('stays bounded with many tiny pushes', () => {
    const buffer = new HeadTailBuffer({ headBytes: 64, tailBytes: 64 });
    for (let i = 0; i < 50_000; i++) buffer.push('.');
    expect(buffer.retainedBytes).toBeLessThanOrEqual(64 + 64 + 256);
    expect(buffer.render()).toBe(`${'.'.repeat(64)}\n[... omitted ${50_000 - 128} of 50000 bytes ...]\n${'.'.repeat(64)}`);
  });

  it('truncates for the model exactly like the whole text would', () => {
    const lines: string[] = [];
    for (let i = 1; i <= 200_000; i++) lines.push(`line ${i} ${'é'.repeat(i % 7)}\n`);
    const whole = lines.join('');
    const buffer = new HeadTailBuffer({ headBytes: 8 * 1024, tailBytes: 8 * 1024 });
    // Odd-sized byte chunks split characters between pushes.
    const bytes = Buffer.from(whole, 'utf8');
    for (let at = 0; at < bytes.length; at += 4093) buffer.push(bytes.subarray(at, at + 4093));
    expect(buffer.totalLines).toBe(200_000);
    expect(truncateExtremes(buffer.extremes())).toBe(truncateForModel(whole));
    expect(truncateExtremes(buffer.extremes(), { maxBytes: 4000, maxLines: 40 })).toBe(
      truncateForModel(whole, { maxBytes: 4000, maxLines: 40 }),
    );
  });
});
