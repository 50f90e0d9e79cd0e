/**
 * Buffers items and writes them in batches, after `delayMs` or as soon as `maxPending` wait:
 * logging and analytics must cost their callers almost nothing, and one LevelDB batch of
 * hundreds of entries is far cheaper than hundreds of puts (bench/monitoring.ts).
 * Batches are written one after the other, in order; `flush()` resolves once everything
 * added so far has been tried and never rejects. A caller that must know whether its item
 * was stored (an HTTP write that answers 201) awaits the promise `addTracked` returns: it
 * rejects with the write's error when the batch holding the item failed.
 */
export class Batcher<T> {
  private pending: T[] = [];
  private stored: { promise: Promise<void>; settle(err?: unknown): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly delayMs: number,
    private readonly maxPending: number,
  ) {}

  add(item: T): void {
    void this.addTracked(item);
  }

  addTracked(item: T): Promise<void> {
    this.pending.push(item);
    this.stored ??= outcome();
    const stored = this.stored.promise;
    if (this.pending.length >= this.maxPending) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.delayMs).unref();
    return stored;
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    const stored = this.stored;
    this.pending = [];
    this.stored = undefined;
    this.writing = this.writing.then(async () => {
      if (!batch.length) return;
      try {
        await this.write(batch);
        stored?.settle();
      } catch (err) {
        stored?.settle(err);
      }
    });
    return this.writing;
  }
}

/** A promise settled from outside; its rejection counts as handled, since most adders ignore it. */
function outcome(): { promise: Promise<void>; settle(err?: unknown): void } {
  let settle!: (err?: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => {
    settle = (err) => (err === undefined ? resolve() : reject(err));
  });
  promise.catch(() => undefined);
  return { promise, settle };
}
