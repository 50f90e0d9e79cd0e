/**
 * rpa-robot: this Node-RED instance as a robot: it takes jobs from the broker and runs them on
 * this machine's desktop with the same runner as `rpa-vision robot`. One message per finished
 * job; the status shows idle, busy (the job) or offline.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { brokerConnection, brokerUrlFromEnv } from '../../lib/robots/broker-connection';
import { parseLabelList } from '../../lib/robots/labels';
import { Robot, type FinishedJob } from '../../lib/robots/robot';
import { WorkflowJobRunner } from '../../lib/robots/workflow-job-runner';
import { STATUS } from '../shared/runtime';
import { handleClose, registerNode } from '../shared/handlers';

interface RobotNodeDef extends NodeDef {
  broker: string;
  robotName: string;
  labels: string;
  concurrency: number | string;
}

export = function (RED: NodeAPI): void {
  function RpaRobotNode(this: Node, config: RobotNodeDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const url = config.broker?.trim() || brokerUrlFromEnv();
    if (!url) {
      // Not set up yet (an imported example, a fresh install): the status says what to set.
      node.status(STATUS.warn(RED._('rpa-robot.errors.no-broker')));
      return;
    }
    let robot: Robot | undefined;
    try {
      if (!config.robotName) throw new Error(RED._('rpa-robot.errors.no-name'));
      robot = new Robot({
        connection: brokerConnection(url),
        name: config.robotName,
        labels: parseLabelList(config.labels),
        concurrency: Number(config.concurrency) || 1,
        runner: new WorkflowJobRunner({ log: (line) => node.debug(line) }),
        logger: { info: (m) => node.log(m), warn: (m) => node.warn(m), error: (m) => node.error(m) },
      });
    } catch (err) {
      node.status(STATUS.error((err as Error).message));
      node.error(RED._('rpa-robot.errors.config', { message: (err as Error).message }));
      return;
    }
    const r = robot;
    const show = () => {
      if (r.state === 'offline') node.status(STATUS.warn(RED._('rpa-robot.status.offline')));
      else if (r.state === 'busy')
        node.status(STATUS.busy(RED._('rpa-robot.status.busy', { job: r.currentJobs().join(', ') })));
      else node.status(STATUS.idle(RED._('rpa-robot.status.idle')));
    };
    r.on('state', show);
    r.on('job', (finished: FinishedJob) => {
      node.send({ payload: finished, topic: finished.job_id });
    });
    node.status(STATUS.busy(RED._('rpa-robot.status.connecting')));
    r.start().then(show, (err: Error) => {
      node.status(STATUS.error(err.message));
      node.error(RED._('rpa-robot.errors.start', { message: err.message }));
    });
    handleClose(node, () => r.stop());
  }
  registerNode(RED, 'rpa-robot', RpaRobotNode);
};
