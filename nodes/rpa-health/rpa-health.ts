/**
 * rpa-health: runs the health check (CPU, memory, disk, store, display, models, directories)
 * on each message and outputs the score 0–100 with its checks and recommendations.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runtimeMonitoring } from '../shared/monitoring';
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

export = function (RED: NodeAPI): void {
  function RpaHealthNode(this: Node, config: NodeDef & FailureConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let closed = false;
    node.status(STATUS.idle(statusText(RED, 'rpa-health.status.ready')));

    const failures = failurePolicy(node, config, ONE_OUTPUT_THEN_FAILURE);
    handleInput(node, failures, async (msg) => {
      node.status(STATUS.busy(statusText(RED, 'rpa-health.status.checking')));
      const report = await runtimeMonitoring(RED).health();
      if (closed) return null;
      msg.payload = report;
      const text = translate(RED, 'rpa-health.status.score', {
        score: report.score,
        state: translate(RED, `rpa-health.state.${report.status}`),
      });
      node.status(
        report.status === 'healthy'
          ? STATUS.ok(text)
          : report.status === 'degraded'
            ? STATUS.warn(text)
            : STATUS.error(text),
      );
      return msg;
    });

    handleClose(node, () => {
      closed = true;
    });
  }
  registerNode(RED, 'rpa-health', RpaHealthNode);
};
