/**
 * Monitoring part of the admin API:
 *   GET  /metrics                       Prometheus exposition (text/plain; version=0.0.4)
 *   GET  /api/logs                      query: level, component, workflow_id, start, end, limit, order=asc|desc
 *   POST /api/logs                      write an entry (or an array of entries) into the central logger
 *   GET  /api/logs/download             ZIP: execution_logs.json, error_logs.json, metrics.json (start, end)
 *   GET  /api/health                    health score 0–100 with checks and recommendations
 *   GET  /api/analytics/executions      finished executions, newest first (workflow_id, start, end, limit)
 *   GET  /api/analytics/live[/:id]      running executions: progress %, ETA
 *   GET  /api/analytics/stats           success rate, avg/p95 duration, failures by step (workflow_id, hours)
 *   GET  /api/analytics/report          HTML report with charts (title, start, end, workflow_id…, format=html|json)
 *   POST /api/analytics/archive         move records older than older_than_days to <dataDir>/archive
 *   GET  /api/audit                     newest audit entries first (limit) and the chain's verification
 */
import type { NodeAPI } from 'node-red';
import type { Request } from 'express';
import { HttpError, type RouteModule } from './route';
import { runtimeMonitoring } from '../shared/monitoring';
import { auditAction, runtimeAudit } from '../shared/audit';
import { verificationReport } from '../../lib/audit/audit-log';
import { maskSecrets } from '../../lib/contracts/secrets';
import {
  clientTimestamp,
  exportFileName,
  InvalidLogEntryError,
  normaliseLevel,
  parseDateRange,
  type DateRange,
  type LogEntry,
  type LogQuery,
} from '../../lib/monitoring';

/** Date range of a request; bad values become 400s with the seed's error names. */
function rangeOf(req: Request): DateRange {
  try {
    return parseDateRange(req.query.start, req.query.end);
  } catch (err) {
    throw new HttpError(400, (err as Error).name, (err as Error).message);
  }
}

const MAX_ARCHIVE_DAYS = 36_500;
/** Log metadata is kept verbatim in the store, the JSON-lines file and every export. */
const MAX_METADATA_BYTES = 16 * 1024;

function intParam(req: Request, name: string, fallback: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new HttpError(400, 'InvalidParameter', `${name}="${String(raw)}" must be an integer between 1 and ${max}`);
  return n;
}

