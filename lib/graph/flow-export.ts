/**
 * A workflow as an importable, self-contained Node-RED flow: one `rpa-vision-workflow` config
 * node that holds the whole graph (screens, steps, parameters, safety rules, learning state and
 * history, anchor images as PNG data URLs), and one tab that reads left to right: an inject node
 * whose payload holds the parameters, one rpa-match-node per screen a step starts from, one
 * rpa-execute-edge per step, wired as the graph (match(screen) → execute(edge) → match(next
 * screen), every branch candidate wired). A step that ends on an end screen is the flow's last
 * node: its own verification of that screen is the run's success, so no match node re-checks it.
 * Ids are derived from the workflow, so exporting twice gives the same flow.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import type { Target, Workflow, WorkflowAction } from '../contracts/workflow';
import { isSecretName } from '../contracts/secrets';
import { WorkflowGraphError } from './errors';
import { destinations, endNodes, entryNodes, outgoingEdges } from './workflow-queries';

export interface FlowExportOptions {
  /** Where anchor images named by a relative path are read from (the WF.json's folder). */
  baseDir?: string;
  /** The run nodes' mode (as `run --mode`); empty: the learned state decides. */
  mode?: '' | 'observe' | 'coach' | 'confirm' | 'auto';
}

export type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };

/** The flow's nodes fit in this width (px) and wrap to a new band below. */
export const FLOW_WIDTH = 1500;
const COLUMN_STEP = 220;
const FIRST_X = 110;
const ROW_STEP = 60;
const COLUMNS_PER_BAND = Math.floor((FLOW_WIDTH - FIRST_X - 160) / COLUMN_STEP) + 1;

function flowId(workflowId: string, what: string): string {
  return crypto.createHash('sha1').update(`${workflowId}\0${what}`).digest('hex').slice(0, 16);
}

/** Depth of each screen: its distance from an entry node (breadth first), unreachable ones last. */
function depths(workflow: Workflow): Map<string, number> {
  const depth = new Map<string, number>();
  let frontier = entryNodes(workflow).filter((id) => workflow.nodes.some((n) => n.node_id === id));
  frontier.forEach((id) => depth.set(id, 0));
  for (let d = 1; frontier.length; d++) {
    const next: string[] = [];
    for (const e of workflow.edges) {
      if (!frontier.includes(e.from_node)) continue;
      for (const to of destinations(e)) {
        if (depth.has(to)) continue;
        depth.set(to, d);
        next.push(to);
      }
    }
    frontier = next;
  }
  const last = Math.max(0, ...depth.values()) + 1;
  for (const n of workflow.nodes) if (!depth.has(n.node_id)) depth.set(n.node_id, last);
  return depth;
}

/** An anchor image named by a file that is not there: its reference, and where it was looked for. */
export interface MissingAnchor {
  image: string;
  file: string;
}

function inlineAnchor(target: Target | undefined, baseDir: string | undefined, missing: MissingAnchor[]): void {
  const image = target?.anchor_image;
  if (!target || !image || image.startsWith('data:')) return;
  const file = path.resolve(baseDir ?? '.', image);
  if (!fs.existsSync(file)) missing.push({ image, file });
  else target.anchor_image = `data:image/png;base64,${fs.readFileSync(file).toString('base64')}`;
}

function inlineAction(action: WorkflowAction, baseDir: string | undefined, missing: MissingAnchor[]): void {
  inlineAnchor(action.target, baseDir, missing);
  inlineAnchor(action.secondary_target, baseDir, missing);
  inlineAnchor(action.parameters?.drag_to, baseDir, missing);
  for (const step of action.steps ?? []) inlineAction(step, baseDir, missing);
}

/**
 * A copy of the workflow whose anchor images named by a file (relative to `baseDir`, the WF.json's
 * folder) are PNG data URLs, so it runs where that file is not: carried in a flow, or with a job to
 * a robot. A file that is not there keeps its reference and is listed in `missing`.
 */
export function withAnchorsInline(
  workflow: Workflow,
  baseDir?: string,
): { workflow: Workflow; missing: MissingAnchor[] } {
  const copy = JSON.parse(JSON.stringify(workflow)) as Workflow;
  const missing: MissingAnchor[] = [];
  for (const edge of copy.edges) inlineAction(edge.action, baseDir, missing);
  return { workflow: copy, missing };
}

/**
 * The workflow as a flow carries it: a copy whose anchor images are data URLs (no file to copy
 * along) and whose secret parameters have no default (a flow is shared; a password is not).
 */
