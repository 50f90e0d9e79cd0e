/**
 * Record → learn → run from Node-RED, with the workflow travelling in the flow, on a real
 * program (galculator on Xvfb): two demonstrations recorded with the real recorder; an rpa-learn
 * node turns them into a workflow (live copy in the data directory, summary on its output);
 * an rpa-workflow node picking that workflow from a config node shows the run modes' rules
 * (a mode above the learned state is lowered and never acts; "auto" is the logged operator
 * override and runs with msg.payload's parameters); then `rpa-vision flow --mode auto` exports
 * the flow, a second Node-RED with an empty user dir deploys it and runs it from its inject
 * (POST /inject/:id) with the inject's parameters: the calculator shows the result and the
 * flow's last node ends green.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import WebSocket from 'ws';
import helper from 'node-red-node-test-helper';
import learnNode from '../../nodes/rpa-learn/rpa-learn';
import workflowConfigNode from '../../nodes/rpa-vision-workflow/rpa-vision-workflow';
import workflowNode from '../../nodes/rpa-workflow/rpa-workflow';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';
import { NodeRedRuntime } from '../helpers/runtime';
import { nextMessage, testNode, flowOf, type FlowMessage } from '../helpers/node-red';
import { recordWith } from '../graph/helpers/order-app';
import type { Workflow } from '../../lib/contracts/workflow';
import { calculatorValue, cli, compute, launchGalculator, sleep, type AppWindow } from './debian-apps';
import { tempDir } from './helpers';

helper.init(require.resolve('node-red'));

type Status = { fill?: string; shape?: string; text?: string };

/** Statuses of a runtime's nodes as its editor sees them (the comms websocket), by node id. */
function watchStatuses(runtime: NodeRedRuntime): { statuses: Map<string, Status[]>; close(): void } {
  const statuses = new Map<string, Status[]>();
  const ws = new WebSocket(`ws://127.0.0.1:${runtime.port}/comms`);
  ws.on('open', () => ws.send(JSON.stringify({ subscribe: 'status/#' })));
  ws.on('message', (data) => {
    for (const m of JSON.parse(String(data)) as Array<{ topic: string; data: Status }>) {
      const id = m.topic.replace(/^status\//, '');
      statuses.set(id, [...(statuses.get(id) ?? []), m.data]);
    }
  });
  return { statuses, close: () => ws.close() };
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('a learned workflow in the flow: rpa-learn, run modes, export and import (galculator, Xvfb)', function () {
  this.timeout(300_000);
  let vd: VirtualDesktop;
  let app: AppWindow | undefined;
  const dataDir = tempDir('rpa-wf-in-flow-data-');
  const sessions: string[] = [];
  let learned: Workflow;

  before(async () => {
    vd = await sharedDesktop();
    helper.settings({ rpaVision: { dataDir } } as object);
    for (const expression of ['12*7', '45-18']) {
      const demo = await launchGalculator(vd);
      sessions.push(await recordWith(vd, () => compute(vd, expression)));
      demo.close();
      await sleep(300);
    }
  });
  beforeEach(() => new Promise<void>((r) => helper.startServer(() => r())));
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });
  after(() => {
    helper.settings({});
    app?.close();
  });

  it('rpa-learn turns two sessions from rpa-capture into a workflow: its status and output list screens, steps, parameters and what needs a person', async () => {
    await helper.load(
      [learnNode],
      flowOf([
        { id: 'f1', type: 'tab' },
        { id: 'learn', z: 'f1', type: 'rpa-learn', workflowName: 'Calcul', sessions: '', wires: [['out']] },
        { id: 'out', z: 'f1', type: 'helper' },
      ]),
    );
    const statuses: Status[] = [];
    const learner = testNode('learn') as unknown as { status(s: Status): void };
    const setStatus = learner.status.bind(learner);
    learner.status = (s: Status) => {
      statuses.push(s);
      setStatus(s);
    };
    // As rpa-capture sends a recording that ended: one message per session.
    let out = nextMessage('out');
    testNode('learn').receive({ payload: { type: 'session', session_dir: sessions[0] } });
    const first = (await out).payload as FlowMessage;
    assert.strictEqual(first.demonstrations, 1);
    assert.deepStrictEqual(first.parameters, [], 'one demonstration: nothing varies yet');
    assert.ok(first.needs_person.some((n: FlowMessage) => n.kind === 'more_demonstrations'));
    assert.strictEqual(statuses.at(-1)!.fill, 'yellow');

    out = nextMessage('out');
    testNode('learn').receive({ payload: { type: 'session', session_dir: sessions[1] } });
    const summary = (await out).payload as FlowMessage;
    learned = JSON.parse(fs.readFileSync(summary.file, 'utf8')) as Workflow;
    assert.strictEqual(learned.workflow_id, summary.workflow_id, 'the live copy is in the data directory');
    assert.strictEqual(summary.workflow_id, first.workflow_id, 'the second session extends the same workflow');
    assert.strictEqual(summary.demonstrations, 2);
    assert.strictEqual(summary.learning_state, 'OBSERVATION');
    assert.strictEqual(summary.screens.length, 1, JSON.stringify(summary.screens));
    assert.deepStrictEqual(
      summary.steps.map((s: FlowMessage) => s.does),
      ['type {{text_1}}, press ENTER'],
    );
    assert.deepStrictEqual(
      summary.parameters.map((p: FlowMessage) => [p.name, p.default]),
      [['text_1', '12*7']],
    );
    // The calculator's display has no label: the parameter's name is for a person to choose.
    assert.deepStrictEqual(
      summary.needs_person.map((n: FlowMessage) => [n.kind, n.subject]),
      [['parameter_name', 'text_1']],
    );
    assert.strictEqual(statuses.at(-1)!.fill, 'yellow', 'something to check');
  });

  it('an rpa-workflow node picking the workflow config: a mode above the learned state is lowered and never acts; "auto" is the logged operator override and runs with msg.payload', async () => {
    app = await launchGalculator(vd);
    const flow = (mode: string, timeout: string) => [
      { id: 'f1', type: 'tab' },
      { id: 'wf', type: 'rpa-vision-workflow', name: 'Calcul', graph: learned },
      {
        id: 'run',
        z: 'f1',
        type: 'rpa-workflow',
        workflowConfig: 'wf',
        workflow: '',
        mode,
        timeout,
        wires: [['ok'], ['failed'], ['questions']],
      },
      { id: 'ok', z: 'f1', type: 'helper' },
      { id: 'failed', z: 'f1', type: 'helper' },
      { id: 'questions', z: 'f1', type: 'helper' },
    ];
    await helper.load([workflowConfigNode, workflowNode], flowOf(flow('coach', '4')));
    const failed = nextMessage('failed', 60_000);
    testNode('run').receive({ payload: { text_1: '9*9' } });
    const lowered = (await failed).payload as FlowMessage;
    assert.strictEqual(lowered.mode, 'observe');
    assert.match(lowered.mode_reason, /lowered to observe/);
    assert.strictEqual(lowered.status, 'timeout');
    assert.notStrictEqual(await calculatorValue(vd, app), '81', 'observing never acts');
    await helper.unload();

    await helper.load([workflowConfigNode, workflowNode], flowOf(flow('auto', '')));
    await vd.activate(app.id);
    const ok = nextMessage('ok', 90_000);
    testNode('run').receive({ payload: { text_1: '7*9' } });
    const msg = await ok;
    const record = msg.payload as FlowMessage;
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.strictEqual(record.mode, 'auto');
    assert.strictEqual(record.operator_override, true);
    assert.deepStrictEqual(record.parameters, { text_1: '7*9' });
    assert.deepStrictEqual(msg.params, { text_1: '7*9' }, 'the values go on with the message');
    assert.strictEqual(await calculatorValue(vd, app), '63');
    const warned = (helper.log().args as unknown[][]).flat().some((e) => /OPERATOR OVERRIDE/.test(JSON.stringify(e)));
    assert.ok(warned, 'the override is logged as a warning');
  });

  it('the flow exported by "rpa-vision flow --mode auto", imported into a second Node-RED with an empty user dir, runs with its inject\'s parameters and ends green', async () => {
    const file = path.join(tempDir('rpa-wf-in-flow-'), 'calcul.json');
    fs.writeFileSync(file, JSON.stringify(learned));
    const { stdout } = await cli(vd, ['flow', file, '--mode', 'auto']);
    fs.rmSync(file);
    const flow = JSON.parse(stdout) as FlowMessage[];
    assert.ok(stdout.length < 64 * 1024, `a one-screen workflow's flow is ${stdout.length} bytes`);
    const inject = flow.find((n) => n.type === 'inject')!;
    assert.deepStrictEqual(JSON.parse(inject.payload), { text_1: '12*7' }, 'the inject shows the parameters');
    inject.payload = JSON.stringify({ text_1: '6*8' });
    const last = flow.find((n) => n.type === 'rpa-execute-edge')!;

    const runtime = await NodeRedRuntime.start({ flows: flow, env: { DISPLAY: vd.display } });
    const watch = watchStatuses(runtime);
    try {
      assert.ok(!fs.existsSync(path.join(runtime.userDir, 'calcul.json')));
      await vd.activate(app!.id);
      const fired = await runtime.fetch(`/inject/${inject.id}`, { method: 'POST' });
      assert.strictEqual(fired.status, 200);
      const end = await until('the last node to end', 120_000, () =>
        watch.statuses.get(last.id)?.find((s) => s.fill === 'green' || s.fill === 'red'),
      );
      assert.strictEqual(end.fill, 'green', `${JSON.stringify(end)}\n${runtime.log}`);
      assert.match(end.text!, /^success/);
      assert.strictEqual(await calculatorValue(vd, app!), '48');
      assert.match(runtime.log, /OPERATOR OVERRIDE/);
      assert.match(runtime.log, new RegExp(`workflow ${learned.workflow_id} installed in the data directory`));
      assert.doesNotMatch(runtime.log, /\[error\]/, runtime.log);
    } finally {
      watch.close();
      await runtime.stop();
    }
  });
});