function stringParam(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export const monitoringRoutes: RouteModule = (RED: NodeAPI, api) => {
  const app = RED.httpAdmin;
  const mon = () => runtimeMonitoring(RED);
  // Create the monitoring with the runtime, not on the first request: resource sampling and
  // the automation event subscription must run before anyone opens the dashboard. A first
  // health check gives the health_score gauge a real value before the first scrape.
  mon();
  setTimeout(
    () =>
      void mon()
        .health()
        .catch((err: Error) => RED.log.warn(`[rpa-vision monitoring] health check failed: ${err.message}`)),
    2000,
  ).unref();

  app.get(
    '/metrics',
    api.read,
    api.handle(async (_req, res) => {
      const m = mon().metrics;
      const text = await m.expose();
      res.set('Content-Type', m.contentType).send(text);
    }),
  );

  app.get(
    '/api/logs',
    api.read,
    api.handle(async (req) => {
      const range = rangeOf(req);
      let level: LogQuery['level'];
      try {
        level = req.query.level ? normaliseLevel(req.query.level) : undefined;
      } catch (err) {
        throw new HttpError(400, 'InvalidParameter', (err as Error).message);
      }
      const order = stringParam(req, 'order') ?? 'desc';
      if (order !== 'asc' && order !== 'desc')
        throw new HttpError(400, 'InvalidParameter', `order="${order}" must be asc or desc`);
      const entries = await mon().logger.query({
        ...range,
        level,
        component: stringParam(req, 'component'),
        workflow_id: stringParam(req, 'workflow_id'),
        limit: intParam(req, 'limit', 100, 10_000),
        newestFirst: order === 'desc',
      });
      // Masked on the way out too: entries written before secrets were masked at write time.
      return { count: entries.length, entries: maskSecrets(entries) };
    }),
  );

  app.post(
    '/api/logs',
    api.write,
    api.handle(async (req, res) => {
      const items: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
      if (!items.length || items.length > 1000)
        throw new HttpError(400, 'InvalidLogEntry', 'send one entry or an array of 1 to 1000 entries');
      const logger = mon().logger;
      const maxAgeDays = Number(process.env.RPA_VISION_LOG_MAX_AGE_DAYS) || 1;
      const written: LogEntry[] = [];
      const stored: Array<Promise<void>> = [];
      try {
        for (const raw of items) {
          const b = (raw ?? {}) as Record<string, unknown>;
          if (typeof b.message !== 'string') throw new InvalidLogEntryError('message must be a string');
          for (const field of ['component', 'workflow_id', 'node_id'] as const)
            if (b[field] !== undefined && typeof b[field] !== 'string')
              throw new InvalidLogEntryError(`${field} must be a string`);
          if (
            b.metadata !== undefined &&
            (typeof b.metadata !== 'object' || b.metadata === null || Array.isArray(b.metadata))
          )
            throw new InvalidLogEntryError('metadata must be an object');
          const metadata = (b.metadata ?? {}) as Record<string, unknown>;
          if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES)
            throw new InvalidLogEntryError(`metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
          const { entry, stored: saved } = logger.record({
            level: b.level ?? 'INFO',
            component: b.component ?? 'api',
            message: b.message,
            timestamp: b.timestamp === undefined ? undefined : clientTimestamp(b.timestamp, maxAgeDays),
            meta: {
              ...metadata,
              workflow_id: b.workflow_id as string | undefined,
              node_id: b.node_id as string | undefined,
            },
          });
          written.push(entry);
          stored.push(saved);
        }
      } catch (err) {
        if (err instanceof InvalidLogEntryError) {
          await logger.flush();
          await Promise.all(stored);
          throw new HttpError(400, err.name, err.message, { written: written.length });
        }
        throw err;
      }
      // 201 only for entries that reached the disk: a full disk answers 507, a locked store 503.
      await logger.flush();
      await Promise.all(stored);
      res.status(201);
      return Array.isArray(req.body) ? { count: written.length, entries: written } : written[0];
    }),
  );

  app.get(
    '/api/logs/download',
    api.read,
    api.handle(async (req, res) => {
      const range = rangeOf(req);
      await mon().exportLogs(range, res, () =>
        res.status(200).set({
          'Content-Type': 'application/zip',
          'Content-Disposition': `attachment; filename="${exportFileName()}"`,
        }),
      );
    }),
  );

  app.get(
    '/api/health',
    api.read,
    api.handle(() => mon().health()),
  );

  app.get(
    '/api/analytics/executions',
    api.read,
    api.handle(async (req) => {
      const executions = await mon().analytics.executions({
        ...rangeOf(req),
        workflow_id: stringParam(req, 'workflow_id'),
        limit: intParam(req, 'limit', 50, 10_000),
        newestFirst: true,
      });
      return { count: executions.length, executions: maskSecrets(executions) };
    }),
  );

  app.get(
    '/api/analytics/live',
    api.read,
    api.handle(() => ({ executions: mon().analytics.live_executions() })),
  );

  app.get(
    '/api/analytics/live/:id',
    api.read,
    api.handle((req) => {
      const live = mon().analytics.get_live_metrics(String(req.params.id));
      if (!live) throw new HttpError(404, 'ExecutionNotRunning', `no running execution has the id "${req.params.id}"`);
      return live;
    }),
  );

  app.get(
    '/api/analytics/stats',
    api.read,
    api.handle((req) =>
      mon().analytics.get_workflow_stats(stringParam(req, 'workflow_id'), intParam(req, 'hours', 24, 24 * 366)),
    ),
  );

  app.get(
    '/api/analytics/report',
    api.read,
    api.handle(async (req, res) => {
      const range = rangeOf(req);
      const end = range.end ?? new Date();
      // keys start in 1970: a week before an end in its first week starts at the epoch
      const start = range.start ?? new Date(Math.max(0, end.getTime() - 7 * 86_400_000));
      const ids = ([] as unknown[])
        .concat(req.query.workflow_id ?? [])
        .map(String)
        .filter(Boolean);
      const { data, html } = await mon().report({
        title: stringParam(req, 'title') ?? 'RPA Vision — rapport / report',
        start,
        end,
        workflow_ids: ids,
      });
      if (req.query.format === 'json') return data;
      res.type('html').send(html);
    }),
  );

  app.post(
    '/api/analytics/archive',
    api.write,
    api.handle(async (req) => {
      // 0 would move every entry out of the logs; past 100 years the cut-off date is meaningless.
      const given = (req.body as { older_than_days?: unknown } | undefined)?.older_than_days;
      const days = given === undefined ? 30 : given;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_ARCHIVE_DAYS)
        throw new HttpError(
          400,
          'InvalidParameter',
          `older_than_days must be a whole number of days from 1 to ${MAX_ARCHIVE_DAYS}`,
          { field: 'older_than_days' },
        );
      const moved = await mon().archive(new Date(Date.now() - days * 86_400_000));
      // Archiving takes entries out of the queryable logs: who did it stays on record.
      auditAction(RED, req, { action: 'logs.archive', object: 'logs', detail: `older than ${days} day(s)` });
      return moved;
    }),
  );

  app.get(
    '/api/audit',
    api.read,
    api.handle((req) => {
      const log = runtimeAudit(RED);
      const entries = log.recent(intParam(req, 'limit', 100, 10_000));
      return { count: entries.length, entries, verification: verificationReport(log.check()) };
    }),
  );
};
