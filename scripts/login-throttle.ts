/**
 * Login throttling per client. Node-RED's own limiter counts failures per user name for
 * everyone, so five wrong passwords from anywhere lock the real user out for ten minutes (and
 * the window rolls). Here failures count per client address and user name, and per client
 * address over all names: an attacker slows down only himself.
 */
export interface ThrottleOptions {
  /** Failures in `windowMs` after which the client waits. */
  maxFailures: number;
  /** The same, from one address over all user names. */
  maxFailuresPerAddress: number;
  windowMs: number;
  /** First wait; each further failure doubles it, up to `maxWaitMs`. */
  waitMs: number;
  maxWaitMs: number;
}

const DEFAULTS: ThrottleOptions = {
  maxFailures: 5,
  maxFailuresPerAddress: 20,
  windowMs: 15 * 60_000,
  waitMs: 30_000,
  maxWaitMs: 15 * 60_000,
};

interface Record {
  failures: number[];
  until: number;
}

export class LoginThrottle {
  private readonly records = new Map<string, Record>();
  private readonly options: ThrottleOptions;

  constructor(
    options: Partial<ThrottleOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  private keys(address: string, username: string): Array<[string, number]> {
    return [
      [`${address}\u0000${username}`, this.options.maxFailures],
      [`${address}\u0000`, this.options.maxFailuresPerAddress],
    ];
  }

  private record(key: string): Record {
    const t = this.now();
    let r = this.records.get(key);
    if (!r) this.records.set(key, (r = { failures: [], until: 0 }));
    r.failures = r.failures.filter((f) => f > t - this.options.windowMs);
    return r;
  }

  /** Milliseconds this client must wait before trying this user name again; 0 when it may try now. */
  waitMs(address: string, username: string): number {
    const t = this.now();
    return Math.max(0, ...this.keys(address, username).map(([k]) => (this.records.get(k)?.until ?? 0) - t));
  }

  failure(address: string, username: string): void {
    const t = this.now();
    for (const [key, max] of this.keys(address, username)) {
      const r = this.record(key);
      r.failures.push(t);
      const over = r.failures.length - max;
      if (over >= 0) r.until = t + Math.min(this.options.maxWaitMs, this.options.waitMs * 2 ** over);
    }
    if (this.records.size > 10_000) this.prune();
  }

  success(address: string, username: string): void {
    this.records.delete(this.keys(address, username)[0][0]);
  }

  private prune(): void {
    const t = this.now();
    for (const [key, r] of this.records)
      if (r.until < t && !r.failures.some((f) => f > t - this.options.windowMs)) this.records.delete(key);
  }
}
