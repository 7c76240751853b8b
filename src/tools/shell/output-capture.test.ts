import { describe, expect, it } from 'vitest';
import { OutputCapture, type OutputStream } from './output-capture.ts';

function capture(maxDeltas?: number): { capture: OutputCapture; deltas: [OutputStream, string][] } {
  const deltas: [OutputStream, string][] = [];
  return { capture: new OutputCapture({ onDelta: (stream, chunk) => deltas.push([stream, chunk]), maxDeltas }), deltas };
}

describe('OutputCapture', () => {
  it('holds a split character until it is complete, per stream', () => {
    const { capture: c, deltas } = capture();
    const euro = Buffer.from('€', 'utf8');
    c.write('stdout', Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]));
    c.write('stderr', Buffer.from('E'));
    c.write('stdout', euro.subarray(1, 2));
    c.write('stdout', euro.subarray(2));
    expect(deltas).toEqual([
      ['stdout', 'a'],
      ['stderr', 'E'],
      ['stdout', '€'],
    ]);
    expect(c.aggregated.render()).toBe('aE€');
  });

  it('flushes an incomplete character at the end as U+FFFD, once', () => {
    const { capture: c, deltas } = capture();
    c.write('stdout', Buffer.from([0x78, 0xe2, 0x82]));
    c.end('stdout');
    c.end('stdout');
    c.write('stdout', Buffer.from('late'));
    expect(deltas).toEqual([
      ['stdout', 'x'],
      ['stdout', '\uFFFD'],
    ]);
  });

  it('stops emitting deltas at the cap but keeps capturing', () => {
    const { capture: c, deltas } = capture(2);
    for (let i = 0; i < 5; i++) c.write('stdout', Buffer.from(`${i}\n`));
    expect(deltas).toHaveLength(2);
    expect(c.deltaCount).toBe(2);
    expect(c.aggregated.render()).toBe('0\n1\n2\n3\n4\n');
  });
});
