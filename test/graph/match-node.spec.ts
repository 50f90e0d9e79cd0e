/**
 * The rpa-match-node node in a real Node-RED (node-red-node-test-helper), on real screens of
 * the order application rendered by Chromium: which learned screen is shown (with the
 * runner-up) on output 1, unknown screens and unexpected screens on output 2, embeddings and
 * in-message workflows accepted, and a missing workflow reported to Catch nodes.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import helper from 'node-red-node-test-helper';
import matchNodeNode from '../../nodes/rpa-match-node/rpa-match-node';
import type { Workflow } from '../../lib/contracts/workflow';
import { embedWindowScreen, matchNode } from '../../lib/graph';
import { acquireVisionEngine, releaseVisionEngine } from '../../lib/vision/shared-engine';
import { renderHtml } from '../vision/helpers/render';
import { launchApp, serveApp, tempDir } from './helpers/order-app';
import { sharedDesktop } from '../helpers/desktop';
import { testNode, nextMessage, coreNode } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
const catchNode = coreNode('common/25-catch.js');

const APP = fs.readFileSync(path.resolve(__dirname, '..', 'fixtures', 'graph-app', 'index.html'), 'utf8');

/** The order application showing one of its screens, with data typed in. */
function screen(section: string, values: Record<string, string> = {}): Promise<string> {
  const fill = Object.entries(values)
    .map(([id, v]) => `document.getElementById(${JSON.stringify(id)}).value = ${JSON.stringify(v)};`)
    .join('');
  return renderHtml(APP.replace('</body>', `<script>show(${JSON.stringify(section)});${fill}</script></body>`), {
    width: 760,
    height: 560,
  });
}

