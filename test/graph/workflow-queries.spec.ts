/**
 * The graph queries the learner, the runner and the flow exporter share: where a workflow
 * starts (entry nodes), where it is done (end nodes), which edges leave a screen and where an
 * edge may lead. Declared entry/end nodes win; without them the graph's shape answers.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Workflow, WorkflowEdge } from '../../lib/contracts/workflow';
import { destinations, endNodes, entryNodes, outgoingEdges, workflowToFlow } from '../../lib/graph';

const click = { type: 'mouse_click' } as WorkflowEdge['action'];
const edge = (
  edge_id: string,
  from_node: string,
  to: string | string[],
  extra: Partial<WorkflowEdge> = {},
): WorkflowEdge => ({
  edge_id,
  from_node,
  ...(Array.isArray(to) ? { to_node_candidates: to } : { to_node: to }),
  action: click,
  ...extra,
});

function graph(
  nodes: string[],
  edges: WorkflowEdge[],
  declared: Pick<Workflow, 'entry_nodes' | 'end_nodes'> = {},
): Workflow {
  return {
    workflow_id: 'WF_queries',
    name: 'queries',
    nodes: nodes.map((node_id) => ({ node_id, label: node_id, screen_template: {} })),
    edges,
    ...declared,
  };
}

/** list → detail → (confirm | list updated); confirm → list updated; typing on detail stays on detail. */
const invoice = () =>
  graph(
    ['N1_list', 'N2_detail', 'N3_confirm', 'N4_updated'],
    [
      edge('E1_open', 'N1_list', 'N2_detail'),
      edge('E2_type', 'N2_detail', 'N2_detail'),
      edge('E3_validate', 'N2_detail', ['N3_confirm', 'N4_updated']),
      edge('E4_confirm', 'N3_confirm', 'N4_updated'),
    ],
  );

describe('workflow graph queries', () => {
  it('declared entry and end nodes win over the shape of the graph', () => {
    const wf = graph(['A', 'B', 'C'], [edge('E1', 'A', 'B'), edge('E2', 'B', 'C')], {
      entry_nodes: ['B'],
      end_nodes: ['B'],
    });
    assert.deepStrictEqual(entryNodes(wf), ['B']);
    assert.deepStrictEqual(endNodes(wf), ['B']);
  });

  it('without declarations, a workflow starts on the screens no edge leads to and ends on those no edge leaves', () => {
    const wf = invoice();
    assert.deepStrictEqual(entryNodes(wf), ['N1_list']);
    assert.deepStrictEqual(endNodes(wf), ['N4_updated']);
    const twoStarts = graph(
      ['A', 'B', 'C', 'D'],
      [edge('E1', 'A', 'C'), edge('E2', 'B', 'C'), edge('E3', 'C', ['A', 'D'])],
    );
    assert.deepStrictEqual(entryNodes(twoStarts), ['B'], 'a branch candidate is a way in: A is reached from C');
    assert.deepStrictEqual(endNodes(twoStarts), ['D']);
  });

  it('an empty declaration is no declaration', () => {
    const wf = { ...invoice(), entry_nodes: [], end_nodes: [] };
    assert.deepStrictEqual(entryNodes(wf), ['N1_list']);
    assert.deepStrictEqual(endNodes(wf), ['N4_updated']);
  });

  it('a loop where every screen is reached starts on the first screen and has no end node', () => {
    const again = { condition: { type: 'while' as const, expression: 'visible("unread")', max_iterations: 5 } };
    const loop = graph(
      ['L1_inbox', 'L2_mail', 'L3_reply'],
      [edge('E1', 'L1_inbox', 'L2_mail'), edge('E2', 'L2_mail', 'L3_reply'), edge('E3', 'L3_reply', 'L1_inbox', again)],
    );
    assert.deepStrictEqual(entryNodes(loop), ['L1_inbox']);
    assert.deepStrictEqual(endNodes(loop), []);
  });

  it('an edge leads to its branch candidates, else to its single target, else nowhere', () => {
    const [open, , validate] = invoice().edges;
    assert.deepStrictEqual(destinations(open), ['N2_detail']);
    assert.deepStrictEqual(destinations(validate), ['N3_confirm', 'N4_updated']);
    assert.deepStrictEqual(
      destinations({ ...validate, to_node: 'N9_ignored' }),
      ['N3_confirm', 'N4_updated'],
      'candidates win over a stale to_node',
    );
    assert.deepStrictEqual(
      destinations({ ...open, to_node_candidates: [] }),
      ['N2_detail'],
      'an empty candidate list is no branch',
    );
    assert.deepStrictEqual(destinations({ edge_id: 'E0', from_node: 'N1_list', action: click }), []);
  });

  it('lists the edges leaving a screen in the order the workflow gives them', () => {
    const wf = invoice();
    assert.deepStrictEqual(
      outgoingEdges(wf, 'N2_detail').map((e) => e.edge_id),
      ['E2_type', 'E3_validate'],
    );
    assert.deepStrictEqual(outgoingEdges(wf, 'N4_updated'), []);
  });

  it('answers without changing the workflow', () => {
    const wf = invoice();
    wf.entry_nodes = ['N1_list'];
    entryNodes(wf).push('N2_detail');
    destinations(wf.edges[2]).push('N1_list');
    assert.deepStrictEqual(wf.entry_nodes, ['N1_list']);
    assert.deepStrictEqual(wf.edges[2].to_node_candidates, ['N3_confirm', 'N4_updated']);
  });

  it('the exported flow starts on the entry nodes and wires every branch candidate the run goes on from', () => {
    const wf = graph(['A', 'B', 'C', 'D'], [edge('E1', 'A', 'C'), edge('E2', 'B', 'C'), edge('E3', 'C', ['A', 'D'])]);
    const flow = workflowToFlow(wf);
    const matchOf = new Map(flow.filter((n) => n.type === 'rpa-match-node').map((n) => [n.id, n.node as string]));
    const start = flow.find((n) => n.type === 'inject')!;
    assert.deepStrictEqual(
      start.wires![0].map((id) => matchOf.get(id)),
      ['B'],
    );
    const branch = flow.find((n) => n.type === 'rpa-execute-edge' && n.edgeId === 'E3')!;
    // D is an end screen: the step's own verification of it ends the run, no match node follows.
    assert.deepStrictEqual(
      branch.wires![0].map((id) => matchOf.get(id)),
      ['A'],
    );
  });

  it('a workflow file from the tests answers with its declared entry and end nodes', () => {
    const file = path.resolve(__dirname, '..', 'fixtures', 'invoice-app', 'validate-invoice.workflow.json');
    const wf = JSON.parse(fs.readFileSync(file, 'utf8')) as Workflow;
    assert.deepStrictEqual(entryNodes(wf), ['N1_liste_factures']);
    assert.deepStrictEqual(endNodes(wf), ['N5_liste_factures_maj']);
    const fromDetail = outgoingEdges(wf, 'N2_detail_facture').flatMap(destinations);
    assert.deepStrictEqual(fromDetail, ['N2_detail_facture', 'N4_popup_confirmation', 'N5_liste_factures_maj']);
  });
});
