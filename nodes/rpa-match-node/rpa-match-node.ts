/**
 * rpa-match-node: which screen of a learned workflow is on the display? Input: a screenshot
 * (capture output with its window, PNG buffer or path), a ScreenState, an embedding, or
 * anything else (then the display is captured). Output 1: {node_id, similarity, runner_up}
 * when a node is recognised (and, with a node configured, only when it is that node);
 * output 2: the screen is unknown (or another node than the one configured). A message that
 * starts a run (an inject's object payload of parameter values) keeps those values in
 * msg.params, for the execute-edge nodes after it.
 */
import path from 'path';
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import type { Workflow } from '../../lib/contracts/workflow';
import { embedWindowScreen, matchNode, resolveWorkflow, type NodeMatch } from '../../lib/graph';
import { NodeRecognizer, readingOfScreenState } from '../../lib/execute/node-recognizer';
import { openDesktop, type Desktop } from '../../lib/platform';
import { takeSnapshot } from '../../lib/capture/snapshot';
import { acquireVisionEngine, releaseVisionEngine } from '../../lib/vision/shared-engine';
import { isScreenState, screenshotFrom, windowBounds } from '../../lib/vision/screenshot-input';
import type { BBox } from '../../lib/contracts/screen-state';
import { dataDir, STATUS } from '../shared/runtime';
import { statusText, translate } from '../shared/i18n';
import { failurePolicy, handleClose, handleInput, registerNode, type FailureConfig } from '../shared/handlers';
import { configuredWorkflow, workflowConfigProblem, type WorkflowReference } from '../shared/workflow-config';

interface MatchConfig extends NodeDef, WorkflowReference, FailureConfig {
  workflow: string;
  node: string;
  minSimilarity: string;
}

type MatchMsg = NodeMessageInFlow & { workflow?: unknown; match?: NodeMatch; params?: unknown };

function isWorkflow(x: unknown): x is Workflow {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as Workflow).nodes) &&
    typeof (x as Workflow).workflow_id === 'string'
  );
}

function embeddingOf(payload: unknown): number[] | Float32Array | null {
  if (payload instanceof Float32Array) return payload;
  if (Array.isArray(payload) && payload.length > 8 && payload.every((x) => typeof x === 'number')) return payload;
  const v = (payload as { vector?: unknown } | null)?.vector;
  if (v instanceof Float32Array || (Array.isArray(v) && v.every((x) => typeof x === 'number')))
    return v as number[] | Float32Array;
  return null;
}

function isScreenshot(payload: unknown): boolean {
  if (Buffer.isBuffer(payload) || typeof payload === 'string') return true;
  const p = payload as { image?: unknown; screenshot_path?: unknown } | null;
  return typeof p === 'object' && p !== null && (Buffer.isBuffer(p.image) || typeof p.screenshot_path === 'string');
}