export function selfContainedWorkflow(workflow: Workflow, baseDir?: string): Workflow {
  const { workflow: copy, missing } = withAnchorsInline(workflow, baseDir);
  if (missing.length)
    throw new WorkflowGraphError(
      `the anchor image ${missing[0].image} is not at ${missing[0].file}: the flow could not carry it`,
    );
  for (const p of copy.parameters ?? []) if (p.secret || isSecretName(p.name)) p.default = '';
  return copy;
}

/** The Node-RED flow JSON (an array of nodes) for this workflow. */
export function workflowToFlow(workflow: Workflow, options: FlowExportOptions = {}): FlowNode[] {
  if (!workflow.nodes.length)
    throw new WorkflowGraphError(`workflow "${workflow.workflow_id}" has no screens to export`);
  const graph = selfContainedWorkflow(workflow, options.baseDir);
  const id = (what: string) => flowId(workflow.workflow_id, what);
  const tab = id('tab');
  const config = id('config');
  const ends = new Set(endNodes(workflow));
  const depth = depths(workflow);
  // A screen gets a match node when a step starts from it; a step leads on to the match node of
  // each destination where the run goes on (not an end screen).
  const matched = workflow.nodes.filter((n) => outgoingEdges(workflow, n.node_id).length > 0);
  const hasMatch = new Set(matched.map((n) => n.node_id));
  const goesOn = (to: string) => hasMatch.has(to) && !ends.has(to);
  const matchId = (nodeId: string) => id(`match:${nodeId}`);
  const edgeId = (edge: string) => id(`edge:${edge}`);

  // Column 0 is the inject; then a screen's match node and its steps alternate, left to right.
  const placed: Array<{ node: FlowNode; column: number }> = [];
  const add = (node: FlowNode, column: number) => placed.push({ node, column });
  const parameters = Object.fromEntries((graph.parameters ?? []).map((p) => [p.name, p.default]));
  add(
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
      payload: JSON.stringify(parameters),
      payloadType: 'json',
      wires: [
        entryNodes(workflow)
          .filter((n) => hasMatch.has(n))
          .map(matchId),
      ],
    },
    0,
  );
  const mode = options.mode ?? '';
  for (const node of matched) {
    add(
      {
        id: matchId(node.node_id),
        type: 'rpa-match-node',
        z: tab,
        name: node.label || node.node_id,
        workflow: '',
        workflowConfig: config,
        node: node.node_id,
        minSimilarity: '',
        wires: [outgoingEdges(workflow, node.node_id).map((e) => edgeId(e.edge_id)), []],
      },
      1 + depth.get(node.node_id)! * 2,
    );
  }
  for (const edge of workflow.edges) {
    add(
      {
        id: edgeId(edge.edge_id),
        type: 'rpa-execute-edge',
        z: tab,
        name: edge.edge_id,
        workflow: '',
        workflowConfig: config,
        edgeId: edge.edge_id,
        mode,
        timeout: '',
        wires: [destinations(edge).filter(goesOn).map(matchId), [], []],
      },
      2 + (depth.get(edge.from_node) ?? 0) * 2,
    );
  }
  layOut(placed);
  return [
    {
      id: tab,
      type: 'tab',
      label: workflow.name,
      disabled: false,
      info: `Learned workflow ${workflow.workflow_id} (${workflow.nodes.length} screens, ${workflow.edges.length} steps). Exported by rpa-vision flow: the workflow travels in the "${workflow.name}" workflow config node. Set the parameters in the inject's payload.`,
    },
    { id: config, type: 'rpa-vision-workflow', name: workflow.name, graph },
    ...placed.map((p) => p.node),
  ];
}

/**
 * Positions: columns left to right, COLUMNS_PER_BAND to a band so the flow stays within
 * FLOW_WIDTH; the nodes of one column (branches) stacked; bands stacked below each other.
 */
function layOut(placed: Array<{ node: FlowNode; column: number }>): void {
  const rowsOf = new Map<number, number>();
  const bandRows = new Map<number, number>();
  const slot = placed.map(({ column }) => {
    const row = rowsOf.get(column) ?? 0;
    rowsOf.set(column, row + 1);
    const band = Math.floor(column / COLUMNS_PER_BAND);
    bandRows.set(band, Math.max(bandRows.get(band) ?? 0, row + 1));
    return { band, row, x: FIRST_X + (column % COLUMNS_PER_BAND) * COLUMN_STEP };
  });
  const bandTop = new Map<number, number>();
  let top = 60;
  for (const band of [...bandRows.keys()].sort((a, b) => a - b)) {
    bandTop.set(band, top);
    top += bandRows.get(band)! * ROW_STEP + ROW_STEP;
  }
  placed.forEach(({ node }, i) => {
    node.x = slot[i].x;
    node.y = bandTop.get(slot[i].band)! + slot[i].row * ROW_STEP;
  });
}
