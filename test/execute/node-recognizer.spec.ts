/**
 * Recognising a learned screen whose look moved (a restyle) from its window title and texts,
 * without ever taking the same screen with a dialog on top for it when the dialog is a screen
 * of the workflow too. Real screens rendered by Chromium, real OCR and embedding.
 */
import assert from 'assert';
import type { Workflow, WorkflowNode } from '../../lib/contracts/workflow';
import { cosineSimilarity, type ScreenAnalysis } from '../../lib/vision';
import { NodeRecognizer } from '../../lib/execute/node-recognizer';
import type { Frame } from '../../lib/execute/screen-observer';
import { CONFIRM_DIALOG, renderInvoice, sharedEngine } from '../vision/helpers/render';

const TITLE = 'Facture 2024-0153 - Clinique Demo';

function frameOf(analysis: ScreenAnalysis): Frame {
  const image = { width: 1, height: 1, data: Buffer.alloc(4), scaleFactor: 1 };
  return {
    screen: image,
    image,
    offset: { x: 0, y: 0 },
    analysis,
    window: { title: TITLE } as Frame['window'],
    at: performance.now(),
    cost_ms: 0,
  };
}

function node(node_id: string, vector: Float32Array, min: number, texts: string[]): WorkflowNode {
  return {
    node_id,
    label: node_id,
    screen_template: {
      window: { title_contains_any_of: ['Clinique Demo'] },
      required_text_any: texts,
      embedding_prototype: { vector: Array.from(vector), min_cosine_similarity: min, sample_count: 3 },
    },
  } as WorkflowNode;
}

function workflow(nodes: WorkflowNode[]): Workflow {
  return {
    workflow_id: 'WF_recognizer',
    name: 'recognizer',
    version: 1,
    entry_nodes: [nodes[0].node_id],
    end_nodes: [],
    nodes,
    edges: [],
  } as unknown as Workflow;
}

describe('execute: recognising a learned screen', function () {
  this.timeout(180_000);
  let form: { analysis: ScreenAnalysis; vector: Float32Array };
  let withDialog: { analysis: ScreenAnalysis; vector: Float32Array };
  let formMin: number;

  before(async () => {
    const vision = await sharedEngine();
    const read = async (shot: Promise<string>) => {
      const analysis = await vision.analyze(await shot, {});
      return { analysis, vector: (await vision.embed(analysis, { title: TITLE })).vector };
    };
    form = await read(renderInvoice());
    withDialog = await read(renderInvoice({ dialog: CONFIRM_DIALOG }));
    // A threshold the dialog screen misses by a little: within the margin a title and texts may vouch for.
    formMin = Math.min(0.99, cosineSimilarity(form.vector, withDialog.vector) + 0.04);
  });

  it('takes a screen that looks a little off for the learned one when its title and texts vouch for it', async () => {
    const formNode = node('N_form', form.vector, formMin, ['Patient', 'Montant']);
    const recognizer = new NodeRecognizer(workflow([formNode]), await sharedEngine());
    const seen = await recognizer.recognise(frameOf(withDialog.analysis), ['N_form']);
    assert.strictEqual(seen.node_id, 'N_form', JSON.stringify(seen.scores));
    assert.strictEqual(seen.scores[0].evidence.vouched, 1);
  });

  it('never vouches for it when the screen looks like another learned screen (the dialog over it)', async () => {
    const formNode = node('N_form', form.vector, formMin, ['Patient', 'Montant']);
    const dialogNode = node('N_dialog', withDialog.vector, 0.9, ['Patient']);
    const recognizer = new NodeRecognizer(workflow([formNode, dialogNode]), await sharedEngine());
    const expectingForm = await recognizer.recognise(frameOf(withDialog.analysis), ['N_form']);
    assert.strictEqual(
      expectingForm.node_id,
      null,
      `the dialog screen was taken for the form: ${JSON.stringify(expectingForm.scores)}`,
    );
    const any = await recognizer.recognise(frameOf(withDialog.analysis));
    assert.strictEqual(any.node_id, 'N_dialog');
    // The form itself is still the form.
    assert.strictEqual((await recognizer.recognise(frameOf(form.analysis), ['N_form'])).node_id, 'N_form');
  });
});
