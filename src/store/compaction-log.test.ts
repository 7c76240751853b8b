/**
 * Compactions in the session log, written by the real writer and read back both ways: from the start (every line,
 * for `keel sessions show`) and from the last compaction (the fast path a resume takes). Both must give the same
 * history, whatever state the file is in: several compactions, a compaction torn by a kill, a damaged one, and lines
 * that only look like a compaction to a byte search.
 */
import { appendFileSync, closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assistantMessage, userMessage, type ResponseItem } from '../protocol/index.ts';
import { readSessionLog, type SessionLog } from './session-log-reader.ts';
import { SessionLogWriter } from './session-log-writer.ts';
import { readSessionTail } from './session-tail.ts';
import { newMeta, tempHome } from './testing/temp-home.ts';

const TS = '2025-01-01T00:00:00.000Z';

/** A made-up log, written record by record with the real writer, that knows the history a reader must give back. */
class Recorded {
  /** The history as the engine holds it: what every read must return as `items`. */
  history: ResponseItem[] = [];
  compactions = 0;
  /** Kept event types written since the last compaction (all of them before the first). */
  eventsSinceCompaction: string[] = [];

  private constructor(readonly writer: SessionLogWriter) {}

  static async create(): Promise<Recorded> {
    return new Recorded(await SessionLogWriter.create({ home: tempHome(), meta: newMeta() }));
  }

  get path(): string {
    return this.writer.path;
  }

  item(item: ResponseItem): void {
    this.writer.recordItem(item);
    this.history.push(item);
  }

  event(type: 'task_started' | 'task_complete' | 'user_message' | 'token_count'): void {
    if (type === 'task_started') this.writer.recordEvent({ type, model_context_window: null });
    else if (type === 'task_complete') this.writer.recordEvent({ type, last_agent_message: null });
    else if (type === 'user_message') this.writer.recordEvent({ type, message: 'x' });
    else this.writer.recordEvent({ type, info: null });
    this.eventsSinceCompaction.push(type);
  }

  /** One task: the prompt, a shell call and its output, an answer. Its call ids carry `tag`. */
  task(tag: string): void {
    this.event('task_started');
    this.item(userMessage(`task ${tag}`));
    this.event('user_message');
    this.item({ type: 'function_call', name: 'shell', arguments: `{"command":["echo","${tag}"]}`, call_id: `call_${tag}` });
    this.item({ type: 'function_call_output', call_id: `call_${tag}`, output: `output of ${tag}` });
    this.event('token_count');
    this.item(assistantMessage(`done with ${tag}`));
    this.event('task_complete');
  }

  /** A compaction as the engine records it: the user's messages and a summary replace everything so far. */
  compact(): ResponseItem[] {
    this.compactions += 1;
    const kept = this.history.filter((item) => item.type === 'message' && item.role === 'user');
    const replacement = [...kept, userMessage(`[keel: context compacted] summary number ${this.compactions}`)];
    this.writer.recordCompaction({ history: replacement, reason: 'auto', tokensBefore: 50_000, tokensAfter: 900, number: this.compactions });
    this.history = [...replacement];
    this.eventsSinceCompaction = [];
    return replacement;
  }

  async close(): Promise<string> {
    await this.writer.close();
    return this.path;
  }
}

/** Lines of the file, 1-based, with their text. */
function linesOf(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n');
}

function compactionLines(path: string): number[] {
  return linesOf(path)
    .map((line, index) => (line.includes('"type":"compacted"') ? index + 1 : 0))
    .filter((line) => line > 0);
}

function replaceLine(path: string, lineNumber: number, text: string): void {
  const lines = linesOf(path);
  lines[lineNumber - 1] = text;
  writeFileSync(path, lines.join('\n'));
}

/**
 * The log read from the start and from the last compaction. The fast read is also done in tiny chunks (lines cut
 * across reads, the header alone in the first one), and must give exactly what it gives in one chunk.
 */
async function bothWays(path: string): Promise<{ start: SessionLog; fast: SessionLog }> {
  const fast = await readSessionLog(path, { from: 'last_compaction' });
  for (const tail of [1, 37, 300]) {
    expect(await readSessionLog(path, { from: 'last_compaction', chunks: { head: 400, tail } }), `read in chunks of ${tail}`).toEqual(fast);
  }
  return { start: await readSessionLog(path, { from: 'start' }), fast };
}

