/**
 * Where a node's workflow comes from, the one rule for every node that names one: its
 * workflow config node (the graph carried in the flow, installed in `<dataDir>/workflows/`
 * where its live copy is) when it has one; else its older Workflow field (a WF.json path or a
 * workflow id), kept for flows made before the config node existed; else the message's.
 */
import type { Node, NodeAPI } from 'node-red';

/** What the rpa-vision-workflow config node offers to the nodes that use it. */
export interface WorkflowConfigNode extends Node {
  /** The id of the workflow it installed, or null when it holds none. */
  workflowId: string | null;
  /** Why it cannot be used (no workflow, an invalid one), as a sentence; null when usable. */
  problem: string | null;
}

export interface WorkflowReference {
  /** The id of an rpa-vision-workflow config node. */
  workflowConfig?: string;
  /** A WF.json path or a workflow id (flows made before the config node existed). */
  workflow?: string;
}

/**
 * Why the node's workflow config cannot be used yet (it holds no workflow, an invalid one), as a
 * sentence for its status; null when it can, or when the node names no config.
 */
export function workflowConfigProblem(RED: NodeAPI, config: WorkflowReference): string | null {
  try {
    configuredWorkflow(RED, config);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The workflow path or id the node's config names ('' when none). */
export function configuredWorkflow(RED: NodeAPI, config: WorkflowReference): string {
  if (config.workflowConfig) {
    const holder = RED.nodes.getNode(config.workflowConfig) as WorkflowConfigNode | null;
    if (!holder)
      throw new Error(
        `the workflow config node ${config.workflowConfig} is not in the deployed flows: pick a workflow in the node and deploy`,
      );
    if (holder.problem || !holder.workflowId)
      throw new Error(holder.problem ?? 'the workflow config holds no workflow');
    return holder.workflowId;
  }
  return config.workflow?.trim() ?? '';
}
