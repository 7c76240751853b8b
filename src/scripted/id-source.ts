/**
 * Generated ids, one counter per prefix and per server, so a script replays with the same ids every run.
 */
export class IdSource {
  private readonly counters = new Map<string, number>();

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}_${n}`;
  }
}
