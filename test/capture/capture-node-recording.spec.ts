/**
 * The capture node recording in a real Node-RED (node-red-node-test-helper) on the shared Xvfb
 * desktop: start and stop by payload or topic, the event count in the status, the session sent
 * downstream, errors a Catch node sees, and a recording that a redeploy ends cleanly.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import helper from 'node-red-node-test-helper';
import captureNode from '../../nodes/rpa-capture/rpa-capture';
import { validateRawSession } from '../../lib/contracts/validate';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';
import { click, sleep, tempDir } from './helpers';
import { testNode, nextMessage, coreNode } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
const catchNode = coreNode('common/25-catch.js');
const statusNode = coreNode('common/25-status.js');

describe('rpa-capture node: recording', function () {
  this.timeout(60_000);
  let vd: VirtualDesktop;
  let outDir: string;
  let statuses: Array<{ fill?: string; text?: string }>;
  let app: ReturnType<VirtualDesktop['launch']>;

  before(async () => {
    vd = await sharedDesktop();
    app = vd.launch('xmessage', [
      '-name',
      'nodetarget',
      '-geometry',
      '400x200+500+300',
      '-title',
      'Node target',
      'node',
    ]);
    await vd.activate(await vd.waitForWindow('^Node target$'));
  });
  after(() => app?.kill('SIGKILL'));
  beforeEach((done) => {
    outDir = tempDir('rpa-capture-rec-');
    statuses = [];
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });

  const flow = (mode: string, extra: object = {}) => [
    { id: 'f1', type: 'tab' },
    { id: 'watcher', z: 'f1', type: 'status', scope: ['capture1'], wires: [['statuses']] },
    { id: 'statuses', z: 'f1', type: 'helper' },
    {
      id: 'capture1',
      z: 'f1',
      type: 'rpa-capture',
      mode,
      outputDir: outDir,
      user: 'tester',
      ...extra,
      wires: [['out']],
    },
    { id: 'out', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];

  async function load(mode: string, extra: object = {}) {
    await helper.load([captureNode, catchNode, statusNode], flow(mode, extra));
    testNode('statuses').on('input', (m) => statuses.push(m.status));
    const node = (id: string) => testNode(id);
    const next = (id: string) => nextMessage(id);
    return { cap: node('capture1'), next };
  }

  const sawStatus = (re: RegExp) =>
    vd.waitFor(
      () => statuses.some((s) => re.test(s.text ?? '')),
      15_000,
      `a status matching ${re} in ${JSON.stringify(statuses)}`,
    );

  it('starts on "start", counts events in its status, and sends the session downstream on "stop"', async () => {
    const { cap, next } = await load('snapshot');
    cap.receive({ payload: 'start' });
    await sawStatus(/^recording · 0 events$/);
    await click(vd, 600, 380);
    await vd.type('node');
    await sawStatus(/^recording · [1-9]\d* events$/);
    const out = next('out');
    cap.receive({ topic: 'stop', _keep: 7 });
    const msg = await out;
    assert.strictEqual(msg._keep, 7, 'the incoming message is reused');
    const p = msg.payload;
    assert.strictEqual(p.type, 'session');
    const session = validateRawSession(p.session);
    assert.strictEqual(session.user.id, 'tester');
    assert.ok(p.session_dir.startsWith(outDir) && fs.existsSync(p.session_file), p.session_file);
    assert.deepStrictEqual(
      validateRawSession(JSON.parse(fs.readFileSync(p.session_file, 'utf8'))).events,
      session.events,
    );
    assert.ok(session.events.some((e) => e.type === 'mouse_click' && e.window?.title === 'Node target'));
    assert.strictEqual(session.events.find((e) => e.type === 'text_input')?.text, 'node');
    assert.strictEqual(p.events, session.events.length);
    await sawStatus(new RegExp(`^session: ${session.events.length} events, ${session.screenshots.length} shots$`));
  });

  it('in record mode a bare message starts and stops; a second start or a stop while idle reaches the Catch node', async () => {
    const { cap, next } = await load('record');
    cap.receive({});
    await sawStatus(/^recording · 0 events$/);
    const refused = next('caught');
    cap.receive({ payload: 'start' });
    assert.match((await refused).error.message, /already recording \(\d+ events so far\); send "stop" first/);
    const out = next('out');
    cap.receive({});
    assert.strictEqual((await out).payload.end_reason, 'stopped');
    const idle = next('caught');
    cap.receive({ payload: 'stop' });
    assert.match((await idle).error.message, /not recording; send "start" first/);
  });

  it('sends the session by itself when the recording reaches its time limit', async () => {
    const { cap, next } = await load('record', { maxDuration: '1' });
    const out = next('out');
    cap.receive({});
    const msg = await out;
    assert.strictEqual(msg.topic, 'session');
    assert.strictEqual(msg.payload.end_reason, 'duration');
    validateRawSession(msg.payload.session);
    await sawStatus(/^session: \d+ events, \d+ shots$/);
  });

  it('ends a recording cleanly when the flow is stopped, leaving a valid session on disk', async () => {
    const { cap } = await load('snapshot');
    cap.receive({ payload: 'start' });
    await sawStatus(/^recording · 0 events$/);
    await click(vd, 610, 390);
    await sleep(300);
    await helper.unload();
    const [sessionDir] = fs.readdirSync(outDir);
    const session = validateRawSession(
      JSON.parse(fs.readFileSync(path.join(outDir, sessionDir, 'session.json'), 'utf8')),
    );
    assert.strictEqual(session.end_reason, 'node closed');
    assert.ok(session.events.some((e) => e.type === 'mouse_click'));
  });
});
