/**
 * One run per desktop (issue 15): whoever moves the mouse and types on a display holds its
 * lease, so a flow run, a scheduled job, an API request and a CLI `run` never interleave their
 * clicks. Inside one process the lease is a queue per display; between processes (the CLI
 * while Node-RED runs) it is a lock file per display in the temporary directory, holding the
 * owner's pid: a lock whose process is gone (crash, kill -9) is taken over.
 *
 * The lease is re-entrant along one chain of calls (AsyncLocalStorage): a chain's workflows and
 * a workflow's sub-workflows run under the lease their job took, without waiting for
 * themselves.
 */
import { AsyncLocalStorage } from 'async_hooks';
import os from 'os';
import path from 'path';
import { acquireFileLock, lockOwner } from './file-lock';

export interface LeaseOptions {
  /** Who asks, shown to whoever waits: "workflow WF_invoice (rpa-workflow)". */
  holder: string;
  /** The display; default $DISPLAY. */
  display?: string;
  /** How long to wait for the desktop; default: as long as it takes. 0 refuses at once when busy. */
  waitMs?: number;
  signal?: AbortSignal;
  /** Called once when the desktop is busy and the caller starts waiting. */
  onWait?: (busyWith: string) => void;
}

/** The desktop stayed busy for longer than the caller was willing to wait. */
export class DesktopBusyError extends Error {
  override name = 'DesktopBusyError';
  constructor(
    readonly display: string,
    readonly busyWith: string,
  ) {
    super(`the desktop ${display} is busy with ${busyWith}; one run at a time drives a desktop`);
  }
}

const POLL_MS = 100;
const held = new AsyncLocalStorage<Set<string>>();
/** Per display: the tail of this process's queue, and who holds it now. */
const queues = new Map<string, { tail: Promise<void>; holder: string | null }>();

/** Where the lock file of a display lives (one per display, shared by every process of the machine). */
export function leaseFile(display = process.env.DISPLAY ?? 'none'): string {
  const dir = process.env.RPA_DESKTOP_LOCK_DIR || os.tmpdir();
  return path.join(dir, `rpa-vision-desktop-${display.replace(/[^A-Za-z0-9_.-]/g, '_')}.lock`);
}

/** Who holds the display now (this process or another), or null when it is free. */
export function desktopHolder(display = process.env.DISPLAY ?? 'none'): string | null {
  const local = queues.get(display)?.holder;
  if (local) return local;
  const other = lockOwner(leaseFile(display));
  return other && other.pid !== process.pid ? `${other.holder} (process ${other.pid})` : null;
}

/**
 * Runs `fn` holding the desktop's lease: waits (or refuses, with `waitMs`) while another run
 * holds it, and releases it when `fn` settles, whatever the outcome.
 */
export async function withDesktopLease<T>(options: LeaseOptions, fn: () => Promise<T>): Promise<T> {
  const display = options.display ?? process.env.DISPLAY ?? 'none';
  const mine = held.getStore();
  if (mine?.has(display)) return fn();
  const deadline = options.waitMs === undefined ? Infinity : Date.now() + options.waitMs;
  let waited = false;
  const busy = (who: string) => {
    if (!waited) options.onWait?.(who);
    waited = true;
  };
  const release = await enterQueue(display, options, deadline, busy);
  try {
    const dropFile = await acquireFileLock(leaseFile(display), {
      holder: options.holder,
      deadline,
      signal: options.signal,
      onBusy: busy,
      busyError: (who) => new DesktopBusyError(display, who),
    });
    try {
      return await held.run(new Set([...(mine ?? []), display]), fn);
    } finally {
      dropFile();
    }
  } finally {
    release();
  }
}

async function enterQueue(
  display: string,
  options: LeaseOptions,
  deadline: number,
  busy: (who: string) => void,
): Promise<() => void> {
  const q = queues.get(display) ?? { tail: Promise.resolve(), holder: null };
  queues.set(display, q);
  const before = q.tail;
  let free!: () => void;
  const mine = new Promise<void>((resolve) => (free = resolve));
  q.tail = before.then(() => mine);
  if (q.holder) busy(q.holder);
  try {
    await untilSettled(before, deadline, options.signal, () => q.holder ?? 'another run');
  } catch (err) {
    // Our place in the queue passes straight to the next one once those before us are done.
    void before.then(free);
    throw err;
  }
  q.holder = options.holder;
  return () => {
    q.holder = null;
    free();
  };

  async function untilSettled(
    p: Promise<void>,
    until: number,
    signal: AbortSignal | undefined,
    who: () => string,
  ): Promise<void> {
    let done = false;
    void p.then(() => (done = true));
    await Promise.resolve();
    while (!done) {
      signal?.throwIfAborted();
      if (Date.now() >= until) throw new DesktopBusyError(display, who());
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, until - Date.now()))));
    }
  }
}
