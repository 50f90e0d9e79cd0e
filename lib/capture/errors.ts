/** The ways a recording can fail, each saying what was tried and what happened. */

/** The output directory cannot be created or written (permissions, not a directory, disk full). */
export class OutputDirError extends Error {
  override name = 'OutputDirError';
  constructor(
    readonly dir: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The output directory already holds a recording, which a new one would overwrite. */
export class SessionExistsError extends Error {
  override name = 'SessionExistsError';
}

/** The recording agent stopped on its own: the display went away, or it crashed. */
export class RecordingInterruptedError extends Error {
  override name = 'RecordingInterruptedError';
}

/** A start while recording, a stop while idle. */
export class RecordingStateError extends Error {
  override name = 'RecordingStateError';
}

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file with that name is in the way',
  EISDIR: 'a directory is in the way',
};

/** Turns a file-system error while writing into the user's vocabulary. */
export function outputError(dir: string, err: unknown, doing: string): OutputDirError {
  const e = err as NodeJS.ErrnoException;
  const why = (e.code && WHY[e.code]) || e.message;
  return new OutputDirError(dir, e.code, `cannot ${doing} in ${dir}: ${why}${e.code ? ` (${e.code})` : ''}`);
}
