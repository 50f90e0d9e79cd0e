/**
 * rpa-workflow: runs a whole learned workflow graph on the desktop (the runner of
 * lib/execute), with parameters from msg.payload. Loading this node type also registers the
 * runner as the automation's workflow executor, so chains, triggers and the scheduler run
 * workflows through it, and serves the confirmation endpoint a dashboard answers:
 *   GET  /rpa-vision/executions/questions          questions waiting for a person
 *   POST /rpa-vision/executions/:id/confirm        {"confirm": true|false|"retry"|"abort"}
 */
import path from 'path';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { workflowExecutors } from '../../lib/automation/executor';
import { answerQuestion, createExecutor, pendingQuestions } from '../../lib/execute';
import { SCREENSHOTS_FOLDER } from '../../lib/execute/executor';
import { runtimeMonitoring } from '../shared/monitoring';
import { dataDir } from '../shared/runtime';
import { setupRunNode, type RunNodeConfig } from './run-node';
import { needsPermission, PERMISSIONS } from '../api/route';

const REGISTERED = Symbol.for('rpa-vision.execute.registered');

function registerOnce(RED: NodeAPI): void {
  // Once per data directory: a process (a test run) that starts runtimes on several data
  // directories runs each one's workflows with the executor that knows them.
  const g = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  const registered = (g[REGISTERED] ??= new Set());
  if (registered.has(dataDir(RED))) return;
  registered.add(dataDir(RED));
  workflowExecutors.register(
    createExecutor({
      dataDir: dataDir(RED),
      analytics: runtimeMonitoring(RED).analytics,
      log: (l) => RED.log.debug(`[rpa-vision run] ${l}`),
      screenshotsRoot: path.join(dataDir(RED), SCREENSHOTS_FOLDER),
    }),
  );
  type Route = (path: string, ...handlers: unknown[]) => void;
  const admin = RED.httpAdmin as unknown as { get: Route; post: Route } | undefined;
  admin?.get(
    '/rpa-vision/executions/questions',
    needsPermission(RED, PERMISSIONS.read),
    (_req: unknown, res: { json(v: unknown): void }) => res.json(pendingQuestions()),
  );
  admin?.post(
    '/rpa-vision/executions/:id/confirm',
    needsPermission(RED, PERMISSIONS.approve),
    (
      req: { params: { id: string }; body?: { confirm?: unknown } },
      res: { status(c: number): { json(v: unknown): void }; json(v: unknown): void },
    ) => {
      const c = req.body?.confirm;
      const value = c === 'retry' || c === 'abort' ? c : c === true || c === 'true' || c === 'yes';
      if (!answerQuestion(req.params.id, value))
        return res
          .status(404)
          .json({ error: 'no_question', message: `no question is waiting for execution ${req.params.id}` });
      res.json({ execution_id: req.params.id, answer: value });
    },
  );
}

export = function (RED: NodeAPI): void {
  registerOnce(RED);
  function RpaWorkflowNode(this: Node, config: NodeDef & RunNodeConfig) {
    RED.nodes.createNode(this, config);
    setupRunNode(RED, this, config, { prepare: (loaded) => ({ loaded }) });
  }
  RED.nodes.registerType('rpa-workflow', RpaWorkflowNode as unknown as Parameters<NodeAPI['nodes']['registerType']>[1]);
};
