/**
 * The centralised logger (seed: admin-monitoring-design.md, `LogEntry`/`RPALogger`).
 *
 * Every entry is structured (timestamp, level, component, message, workflow_id, node_id,
 * metadata), kept in the store's "logs" sub-store under a key that starts with its ISO
 * timestamp (so a time range is one key-range scan) and appended as a JSON line to
 * `<logDir>/rpa-vision-YYYY-MM-DD.jsonl`. Writing is synchronous for the caller and never
 * throws: entries are buffered and flushed in batches, because a log call must never slow
 * down or break the workflow that makes it. A caller that acknowledges a write to someone
 * else (POST /api/logs) uses `record` and awaits `stored`, which rejects when the entry did
 * not reach both the store and the file.
 */
import path from 'path';
import { storageFault } from '../contracts';
import type { SubStore } from '../store/store';
import { Batcher } from './batcher';
import { maskSecrets, redactInlineSecrets } from '../contracts/secrets';
import { appendJsonLines } from './jsonl';
import { makeDataDir, sealLine } from '../contracts/sealed-files';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  /** ISO 8601, UTC, millisecond precision (`Date.toISOString()`). */
  timestamp: string;
  level: LogLevel;
  component: string;
  message: string;
  workflow_id?: string;
  node_id?: string;
  metadata: Record<string, unknown>;
}

/** Context of a log call: the workflow and node it concerns, anything else goes to metadata. */
export interface LogMeta {
  workflow_id?: string;
  node_id?: string;
  [key: string]: unknown;
}

/** What other parts of the product expect from an injected logger (automation, runner). */
export interface Logger {
  debug(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  error(message: string, meta?: LogMeta): void;
}

export interface LogQuery {
  level?: LogLevel;
  component?: string;
  workflow_id?: string;
  /** Inclusive bounds. */
  start?: Date;
  end?: Date;
  /** Newest first when true (the default for "recent logs"). */
  newestFirst?: boolean;
  limit?: number;
}

export class InvalidLogEntryError extends Error {
  override name = 'InvalidLogEntry';
}

/** Log entries that could not be written for another reason than a full disk (the store is locked, a folder vanished). */
export class LogWriteError extends Error {
  override name = 'LogStoreUnavailable';
  readonly status = 503;
  constructor(options: { cause: unknown }) {
    super('the log entries were not saved: the log store cannot be written to; see the health check', options);
  }
}

export interface CentralLoggerOptions {
  store: Promise<SubStore<LogEntry>>;
  /** Folder of the JSON-lines files; none when undefined. */
  logDir?: string;
  /** Called once per entry as soon as it is written (metrics counters). */
  onEntry?: (entry: LogEntry) => void;
  /** Flush delay for buffered entries (ms). */
  flushIntervalMs?: number;
  /** Flush at once when this many entries wait. */
  maxBuffered?: number;
}

const MAX_TEXT = 8_000;

/** Accepts the seed's level names and the usual aliases; anything else is an error. */
export function normaliseLevel(level: unknown): LogLevel {
  const l = String(level ?? '').toUpperCase();
  if (l === 'WARN') return 'WARNING';
  if ((LOG_LEVELS as readonly string[]).includes(l)) return l as LogLevel;
  throw new InvalidLogEntryError(`unknown log level "${String(level)}" (expected one of ${LOG_LEVELS.join(', ')})`);
}

/** A timestamp as the fixed-width ISO form keys are sorted by; throws on anything unparseable. */
export function isoTimestamp(value: Date | string | number | undefined, what = 'timestamp'): string {
  const d = value === undefined ? new Date() : value instanceof Date ? value : new Date(value);
  const t = d.getTime();
  if (!Number.isFinite(t) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999) {
    throw new InvalidLogEntryError(`${what} "${String(value)}" is not a valid date`);
  }
  return d.toISOString();
}

/** How far ahead of the server's clock a client's timestamp may be (clock skew, not the future). */
const MAX_CLIENT_LEAD_MS = 5 * 60_000;

/**
 * The timestamp a client gave an entry, if it lies between `maxAgeDays` before now and five
 * minutes after: a back-dated entry would slip into the history unseen (or be archived at
 * once), a future one would sort above everything written later.
 */
export function clientTimestamp(value: unknown, maxAgeDays: number, now = Date.now()): string {
  const iso = isoTimestamp(value as string | number);
  const t = Date.parse(iso);
  if (t < now - maxAgeDays * 86_400_000 || t > now + MAX_CLIENT_LEAD_MS)
    throw new InvalidLogEntryError(
      `timestamp "${iso}" is more than ${maxAgeDays} day(s) in the past or 5 minutes in the future; leave it out to use the server's time`,
    );
  return iso;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** Metadata as plain JSON; BigInts become strings, and what cannot be serialised (a cycle) is noted, not thrown. */
function plainMetadata(value: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(
      JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    ) as Record<string, unknown>;
  } catch (err) {
    return { unserialisable_metadata: (err as Error).message };
  }
}

/** Builds a well-formed entry (every field of seed property 9) from loose input. */
export function makeEntry(input: {
  level: unknown;
  component: unknown;
  message: unknown;
  timestamp?: Date | string | number;
  meta?: LogMeta;
}): LogEntry {
  const { workflow_id, node_id, ...rest } = input.meta ?? {};
  const component = String(input.component ?? '').trim();
  if (!component) throw new InvalidLogEntryError('a log entry needs a component');
  const entry: LogEntry = {
    timestamp: isoTimestamp(input.timestamp),
    level: normaliseLevel(input.level),
    component: component.slice(0, 100),
    message: redactInlineSecrets(
      clip(typeof input.message === 'string' ? input.message : (JSON.stringify(input.message) ?? '')),
    ),
    // Keys named like a password, PIN, IBAN or token never reach the store, the files or the export.
    metadata: maskSecrets(plainMetadata(rest)),
  };
  if (workflow_id !== undefined && workflow_id !== null && workflow_id !== '') entry.workflow_id = String(workflow_id);
  if (node_id !== undefined && node_id !== null && node_id !== '') entry.node_id = String(node_id);
  return entry;
}

/**
 * The key range of records stored under `<ISO timestamp>~<suffix>` keys (logs, executions,
 * resource samples) whose time lies in [start, end]: '~' and '\uffff' sort after every
 * character of a suffix, so the end millisecond is included.
 */
export function timeKeyRange(start?: Date, end?: Date): { gte?: string; lte?: string } {
  return { gte: start ? isoTimestamp(start) : undefined, lte: end ? `${isoTimestamp(end)}~\uffff` : undefined };
}

/** Hands the records of a time-keyed sub-store older than `before` to `save`, then deletes them. */
export async function moveRecordsBefore<V>(
  store: SubStore<V>,
  before: Date,
  save: (rows: V[]) => Promise<void>,
): Promise<number> {
  const cut = isoTimestamp(before);
  // a key is "<ISO timestamp>~…", so it sorts below the cut exactly when its time is earlier
  const rows = (await store.entries({ lte: cut })).filter(([key]) => key < cut);
  if (!rows.length) return 0;
  await save(rows.map(([, v]) => v));
  await store.batch(rows.map(([key]) => ({ type: 'del' as const, key })));
  return rows.length;
}

/** True when the entry satisfies every criterion of the query (seed property 11). */
export function matchesQuery(entry: LogEntry, q: LogQuery): boolean {
  if (q.level && entry.level !== q.level) return false;
  if (q.component && entry.component !== q.component) return false;
  if (q.workflow_id && entry.workflow_id !== q.workflow_id) return false;
  if (q.start && entry.timestamp < q.start.toISOString()) return false;
  if (q.end && entry.timestamp > q.end.toISOString()) return false;
  return true;
}

export class CentralLogger {
  private readonly batcher: Batcher<{ key: string; entry: LogEntry }>;
  private seq = 0;
  /** Failures while persisting, kept for the health check instead of thrown at callers. */
  lastWriteError: Error | undefined;

