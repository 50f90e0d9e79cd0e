/**
 * Archiving (seed best practice 5: "archiver régulièrement les anciennes métriques"): log
 * entries, execution records and resource samples older than a cut-off leave the store and go
 * to gzipped JSON-lines files in `<dataDir>/archive/`, so the store stays small and queries
 * fast while nothing is lost (each file is written before its rows are deleted).
 */
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import type { CentralLogger } from './logger';
import type { Analytics } from './analytics';

export interface ArchiveResult {
  before: string;
  files: string[];
  log_entries: number;
  executions: number;
  resource_samples: number;
}

export async function archiveOlderThan(sources: { logger: CentralLogger; analytics: Analytics }, archiveDir: string, before: Date): Promise<ArchiveResult> {
  fs.mkdirSync(archiveDir, { recursive: true });
  const stamp = `${before.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${Date.now().toString(36)}`;
  const files: string[] = [];
  const save = async (kind: string, rows: unknown[]) => {
    const file = path.join(archiveDir, `${kind}-before-${stamp}.jsonl.gz`);
    await fs.promises.writeFile(file, zlib.gzipSync(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    files.push(file);
  };
  const logEntries = await sources.logger.moveOlderThan(before, (rows) => save('logs', rows));
  const moved = await sources.analytics.moveOlderThan(before, save);
  return { before: before.toISOString(), files, log_entries: logEntries, executions: moved.executions, resource_samples: moved.resources };
}
