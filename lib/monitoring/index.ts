/**
 * The one place to get the process-wide monitoring: central logger, Prometheus metrics and
 * execution analytics of a data directory. Created once per process and data directory and
 * kept on `globalThis`, so Node-RED redeploys (which re-create nodes, not modules) and a
 * second copy of this module loaded through another path all share the same metrics — a
 * prom-client metric registered twice would throw.
 *
 *   const mon = getMonitoring(dataDir, () => openStore(dataDir));
 *   const log = mon.getLogger('automation');      // {info, warn, warning, error, debug, workflow_start, workflow_end}
 *   const id = mon.analytics.on_execution_start({ workflow_id, total_steps });
 *   mon.automationEvents.chainExecuted({ chain_id, status: 'success' });
 */
import path from 'path';
import type { Writable } from 'stream';
import type { Store, SubStore } from '../store/store';
import { CentralLogger, type ComponentLogger, type LogEntry } from './logger';
import { MonitoringMetrics } from './metrics';
import { Analytics, type ExecutionRecord, type ResourceSample } from './analytics';
import { archiveOlderThan, type ArchiveResult } from './archive';
import { exportLogsZip, type DateRange } from './log-export';
import { buildReport, renderReportHtml, type ReportConfig, type ReportData } from './report';
import { runHealthCheck, type HealthReport } from './health';
import { importInbox, InboxStore } from './store-inbox';
import { pendingInbox } from '../store/data-dir';

/** How often the store holder looks for records other processes left in the store's inbox. */
const INBOX_INTERVAL_MS = 3000;

export * from './logger';
export * from './jsonl';
export * from './metrics';
export * from './analytics';
export * from './archive';
export * from './log-export';
export * from './report';
export * from './health';
export * from './overview';
export { storeOrInbox, importInbox, InboxStore } from './store-inbox';

/** What the automation (chains, triggers, scheduler) reports; wired by its owner. */
export interface AutomationEventSink {
  chainExecuted(event: { chain_id: string; status: string; duration?: number; failed_at?: string | null }): void;
  triggerFired(event: { trigger_id?: string; trigger_type: string; workflow_id: string }): void;
  triggerAutoDisabled(event: {
    trigger_id: string;
    reason: string;
    consecutive_failures?: number;
    workflow_id?: string;
  }): void;
}

export interface Monitoring {
  readonly dataDir: string;
  readonly logDir: string;
  readonly logger: CentralLogger;
  readonly metrics: MonitoringMetrics;
  readonly analytics: Analytics;
  readonly automationEvents: AutomationEventSink;
  getLogger(component: string): ComponentLogger;
  health(): Promise<HealthReport>;
  report(config: ReportConfig): Promise<{ data: ReportData; html: string }>;
  archive(before: Date): Promise<ArchiveResult>;
  exportLogs(range: DateRange, out: Writable, beforeWrite?: () => void): Promise<{ entries: number; errors: number }>;
  /** Persists everything buffered (logs, execution records). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface MonitoringOptions {
  /** Resource sampling interval; 0 turns it off. Default RPA_VISION_RESOURCE_INTERVAL_S or 60. */
  resourceIntervalSeconds?: number;
  /** Records older than this many days are archived once a day; 0 turns it off. Default RPA_VISION_ARCHIVE_AFTER_DAYS or 90. */
  archiveAfterDays?: number;
  processMetrics?: boolean;
}

/**
 * A sub-store that opens the store on first use and again after a failure (e.g. the data
 * directory became writable), so monitoring created early never holds a dead handle.
 */
function lazySub<V>(open: () => Promise<Store>, name: string): SubStore<V> {
  let cached: { store: Store; sub: SubStore<V> } | undefined;
  const sub = async () => {
    const store = await open();
    if (cached?.store !== store) cached = { store, sub: store.sub<V>(name) };
    return cached.sub;
  };
  return {
    name,
    get: async (k) => (await sub()).get(k),
    put: async (k, v) => (await sub()).put(k, v),
    del: async (k) => (await sub()).del(k),
    batch: async (ops) => (await sub()).batch(ops),
    entries: async (o) => (await sub()).entries(o),
    values: async (o) => (await sub()).values(o),
    clear: async () => (await sub()).clear(),
  };
}

