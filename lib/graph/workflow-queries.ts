/**
 * The questions every reader of a workflow graph asks, answered once, so the learner, the runner
 * and the flow exporter agree on where a workflow starts, where it ends and where an edge goes.
 *
 * - Entry nodes: the workflow's declared `entry_nodes` when it has any; else the nodes no edge
 *   leads to; else (every node is reached, a loop) the first node.
 * - End nodes: the workflow's declared `end_nodes` when it has any; else the nodes no edge leaves
 *   (none when every node has a way on).
 * - An edge's destinations: its `to_node_candidates` when it branches, else its `to_node`.
 */
import type { Workflow, WorkflowEdge } from '../contracts/workflow';

type Graph = Pick<Workflow, 'nodes' | 'edges' | 'entry_nodes' | 'end_nodes'>;

/** The nodes `edge` may lead to: its branch candidates, else its single target. */
export function destinations(edge: WorkflowEdge): string[] {
  return edge.to_node_candidates?.length ? [...edge.to_node_candidates] : edge.to_node ? [edge.to_node] : [];
}

/** The edges that leave `nodeId`, in the workflow's order. */
export function outgoingEdges(workflow: Pick<Workflow, 'edges'>, nodeId: string): WorkflowEdge[] {
  return workflow.edges.filter((e) => e.from_node === nodeId);
}

/** Where a run of the workflow starts (see the module's comment). */
export function entryNodes(workflow: Graph): string[] {
  if (workflow.entry_nodes?.length) return [...workflow.entry_nodes];
  const reached = new Set(workflow.edges.flatMap(destinations));
  const roots = workflow.nodes.filter((n) => !reached.has(n.node_id)).map((n) => n.node_id);
  return roots.length ? roots : workflow.nodes.slice(0, 1).map((n) => n.node_id);
}

/** Where a run of the workflow is done (see the module's comment). */
export function endNodes(workflow: Graph): string[] {
  if (workflow.end_nodes?.length) return [...workflow.end_nodes];
  const left = new Set(workflow.edges.map((e) => e.from_node));
  return workflow.nodes.filter((n) => !left.has(n.node_id)).map((n) => n.node_id);
}
