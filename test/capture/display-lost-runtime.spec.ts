/**
 * The display goes away while the capture node records, in the real runtime (`npm start`'s
 * script): the global input hook lives in the recording agent, a child process, so losing the X
 * server ends the agent, never Node-RED; the node sends the session it kept, saying why it ended.
 */
import assert from 'assert';
import fs from 'fs';
import { NodeRedRuntime } from '../helpers/runtime';
import { VirtualDesktop } from '../helpers/desktop';
import { click, sleep } from './helpers';

const FLOW = [
  { id: 'f1', type: 'tab', label: 'display lost' },
  { id: 'start', z: 'f1', type: 'http in', url: '/rec/start', method: 'post', wires: [['cap', 'ok']] },
  { id: 'ok', z: 'f1', type: 'http response', statusCode: '200', wires: [] },
  { id: 'cap', z: 'f1', type: 'rpa-capture', mode: 'record', user: 'tester', wires: [['keep']] },
  {
    id: 'keep',
    z: 'f1',
    type: 'function',
    func: "global.set('ended', { end_reason: msg.payload.end_reason, events: msg.payload.events }); return null;",
    wires: [[]],
  },
  { id: 'watch', z: 'f1', type: 'status', scope: ['cap'], wires: [['note']] },
  { id: 'note', z: 'f1', type: 'function', func: "global.set('status', msg.status.text); return null;", wires: [[]] },
  { id: 'last', z: 'f1', type: 'http in', url: '/rec/ended', method: 'get', wires: [['read']] },
  {
    id: 'read',
    z: 'f1',
    type: 'function',
    func: "msg.payload = { status: global.get('status') || '', ended: global.get('ended') || null }; return msg;",
    wires: [['reply']],
  },
  { id: 'reply', z: 'f1', type: 'http response', statusCode: '200', wires: [] },
];

describe('the display is lost while the capture node records (real runtime, own Xvfb)', function () {
  this.timeout(120_000);
  let vd: VirtualDesktop;
  let rt: NodeRedRuntime;
  before(async () => {
    vd = await VirtualDesktop.start({ width: 800, height: 600 });
    // Once in a few CI runs xmessage's window never showed on a server that had just come up:
    // started again, up to 3 times, as the desktop helper does for openbox.
    let win = '';
    for (let attempt = 1; !win; attempt++) {
      const xmessage = vd.launch('xmessage', ['-geometry', '300x120+100+100', '-title', 'Lost target', 'target']);
      try {
        win = await vd.waitForWindow('^Lost target$', 10_000);
      } catch (err) {
        xmessage.kill();
        if (attempt === 3) throw err;
      }
    }
    await vd.activate(win);
    rt = await NodeRedRuntime.start({ flows: FLOW, env: { DISPLAY: vd.display, RPA_VISION_RESOURCE_INTERVAL_S: '0' } });
  });
  after(async () => {
    await rt?.stop();
    await vd?.stop();
    if (rt) fs.rmSync(rt.userDir, { recursive: true, force: true });
  });

  it('ends the recording with "display lost" and Node-RED keeps running', async () => {
    assert.strictEqual((await rt.fetch('/rec/start', { method: 'POST' })).status, 200);
    type Seen = { status: string; ended: { end_reason: string; events: number } | null };
    const seen = async () => (await rt.json<Seen>('/rec/ended')).body;
    await vd.waitFor(async () => (await seen()).status.startsWith('recording'), 30_000, 'the recording to start');
    await click(vd, 200, 150);
    await sleep(500);
    await vd.stop();

    let ended: { end_reason: string; events: number } | null = null;
    const deadline = Date.now() + 30_000;
    while (!ended && Date.now() < deadline) {
      await sleep(300);
      ended = (await seen()).ended;
    }
    assert.ok(ended, `the session reached the flow:\n${rt.log.slice(-3000)}`);
    assert.match(ended.end_reason, /^display lost/);
    assert.ok(ended.events >= 1, 'what was recorded before is kept');
    const health = await rt.fetch('/api/automation/status');
    assert.strictEqual(health.status, 200, 'Node-RED still answers');
    assert.doesNotMatch(rt.log, /X Error of failed request|Segmentation fault/);
  });
});
