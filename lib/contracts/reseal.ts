/**
 * Rotating the data key: every sealed file under some folders is opened with the old key and
 * sealed again with the new one, each through a temporary file and a rename so a crash leaves
 * every file whole (under one key or the other); in JSON-lines files (logs), each sealed line.
 * Plain files and lines are left as they are.
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
      let resealed: Buffer | undefined;
      try {
        resealed = entry.name.endsWith('.jsonl')
          ? resealLines(file, oldKey, newKey)
          : startsSealed(file)
            ? seal(open(fs.readFileSync(file), oldKey, file), newKey)
            : undefined;
      } catch {
        result.unreadable.push(file);
        continue;
      }
      if (!resealed) continue;
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, resealed, { mode: 0o600 });
      fs.renameSync(tmp, file);
      result.resealed++;
    }
  }
  return result;
}

/** The lines of a JSON-lines file with its sealed lines (contracts' sealLine) sealed again, or undefined when none is. */
function resealLines(file: string, oldKey: Buffer, newKey: Buffer): Buffer | undefined {
  let changed = false;
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => {
      const data = /^[A-Za-z0-9+/]+=*$/.test(line) ? Buffer.from(line, 'base64') : undefined;
      if (!data || !isSealed(data)) return line;
      changed = true;
      return seal(open(data, oldKey, file), newKey).toString('base64');
    });
  return changed ? Buffer.from(lines.join('\n'), 'utf8') : undefined;
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
