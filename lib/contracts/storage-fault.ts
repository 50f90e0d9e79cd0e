/**
 * A write that could not be stored because the disk is full. The admin API answers it with
 * 507 Insufficient Storage and a message that names what was not saved but no file path:
 * the raw errors (LevelDB's "IO error: <path>: No space left on device", fs's ENOSPC) carry
 * internal paths a client has no use for.
 */
export class StorageFullError extends Error {
  override name = 'InsufficientStorage';
  readonly status = 507;
  constructor(what: string, options?: { cause?: unknown }) {
    super(`${what}: not saved, the disk of the data directory is full; free some space and retry`, options);
  }
}

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
const FULL_TEXT = /no space left on device|disk quota exceeded|ENOSPC|EDQUOT/i;

/** True when `err`, or an error it wraps, says the disk (or the user's quota) is full. */
export function isStorageFull(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((code && FULL_CODES.has(code)) || FULL_TEXT.test(e.message)) return true;
  }
  return false;
}

/** `err` as a StorageFullError about `what` when the disk is full, else `err` unchanged. */
export function storageFault(err: unknown, what: string): unknown {
  return isStorageFull(err) && !(err instanceof StorageFullError) ? new StorageFullError(what, { cause: err }) : err;
}