export = function (RED: NodeAPI): void {
  function RpaMatchNode(this: Node, config: MatchConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const minSimilarity =
      config.minSimilarity === undefined || config.minSimilarity === '' ? undefined : Number(config.minSimilarity);
    if (minSimilarity !== undefined && !(minSimilarity >= -1 && minSimilarity <= 1)) {
      node.error(translate(RED, 'rpa-match-node.errors.badSimilarity', { value: String(config.minSimilarity) }));
      node.status(STATUS.error(statusText(RED, 'rpa-match-node.status.badSimilarity')));
      return;
    }
    const settings = RED.settings as unknown as { userDir?: string };
    let engine: ReturnType<typeof acquireVisionEngine> | null = null;
    let desktop: Desktop | undefined;
    const vision = () => (engine ??= acquireVisionEngine());
    const workflowFor = (msg: MatchMsg): Workflow => {
      if (isWorkflow(msg.workflow)) return msg.workflow;
      const ref = typeof msg.workflow === 'string' && msg.workflow ? msg.workflow : configuredWorkflow(RED, config);
      return resolveWorkflow(ref ?? '', {
        baseDir: settings.userDir,
        workflowsDir: path.join(dataDir(RED), 'workflows'),
      });
    };

    const notLearned = (): string | null => {
      if (!config.workflow) return null;
      try {
        workflowFor({} as MatchMsg);
        return null;
      } catch {
        return translate(RED, 'rpa-match-node.status.notLearned', { workflow: config.workflow });
      }
    };

    // A workflow not learned yet (an imported example, a fresh install) is said as what to do.
    const problem = config.workflowConfig ? workflowConfigProblem(RED, config) : notLearned();
    node.status(
      problem
        ? STATUS.warn(problem)
        : STATUS.idle(
            config.node
              ? translate(RED, 'rpa-match-node.status.expects', { node: config.node })
              : statusText(RED, 'rpa-match-node.status.ready'),
          ),
    );

    // Outputs: recognised, unknown screen, failure (a missing workflow, an unreadable input).
    const failures = failurePolicy(node, config, { at: 2, count: 3, whenMissing: false });
    handleInput(node, failures, async (msg: MatchMsg) => {
      const workflow = workflowFor(msg);
      const t0 = performance.now();
      const options = { minSimilarity };
      let match: NodeMatch;
      const embedding = embeddingOf(msg.payload);
      // The runner's recogniser (threshold, evidence, restyle vouching): the node and a run
      // answer "which screen is this" the same way (issue 15). A bare embedding has no
      // evidence to weigh: it is compared with the prototypes alone.
      const recognizer = () => new NodeRecognizer(workflow, null, {}, minSimilarity);
      if (isScreenState(msg.payload)) {
        match = await recognizer().match(readingOfScreenState(msg.payload));
      } else if (embedding) {
        match = matchNode(workflow, embedding, options);
      } else {
        let window: { title?: string; bounds?: BBox | null };
        let image;
        if (isScreenshot(msg.payload)) {
          const shot = screenshotFrom(msg.payload);
          image = shot.image;
          window = { title: shot.window.title, bounds: windowBounds(msg.payload) };
        } else {
          const p = msg.payload;
          if (msg.params === undefined && typeof p === 'object' && p !== null && !Array.isArray(p)) msg.params = p;
          node.status(STATUS.busy(statusText(RED, 'rpa-match-node.status.capturing')));
          desktop ??= await openDesktop();
          const snap = await takeSnapshot(desktop);
          image = snap.png;
          window = { title: snap.window?.title, bounds: snap.window?.bounds ?? null };
        }
        node.status(STATUS.busy(statusText(RED, 'rpa-match-node.status.looking')));
        const seen = await embedWindowScreen(await vision(), image, window);
        match = await recognizer().match({
          analysis: seen.analysis,
          window: window.title === undefined ? null : { title: window.title },
          embedding: seen.vector,
        });
      }
      const ms = Math.round(performance.now() - t0);
      const expected = config.node || null;
      msg.match = match;
      msg.payload = {
        workflow_id: workflow.workflow_id,
        node_id: match.node_id,
        similarity: match.similarity,
        runner_up: match.runner_up,
        unknown: match.unknown,
        ...(expected ? { expected_node: expected } : {}),
        ...(match.closest ? { closest: match.closest } : {}),
        timing_ms: ms,
      };
      const recognised = !match.unknown && (!expected || match.node_id === expected);
      if (recognised)
        node.status(
          STATUS.ok(
            translate(RED, 'rpa-match-node.status.recognised', {
              node: match.node_id ?? '-',
              similarity: match.similarity.toFixed(3),
            }),
          ),
        );
      else
        node.status(
          STATUS.warn(
            match.unknown
              ? translate(RED, 'rpa-match-node.status.unknown', {
                  node: match.closest?.node_id ?? '-',
                  similarity: match.similarity.toFixed(3),
                })
              : translate(RED, 'rpa-match-node.status.other', {
                  node: match.node_id ?? '-',
                  expected: expected ?? '',
                }),
          ),
        );
      return recognised ? [msg, null] : [null, msg];
    });

    handleClose(node, () => {
      desktop = undefined;
      if (engine) return releaseVisionEngine();
    });
  }
  registerNode(RED, 'rpa-match-node', RpaMatchNode);
};
