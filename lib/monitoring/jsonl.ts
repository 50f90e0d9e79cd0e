/**
 * JSON-lines files that a failed write cannot corrupt beyond its own lines. A full disk can
 * leave half a line at the end of a file; if the next append went straight after it, the torn
 * line would swallow the first entry of that append and a line-based reader would lose both.
 * So an append that fails is cut back to the file's previous size, and an append to a file
 * that does not end with a newline (a tail torn by a crash, or by a failed cut) starts with one.
 */
import fs from 'fs';
import { openLine } from '../contracts/sealed-files';

const NEWLINE = 0x0a;

/** Appends `lines` (serialised JSON, without newlines) to `file`, all or, as far as the disk allows, none. */
export async function appendJsonLines(file: string, lines: string[]): Promise<void> {
  const handle = await fs.promises.open(file, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let lead = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== NEWLINE) lead = '\n';
    }
    try {
      await handle.appendFile(lead + lines.join('\n') + '\n');
    } catch (err) {
      await handle.truncate(size).catch(() => undefined);
      throw err;
    }
  } finally {
    await handle.close();
  }
}

/**
 * The entries of a JSON-lines text, lines sealed with the data key (contracts' sealLine) opened;
 * a line that is not valid JSON (a torn one) is counted and skipped.
 */
export function parseJsonLines<T = unknown>(
  text: string,
  source = 'a JSON-lines file',
): { entries: T[]; skipped: number } {
  const entries: T[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(openLine(line, source)) as T);
    } catch {
      skipped++;
    }
  }
  return { entries, skipped };
}
