/**
 * rpa-monitor: on each message, outputs a snapshot of the monitoring for dashboards —
 * running executions with progress and ETA, recent executions, success rate and durations
 * per workflow over a window, executions per time bucket, error rate and recent errors.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { monitoringOverview } from '../../lib/monitoring';
import { runtimeMonitoring } from '../shared/monitoring';
import { STATUS } from '../shared/runtime';

interface MonitorConfig extends NodeDef {
  windowHours: string | number;
  limit: string | number;
}

export = function (RED: NodeAPI): void {
  function RpaMonitorNode(this: Node, config: MonitorConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const hours = Number(config.windowHours) || 24;
    const limit = Number(config.limit) || 20;
    if (hours <= 0 || limit <= 0) {
      node.error('rpa-monitor: window and limit must be positive numbers');
      node.status(STATUS.error('bad configuration'));
      return;
    }
    node.status(STATUS.idle());

    node.on('input', async (msg: NodeMessageInFlow, send, done) => {
      try {
        const overview = await monitoringOverview(runtimeMonitoring(RED), hours, limit);
        msg.payload = overview;
        node.status(STATUS.ok(`${overview.overall.success_rate.total} runs · ${overview.active_workflows} active`));
        send(msg);
        done();
      } catch (err) {
        node.status(STATUS.error((err as Error).message));
        done(err as Error);
      }
    });

    node.on('close', (_removed: boolean, finished: () => void) => {
      node.status({});
      finished();
    });
  }
  RED.nodes.registerType('rpa-monitor', RpaMonitorNode as unknown as Parameters<NodeAPI['nodes']['registerType']>[1]);
};
