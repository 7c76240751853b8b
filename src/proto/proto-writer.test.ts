import { describe, expect, it } from 'vitest';
import type { Event } from '../protocol/index.ts';
import { ProtoWriter } from './proto-writer.ts';

function collect(): { writer: ProtoWriter; events: () => Event[] } {
  const lines: string[] = [];
  const writer = new ProtoWriter((line) => lines.push(line));
  return { writer, events: () => lines.map((line) => JSON.parse(line) as Event) };
}

describe('ProtoWriter', () => {
  it('numbers every line it writes, engine events and protocol errors alike, from 0 up by one', () => {
    const { writer, events } = collect();
    writer.engineEvent({ id: 'init', seq: 0, msg: { type: 'warning', message: 'first' } });
    writer.protocolError('proto', 'line 1: not JSON');
    // The engine's own number (1) is not what the client sees: the error took that place.
    writer.engineEvent({ id: '1', seq: 1, msg: { type: 'warning', message: 'second' } });
    expect(events().map((event) => event.seq)).toEqual([0, 1, 2]);
    expect(events()[1]!.msg).toEqual({ type: 'error', message: 'line 1: not JSON', kind: null });
    expect(writer.written).toBe(3);
  });

  it('gives engine events the client\'s submission ids back, and keeps the engine\'s own ids otherwise', () => {
    const { writer, events } = collect();
    writer.bind('1', 'client-a');
    writer.bind('2', 'client-a');
    writer.engineEvent({ id: '2', seq: 0, msg: { type: 'shutdown_complete' } });
    writer.engineEvent({ id: 'background', seq: 1, msg: { type: 'background_processes', processes: [] } });
    expect(events().map((event) => event.id)).toEqual(['client-a', 'background']);
  });

  it('writes one JSON object per line', () => {
    const lines: string[] = [];
    const writer = new ProtoWriter((line) => lines.push(line));
    writer.protocolError('x', 'a "quoted"\nmessage');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]!.slice(0, -1)).not.toContain('\n');
  });
});
