/**
 * rpa-health: runs the health check (CPU, memory, disk, store, display, models, directories)
 * on each message and outputs the score 0–100 with its checks and recommendations.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { runtimeMonitoring } from '../shared/monitoring';
import { STATUS } from '../shared/runtime';

export = function (RED: NodeAPI): void {
  function RpaHealthNode(this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    let closed = false;
    node.status(STATUS.idle());

    node.on('input', async (msg: NodeMessageInFlow, send, done) => {
      try {
        node.status(STATUS.busy('checking…'));
        const report = await runtimeMonitoring(RED).health();
        if (closed) return done();
        msg.payload = report;
        const text = `score ${report.score} · ${report.status}`;
        node.status(report.status === 'healthy' ? STATUS.ok(text) : report.status === 'degraded' ? STATUS.warn(text) : STATUS.error(text));
        send(msg);
        done();
      } catch (err) {
        node.status(STATUS.error((err as Error).message));
        done(err as Error);
      }
    });

    node.on('close', (_removed: boolean, finished: () => void) => {
      closed = true;
      node.status({});
      finished();
    });
  }
  RED.nodes.registerType('rpa-health', RpaHealthNode as unknown as Parameters<NodeAPI['nodes']['registerType']>[1]);
};
