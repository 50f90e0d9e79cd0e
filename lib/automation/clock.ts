/**
 * Time as the scheduler sees it. Production uses the system clock; tests of intervals, daily
 * windows and back-off use ManualClock, which only moves when told to, so they are exact and
 * take no wall-clock time.
 */
export type TimerHandle = { readonly id: number } | NodeJS.Timeout;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` after `ms`; a returned promise is awaited by ManualClock.advance. */
  setTimeout(fn: () => unknown, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // the scheduler must never keep a process alive on its own
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface PendingTimer {
  id: number;
  due: number;
  fn: () => unknown;
}

/** A clock that stands still until `advance()`; timers fire in due order, each awaited. */
export class ManualClock implements Clock {
  private timers: PendingTimer[] = [];
  private nextId = 1;
  constructor(private current = Date.UTC(2026, 0, 5, 7, 0, 0)) {}

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => unknown, ms: number): TimerHandle {
    const timer = { id: this.nextId++, due: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { id: number }).id;
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** Moves time forward by `ms`, running (and awaiting) every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.due > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.due);
      await next.fn();
    }
    this.current = target;
  }

  /** Sets the time (forward only), firing due timers; for "the process was off for a day". */
  async set(epochMs: number): Promise<void> {
    await this.advance(Math.max(0, epochMs - this.current));
  }
}
