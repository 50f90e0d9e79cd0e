/**
 * Log export (seed: admin-monitoring-design.md § Log Exporter): a ZIP with
 * `execution_logs.json` (every log entry in the range), `error_logs.json` (the ERROR ones)
 * and `metrics.json` (execution statistics of the range, its execution records and the
 * current Prometheus values). Only entries whose timestamp lies inside [start, end] go in.
 */
import type { Archiver, ArchiverOptions } from 'archiver';
import type { Writable } from 'stream';
import type { CentralLogger } from './logger';
import { statsOf, type Analytics } from './analytics';
import type { MonitoringMetrics } from './metrics';
import { maskSecrets } from '../contracts/secrets';

export class InvalidDateError extends Error {
  override name = 'InvalidDate';
  constructor(
    readonly parameter: string,
    readonly value: string,
  ) {
    super(`${parameter}="${value}" is not a date (use ISO 8601, e.g. 2026-01-31T08:00:00Z)`);
  }
}

export class InvalidDateRangeError extends Error {
  override name = 'InvalidDateRange';
  constructor(
    readonly start: Date,
    readonly end: Date,
  ) {
    super(`start (${start.toISOString()}) is after end (${end.toISOString()})`);
  }
}

export interface DateRange {
  start?: Date;
  end?: Date;
}

/** Parses optional start/end query values; throws InvalidDate / InvalidDateRange. */
export function parseDateRange(start?: unknown, end?: unknown): DateRange {
  const parse = (name: string, v: unknown): Date | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    const text = String(v);
    // a bare number is taken as epoch milliseconds, the way Date.now() prints
    const d = /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
    if (!Number.isFinite(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999)
      throw new InvalidDateError(name, text);
    return d;
  };
  const range = { start: parse('start', start), end: parse('end', end) };
  if (range.start && range.end && range.start > range.end) throw new InvalidDateRangeError(range.start, range.end);
  return range;
}

export interface ExportSources {
  logger: CentralLogger;
  analytics: Analytics;
  metrics: MonitoringMetrics;
}

// archiver 7 exports a factory function; @types/archiver 8 describes the class API of archiver 8.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const archiver = require('archiver') as (format: 'zip', options?: ArchiverOptions) => Archiver;

/** Most entries an export holds; beyond that the oldest ones are exported and metrics.json says `truncated`. */
const MAX_EXPORTED = 1_000_000;

/**
 * Writes the ZIP to `out` and resolves when it is complete. `beforeWrite` runs once the data
 * is gathered, just before the first byte (an HTTP handler sets its headers there, so a
 * failure while gathering can still be answered with a JSON error).
 */
export async function exportLogsZip(
  sources: ExportSources,
  range: DateRange,
  out: Writable,
  beforeWrite?: () => void,
): Promise<{ entries: number; errors: number }> {
  // Masked again on the way out: entries and records stored before secrets were masked at write time.
  const entries = maskSecrets(await sources.logger.query({ start: range.start, end: range.end, limit: MAX_EXPORTED }));
  const errors = entries.filter((e) => e.level === 'ERROR');
  const executions = maskSecrets(await sources.analytics.executions({ start: range.start, end: range.end }));
  const now = new Date();
  const from = range.start ?? new Date(executions[0]?.completed_at ?? entries[0]?.timestamp ?? now);
  const to = range.end ?? now;
  const metrics = {
    generated_at: now.toISOString(),
    range: { start: range.start?.toISOString() ?? null, end: range.end?.toISOString() ?? null },
    log_entries: entries.length,
    error_entries: errors.length,
    truncated: entries.length >= MAX_EXPORTED,
    executions: statsOf(executions, {
      workflow_id: null,
      start: from,
      end: to,
      hours: (to.getTime() - from.getTime()) / 3_600_000,
    }),
    execution_records: executions,
    prometheus: await sources.metrics.snapshot(),
  };
  beforeWrite?.();
  const zip = archiver('zip', { zlib: { level: 6 } });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('close', resolve);
    zip.on('error', reject);
    out.on('error', reject);
  });
  zip.pipe(out);
  zip.append(JSON.stringify(entries, null, 1), { name: 'execution_logs.json' });
  zip.append(JSON.stringify(errors, null, 1), { name: 'error_logs.json' });
  zip.append(JSON.stringify(metrics, null, 1), { name: 'metrics.json' });
  await zip.finalize();
  await done;
  return { entries: entries.length, errors: errors.length };
}

/** The download's file name, e.g. rpa-vision-logs-20260131T080000Z.zip. */
export function exportFileName(now = new Date()): string {
  return `rpa-vision-logs-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.zip`;
}
