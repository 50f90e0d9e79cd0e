/**
 * The capture node in a real Node-RED (node-red-node-test-helper): without a display it says so
 * and fails messages through done(err) so Catch nodes see them; with one it takes snapshots.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import helper from 'node-red-node-test-helper';
import sharp from 'sharp';
import captureNode from '../../nodes/rpa-capture/rpa-capture';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';
import { testNode, coreNode, type FlowMessage } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
const catchNode = coreNode('common/25-catch.js');
const statusNode = coreNode('common/25-status.js');

describe('rpa-capture node', function () {
  this.timeout(30_000);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-capture-'));
  let savedDisplay: string | undefined;

  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
    if (savedDisplay !== undefined) process.env.DISPLAY = savedDisplay;
    savedDisplay = undefined;
  });

  const flow = [
    { id: 'f1', type: 'tab' },
    { id: 'watcher', z: 'f1', type: 'status', scope: null, wires: [['statuses']] },
    { id: 'statuses', z: 'f1', type: 'helper' },
    {
      id: 'capture1',
      z: 'f1',
      type: 'rpa-capture',
      name: 'my capture',
      mode: 'snapshot',
      outputDir: outDir,
      wires: [['out']],
    },
    { id: 'out', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];

  it('shows "no display (set DISPLAY)" and reports the failure to a Catch node when there is no display', async () => {
    savedDisplay = process.env.DISPLAY ?? '';
    delete process.env.DISPLAY;
    const seen: Array<{ fill?: string; text?: string }> = [];
    const loading = helper.load([captureNode, catchNode, statusNode], flow);
    await loading;
    testNode('statuses').on('input', (m) => seen.push(m.status));
    const cap = testNode('capture1');
    const caught = testNode('caught');
    const got = new Promise<FlowMessage>((resolve) => caught.on('input', resolve));
    cap.receive({ payload: 'snapshot' });
    const msg = await got;
    assert.match(msg.error.message, /no display \(set DISPLAY\)/);
    assert.ok(
      seen.some((s) => s.fill === 'red' && s.text === 'no display (set DISPLAY)'),
      JSON.stringify(seen),
    );
  });

  it('rejects an unknown command with an error naming it', async () => {
    await helper.load([captureNode, catchNode, statusNode], flow);
    const caught = testNode('caught');
    const got = new Promise<FlowMessage>((resolve) => caught.on('input', resolve));
    testNode('capture1').receive({ payload: 'explode' });
    assert.match((await got).error.message, /unknown command "explode"/);
  });

  describe('with a display', () => {
    let vd: VirtualDesktop;
    before(async () => {
      vd = await sharedDesktop();
    });

    it('takes a snapshot: a PNG of the whole screen with the active window, reusing the message', async () => {
      const app = vd.launch('xmessage', [
        '-name',
        'snapme',
        '-geometry',
        '300x120+50+60',
        '-title',
        'Snapshot target',
        'snap',
      ]);
      try {
        await vd.activate(await vd.waitForWindow('^Snapshot target$'));
        await helper.load([captureNode, catchNode, statusNode], flow);
        const out = testNode('out');
        const got = new Promise<FlowMessage>((resolve) => out.on('input', resolve));
        testNode('capture1').receive({ payload: 'snapshot', _keep: 42 });
        const msg = await got;
        assert.strictEqual(msg._keep, 42, 'the incoming msg is reused');
        const p = msg.payload;
        assert.strictEqual(p.type, 'snapshot');
        assert.deepStrictEqual([p.width, p.height], [vd.width, vd.height]);
        assert.strictEqual(p.window.title, 'Snapshot target');
        assert.strictEqual(p.window.app_name, 'snapme');
        assert.ok(fs.existsSync(p.screenshot_path) && p.screenshot_path.startsWith(outDir));
        const meta = await sharp(p.screenshot_path).metadata();
        assert.deepStrictEqual([meta.format, meta.width, meta.height], ['png', vd.width, vd.height]);
        assert.ok(Buffer.isBuffer(p.image));
      } finally {
        app.kill('SIGKILL');
      }
    });
  });
});
