/**
 * rpa-trigger and rpa-chain in a real Node-RED (node-red-node-test-helper) with the real
 * scheduler (1 s checks, real clock) and the journal executor: a trigger emits a message when
 * it fires and shows its next fire time or its folder; a file trigger runs its workflow with
 * the file path; a chain node sends successes to output 1 and failures, with the failure
 * point, to output 2; errors reach Catch nodes.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import helper from 'node-red-node-test-helper';
import { workflowExecutors, type Automation } from '../../lib/automation';
import { currentAutomation } from '../../nodes/shared/automation';
import chainNode from '../../nodes/rpa-chain/rpa-chain';
import triggerNode from '../../nodes/rpa-trigger/rpa-trigger';
import { createExecutor, readJournal, workflowDoc } from './helpers/journal-executor';
import { testNode, nextMessage, coreNode, flowOf } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
const catchNode = coreNode('common/25-catch.js');
const statusNode = coreNode('common/25-status.js');
/* eslint-disable @typescript-eslint/no-require-imports */
const exampleNodes = [
  require('@node-red/nodes/core/common/20-inject.js'),
  require('@node-red/nodes/core/common/21-debug.js'),
  require('@node-red/nodes/core/common/90-comment.js'),
  require('node-red-contrib-cron-plus/cronplus.js'),
];
/* eslint-enable @typescript-eslint/no-require-imports */

const NEXT_MESSAGE_TIMEOUT_MS = 8000;

