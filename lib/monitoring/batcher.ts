/**
 * Buffers items and writes them in batches, after `delayMs` or as soon as `maxPending` wait:
 * logging and analytics must cost their callers almost nothing, and one LevelDB batch of
 * hundreds of entries is far cheaper than hundreds of puts (bench/monitoring.ts).
 * Batches are written one after the other, in order; `flush()` resolves once everything
 * added so far is written. `write` must not reject (it reports its own failures).
 */
export class Batcher<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly delayMs: number,
    private readonly maxPending: number,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.pending.length >= this.maxPending) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.delayMs).unref();
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => (batch.length ? this.write(batch) : undefined));
    return this.writing;
  }
}
