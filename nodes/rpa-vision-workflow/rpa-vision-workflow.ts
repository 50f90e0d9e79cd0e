/**
 * rpa-vision-workflow: a config node that holds a learned workflow (screens, steps, parameters,
 * safety rules, learning state and history, anchor images) in the flow, so exporting the flow
 * carries the workflow. On deploy it installs the graph as the live copy in
 * `<dataDir>/workflows/` — unless the copy there is as far along or further (more
 * demonstrations, a later learning-state change, more runs), which then stays: runs, learning
 * and approvals update that live copy, and the editor's "take the live copy" button brings it
 * back into the flow for the next export.
 */
import path from 'path';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { WorkflowRepository, compareFreshness } from '../../lib/automation/workflow-repository';
import type { Workflow } from '../../lib/contracts/workflow';
import { dataDir } from '../shared/runtime';
import { registerNode } from '../shared/handlers';
import type { WorkflowConfigNode } from '../shared/workflow-config';

interface WorkflowConfigDef extends NodeDef {
  graph?: unknown;
}

export = function (RED: NodeAPI): void {
  function RpaVisionWorkflowNode(this: Node, config: WorkflowConfigDef) {
    RED.nodes.createNode(this, config);
    const holder = this as WorkflowConfigNode;
    holder.workflowId = null;
    holder.problem = null;
    const graph = config.graph as Workflow | undefined;
    if (!graph || typeof graph !== 'object') {
      holder.problem = RED._('rpa-vision-workflow.errors.empty', { name: config.name || config.id });
      return;
    }
    try {
      const repository = new WorkflowRepository(path.join(dataDir(RED), 'workflows'));
      const result = repository.install(graph);
      holder.workflowId = result.workflow.workflow_id;
      if (result.action === 'kept' && compareFreshness(result.workflow, graph) > 0)
        this.log(
          RED._('rpa-vision-workflow.log.liveIsLater', {
            id: holder.workflowId,
            version: result.workflow.version ?? 0,
            runs: result.workflow.stats?.total_executions ?? 0,
          }),
        );
      else if (result.action !== 'kept')
        this.log(RED._(`rpa-vision-workflow.log.${result.action}`, { id: holder.workflowId, file: result.file }));
    } catch (err) {
      holder.problem = RED._('rpa-vision-workflow.errors.invalid', {
        name: config.name || graph.workflow_id || config.id,
        reason: (err as Error).message,
      });
      this.error(holder.problem);
    }
  }
  registerNode(RED, 'rpa-vision-workflow', RpaVisionWorkflowNode);
};
