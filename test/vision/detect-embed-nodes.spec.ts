/**
 * The detect and embed nodes in a real Node-RED (node-red-node-test-helper): a screenshot
 * buffer, path or capture output in, a ScreenState / embedding out, status with the timing,
 * and errors through done(err) so Catch nodes see them.
 */
import assert from 'assert';
import fs from 'fs';
import helper from 'node-red-node-test-helper';
import detectNode from '../../nodes/rpa-detect/rpa-detect';
import embedNode from '../../nodes/rpa-embed/rpa-embed';
import { DEFAULT_WEIGHTS } from '../../lib/vision/state-embedding';
import { renderInvoice } from './helpers/render';
import { testNode, nextMessage, coreNode, type FlowMessage } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
const catchNode = coreNode('common/25-catch.js');
const statusNode = coreNode('common/25-status.js');

describe('vision: rpa-detect and rpa-embed nodes', function () {
  this.timeout(120_000);
  let png: string;

  before(async () => {
    png = await renderInvoice();
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });

  const flow = [
    { id: 'f1', type: 'tab' },
    { id: 'detect1', z: 'f1', type: 'rpa-detect', name: '', scale: '', wires: [['out', 'embed1']] },
    { id: 'embed1', z: 'f1', type: 'rpa-embed', name: '', title: '', wires: [['embedded']] },
    { id: 'embed2', z: 'f1', type: 'rpa-embed', name: '', title: 'Factures', wires: [['embedded']] },
    { id: 'out', z: 'f1', type: 'helper' },
    { id: 'embedded', z: 'f1', type: 'helper' },
    { id: 'watcher', z: 'f1', type: 'status', scope: ['detect1'], wires: [['statuses']] },
    { id: 'statuses', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];

  const next = (id: string) => nextMessage(id);

  it('turns a capture output into a ScreenState, shows the timing, and passes its embedding on', async () => {
    await helper.load([detectNode, embedNode, catchNode, statusNode], flow);
    const statuses: Array<{ fill?: string; text?: string }> = [];
    testNode('statuses').on('input', (m) => statuses.push(m.status));
    const out = next('out');
    const embedded = next('embedded');
    testNode('detect1').receive({
      payload: {
        type: 'snapshot',
        screenshot_path: png,
        image: fs.readFileSync(png),
        scale_factor: 1,
        window: { title: 'Factures - Clinique Demo', app_name: 'chromium' },
      },
    });
    const msg = await out;
    const state = msg.payload;
    assert.strictEqual(state.window.window_title, 'Factures - Clinique Demo');
    assert.strictEqual(state.raw.screenshot_path, png);
    assert.ok(state.ui_elements.some((e: FlowMessage) => e.type === 'button' && e.label === 'Annuler'));
    assert.strictEqual(state.perception.embedding.vector.length, state.perception.embedding.dimensions);
    const emb = (await embedded).payload;
    assert.strictEqual(emb.dimensions, state.perception.embedding.dimensions);
    assert.strictEqual(emb.source, state.screen_state_id);
    assert.ok(
      statuses.some((s) => s.fill === 'green' && /\d+ elements, \d+ lines in \d+ ms/.test(s.text ?? '')),
      JSON.stringify(statuses),
    );
  });

  it('embeds a PNG buffer and a path to the same vector', async () => {
    await helper.load([detectNode, embedNode, catchNode, statusNode], flow);
    const embed2 = testNode('embed2');
    const first = next('embedded');
    embed2.receive({ payload: fs.readFileSync(png) });
    const a = (await first).payload;
    const second = next('embedded');
    embed2.receive({ payload: png });
    const b = (await second).payload;
    assert.strictEqual(a.vector.length, a.dimensions);
    assert.deepStrictEqual(a.vector, b.vector);
    assert.deepStrictEqual(a.weights, DEFAULT_WEIGHTS);
  });

  it('reports a payload it cannot read to a Catch node', async () => {
    await helper.load([detectNode, embedNode, catchNode, statusNode], flow);
    const caught = next('caught');
    testNode('detect1').receive({ payload: { hello: 'world' } });
    const msg = await caught;
    assert.match(msg.error.message, /expected a PNG buffer, a file path or a capture output/);
  });
});
