/** Reading and writing contract documents on disk with errors that say which file and why. */
import fs from 'fs';
import path from 'path';
import { makeDataDir, openData, sealForDisk } from './sealed-files';
import { storageFault } from './storage-fault';
import { ContractError, WHOLE_DOCUMENT } from './validate';

export function readJsonFile<T>(file: string, validate: (value: unknown, source?: string) => T): T {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const text = openData(data, file).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ContractError('JSON', [{ field: WHOLE_DOCUMENT, problem: (err as Error).message }], file);
  }
  return validate(value, file);
}

/**
 * Writes JSON (sealed when a data key is in use, owner-only) through a temporary file and a rename, so a crash never leaves half a file. A
 * failed write (a full disk) removes the temporary file and throws a StorageFullError naming
 * the document by its file name only.
 */
export function writeJsonFileAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeDataDir(path.dirname(path.resolve(file)));
    fs.writeFileSync(tmp, sealForDisk(Buffer.from(JSON.stringify(value, null, 2) + '\n')), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw storageFault(err, path.basename(file));
  }
}