function createMonitoring(dataDir: string, open: () => Promise<Store>, options: MonitoringOptions): Monitoring {
  const logDir = path.join(dataDir, 'logs');
  const metrics = new MonitoringMetrics({ processMetrics: options.processMetrics });
  const logger = new CentralLogger({
    store: Promise.resolve(lazySub<LogEntry>(open, 'logs')),
    logDir,
    onEntry: (e) => metrics.recordLogEntry(e.level, e.component),
  });
  const analytics = new Analytics({
    executions: Promise.resolve(lazySub<ExecutionRecord>(open, 'executions')),
    resources: Promise.resolve(lazySub<ResourceSample>(open, 'resources')),
    metrics,
    logger: logger.get('execution'),
  });
  const interval = options.resourceIntervalSeconds ?? Number(process.env.RPA_VISION_RESOURCE_INTERVAL_S ?? 60);
  if (interval > 0) analytics.start_resource_monitoring(interval);
  const automationLog = logger.get('automation');
  const automationEvents: AutomationEventSink = {
    chainExecuted(e) {
      try {
        metrics.recordChainExecution(e.chain_id, e.status);
      } catch (err) {
        automationLog.error(`chain metrics failed: ${(err as Error).message}`);
      }
    },
    triggerFired(e) {
      try {
        metrics.recordTriggerFire(e.trigger_type, e.workflow_id);
      } catch (err) {
        automationLog.error(`trigger metrics failed: ${(err as Error).message}`);
      }
    },
    triggerAutoDisabled(e) {
      automationLog.warning(`Trigger ${e.trigger_id} was disabled automatically: ${e.reason}`, {
        workflow_id: e.workflow_id,
        trigger_id: e.trigger_id,
        consecutive_failures: e.consecutive_failures,
      });
    },
  };
  const archive = (before: Date) =>
    archiveOlderThan({ logger, analytics, logDir }, path.join(dataDir, 'archive'), before);
  const archiveAfterDays = options.archiveAfterDays ?? Number(process.env.RPA_VISION_ARCHIVE_AFTER_DAYS ?? 90);
  const archiveTimers: NodeJS.Timeout[] = [];
  if (archiveAfterDays > 0) {
    const daily = () =>
      void archive(new Date(Date.now() - archiveAfterDays * 86_400_000)).then(
        (r) =>
          r.files.length &&
          logger
            .get('monitoring')
            .info(
              `archived ${r.log_entries} log entries, ${r.executions} executions, ${r.resource_samples} resource samples and ${r.log_files} log files older than ${archiveAfterDays} days`,
              { files: r.files },
            ),
        (err: Error) => logger.get('monitoring').error(`archiving failed: ${err.message}`),
      );
    // first pass a minute after start (not while Node-RED is starting), then once a day
    archiveTimers.push(setTimeout(daily, 60_000).unref(), setInterval(daily, 86_400_000).unref());
  }
  // What other processes (CLI runs) wrote while this one held the store (store-inbox.ts).
  const takeInbox = async () => {
    if (!pendingInbox(dataDir).length) return;
    const store = await open();
    if (store instanceof InboxStore) return;
    const moved = await importInbox(store, dataDir);
    if (moved.files)
      logger.get('monitoring').debug(`added ${moved.operations} records written by other processes to the store`);
  };
  const inboxTimer = setInterval(
    () => void takeInbox().catch((err: Error) => logger.get('monitoring').error(`store inbox: ${err.message}`)),
    INBOX_INTERVAL_MS,
  ).unref();
  const flush = async () => {
    await analytics.flush();
    await logger.flush();
  };
  return {
    dataDir,
    logDir,
    logger,
    metrics,
    analytics,
    automationEvents,
    getLogger: (component) => logger.get(component),
    async health() {
      const report = await runHealthCheck({
        dataDir,
        extra: logger.lastWriteError
          ? [
              {
                name: 'logging',
                status: 'warn',
                detail: `the last log write failed: ${logger.lastWriteError.message}`,
                advice: 'check the data directory (disk full or not writable?)',
              },
            ]
          : [],
      });
      metrics.healthScore.set(report.score);
      return report;
    },
    async report(config) {
      const data = buildReport(config, await analytics.executions({ start: config.start, end: config.end }));
      return { data, html: renderReportHtml(data) };
    },
    archive,
    exportLogs: (range, out, beforeWrite) => exportLogsZip({ logger, analytics, metrics }, range, out, beforeWrite),
    flush,
    async close() {
      analytics.stop_resource_monitoring();
      archiveTimers.forEach((t) => clearTimeout(t));
      clearInterval(inboxTimer);
      await flush();
    },
  };
}

const REGISTRY = Symbol.for('rpa-vision.monitoring');
type Registry = Map<string, Monitoring>;

/** The process-wide monitoring of `dataDir` (created on first call; later options are ignored). */
export function getMonitoring(
  dataDir: string,
  open: () => Promise<Store>,
  options: MonitoringOptions = {},
): Monitoring {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  const registry = (g[REGISTRY] ??= new Map());
  const key = path.resolve(dataDir);
  let monitoring = registry.get(key);
  if (!monitoring) {
    monitoring = createMonitoring(key, open, options);
    registry.set(key, monitoring);
  }
  return monitoring;
}

/** Flushes and forgets the monitoring of `dataDir` (tests, CLI commands that exit). */
export async function releaseMonitoring(dataDir: string): Promise<void> {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  const key = path.resolve(dataDir);
  const monitoring = g[REGISTRY]?.get(key);
  g[REGISTRY]?.delete(key);
  await monitoring?.close();
}
