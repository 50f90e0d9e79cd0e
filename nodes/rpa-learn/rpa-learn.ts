/**
 * rpa-learn: learning in the editor. Takes recorded sessions — the recording output of
 * rpa-capture (`msg.payload.session_dir`), session folders in msg.payload / msg.sessions, or
 * the folders set in the node — and creates or extends a workflow: the one of its workflow
 * config, else the one it learned before, else a new one. The result is the live copy in
 * `<dataDir>/workflows/` (runs use it at once) and goes to the editor, which puts it in the
 * workflow config (or a new one) so a deploy keeps it in the flow. Status and output say what
 * was made: screens, steps, parameters, and what needs a person.
 */
import fs from 'fs';
import path from 'path';
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { WorkflowRepository } from '../../lib/automation/workflow-repository';
import { validateWorkflow } from '../../lib/contracts/validate';
import type { Workflow } from '../../lib/contracts/workflow';
import { learnWorkflow, learnedSummary } from '../../lib/graph';
import { acquireVisionEngine, releaseVisionEngine } from '../../lib/vision/shared-engine';
import { dataDir, STATUS } from '../shared/runtime';
import {
  failurePolicy,
  handleClose,
  handleInput,
  registerNode,
  ONE_OUTPUT_THEN_FAILURE,
  type FailureConfig,
} from '../shared/handlers';
import type { WorkflowConfigNode } from '../shared/workflow-config';

interface LearnConfig extends NodeDef, FailureConfig {
  workflowConfig?: string;
  workflowName?: string;
  /** Session folders, one a line (or comma-separated); relative ones start at the data directory. */
  sessions?: string;
}

type LearnMsg = NodeMessageInFlow & { sessions?: unknown; name?: unknown };

/** Session folders named by a value: a path, a capture output ({session_dir}), or a list of them. */
function foldersIn(value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value)) return value.flatMap(foldersIn);
  const dir = (value as { session_dir?: unknown } | null)?.session_dir;
  return typeof dir === 'string' ? [dir] : [];
}

/** A session folder as is; a folder of session folders as its sessions, oldest name first. */
function sessionDirs(folder: string): string[] {
  if (fs.existsSync(path.join(folder, 'session.json')) || !fs.existsSync(folder)) return [folder];
  const inner = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(folder, d.name, 'session.json')))
    .map((d) => path.join(folder, d.name))
    .sort();
  return inner.length ? inner : [folder];
}

export = function (RED: NodeAPI): void {
  function RpaLearnNode(this: Node, config: LearnConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const repository = new WorkflowRepository(path.join(dataDir(RED), 'workflows'));
    let learnedId: string | null = null;
    let engine: ReturnType<typeof acquireVisionEngine> | null = null;
    // One learning at a time: each extends what the one before made.
    let queue: Promise<unknown> = Promise.resolve();
    node.status(STATUS.idle(RED._('rpa-learn.status.ready')));

    // An empty config (just created in the editor) is filled by the first learning.
    const existingWorkflow = (): Workflow | undefined => {
      const holder = config.workflowConfig
        ? (RED.nodes.getNode(config.workflowConfig) as WorkflowConfigNode | null)
        : null;
      const id = holder?.workflowId ?? learnedId;
      return id && repository.exists(id) ? repository.get(id) : undefined;
    };

    async function learn(msg: LearnMsg) {
      const named = [msg.sessions, msg.payload].map(foldersIn).find((f) => f.length) ?? foldersIn(config.sessions);
      if (!named.length) throw new Error(RED._('rpa-learn.errors.noSessions'));
      const dirs = named.map((d) => path.resolve(dataDir(RED), d)).flatMap(sessionDirs);
      const existing = existingWorkflow();
      node.status(STATUS.busy(RED._('rpa-learn.status.learning', { count: dirs.length })));
      const workflow = await learnWorkflow(dirs, {
        name: (typeof msg.name === 'string' && msg.name) || config.workflowName || undefined,
        existing,
        vision: await (engine ??= acquireVisionEngine()),
        onProgress: (line) => node.status(STATUS.busy(line.slice(0, 60))),
      });
      validateWorkflow(workflow, 'the learned workflow');
      const saved = repository.import(workflow, { replace: true });
      learnedId = workflow.workflow_id;
      RED.comms.publish(
        'rpa-vision/learned',
        { learnNode: node.id, config: config.workflowConfig || null, workflow } as never,
        false,
      );
      const summary = { ...learnedSummary(workflow), file: path.join(repository.directory, saved.file) };
      const counts = RED._('rpa-learn.status.learned', {
        id: workflow.workflow_id,
        screens: summary.screens.length,
        steps: summary.steps.length,
        parameters: summary.parameters.length,
      });
      const toCheck = summary.needs_person.length;
      node.status(
        toCheck
          ? STATUS.warn(`${counts}; ${RED._('rpa-learn.status.toCheck', { count: toCheck })}`)
          : STATUS.ok(counts),
      );
      msg.payload = summary;
      return msg;
    }

    const failures = failurePolicy(node, config, ONE_OUTPUT_THEN_FAILURE);
    handleInput(node, failures, (msg: LearnMsg) => {
      const run = queue.then(() => learn(msg));
      queue = run.catch(() => undefined);
      return run;
    });

    handleClose(node, () => {
      const held = engine;
      engine = null;
      return queue.then(() => (held ? releaseVisionEngine() : undefined));
    });
  }
  registerNode(RED, 'rpa-learn', RpaLearnNode);
};