  constructor(private readonly options: CentralLoggerOptions) {
    this.batcher = new Batcher(
      (batch) => this.persist(batch),
      options.flushIntervalMs ?? 200,
      options.maxBuffered ?? 500,
    );
    if (options.logDir) makeDataDir(options.logDir);
  }

  /** Writes one entry; returns it, or throws InvalidLogEntryError for a malformed one. */
  write(input: Parameters<typeof makeEntry>[0]): LogEntry {
    return this.record(input).entry;
  }

  /**
   * Writes one entry like `write`; `stored` settles once it is persisted, rejecting with a
   * StorageFullError (507) or a LogWriteError (503) when it was not.
   */
  record(input: Parameters<typeof makeEntry>[0]): { entry: LogEntry; stored: Promise<void> } {
    const entry = makeEntry(input);
    // Keys: timestamp first for range scans, then a per-process sequence so that entries of
    // the same millisecond keep their order and never overwrite each other.
    const key = `${entry.timestamp}~${process.pid.toString(36)}~${(this.seq++).toString(36).padStart(8, '0')}`;
    const stored = this.batcher.addTracked({ key, entry });
    try {
      this.options.onEntry?.(entry);
    } catch {
      // a metrics failure must not lose the log entry
    }
    return { entry, stored };
  }

  /** The never-throwing form used by component loggers. */
  log(level: LogLevel, component: string, message: string, meta?: LogMeta): void {
    try {
      this.write({ level, component, message, meta });
    } catch (err) {
      this.lastWriteError = err as Error;
    }
  }

