/**
 * rpa-execute-edge: runs ONE edge of a learned workflow — checks the screen is the edge's
 * source, acts on its target (auto-wait, healing, safety), verifies the expected screen. The
 * learner's exported flows chain rpa-match-node → rpa-execute-edge; the edge's statistics are
 * written back to the workflow file.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { restrictToEdge } from '../../lib/execute';
import { catalogKey, translate } from '../shared/i18n';
import { setupRunNode, type RunNodeConfig } from '../rpa-workflow/run-node';

interface EdgeConfig extends RunNodeConfig {
  edgeId: string;
}

export = function (RED: NodeAPI): void {
  function RpaExecuteEdgeNode(this: Node, config: NodeDef & EdgeConfig) {
    RED.nodes.createNode(this, config);
    setupRunNode(RED, this, config, {
      prepare(loaded, msg) {
        const edgeId =
          config.edgeId ||
          (typeof (msg as { edge_id?: unknown }).edge_id === 'string'
            ? ((msg as { edge_id?: string }).edge_id as string)
            : '');
        if (!edgeId) throw new Error(translate(RED, catalogKey('rpa-workflow', 'run.errors.noEdge')));
        const restricted = restrictToEdge(loaded.workflow, edgeId);
        return {
          loaded: { workflow: restricted, file: loaded.file },
          // Only the edge's statistics are saved: one edge is not a run of the workflow.
          options: { countRun: false },
        };
      },
    });
  }
  RED.nodes.registerType(
    'rpa-execute-edge',
    RpaExecuteEdgeNode as unknown as Parameters<NodeAPI['nodes']['registerType']>[1],
  );
};
