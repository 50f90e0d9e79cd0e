/**
 * The monitoring as a dashboard sees it: running executions with progress and ETA, recent
 * executions, success rate and durations per workflow over a window, executions per time
 * bucket, error rate and recent errors. One call, so the dashboard flow needs one node.
 */
import { statsOf, type Analytics } from './analytics';
import type { CentralLogger } from './logger';
import type { MonitoringMetrics } from './metrics';
import { bucketExecutions } from './report';

/** The dashboard's view of the monitoring over the last `hours`. */
export async function monitoringOverview(
  mon: { analytics: Analytics; logger: CentralLogger; metrics: MonitoringMetrics },
  hours: number,
  limit: number,
) {
  const end = new Date();
  const start = new Date(end.getTime() - hours * 3_600_000);
  const executions = await mon.analytics.executions({ start, end });
  const ids = [...new Set(executions.map((e) => e.workflow_id))].sort();
  const window = { start, end, hours };
  const errors = await mon.logger.query({ level: 'ERROR', newestFirst: true, limit });
  return {
    timestamp: end.toISOString(),
    window: { start: start.toISOString(), end: end.toISOString(), hours },
    active_workflows: mon.analytics.live_executions().length,
    error_rate: (await mon.metrics.errorRate.get()).values[0]?.value ?? 0,
    live: mon.analytics.live_executions(),
    recent_executions: executions.slice(-limit).reverse(),
    overall: statsOf(executions, { ...window, workflow_id: null }),
    workflows: ids.map((id) =>
      statsOf(
        executions.filter((e) => e.workflow_id === id),
        { ...window, workflow_id: id },
      ),
    ),
    timeline: bucketExecutions(executions, start, end),
    recent_errors: errors,
    /** Duration of each run in the window (the newest 500), for a chart over time. */
    durations: executions.slice(-500).map((e) => ({
      completed_at: e.completed_at,
      workflow_id: e.workflow_id,
      duration: e.duration,
      status: e.status,
    })),
  };
}
