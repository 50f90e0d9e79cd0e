/**
 * rpa-monitor: on each message, outputs a snapshot for dashboards and alerts.
 *   view "overview"   running executions with progress and ETA, recent executions, success
 *                     rate and durations per workflow over a window, executions per time
 *                     bucket, error rate and recent errors (lib/monitoring/overview.ts);
 *   view "automation" the scheduler's status, the triggers and the chains with their success
 *                     rates; msg.topic "start" or "stop" starts or stops the scheduler first
 *                     (recorded in the audit trail as done by the dashboard);
 *   view "audit"      the newest entries of the audit trail and the chain's verification;
 *   view "robots"     the robots (online/offline, current job, last heartbeat) and the newest
 *                     jobs with their states, when a broker is configured.
 * In-process, so a dashboard works the same with or without adminAuth on the HTTP API.
 */
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { verificationReport } from '../../lib/audit/audit-log';
import { runtimeAudit } from '../shared/audit';
import { robotsSnapshot } from '../shared/robots';
import { monitoringOverview } from '../../lib/monitoring';
import { runtimeMonitoring } from '../shared/monitoring';
import { runtimeAutomation } from '../shared/automation';
import { STATUS } from '../shared/runtime';
import { statusText, translate } from '../shared/i18n';
import {
  failurePolicy,
  handleClose,
  handleInput,
  registerNode,
  ONE_OUTPUT_THEN_FAILURE,
  type FailureConfig,
} from '../shared/handlers';

const VIEWS = ['overview', 'automation', 'audit', 'robots'] as const;

interface MonitorConfig extends NodeDef, FailureConfig {
  view: (typeof VIEWS)[number];
  windowHours: string | number;
  limit: string | number;
}

/** Who pressed a dashboard button: the dashboard's logged-in user when it has one. */
function dashboardActor(msg: NodeMessage): string {
  const client = (msg as NodeMessage & { _client?: { user?: { username?: string }; socketIp?: string } })._client;
  return client?.user?.username ?? 'dashboard';
}

async function automationSnapshot(RED: NodeAPI, command: unknown, msg: NodeMessage) {
  const automation = await runtimeAutomation(RED);
  if (command === 'start') await automation.scheduler.start();
  else if (command === 'stop') await automation.scheduler.stop();
  if (command)
    runtimeAudit(RED).append({ actor: dashboardActor(msg), action: `scheduler.${command}`, object: 'scheduler' });
  return {
    status: automation.scheduler.status(),
    triggers: await automation.listTriggers(),
    chains: await automation.chains.list(),
  };
}

export = function (RED: NodeAPI): void {
  function RpaMonitorNode(this: Node, config: MonitorConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const view = config.view || 'overview';
    const hours = Number(config.windowHours) || 24;
    const limit = Number(config.limit) || 20;
    if (!(VIEWS as readonly string[]).includes(view) || hours <= 0 || limit <= 0) {
      node.error(translate(RED, 'rpa-monitor.errors.badConfig', { views: VIEWS.join(' | ') }));
      node.status(STATUS.error(statusText(RED, 'rpa-monitor.status.badConfig')));
      return;
    }
    node.status(STATUS.idle(statusText(RED, `rpa-monitor.status.${view}`)));

    const failures = failurePolicy(node, config, ONE_OUTPUT_THEN_FAILURE);
    handleInput(node, failures, async (msg) => {
      if (view === 'automation') {
        const command = msg.topic === 'start' || msg.topic === 'stop' ? msg.topic : undefined;
        const snapshot = await automationSnapshot(RED, command, msg);
        msg.payload = snapshot;
        node.status(
          snapshot.status.running
            ? STATUS.ok(translate(RED, 'rpa-monitor.status.running', { count: snapshot.status.active_triggers }))
            : STATUS.warn(statusText(RED, 'rpa-monitor.status.stopped')),
        );
      } else if (view === 'robots') {
        msg.payload = await robotsSnapshot(RED, limit);
        const p = msg.payload as Awaited<ReturnType<typeof robotsSnapshot>>;
        node.status(
          !p.configured
            ? STATUS.idle('no broker')
            : p.counts.in_doubt
              ? STATUS.warn(`${p.counts.in_doubt} job(s) in doubt`)
              : STATUS.ok(`${p.robots.filter((r) => r.state !== 'offline').length} robot(s) online`),
        );
      } else if (view === 'audit') {
        const log = runtimeAudit(RED);
        const verification = verificationReport(log.check());
        msg.payload = { entries: log.recent(limit), verification };
        node.status(
          verification.intact
            ? STATUS.ok(translate(RED, 'rpa-monitor.status.intact', { count: verification.entries }))
            : STATUS.error(translate(RED, 'rpa-monitor.status.broken', { line: verification.broken!.line })),
        );
      } else {
        const overview = await monitoringOverview(runtimeMonitoring(RED), hours, limit);
        msg.payload = overview;
        node.status(
          STATUS.ok(
            translate(RED, 'rpa-monitor.status.runs', {
              runs: overview.overall.success_rate.total,
              active: overview.active_workflows,
            }),
          ),
        );
      }
      return msg;
    });

    handleClose(node);
  }
  registerNode(RED, 'rpa-monitor', RpaMonitorNode);
};