describe('rpa-match-node node', function () {
  this.timeout(120_000);
  let shots: Record<'client' | 'clientOther' | 'details' | 'unrelated', string>;
  let workflow: Workflow;
  let wfFile: string;

  before(async () => {
    const vision = await acquireVisionEngine();
    try {
      shots = {
        client: await screen('s1', { nom: 'Martin Dupont', ville: 'Lyon' }),
        clientOther: await screen('s1', { nom: 'Claire Petit', ville: 'Nantes' }),
        details: await screen('s2', { montant: '1250' }),
        unrelated: await renderHtml(
          '<html><body style="font:18px sans-serif;background:#222;color:#eee"><h2>Notes</h2><p>rappeler le client demain</p><ul><li>un</li><li>deux</li></ul></body></html>',
          { width: 760, height: 560 },
        ),
      };
      const proto = async (file: string, title: string) =>
        Array.from((await embedWindowScreen(vision, file, { title })).vector);
      workflow = {
        workflow_id: 'WF_order',
        name: 'Order',
        nodes: [
          {
            node_id: 'N1_client',
            label: 'Client',
            screen_template: {
              window: { title_contains_any_of: ['Client'] },
              embedding_prototype: {
                provider: 'rpa-vision-layout-v1',
                vector: await proto(shots.client, 'Saisie commande - Client'),
                min_cosine_similarity: 0.85,
                sample_count: 1,
              },
            },
          },
          {
            node_id: 'N2_details',
            label: 'Détails',
            screen_template: {
              window: { title_contains_any_of: ['Montant'] },
              embedding_prototype: {
                provider: 'rpa-vision-layout-v1',
                vector: await proto(shots.details, 'Saisie commande - Montant'),
                min_cosine_similarity: 0.85,
                sample_count: 1,
              },
            },
          },
        ],
        edges: [],
      };
    } finally {
      await releaseVisionEngine();
    }
    wfFile = path.join(tempDir('rpa-match-node-'), 'order.json');
    fs.writeFileSync(wfFile, JSON.stringify(workflow));
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });

  const flow = (extra: Record<string, unknown> = {}) => [
    { id: 'f1', type: 'tab' },
    {
      id: 'm1',
      z: 'f1',
      type: 'rpa-match-node',
      name: '',
      workflow: wfFile,
      node: '',
      minSimilarity: '',
      ...extra,
      wires: [['known'], ['unknown']],
    },
    { id: 'known', z: 'f1', type: 'helper' },
    { id: 'unknown', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
  const next = (id: string) => nextMessage(id);
  const capture = (file: string, title: string) => ({
    type: 'snapshot',
    image: fs.readFileSync(file),
    window: { title, app_name: 'chromium', bounds: [0, 0, 760, 560] },
  });

  it('recognises the learned screen with other data typed in, with its similarity and runner-up, on output 1', async () => {
    await helper.load([matchNodeNode, catchNode], flow());
    const known = next('known');
    testNode('m1').receive({ payload: capture(shots.clientOther, 'Saisie commande - Client') });
    const msg = await known;
    assert.strictEqual(msg.payload.node_id, 'N1_client');
    assert.strictEqual(msg.payload.unknown, false);
    assert.ok(msg.payload.similarity > 0.9, JSON.stringify(msg.payload));
    assert.strictEqual(msg.payload.runner_up.node_id, 'N2_details');
    assert.ok(msg.payload.runner_up.similarity < msg.payload.similarity);
    assert.strictEqual(msg.match.node_id, 'N1_client');
  });

  it('sends a screen of no learned node to output 2 with the closest node and why it was rejected', async () => {
    await helper.load([matchNodeNode, catchNode], flow());
    const unknown = next('unknown');
    testNode('m1').receive({ payload: capture(shots.unrelated, 'Notes - Mousepad') });
    const msg = await unknown;
    assert.strictEqual(msg.payload.unknown, true);
    assert.strictEqual(msg.payload.node_id, null);
    assert.ok(msg.payload.closest.rejected_because, JSON.stringify(msg.payload));
  });

  it('with an expected screen configured, passes only that screen on output 1', async () => {
    await helper.load([matchNodeNode, catchNode], flow({ node: 'N2_details' }));
    const unknown = next('unknown');
    testNode('m1').receive({ payload: capture(shots.client, 'Saisie commande - Client') });
    const other = await unknown;
    assert.deepStrictEqual(
      [other.payload.node_id, other.payload.expected_node, other.payload.unknown],
      ['N1_client', 'N2_details', false],
    );
    const known = next('known');
    testNode('m1').receive({ payload: capture(shots.details, 'Saisie commande - Montant') });
    assert.strictEqual((await known).payload.node_id, 'N2_details');
  });

  it('matches an embedding directly, against a workflow given in the message', async () => {
    await helper.load([matchNodeNode, catchNode], flow({ workflow: '' }));
    const known = next('known');
    const vector = workflow.nodes[1].screen_template.embedding_prototype!.vector!;
    testNode('m1').receive({ payload: { vector }, workflow });
    const msg = await known;
    assert.strictEqual(msg.payload.node_id, 'N2_details');
    assert.ok(msg.payload.timing_ms < 50, `an embedding needs no vision: ${msg.payload.timing_ms} ms`);
    assert.deepStrictEqual(matchNode(workflow, vector).node_id, 'N2_details');
  });

  it('looks at the display itself when the message carries no screen (an inject node in front)', async () => {
    const vd = await sharedDesktop();
    const server = await serveApp();
    const appWindow = await launchApp(vd, server.url);
    try {
      await helper.load([matchNodeNode, catchNode], flow({ node: 'N1_client' }));
      const known = next('known');
      testNode('m1').receive({ payload: Date.now() });
      const msg = await known;
      assert.strictEqual(msg.payload.node_id, 'N1_client', JSON.stringify(msg.payload));
    } finally {
      await vd.xdotool(['windowclose', appWindow.id]).catch(() => undefined);
      await server.close();
    }
  });

  it('reports a missing workflow file to Catch nodes, naming the file', async () => {
    await helper.load([matchNodeNode, catchNode], flow({ workflow: '/nonexistent/wf.json' }));
    const caught = next('caught');
    testNode('m1').receive({ payload: { vector: [1, 2, 3] } });
    const msg = await caught;
    assert.match(msg.error.message, /no workflow "\/nonexistent\/wf.json"/);
  });
});
