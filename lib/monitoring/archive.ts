/**
 * Archiving (seed best practice 5: "archiver régulièrement les anciennes métriques"): log
 * entries, execution records and resource samples older than a cut-off leave the store and go
 * to gzipped JSON-lines files in `<dataDir>/archive/`, so the store stays small and queries
 * fast while nothing is lost (each file is written before its rows are deleted). The daily
 * JSON-lines files of days before the cut-off are gzipped into the same folder. Archive files
 * are sealed with the data key when one is in use (open them with contracts' readDataFile).
 */
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import { storageFault } from '../contracts';
import { makeDataDir, writeDataFile } from '../contracts/sealed-files';
import type { CentralLogger } from './logger';
import type { Analytics } from './analytics';

export interface ArchiveResult {
  before: string;
  files: string[];
  log_entries: number;
  /** Daily JSON-lines log files whose whole day is before the cut-off, moved gzipped. */
  log_files: number;
  executions: number;
  resource_samples: number;
}

const DAILY_LOG = /^rpa-vision-(\d{4}-\d{2}-\d{2})\.jsonl$/;

/**
 * Writes a whole archive file or none: on a full disk the partial file is removed, and the
 * records it was to hold stay where they were (they are deleted only after this resolves).
 */
async function writeArchiveFile(file: string, data: Buffer): Promise<void> {
  try {
    await writeDataFile(file, data);
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    throw storageFault(err, `the archive ${path.basename(file)}`);
  }
}

/** Gzips the daily log files of days that ended before `before` into the archive, then deletes them. */
async function archiveLogFiles(logDir: string, archiveDir: string, before: Date, files: string[]): Promise<number> {
  const firstKeptDay = before.toISOString().slice(0, 10);
  let moved = 0;
  for (const name of fs.existsSync(logDir) ? fs.readdirSync(logDir).sort() : []) {
    const day = DAILY_LOG.exec(name)?.[1];
    if (!day || day >= firstKeptDay) continue;
    const target = path.join(archiveDir, `${name}.gz`);
    await writeArchiveFile(target, zlib.gzipSync(await fs.promises.readFile(path.join(logDir, name))));
    await fs.promises.unlink(path.join(logDir, name));
    files.push(target);
    moved++;
  }
  return moved;
}

export async function archiveOlderThan(
  sources: { logger: CentralLogger; analytics: Analytics; logDir?: string },
  archiveDir: string,
  before: Date,
): Promise<ArchiveResult> {
  makeDataDir(archiveDir);
  const stamp = `${before
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${Date.now().toString(36)}`;
  const files: string[] = [];
  const save = async (kind: string, rows: unknown[]) => {
    const file = path.join(archiveDir, `${kind}-before-${stamp}.jsonl.gz`);
    await writeArchiveFile(file, zlib.gzipSync(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    files.push(file);
  };
  const logEntries = await sources.logger.moveOlderThan(before, (rows) => save('logs', rows));
  const moved = await sources.analytics.moveOlderThan(before, save);
  const logFiles = sources.logDir ? await archiveLogFiles(sources.logDir, archiveDir, before, files) : 0;
  return {
    before: before.toISOString(),
    files,
    log_entries: logEntries,
    log_files: logFiles,
    executions: moved.executions,
    resource_samples: moved.resources,
  };
}
