/**
 * One answer to "which screen is this" (issue 15): the flow users are told to wire,
 * rpa-capture → rpa-detect → rpa-match-node, and the runner's recogniser name the same learned
 * screen of the invoice application on the live display — in its learned look and restyled,
 * where only the window title and the required texts vouch for a look that moved.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import helper from 'node-red-node-test-helper';
import captureNode from '../../nodes/rpa-capture/rpa-capture';
import detectNode from '../../nodes/rpa-detect/rpa-detect';
import matchNodeNode from '../../nodes/rpa-match-node/rpa-match-node';
import type { Workflow, WorkflowNode } from '../../lib/contracts/workflow';
import { NodeRecognizer, ScreenObserver, type Frame } from '../../lib/execute';
import { releaseVisionEngine } from '../../lib/vision/shared-engine';
import { nextMessage, testNode, type FlowMessage } from '../helpers/node-red';
import { tempDir, useInvoiceReplay } from './helpers';

helper.init(require.resolve('node-red'));

/** The seed's threshold: the restyled detail screen falls under it, and its evidence has to vouch. */
const MIN_COSINE = 0.85;

describe('one recogniser for the nodes and the runner (Chromium app, Xvfb)', function () {
  this.timeout(300_000);
  const ctx = useInvoiceReplay();
  let workflow: Workflow;
  let wfFile: string;
  let outDir: string;

  const look = async (): Promise<Frame> =>
    new ScreenObserver(ctx.desktop, ctx.vision, { wholeFrames: true }).settle({ maxMs: 2000 });

  const learned = async (nodeId: string, title: string, text: string): Promise<WorkflowNode> => {
    const frame = await look();
    const embedding = await ctx.vision.embed(frame.analysis, { title: frame.window?.title });
    return {
      node_id: nodeId,
      label: nodeId,
      screen_template: {
        window: { title_contains_any_of: [title] },
        required_text_any: [text],
        embedding_prototype: {
          provider: embedding.provider,
          vector: Array.from(embedding.vector),
          min_cosine_similarity: MIN_COSINE,
          sample_count: 1,
        },
      },
    };
  };

  before(async () => {
    ctx.inv.app.setTheme('classic');
    await ctx.inv.open('/', 'Factures');
    const list = await learned('N1_liste', 'Factures', 'Liste des factures');
    await ctx.inv.open('/facture/F-1002', 'Facture F-1002');
    const detail = await learned('N2_detail', 'Facture F-', 'Détail de la facture');
    workflow = {
      workflow_id: 'WF_one_recogniser',
      name: 'two learned screens',
      nodes: [list, detail],
      edges: [],
      metadata: { embedding_frame: 'active_window' },
    };
    outDir = tempDir('rpa-one-recogniser-');
    wfFile = path.join(outDir, 'wf.json');
    fs.writeFileSync(wfFile, JSON.stringify(workflow));
  });
  after(async () => {
    ctx.inv.app.setTheme('classic');
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
    await releaseVisionEngine();
  });

  const flow = () => [
    { id: 'f1', type: 'tab' },
    { id: 'cap', z: 'f1', type: 'rpa-capture', name: '', mode: 'snapshot', outputDir: outDir, wires: [['detect']] },
    { id: 'detect', z: 'f1', type: 'rpa-detect', name: '', scale: '', wires: [['match']] },
    {
      id: 'match',
      z: 'f1',
      type: 'rpa-match-node',
      name: '',
      workflow: '',
      node: '',
      minSimilarity: '',
      wires: [['out'], ['out']],
    },
    { id: 'out', z: 'f1', type: 'helper' },
  ];

  /** What the flow says the display shows. */
  const byTheNodes = async (): Promise<FlowMessage> => {
    const out = nextMessage('out');
    testNode('cap').receive({ payload: 'snapshot', workflow: wfFile });
    return (await out).payload as FlowMessage;
  };

  for (const theme of ['classic', 'restyled'] as const) {
    it(`names the same screens as the runner, ${theme === 'classic' ? 'in the learned look' : 'restyled'}`, async () => {
      await helper.load([captureNode, detectNode, matchNodeNode], flow());
      ctx.inv.app.setTheme(theme);
      const seen: string[] = [];
      for (const [page, title, expected] of [
        ['/', 'Factures', 'N1_liste'],
        ['/facture/F-1003', 'Facture F-1003', 'N2_detail'],
      ]) {
        await ctx.inv.open(page, title);
        const runner = await new NodeRecognizer(workflow, ctx.vision).recognise(await look());
        const nodes = await byTheNodes();
        const best = runner.scores[0];
        seen.push(`${expected}: runner ${runner.node_id} ${JSON.stringify(best.evidence)}, nodes ${nodes.node_id}`);
        assert.strictEqual(runner.node_id, expected, seen.join('\n'));
        assert.strictEqual(nodes.node_id, expected, `${seen.join('\n')}\n${JSON.stringify(nodes)}`);
        assert.ok(Math.abs((nodes.similarity as number) - runner.similarity) < 0.03, seen.join('\n'));
      }
    });
  }
});