describe('a compaction in the log', () => {
  it('is written as one skippable record holding the replacement history, and reads back as it was written', async () => {
    const log = await Recorded.create();
    log.task('a');
    const replacement = log.compact();
    await log.close();
    const records = linesOf(log.path).filter((line) => line.length > 0);
    const record = JSON.parse(records.at(-1)!) as Record<string, unknown>;
    expect(record).toEqual({
      ts: expect.any(String),
      type: 'compacted',
      skippable: true,
      turn: 1,
      number: 1,
      reason: 'auto',
      tokens_before: 50_000,
      tokens_after: 900,
      replacement_history: replacement,
    });
    // The fast path looks for the type near the start of a line: the writer must put it there.
    expect(records.at(-1)!.indexOf('"type":"compacted"') + '"type":"compacted"'.length).toBeLessThanOrEqual(64);

    const { start, fast } = await bothWays(log.path);
    for (const read of [start, fast]) {
      expect(read.items).toEqual(replacement);
      expect(read.compaction).toMatchObject({ ts: record.ts, number: 1, turn: 1 });
      expect(read).toMatchObject({ turns: 1, problems: [], tornTail: false });
    }
    expect(start.compaction!.line).toBe(records.length);
    expect(start.eventsFrom).toBe('start');
    expect(fast.eventsFrom).toBe('last_compaction');
  });

  it('gives the replacement history plus every item after it, read either way', async () => {
    const log = await Recorded.create();
    log.task('a');
    log.event('task_started');
    log.item(userMessage('queued while compacting'));
    log.compact();
    log.item({ type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_after' });
    log.item({ type: 'function_call_output', call_id: 'call_after', output: 'after' });
    log.item(assistantMessage('finished after the compaction'));
    log.event('task_complete');
    await log.close();
    const { start, fast } = await bothWays(log.path);
    expect(log.history.map((item) => item.type)).toEqual(['message', 'message', 'message', 'function_call', 'function_call_output', 'message']);
    expect(start.items).toEqual(log.history);
    expect(fast.items).toEqual(log.history);
    expect(fast.events.map((entry) => entry.event.type)).toEqual(['task_complete']);
    expect(fast.turns).toBe(2);
  });
});

describe('several compactions', () => {
  async function threeCompactions(): Promise<Recorded> {
    const log = await Recorded.create();
    for (const [index, tag] of ['a', 'b', 'c'].entries()) {
      log.task(tag);
      log.task(`${tag}2`);
      log.compact();
      expect(log.compactions).toBe(index + 1);
    }
    log.task('d');
    log.event('task_started');
    log.item(userMessage('the last, unfinished task'));
    await log.close();
    return log;
  }

  it('read from the last compaction give the same history as read from the start, and only the events after it', async () => {
    const log = await threeCompactions();
    const { start, fast } = await bothWays(log.path);
    expect(start.items).toEqual(log.history);
    expect(fast.items).toEqual(start.items);
    // The reader from the start met every compaction; the last one is the one it reports.
    const lines = compactionLines(log.path);
    expect(lines).toHaveLength(3);
    expect(start.compaction).toMatchObject({ number: 3, turn: 6, line: lines[2] });
    expect(fast.compaction).toMatchObject({ number: 3, turn: 6, line: null });
    expect(start.events.map((entry) => entry.event.type)).toHaveLength(7 * 4 + 1);
    expect(fast.events.map((entry) => entry.event.type)).toEqual(log.eventsSinceCompaction);
    expect(fast.eventsFrom).toBe('last_compaction');
    for (const read of [start, fast]) expect(read).toMatchObject({ turns: 8, problems: [], tornTail: false, ended: null });
  });

  it('are found by the reader of a resumed log too, and a resume after them appends to the right history', async () => {
    const log = await threeCompactions();
    const writer = await SessionLogWriter.openExisting({ path: log.path, keelVersion: '0.2.0' });
    expect(writer.turns).toBe(8);
    writer.recordItem(assistantMessage('resumed answer'));
    await writer.close();
    const { start, fast } = await bothWays(log.path);
    expect(fast.items).toEqual([...log.history, assistantMessage('resumed answer')]);
    expect(start.items).toEqual(fast.items);
    expect(fast.resumedCount).toBe(1);
  });
});

describe('a compaction cut short by a kill', () => {
  /** The bytes of a compaction record up to (not including) `keep` characters from its end: a write cut mid-line. */
  function tornCompaction(number: number, keep: number): string {
    const whole = JSON.stringify({
      ts: TS,
      type: 'compacted',
      skippable: true,
      turn: 3,
      number,
      reason: 'auto',
      tokens_before: 60_000,
      tokens_after: 800,
      replacement_history: [userMessage('task a'), userMessage('[keel: context compacted] the summary that was being written')],
    });
    return whole.slice(0, whole.length - keep);
  }

  it('at the end of the log leaves the old history, never a mix, and is only flagged as a torn tail', async () => {
    for (const earlier of [false, true]) {
      const log = await Recorded.create();
      log.task('a');
      if (earlier) log.compact();
      log.task('b');
      await log.close();
      for (const keep of [1, 40, 200]) {
        const path = log.path;
        const pristine = readFileSync(path);
        appendFileSync(path, tornCompaction(earlier ? 2 : 1, keep));
        const { start, fast } = await bothWays(path);
        for (const read of [start, fast]) {
          expect(read.items).toEqual(log.history);
          expect(read).toMatchObject({ tornTail: true, problems: [] });
          expect(read.compaction?.number ?? 0).toBe(earlier ? 1 : 0);
        }
        expect(fast.eventsFrom).toBe(earlier ? 'last_compaction' : 'start');
        writeFileSync(path, pristine);
      }
    }
  });

  it('is set aside by a resume, and the history after it goes on from the old one', async () => {
    const log = await Recorded.create();
    log.task('a');
    log.compact();
    log.task('b');
    await log.close();
    appendFileSync(log.path, tornCompaction(2, 30));
    const writer = await SessionLogWriter.openExisting({ path: log.path, keelVersion: '0.2.0' });
    writer.recordItem(userMessage('after the resume'));
    await writer.close();
    // The torn bytes now sit, escaped, inside the resumed record: no reader may take them for a compaction.
    const { start, fast } = await bothWays(log.path);
    for (const read of [start, fast]) {
      expect(read.items).toEqual([...log.history, userMessage('after the resume')]);
      expect(read).toMatchObject({ tornTail: false, problems: [], resumedCount: 1 });
      expect(read.compaction!.number).toBe(1);
    }
  });
});

describe('a damaged compaction in the middle of the log', () => {
  /** Two compactions and a task after each; returns the log, the lines of both compactions and the history to expect without the second. */
  async function twoCompactions(): Promise<{ log: Recorded; lines: number[]; withoutSecond: ResponseItem[] }> {
    const log = await Recorded.create();
    log.task('a');
    log.compact();
    log.task('b');
    const beforeSecond = [...log.history];
    log.compact();
    log.task('c');
    log.item(userMessage('last words'));
    await log.close();
    const lines = compactionLines(log.path);
    // Without the second compaction, its replacement never happened: the history is the one before it, and the
    // items after it follow (a longer history, but one in which every call is answered).
    const afterSecond = log.history.slice(log.history.findIndex((item) => item.type === 'function_call'));
    return { log, lines, withoutSecond: [...beforeSecond, userMessage('task c'), ...afterSecond] };
  }

  const damages: Array<{ name: string; damage: (line: string) => string; message: RegExp }> = [
    { name: 'invalid JSON', damage: (line) => `${line.slice(0, 120)}\u0000${line.slice(121)}`, message: /^not valid JSON/ },
    {
      name: 'a record that fails its schema',
      damage: (line) => JSON.stringify({ ...(JSON.parse(line) as object), number: 0 }),
      message: /^invalid compacted record: number: /,
    },
    {
      name: 'a replacement history with a broken item',
      damage: (line) => JSON.stringify({ ...(JSON.parse(line) as object), replacement_history: [{ type: 'message', role: 'user' }] }),
      message: /^invalid compacted record: replacement_history\.0/,
    },
  ];

  for (const { name, damage, message } of damages) {
    it(`(${name}) is reported with its line, and both reads fall back to the compaction before it`, async () => {
      const { log, lines, withoutSecond } = await twoCompactions();
      const second = lines[1]!;
      replaceLine(log.path, second, damage(linesOf(log.path)[second - 1]!));
      const { start, fast } = await bothWays(log.path);
      // The fallback is still a fast read: it starts at the first compaction, not at the top of the file.
      expect(fast.eventsFrom).toBe('last_compaction');
      for (const read of [start, fast]) {
        expect(read.problems).toEqual([{ line: second, message: expect.stringMatching(message) }]);
        expect(read.items).toEqual(withoutSecond);
        expect(read.compaction!.number).toBe(1);
        expect(read.turns).toBe(3);
      }
      expect(start.compaction!.line).toBe(lines[0]);
    });
  }

  it('when it is the only one, leaves the uncompacted history read from the start', async () => {
    const log = await Recorded.create();
    log.task('a');
    const before = [...log.history];
    log.compact();
    log.task('b');
    await log.close();
    const [line] = compactionLines(log.path);
    replaceLine(log.path, line!, linesOf(log.path)[line! - 1]!.slice(0, 100));
    const { start, fast } = await bothWays(log.path);
    expect(fast.eventsFrom).toBe('start');
    for (const read of [start, fast]) {
      expect(read.problems).toEqual([{ line: line!, message: expect.stringMatching(/^not valid JSON/) }]);
      expect(read.items).toEqual([...before, ...log.history.slice(-4)]);
      expect(read.compaction).toBeNull();
    }
  });
});

describe('line numbers of problems', () => {
  it('are the same read from the start and from the last compaction, for damage after it', async () => {
    const log = await Recorded.create();
    log.task('a');
    log.compact();
    log.task('b');
    log.compact();
    log.task('c');
    log.task('d');
    await log.close();
    const total = linesOf(log.path).length - 1;
    const [, last] = compactionLines(log.path);
    const damaged = [last! + 2, last! + 5, total - 1];
    replaceLine(log.path, damaged[0]!, '');
    replaceLine(log.path, damaged[1]!, '{"ts":"2025-01-01T00:00:00.000Z","type":"item","item":{"ty');
    replaceLine(log.path, damaged[2]!, JSON.stringify({ ts: TS, type: 'item', item: { type: 'message', role: 'user' } }));
    const { start, fast } = await bothWays(log.path);
    const expected = [
      { line: damaged[0], message: 'empty line' },
      { line: damaged[1], message: expect.stringMatching(/^not valid JSON/) },
      { line: damaged[2], message: expect.stringMatching(/^invalid item record/) },
    ];
    expect(start.problems).toEqual(expected);
    expect(fast.problems).toEqual(expected);
  });

  it('for damage before the last compaction are reported from the start; the fast read does not look there', async () => {
    const log = await Recorded.create();
    log.task('a');
    log.task('b');
    log.compact();
    log.task('c');
    await log.close();
    replaceLine(log.path, 4, '{"ts":"2025-01-01T00:00:00.000Z","type":"ite\u0000garbage');
    const { start, fast } = await bothWays(log.path);
    expect(start.problems).toEqual([{ line: 4, message: expect.stringMatching(/^not valid JSON/) }]);
    expect(fast.problems).toEqual([]);
    // The damage is in what the compaction replaced: the history is the same either way.
    expect(start.items).toEqual(log.history);
    expect(fast.items).toEqual(log.history);
  });
});

describe('a line that only looks like a compaction', () => {
  it('is not taken for one: text about compactions, escaped in a string, and a nested "type":"compacted"', async () => {
    const log = await Recorded.create();
    log.task('a');
    log.compact();
    log.task('b');
    // A message whose text is a compaction record: in the line its quotes are escaped.
    log.item(userMessage('{"ts":"x","type":"compacted","number":9,"replacement_history":[]}'));
    log.item(userMessage('"type":"compacted"'));
    await log.close();
    // A record a newer keel may write: an object near the start of the line with "type":"compacted" unescaped.
    const nested = '{"ts":"x","type":"n","skippable":true,"o":{"type":"compacted","number":7}}';
    expect(nested.indexOf('"type":"compacted"') + '"type":"compacted"'.length).toBeLessThanOrEqual(64);
    appendFileSync(log.path, `${nested}\n`);
    const { start, fast } = await bothWays(log.path);
    for (const read of [start, fast]) {
      expect(read.items).toEqual(log.history);
      expect(read.compaction!.number).toBe(1);
      expect(read.problems).toEqual([]);
    }
    // The fast read really started at the compaction (its events are the ones after it).
    expect(fast.events.map((entry) => entry.event.type)).toEqual(log.eventsSinceCompaction);
  });
});

describe('readSessionTail after a compaction', () => {
  it('finds the task count when the last record is a compaction', async () => {
    const log = await Recorded.create();
    for (let task = 0; task < 200; task++) log.task(`t${task}`);
    log.event('task_started');
    log.item(userMessage('the last task'));
    log.compact();
    const path = await log.close();
    const fd = openSync(path, 'r');
    try {
      const tail = readSessionTail(fd, statSync(path).size);
      expect(tail).toMatchObject({ lastType: 'compacted', turns: 201, torn: null, ended: null });
      // The compaction record carries the count itself: nothing before it had to be read.
      expect(tail.bytesRead).toBeLessThan(statSync(path).size);
    } finally {
      closeSync(fd);
    }
    const writer = await SessionLogWriter.openExisting({ path, keelVersion: '0.2.0' });
    expect(writer.turns).toBe(201);
    await writer.close();
  });
});
