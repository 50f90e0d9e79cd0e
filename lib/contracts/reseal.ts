/**
 * Rotating the data key: every sealed file under some folders is opened with the old key and
 * sealed again with the new one, each through a temporary file and a rename so a crash leaves
 * every file whole (under one key or the other). Plain files are left as they are.
 */
import fs from 'fs';
import path from 'path';
import { DATA_KEY_FILE, isSealed, open, seal, SEALED_HEADER_BYTES } from './sealed-files';

export interface ResealResult {
  resealed: number;
  /** Sealed files the old key could not open (another key, or altered): left untouched. */
  unreadable: string[];
}

export function resealTree(dirs: string[], oldKey: Buffer, newKey: Buffer): ResealResult {
  const result: ResealResult = { resealed: 0, unreadable: [] };
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || entry.name.startsWith(DATA_KEY_FILE)) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (!startsSealed(file)) continue;
      const data = fs.readFileSync(file);
      let plain: Buffer;
      try {
        plain = open(data, oldKey, file);
      } catch {
        result.unreadable.push(file);
        continue;
      }
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, seal(plain, newKey), { mode: 0o600 });
      fs.renameSync(tmp, file);
      result.resealed++;
    }
  }
  return result;
}

/** Whether `file` begins with the sealed header, reading its first bytes only (logs may be large). */
function startsSealed(file: string): boolean {
  const head = Buffer.alloc(SEALED_HEADER_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    return isSealed(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)));
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `key` (0600) to `<dataDir>/<name>` (default .data-key), atomically. */
export function writeKeyFile(dataDir: string, key: Buffer, name = DATA_KEY_FILE): string {
  const file = path.join(dataDir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(tmp, key.toString('base64') + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}
