/**
 * A workflow as an importable Node-RED flow: one tab, an inject node to start it, one
 * rpa-match-node per screen and one rpa-execute-edge per action, wired as the graph
 * (match(screen) → execute(edge) → match(next screen), with every branch candidate wired).
 * A match-node's second output (not this screen / unknown screen) is left for the user to wire
 * to an alert. Ids are derived from the workflow, so exporting twice gives the same flow.
 */
import crypto from 'crypto';
import type { Workflow } from '../contracts/workflow';
import { WorkflowGraphError } from './errors';
import { destinations, entryNodes, outgoingEdges } from './workflow-queries';

export interface FlowExportOptions {
  /** How the nodes name the workflow: the WF.json path (absolute is safest) or the workflow id. */
  workflowRef?: string;
}

export type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };

function flowId(workflowId: string, what: string): string {
  return crypto.createHash('sha1').update(`${workflowId}\0${what}`).digest('hex').slice(0, 16);
}

/** Column of each screen: its distance from an entry node (breadth first), unreachable ones last. */
function columns(workflow: Workflow): Map<string, number> {
  const col = new Map<string, number>();
  const entries = entryNodes(workflow);
  let frontier = entries.filter((id) => workflow.nodes.some((n) => n.node_id === id));
  frontier.forEach((id) => col.set(id, 0));
  for (let depth = 1; frontier.length; depth++) {
    const next: string[] = [];
    for (const e of workflow.edges) {
      if (!frontier.includes(e.from_node)) continue;
      for (const to of destinations(e)) {
        if (col.has(to)) continue;
        col.set(to, depth);
        next.push(to);
      }
    }
    frontier = next;
  }
  const last = Math.max(0, ...col.values()) + 1;
  for (const n of workflow.nodes) if (!col.has(n.node_id)) col.set(n.node_id, last);
  return col;
}

/** The Node-RED flow JSON (an array of nodes) for this workflow. */
export function workflowToFlow(workflow: Workflow, options: FlowExportOptions = {}): FlowNode[] {
  if (!workflow.nodes.length)
    throw new WorkflowGraphError(`workflow "${workflow.workflow_id}" has no screens to export`);
  const ref = options.workflowRef ?? workflow.workflow_id;
  const id = (what: string) => flowId(workflow.workflow_id, what);
  const tab = id('tab');
  const col = columns(workflow);
  const rowsUsed = new Map<number, number>();
  const place = (column: number) => {
    const row = rowsUsed.get(column) ?? 0;
    rowsUsed.set(column, row + 1);
    return { x: 200 + column * 480, y: 100 + row * 100 };
  };
  const matchId = (nodeId: string) => id(`match:${nodeId}`);
  const edgeId = (edge: string) => id(`edge:${edge}`);
  const out: FlowNode[] = [
    {
      id: tab,
      type: 'tab',
      label: workflow.name,
      disabled: false,
      info: `Learned workflow ${workflow.workflow_id} (${workflow.nodes.length} screens, ${workflow.edges.length} actions). Exported by rpa-vision flow.`,
    },
    {
      id: id('start'),
      type: 'inject',
      z: tab,
      name: `Start ${workflow.name}`,
      props: [{ p: 'payload' }],
      repeat: '',
      crontab: '',
      once: false,
      onceDelay: 0.1,
      topic: '',
      payload: '',
      payloadType: 'date',
      x: 120,
      y: 40,
      wires: [entryNodes(workflow).map(matchId)],
    },
  ];
  for (const node of workflow.nodes) {
    const outgoing = outgoingEdges(workflow, node.node_id).map((e) => edgeId(e.edge_id));
    out.push({
      id: matchId(node.node_id),
      type: 'rpa-match-node',
      z: tab,
      name: node.label || node.node_id,
      workflow: ref,
      node: node.node_id,
      ...place(col.get(node.node_id)! * 2),
      wires: [outgoing, []],
    });
  }
  for (const edge of workflow.edges) {
    out.push({
      id: edgeId(edge.edge_id),
      type: 'rpa-execute-edge',
      z: tab,
      name: edge.edge_id,
      workflow: ref,
      edgeId: edge.edge_id,
      ...place((col.get(edge.from_node) ?? 0) * 2 + 1),
      wires: [destinations(edge).map(matchId)],
    });
  }
  return out;
}
