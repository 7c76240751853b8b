/**
 * An unbounded async queue with one consumer: producers `push` synchronously and never block; the consumer
 * iterates with `for await`. `end()` lets the consumer drain what is queued and then stop. It carries the engine's
 * events, and any other producer/consumer hand-off.
 */
export class EventStream<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;

  push(value: T): void {
    if (this.ended) return;
    const waiter = this.waiting;
    if (waiter) {
      this.waiting = null;
      waiter({ value, done: false });
    } else {
      this.buffer.push(value);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const waiter = this.waiting;
    this.waiting = null;
    waiter?.({ value: undefined, done: true });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffer.shift();
    if (value !== undefined || this.buffer.length > 0) return Promise.resolve({ value: value as T, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (this.waiting) throw new Error('EventStream supports a single consumer');
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }
}
