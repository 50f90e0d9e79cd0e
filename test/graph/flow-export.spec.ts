/**
 * `rpa-vision flow` / workflowToFlow: the flow carries the workflow in a config node (anchor
 * images inlined, secrets without defaults), the inject holds the parameters, the run nodes
 * have the requested mode, every rpa node passes the editor's own validation (no "not properly
 * configured" warning on deploy), the flow reads left to right within FLOW_WIDTH, and a
 * 10-screen workflow's flow stays small (its size is printed).
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import sharp from 'sharp';
import type { Workflow, WorkflowEdge } from '../../lib/contracts/workflow';
import { EMBEDDING_DIMS } from '../../lib/vision/state-embedding';
import { FLOW_WIDTH, workflowToFlow, type FlowNode } from '../../lib/graph';
import { editorProblems } from '../helpers/editor-validation';

const type = (text: string) => ({ type: 'type_text', text }) as WorkflowEdge['action'];

/** A chain of `screens` screens with prototype vectors of the real size and anchor crops of rendered text. */
async function chainWorkflow(screens: number): Promise<Workflow> {
  const anchor = async (label: string) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="36"><rect width="180" height="36" rx="4" fill="#e8e8e8" stroke="#999"/><text x="14" y="24" font-family="sans-serif" font-size="15">${label}</text></svg>`;
    return `data:image/png;base64,${(await sharp(Buffer.from(svg)).png({ compressionLevel: 6 }).toBuffer()).toString('base64')}`;
  };
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const nodes = Array.from({ length: screens }, (_, i) => ({
    node_id: `N${i + 1}_screen_${i + 1}`,
    label: `Screen ${i + 1}`,
    screen_template: {
      window: { title_contains_any_of: [`Application — step ${i + 1}`] },
      embedding_prototype: {
        provider: 'rpa-vision-layout-v3',
        vector: Array.from({ length: EMBEDDING_DIMS }, () => Math.round(random() * 0.05 * 1e6) / 1e6),
        min_cosine_similarity: 0.9,
        sample_count: 2,
      },
    },
  }));
  const edges: WorkflowEdge[] = [];
  for (let i = 0; i + 1 < screens; i++)
    edges.push({
      edge_id: `E${i + 1}_next`,
      from_node: nodes[i].node_id,
      to_node: nodes[i + 1].node_id,
      action: {
        type: 'compound',
        steps: [
          {
            type: 'mouse_click',
            target: { type: 'text_input', label: `Field ${i + 1}`, anchor_image: await anchor(`Field ${i + 1}`) },
          },
          type(`{{field_${i + 1}}}`),
          {
            type: 'mouse_click',
            target: { type: 'button', text: 'Next', anchor_image: await anchor('Next') },
          },
        ],
      },
    });
  return {
    workflow_id: 'WF_chain',
    name: 'Chain',
    version: 2,
    nodes,
    edges,
    entry_nodes: [nodes[0].node_id],
    end_nodes: [nodes[screens - 1].node_id],
    parameters: edges.map((_, i) => ({ name: `field_${i + 1}`, default: `value ${i + 1}` })),
    learning: {
      state: 'OBSERVATION',
      thresholds: {
        min_observed_runs_for_assist: 5,
        min_assist_runs_for_auto_candidate: 10,
        min_assist_success_rate_for_auto_candidate: 0.9,
        min_auto_candidate_runs_for_auto_confirmed: 20,
        min_auto_candidate_success_rate_for_auto_confirmed: 0.95,
      },
      history: [],
    },
  };
}

describe('rpa-vision flow: a self-contained flow', () => {
  it('carries the workflow in a config node the run nodes pick, with the parameters in the inject and the mode set', async () => {
    const wf = await chainWorkflow(3);
    // A hand-written workflow may name its anchor image by a file next to it; the flow inlines it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-flow-'));
    const png = Buffer.from((wf.edges[0].action.steps![0].target!.anchor_image as string).split(',')[1], 'base64');
    fs.writeFileSync(path.join(dir, 'field.png'), png);
    wf.edges[0].action.steps![0].target!.anchor_image = 'field.png';
    wf.parameters!.push({ name: 'password', default: 'hunter2', secret: true });

    const flow = workflowToFlow(wf, { baseDir: dir, mode: 'auto' });
    const config = flow.filter((n) => n.type === 'rpa-vision-workflow');
    assert.strictEqual(config.length, 1);
    const graph = config[0].graph as Workflow;
    assert.strictEqual(graph.workflow_id, 'WF_chain');
    assert.strictEqual(
      graph.edges[0].action.steps![0].target!.anchor_image,
      `data:image/png;base64,${png.toString('base64')}`,
    );
    assert.strictEqual(graph.parameters!.find((p) => p.name === 'password')!.default, '', 'no secret in a shared flow');
    assert.strictEqual(
      wf.edges[0].action.steps![0].target!.anchor_image,
      'field.png',
      'the workflow itself is untouched',
    );

    const runNodes = flow.filter((n) => n.type === 'rpa-match-node' || n.type === 'rpa-execute-edge');
    assert.ok(runNodes.every((n) => n.workflowConfig === config[0].id && n.workflow === ''));
    assert.ok(flow.filter((n) => n.type === 'rpa-execute-edge').every((n) => n.mode === 'auto'));
    const inject = flow.find((n) => n.type === 'inject')!;
    assert.strictEqual(inject.payloadType, 'json');
    assert.deepStrictEqual(JSON.parse(inject.payload as string), {
      field_1: 'value 1',
      field_2: 'value 2',
      password: '',
    });
    assert.doesNotMatch(JSON.stringify(flow), new RegExp(dir.replace(/[/\\]/g, '.')), 'no path of this machine');
  });

  it("ends on the last step (no match node re-checks an end screen) and passes the editor's validation", async () => {
    const wf = await chainWorkflow(3);
    const flow = workflowToFlow(wf);
    assert.deepStrictEqual(
      flow.filter((n) => n.type === 'rpa-match-node').map((n) => n.node),
      ['N1_screen_1', 'N2_screen_2'],
    );
    const last = flow.find((n) => n.type === 'rpa-execute-edge' && n.edgeId === 'E2_next')!;
    assert.deepStrictEqual(last.wires, [[], [], []]);
    assert.deepStrictEqual(editorProblems(flow), []);
    // What the editor flagged before: run nodes without mode/timeout, a match node without a workflow.
    const old = flow.map((n) => (n.type === 'rpa-execute-edge' ? { ...n, mode: undefined } : n));
    assert.ok(editorProblems(old).some((p) => /rpa-execute-edge\.mode/.test(p)));
  });

  it('reads left to right within FLOW_WIDTH px, wrapping into bands, and a 10-screen workflow stays small', async () => {
    const wf = await chainWorkflow(10);
    const flow = workflowToFlow(wf, { mode: 'auto' });
    const placed = flow.filter((n) => typeof n.x === 'number') as Array<FlowNode & { x: number; y: number }>;
    assert.ok(
      Math.max(...placed.map((n) => n.x)) + 100 <= FLOW_WIDTH,
      `widest x ${Math.max(...placed.map((n) => n.x))}`,
    );
    const byId = new Map(placed.map((n) => [n.id, n]));
    for (const from of placed)
      for (const to of (from.wires ?? []).flat().map((id) => byId.get(id)!))
        assert.ok(to.y > from.y || (to.y === from.y && to.x > from.x), `${from.name} → ${to.name} reads forwards`);
    const size = Buffer.byteLength(JSON.stringify(flow));
    const graphSize = Buffer.byteLength(JSON.stringify(flow.find((n) => n.type === 'rpa-vision-workflow')!.graph));
    console.log(
      `      10-screen workflow (${EMBEDDING_DIMS}-dim prototypes, 18 anchor images): flow JSON ${Math.round(size / 1024)} KB, of which the graph ${Math.round(graphSize / 1024)} KB`,
    );
    assert.ok(size < 250 * 1024, `flow of ${size} bytes`);
  });
});
