/**
 * The process-wide monitoring (logger, metrics, analytics) of the runtime's data directory,
 * for our nodes and the admin API. Survives redeploys: see lib/monitoring/index.ts.
 *
 * The first call also subscribes the monitoring to the automation's event hub, so chain runs
 * and trigger fires are counted (chain_executions_total, trigger_fires_total) and automatic
 * trigger disabling is logged. Workflow runs are not counted from the hub: the runner reports
 * them through the analytics hooks, and counting both would count each run twice.
 */
import type { NodeAPI } from 'node-red';
import { getMonitoring, type Monitoring } from '../../lib/monitoring';
import { automationEvents } from '../../lib/automation/events';
import { dataDir, runtimeStore } from './runtime';

const SUBSCRIBED = Symbol.for('rpa-vision.monitoring.automation-subscription');

export function runtimeMonitoring(RED: NodeAPI): Monitoring {
  const mon = getMonitoring(dataDir(RED), () => runtimeStore(RED));
  const g = globalThis as unknown as Record<symbol, WeakSet<Monitoring> | undefined>;
  const subscribed = (g[SUBSCRIBED] ??= new WeakSet());
  if (!subscribed.has(mon)) {
    subscribed.add(mon);
    automationEvents.subscribe({
      onTriggerFired: (e) =>
        mon.automationEvents.triggerFired({
          trigger_id: e.trigger_id,
          trigger_type: e.trigger_type,
          workflow_id: e.workflow_id || e.target_type,
        }),
      onChainExecuted: (e) =>
        mon.automationEvents.chainExecuted({
          chain_id: e.chain_id,
          status: e.success ? 'success' : 'failed',
          duration: e.duration_s,
          failed_at: e.failed_at,
        }),
      onAutoDisabled: (e) =>
        mon.automationEvents.triggerAutoDisabled({
          trigger_id: e.trigger_id,
          reason: e.reason,
          consecutive_failures: e.consecutive_failures,
        }),
    });
  }
  return mon;
}
