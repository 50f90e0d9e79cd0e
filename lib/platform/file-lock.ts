/**
 * Lock files shared by the processes of one machine: created exclusively, holding the owner's
 * pid and a description; a lock whose process is gone (crash, kill -9) is taken over, and the
 * locks a process holds are removed when it exits.
 */
import fs from 'fs';
import path from 'path';

export interface FileLockOptions {
  /** Who holds it, shown to whoever waits. */
  holder: string;
  /** Epoch ms after which a busy lock is an error; default: wait as long as it takes. */
  deadline?: number;
  signal?: AbortSignal;
  /** Called each time the lock is found held, with who holds it. */
  onBusy?: (who: string) => void;
  /** The error thrown at the deadline. */
  busyError?: (who: string) => Error;
}

interface LockContent {
  pid: number;
  holder: string;
  since: string;
}

const POLL_MS = 100;
/** Lock files this process holds, removed when it exits. */
const ownFiles = new Set<string>();
let exitHookInstalled = false;

/** The live owner of a lock file, or null when it is free (or its owner is gone). */
export function lockOwner(file: string): LockContent | null {
  const c = readLock(file);
  return c && alive(c.pid) ? c : null;
}

/**
 * Takes the lock file `file`, waiting while a live process holds it, until `deadline` (epoch
 * ms). Resolves to the function that releases it.
 */
export async function acquireFileLock(file: string, options: FileLockOptions): Promise<() => void> {
  const content: LockContent = { pid: process.pid, holder: options.holder, since: new Date().toISOString() };
  const deadline = options.deadline ?? Infinity;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      fs.writeFileSync(file, JSON.stringify(content), { flag: 'wx', mode: 0o644 });
      ownFiles.add(file);
      installExitHook();
      return () => dropFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const other = readLock(file);
    if (other ? isStale(file, other) : ageMs(file) > 2000) {
      // Left by a process that is gone (or half-written by one that died): take it over.
      removeStale(file);
      continue;
    }
    const who = other ? `${other.holder} (process ${other.pid})` : 'another process';
    options.onBusy?.(who);
    if (Date.now() >= deadline) throw options.busyError?.(who) ?? new Error(`${path.basename(file)} is held by ${who}`);
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}

function isStale(file: string, other: LockContent): boolean {
  // A lock of our own pid that this process does not hold was left by a previous life of the pid.
  return !alive(other.pid) || (other.pid === process.pid && !ownFiles.has(file));
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** The rename is atomic: of two processes clearing the same stale lock, one moves it away. */
function removeStale(file: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // someone else cleared it first
  }
  const moved = readLock(aside);
  // Another process cleared the stale lock and took the desktop between our look and our
  // rename: give its lock back.
  if (moved && !isStale(file, moved))
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third process took it meanwhile; the lock is held either way.
    }
  fs.rmSync(aside, { force: true });
}

function dropFile(file: string): void {
  ownFiles.delete(file);
  const other = readLock(file);
  if (other?.pid === process.pid) fs.rmSync(file, { force: true });
}

function readLock(file: string): LockContent | null {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as LockContent;
    return typeof c.pid === 'number' ? c : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const file of ownFiles) {
      const other = readLock(file);
      if (other?.pid === process.pid) fs.rmSync(file, { force: true });
    }
  });
}