describe('rpa-trigger and rpa-chain nodes', function () {
  this.timeout(30_000);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-nodes-'));
  let automation: Automation;
  let dataDir: string;
  let unregister: (() => void) | undefined;
  const statuses: Array<{ source: string; fill?: string; text?: string }> = [];

  const withWatchers = (nodes: object[]) => [
    { id: 'f1', type: 'tab' },
    ...nodes,
    { id: 'watcher', z: 'f1', type: 'status', scope: null, wires: [['statuses']] },
    { id: 'statuses', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];

  async function load(nodes: object[]): Promise<void> {
    statuses.length = 0;
    await helper.load([triggerNode, chainNode, catchNode, statusNode], flowOf(withWatchers(nodes)));
    testNode('statuses').on('input', (m) => statuses.push({ ...m.status, source: m.status.source.id }));
    automation ??= await currentAutomation()!;
    dataDir ??= path.dirname(automation.workflows.directory);
  }

  before(async () => {
    helper.settings({ rpaVision: { dataDir: userDataDir } } as object);
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });
  after(() => {
    unregister?.();
    helper.settings({}); // back to the defaults for the specs that follow in this process
  });

  async function ready(): Promise<void> {
    if (unregister) return;
    // The journal executor runs the workflows of whatever data directory the process's automation uses.
    unregister = workflowExecutors.register(createExecutor({ dataDir }));
    for (const id of ['wf_open', 'wf_fill', 'wf_close'])
      automation.workflows.import(workflowDoc(id), { replace: true });
    automation.workflows.import(workflowDoc('wf_reject', { outcome: 'failed', fail_at: 'N4_confirm' }), {
      replace: true,
    });
    await automation.scheduler.start();
  }

  it('rpa-trigger (schedule) emits a message each time it fires and shows the next fire time', async () => {
    await load([
      {
        id: 'tick',
        z: 'f1',
        type: 'rpa-trigger',
        triggerType: 'schedule',
        interval: 1,
        target: '',
        priority: 0,
        wires: [['out']],
      },
      { id: 'out', z: 'f1', type: 'helper' },
    ]);
    await ready();
    const msg = await nextMessage('out', NEXT_MESSAGE_TIMEOUT_MS);
    assert.strictEqual(msg.topic, 'node-tick');
    assert.strictEqual(msg.payload.trigger_id, 'node-tick');
    assert.strictEqual(msg.payload.trigger_type, 'schedule');
    assert.strictEqual(msg.payload.target_type, 'flow');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(
      statuses.some((s) => s.source === 'tick' && /next /.test(s.text ?? '')),
      JSON.stringify(statuses),
    );
    const stored = await automation.triggers.get('node-tick');
    assert.notStrictEqual(stored.last_fired, null);
  });

  it('rpa-trigger (file) shows the watched folder, runs its workflow once per new file with the path, and emits a message', async () => {
    // File triggers watch inside the data directory (or the folders settings allow).
    const inbox = fs.mkdtempSync(path.join(userDataDir, 'invoices-'));
    await load([
      {
        id: 'invoices',
        z: 'f1',
        type: 'rpa-trigger',
        triggerType: 'file',
        watchDirectory: inbox,
        filePattern: '*.pdf',
        target: 'wf_open',
        targetType: 'workflow',
        priority: 0,
        wires: [['out']],
      },
      { id: 'out', z: 'f1', type: 'helper' },
    ]);
    await ready();
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(
      statuses.some((s) => s.source === 'invoices' && s.text === `watching ${inbox} (*.pdf)`),
      JSON.stringify(statuses),
    );
    const before = readJournal(dataDir).length;
    const file = path.join(inbox, 'invoice-7.pdf');
    const got = nextMessage('out', NEXT_MESSAGE_TIMEOUT_MS);
    fs.writeFileSync(file, '%PDF-1.4 test');
    const msg = await got;
    assert.strictEqual(msg.payload.params.file_path, file);
    const deadline = Date.now() + 5000;
    while (readJournal(dataDir).length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 2200)); // two more checks: no second run
    const runs = readJournal(dataDir).slice(before);
    assert.deepStrictEqual(
      runs.map((l) => [l.workflow_id, l.params.file_path]),
      [['wf_open', file]],
    );
  });

  it('rpa-trigger (manual) fires on an input message, adding msg.params', async () => {
    await load([
      { id: 'by_hand', z: 'f1', type: 'rpa-trigger', triggerType: 'manual', target: '', priority: 0, wires: [['out']] },
      { id: 'out', z: 'f1', type: 'helper' },
    ]);
    await ready();
    await new Promise((r) => setTimeout(r, 100));
    const got = nextMessage('out', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('by_hand').receive({ params: { invoice: 'F-2026-001' } });
    const msg = await got;
    assert.deepStrictEqual(msg.payload.params, { invoice: 'F-2026-001' });
    assert.ok(statuses.some((s) => s.source === 'by_hand' && /manual: send a message/.test(s.text ?? '')));
  });

  it('rpa-trigger watching a folder outside the data directory shows why it cannot in its status', async () => {
    await load([
      {
        id: 'broken',
        z: 'f1',
        type: 'rpa-trigger',
        triggerType: 'file',
        watchDirectory: '/no/such/inbox',
        filePattern: '*.pdf',
        target: '',
        priority: 0,
        wires: [[]],
      },
    ]);
    const deadline = Date.now() + 3000;
    while (!statuses.some((s) => s.source === 'broken' && s.fill === 'red') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const red = statuses.find((s) => s.source === 'broken' && s.fill === 'red');
    assert.ok(red, JSON.stringify(statuses));
    assert.match(red!.text!, /config\.watch_directory must be inside the data directory/);
  });

  it('rpa-chain sends a successful run to output 1 and a failed one to output 2 with the failure point', async () => {
    await load([
      { id: 'chain', z: 'f1', type: 'rpa-chain', chain: '', priority: 0, wires: [['ok'], ['ko']] },
      { id: 'ok', z: 'f1', type: 'helper' },
      { id: 'ko', z: 'f1', type: 'helper' },
    ]);
    await ready();
    const good = await automation.createChain({ name: 'Invoice', workflows: ['wf_open', 'wf_fill', 'wf_close'] });
    const bad = await automation.createChain({ name: 'Rejected', workflows: ['wf_open', 'wf_reject', 'wf_close'] });
    const before = readJournal(dataDir).length;
    const okMsg = nextMessage('ok', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('chain').receive({ chain_id: good.chain_id, params: { who: 'node' } });
    const success = await okMsg;
    assert.strictEqual(success.payload.success, true);
    assert.deepStrictEqual(
      success.payload.steps.map((s: { workflow_id: string }) => s.workflow_id),
      ['wf_open', 'wf_fill', 'wf_close'],
    );
    const koMsg = nextMessage('ko', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('chain').receive({ payload: { chain_id: bad.chain_id } });
    const failure = await koMsg;
    assert.strictEqual(failure.payload.success, false);
    assert.strictEqual(failure.payload.failed_at, 'wf_reject');
    assert.strictEqual(failure.payload.steps[1].failed_at, 'N4_confirm');
    assert.deepStrictEqual(
      readJournal(dataDir)
        .slice(before)
        .map((l) => l.workflow_id),
      ['wf_open', 'wf_fill', 'wf_close', 'wf_open', 'wf_reject'],
    );
    await new Promise((r) => setTimeout(r, 50));
    const chainStatuses = statuses.filter((s) => s.source === 'chain').map((s) => s.text);
    assert.ok(chainStatuses.includes('2/3 wf_fill…'), JSON.stringify(chainStatuses));
    assert.ok(
      chainStatuses.some((t) => t === `${bad.chain_id}: failed at wf_reject`),
      JSON.stringify(chainStatuses),
    );
  });

  it('rpa-chain reports an unknown chain to a Catch node', async () => {
    await load([{ id: 'chain', z: 'f1', type: 'rpa-chain', chain: 'chain_missing', priority: 0, wires: [[], []] }]);
    await ready();
    const caught = nextMessage('caught', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('chain').receive({ payload: 'go' });
    const msg = await caught;
    assert.match(msg.error.message, /chain not found: chain_missing/);
  });

  for (const example of [
    'automation-cron-chain',
    'automation-inject-chain',
    'automation-daily-chain',
    'automation-invoice-folder',
  ]) {
    it(`example flow ${example}.json loads with every node`, async () => {
      const file = path.join(__dirname, '..', '..', '..', 'examples', `${example}.json`);
      const nodes = (JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ id: string; type: string }>).map((n) => ({
        ...n,
        z: 'f1',
      }));
      await helper.load([triggerNode, chainNode, ...exampleNodes], flowOf([{ id: 'f1', type: 'tab' }, ...nodes]));
      for (const n of nodes) assert.ok(helper.getNode(n.id), `${example}: node ${n.id} (${n.type}) was created`);
    });
  }
});
