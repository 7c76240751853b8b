import { describe, expect, it } from 'vitest';
import { SseParser, type SseMessage } from './sse-parser.ts';

const encoder = new TextEncoder();

function parseChunks(chunks: Uint8Array[]): SseMessage[] {
  const parser = new SseParser();
  const out: SseMessage[] = [];
  for (const chunk of chunks) out.push(...parser.push(chunk));
  out.push(...parser.end());
  return out;
}

function parseText(text: string): SseMessage[] {
  return parseChunks([encoder.encode(text)]);
}

/** A recorded-style Responses stream exercising every framing feature the parser must handle. */
const RECORDED = [
  ': keepalive comment\n',
  'event: response.created\n',
  'data: {"type":"response.created","response":{"id":"resp_1"}}\n',
  '\n',
  'id: 7\nretry: 1000\nfoo: ignored\n',
  'event: response.output_text.delta\n',
  'data: {"type":"response.output_text.delta","delta":"héllo wörld — ✓ 你好 🚀🎉"}\n',
  '\n',
  ':another comment\n',
  'data:no space\n',
  'data:  two spaces keep one\n',
  'data\n',
  'data: last line\n',
  '\n',
  '\n\n',
  'event: lonely-event-without-data\n',
  '\n',
  'data:\n',
  '\n',
  'event: response.completed\n',
  'data: {"type":"response.completed","response":{"id":"resp_1","usage":{"input_tokens":3}}}\n',
  '\n',
].join('');

const EXPECTED: SseMessage[] = [
  { event: 'response.created', data: '{"type":"response.created","response":{"id":"resp_1"}}' },
  { event: 'response.output_text.delta', data: '{"type":"response.output_text.delta","delta":"héllo wörld — ✓ 你好 🚀🎉"}' },
  { data: 'no space\n two spaces keep one\n\nlast line' },
  { event: 'response.completed', data: '{"type":"response.completed","response":{"id":"resp_1","usage":{"input_tokens":3}}}' },
];

const VARIANTS: Record<string, string> = {
  LF: RECORDED,
  CRLF: RECORDED.replaceAll('\n', '\r\n'),
  CR: RECORDED.replaceAll('\n', '\r'),
  mixed: RECORDED.split('\n')
    .slice(0, -1)
    // A CR is never followed by a LF ending here: that pair would be one CRLF ending, changing the stream.
    .map((line, i) => line + ['\n', '\r', '\r\n'][i % 3])
    .join(''),
};

describe('SseParser', () => {
  it('parses a whole stream: events, comments, multi-line data, one optional space, ignored fields', () => {
    expect(parseText(RECORDED)).toEqual(EXPECTED);
  });

  for (const [name, text] of Object.entries(VARIANTS)) {
    it(`gives the same messages for ${name} line endings split at every byte offset`, () => {
      const bytes = encoder.encode(text);
      expect(parseChunks([bytes])).toEqual(EXPECTED);
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at ${cut}`).toEqual(EXPECTED);
      }
    });

    it(`gives the same messages for ${name} line endings fed byte by byte and in random splits`, () => {
      const bytes = encoder.encode(text);
      const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      expect(parseChunks(single)).toEqual(EXPECTED);
      let seed = 12345;
      const random = (): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let round = 0; round < 200; round++) {
        const chunks: Uint8Array[] = [];
        for (let pos = 0; pos < bytes.length; ) {
          const size = 1 + Math.floor(random() * 40);
          chunks.push(bytes.subarray(pos, pos + size));
          pos += size;
        }
        expect(parseChunks(chunks), `round ${round}`).toEqual(EXPECTED);
      }
    });
  }

  it('keeps a CR at the end of one chunk and the LF at the start of the next as one line ending', () => {
    const parser = new SseParser();
    expect(parser.push(encoder.encode('data: a\r'))).toEqual([]);
    // Were the LF a second line ending, the message would be dispatched here with "a".
    expect(parser.push(encoder.encode('\ndata: b\r'))).toEqual([]);
    expect(parser.push(encoder.encode('\n\r\n'))).toEqual([{ data: 'a\nb' }]);
  });

  it('holds an incomplete multi-byte character until its last byte arrives', () => {
    const bytes = encoder.encode('data: 🚀\n\n');
    const parser = new SseParser();
    expect(parser.push(bytes.subarray(0, 8))).toEqual([]);
    expect(parser.push(bytes.subarray(8))).toEqual([{ data: '🚀' }]);
  });

  it('returns messages as soon as their blank line arrives, not at end()', () => {
    const parser = new SseParser();
    expect(parser.push(encoder.encode('data: one\n\ndata: tw'))).toEqual([{ data: 'one' }]);
    expect(parser.push(encoder.encode('o\n\n'))).toEqual([{ data: 'two' }]);
    expect(parser.end()).toEqual([]);
  });

  it('flushes a final message without its blank line, and a final line without its line ending, at end()', () => {
    expect(parseText('data: [DONE]')).toEqual([{ data: '[DONE]' }]);
    expect(parseText('event: x\ndata: y\n')).toEqual([{ event: 'x', data: 'y' }]);
  });

  it('does not dispatch messages without data', () => {
    expect(parseText('event: ping\n\n: comment\n\nid: 3\n\ndata:\n\n')).toEqual([]);
  });

  it('resets the event name after each message', () => {
    expect(parseText('event: a\ndata: 1\n\ndata: 2\n\n')).toEqual([{ event: 'a', data: '1' }, { data: '2' }]);
  });

  it('strips a leading byte order mark', () => {
    const rest = new Uint8Array([0xbf, ...encoder.encode('data: x\n\n')]);
    expect(parseChunks([new Uint8Array([0xef, 0xbb]), rest])).toEqual([{ data: 'x' }]);
  });

  it('joins a data line spread over many chunks', () => {
    const long = 'x'.repeat(100_000);
    const bytes = encoder.encode(`data: ${long}\n\n`);
    const chunks: Uint8Array[] = [];
    for (let pos = 0; pos < bytes.length; pos += 1000) chunks.push(bytes.subarray(pos, pos + 1000));
    expect(parseChunks(chunks)).toEqual([{ data: long }]);
  });
});