  /** A logger for one component (seed: `get_logger(component)`). */
  get(component: string): ComponentLogger {
    return new ComponentLogger(this, component);
  }

  /** Persists everything buffered so far (store and JSON-lines file). */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Writes a batch to the store and the JSON-lines files; throws the first failure, after trying both. */
  private async persist(batch: Array<{ key: string; entry: LogEntry }>): Promise<void> {
    let failure: unknown;
    try {
      const store = await this.options.store;
      await store.batch(batch.map(({ key, entry }) => ({ type: 'put' as const, key, value: entry })));
    } catch (err) {
      failure = err;
    }
    if (this.options.logDir) {
      const byDay = new Map<string, string[]>();
      for (const { entry } of batch) {
        const day = entry.timestamp.slice(0, 10);
        const lines = byDay.get(day) ?? [];
        lines.push(sealLine(JSON.stringify(entry)));
        byDay.set(day, lines);
      }
      for (const [day, lines] of byDay) {
        try {
          await appendJsonLines(path.join(this.options.logDir, `rpa-vision-${day}.jsonl`), lines);
        } catch (err) {
          failure ??= err;
        }
      }
    }
    if (failure === undefined) return;
    this.lastWriteError = failure as Error;
    const full = storageFault(failure, 'log entries');
    throw full === failure ? new LogWriteError({ cause: failure }) : full;
  }

  /** Entries matching the query, oldest first unless `newestFirst`; flushes pending ones first. */
  async query(q: LogQuery = {}): Promise<LogEntry[]> {
    await this.flush();
    const store = await this.options.store;
    const limit = q.limit ?? 1000;
    const range = { ...timeKeyRange(q.start, q.end), reverse: q.newestFirst ?? false };
    const unfiltered = !q.level && !q.component && !q.workflow_id;
    if (unfiltered) return store.values({ ...range, limit });
    // Filtered scans read in pages so a rare component does not load the whole store at once.
    const out: LogEntry[] = [];
    const page = 2000;
    let cursor: string | undefined;
    for (;;) {
      const bound = cursor === undefined ? {} : range.reverse ? { lte: cursor } : { gte: cursor };
      const rows = await store.entries({ ...range, ...bound, limit: page + (cursor === undefined ? 0 : 1) });
      const fresh = cursor === undefined ? rows : rows.slice(1);
      for (const [, entry] of fresh) {
        if (matchesQuery(entry, q)) out.push(entry);
        if (out.length >= limit) return out;
      }
      if (fresh.length < page) return out;
      cursor = rows[rows.length - 1][0];
    }
  }

  /** The newest entries, newest first (seed: `get_recent_logs`). */
  recent(limit = 100): Promise<LogEntry[]> {
    return this.query({ newestFirst: true, limit });
  }

  /** Hands entries older than `before` to `save`, then deletes them (archiving); returns how many. */
  async moveOlderThan(before: Date, save: (entries: LogEntry[]) => Promise<void>): Promise<number> {
    await this.flush();
    return moveRecordsBefore(await this.options.store, before, save);
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

/**
 * A logger bound to one component (seed's `RPALogger`): info/warning/error/debug plus the
 * workflow_start/workflow_end helpers. Satisfies the `Logger` interface the automation and
 * the runner take (`warn` is `warning`).
 */
export class ComponentLogger implements Logger {
  constructor(
    private readonly central: CentralLogger,
    readonly component: string,
  ) {}

  debug(message: string, meta?: LogMeta): void {
    this.central.log('DEBUG', this.component, message, meta);
  }
  info(message: string, meta?: LogMeta): void {
    this.central.log('INFO', this.component, message, meta);
  }
  warning(message: string, meta?: LogMeta): void {
    this.central.log('WARNING', this.component, message, meta);
  }
  warn(message: string, meta?: LogMeta): void {
    this.warning(message, meta);
  }
  error(message: string, meta?: LogMeta): void {
    this.central.log('ERROR', this.component, message, meta);
  }
  workflow_start(workflow_id: string, meta: LogMeta = {}): void {
    this.info(`Workflow ${workflow_id} started`, { ...meta, workflow_id, event: 'workflow_start' });
  }
  /** Logs the end of a run; failures are ERROR entries so they land in error_logs.json. */
  workflow_end(workflow_id: string, success: boolean, duration: number, meta: LogMeta = {}): void {
    const text = `Workflow ${workflow_id} ${success ? 'succeeded' : 'failed'} in ${duration.toFixed(3)} s`;
    const m = { ...meta, workflow_id, event: 'workflow_end', success, duration };
    if (success) this.info(text, m);
    else this.error(text, m);
  }
  recent(limit = 100): Promise<LogEntry[]> {
    return this.central.query({ component: this.component, newestFirst: true, limit });
  }
}
