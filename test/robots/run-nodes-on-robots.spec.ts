/**
 * The run nodes with a broker configured (Node-RED in this process, its own redis-server, a
 * robot process): an rpa-workflow node's run is a job a robot runs, its record comes out on the
 * success output as a local run's does, a failed one on the failure output (with msg.error) only;
 * the workflow's anchor image, a file next to it, travels in the job as a data URL; an
 * rpa-execute-edge node's job carries its one step; msg.cancel cancels a waiting job. Node-RED stopping closes every connection
 * the orchestrator opened; a redeploy opens none.
 */
import assert from 'assert';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import Redis from 'ioredis';
import helper from 'node-red-node-test-helper';
import workflowNode from '../../nodes/rpa-workflow/rpa-workflow';
import executeEdgeNode from '../../nodes/rpa-execute-edge/rpa-execute-edge';
import { RedisServer } from '../helpers/redis';
import { coreNode, flowOf, nextMessage, testNode } from '../helpers/node-red';
import { invoiceWorkflow } from '../execute/helpers';
import type { Workflow } from '../../lib/contracts/workflow';

helper.init(require.resolve('node-red'));
const catchNode = coreNode('common/25-catch.js');
const statusNode = coreNode('common/25-status.js');
const SCRIPT = path.join(__dirname, 'scripted-robot.js');

// A 1×1 PNG: the anchor image a hand-written workflow names by its file.
const ANCHOR = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('run nodes on robots (Node-RED, Redis, a robot process)', function () {
  this.timeout(60_000);
  const redis = new RedisServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-run-robots-'));
  const robotDir = path.join(dir, 'robot');
  const wfDir = path.join(dir, 'workflows');
  let robot: ChildProcess;
  let admin: Redis;
  let baseline = 0;
  const statuses: Array<{ fill?: string; text?: string }> = [];
  const clients = async () =>
    String(await admin.client('LIST'))
      .trim()
      .split('\n').length;
  const jobFile = (id: string) =>
    JSON.parse(fs.readFileSync(path.join(robotDir, `${id}.job.json`), 'utf8')) as {
      payload: { workflows: Workflow[]; params: Record<string, unknown> };
      anchors: string[];
    };

  const flow = (node: object) => [
    { id: 'f1', type: 'tab' },
    { id: 'run', z: 'f1', name: '', mode: '', timeout: '', wires: [['ok'], ['failed'], ['questions']], ...node },
    { id: 'ok', z: 'f1', type: 'helper' },
    { id: 'failed', z: 'f1', type: 'helper' },
    { id: 'questions', z: 'f1', type: 'helper' },
    { id: 'watcher', z: 'f1', type: 'status', scope: ['run'], wires: [['statuses']] },
    { id: 'statuses', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
  async function load(node: object): Promise<void> {
    statuses.length = 0;
    await helper.load([workflowNode, executeEdgeNode, catchNode, statusNode], flowOf(flow(node)));
    testNode('statuses').on('input', (m) => statuses.push(m.status));
  }

  /** The invoice workflow in a file, its first target's anchor image a PNG file next to it. */
  function workflowFile(): string {
    fs.mkdirSync(wfDir, { recursive: true });
    const wf = invoiceWorkflow();
    const target = wf.edges.map((e) => e.action.target ?? e.action.steps?.find((s) => s.target)?.target).find(Boolean);
    assert.ok(target, 'the invoice workflow has a target');
    target.anchor_image = 'button.png';
    fs.writeFileSync(path.join(wfDir, 'button.png'), ANCHOR);
    const file = path.join(wfDir, `${wf.workflow_id}.json`);
    fs.writeFileSync(file, JSON.stringify(wf));
    return file;
  }

  before(async () => {
    await redis.start();
    fs.mkdirSync(robotDir, { recursive: true });
    robot = spawn(process.execPath, [SCRIPT, redis.url, 'PC-NODES', 'desk', robotDir, '3000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      robot.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
    );
    admin = new Redis(redis.port, '127.0.0.1');
    baseline = await clients();
    helper.settings({ rpaVision: { dataDir: path.join(dir, 'data'), broker: { url: redis.url } } } as object);
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });
  after(async () => {
    helper.settings({});
    robot?.kill('SIGKILL');
    admin?.disconnect();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("rpa-workflow: the run is a robot's job, its record on the success output; the anchor file travels as a data URL", async () => {
    await load({ type: 'rpa-workflow', workflow: workflowFile() });
    const ok = nextMessage('ok', 20_000);
    testNode('run').receive({ payload: { commentaire: 'Par un robot', steps: 3 }, labels: 'desk' });
    const msg = await ok;
    assert.strictEqual(msg.payload.status, 'success');
    assert.strictEqual(msg.payload.steps.length, 3);
    assert.strictEqual(msg.job.robot, 'PC-NODES');
    assert.strictEqual(msg.job.state, 'succeeded');
    assert.deepStrictEqual(msg.job.labels, ['desk']);
    assert.strictEqual(msg.params.commentaire, 'Par un robot');
    // The robot acted once per step, for this job only.
    const actions = fs.readFileSync(path.join(robotDir, `${msg.job.job_id}.actions`), 'utf8');
    assert.strictEqual(actions, 'PC-NODES step1\nPC-NODES step2\nPC-NODES step3\n');
    // The robot got the anchor image's bytes in the job, not a path it cannot read.
    const job = jobFile(msg.job.job_id);
    assert.strictEqual(job.payload.params.commentaire, 'Par un robot');
    assert.doesNotMatch(JSON.stringify(job.payload), /button\.png/);
    assert.deepStrictEqual(job.anchors, [crypto.createHash('sha256').update(ANCHOR).digest('hex')]);
    assert.ok(
      statuses.some((s) => /^(waiting for a robot|on robot PC-NODES)/.test(s.text ?? '')),
      JSON.stringify(statuses),
    );
    assert.ok(statuses.some((s) => s.fill === 'green' && /success: 3 step/.test(s.text ?? '')));
  });

  it('a failed job: the record on the failure output with msg.error; rpa-execute-edge sends its one step', async () => {
    const file = workflowFile();
    const edge = invoiceWorkflow().edges[1].edge_id;
    await load({ type: 'rpa-execute-edge', workflow: file, edgeId: edge });
    const failed = nextMessage('failed', 20_000);
    testNode('run').receive({ payload: { fail: 'yes' } });
    const msg = await failed;
    assert.strictEqual(msg.payload.status, 'failed');
    assert.strictEqual(msg.job.state, 'failed');
    assert.match(String(msg.error.message), /failed at step2: scripted failure/);
    assert.deepStrictEqual(
      jobFile(msg.job.job_id).payload.workflows[0].edges.map((e) => e.edge_id),
      [edge],
    );
    assert.ok(statuses.some((s) => s.fill === 'red' && /failed at step2/.test(s.text ?? '')));
  });

  it('msg.cancel cancels a job no robot took: the job on the failure output, no error for Catch nodes', async () => {
    await load({ type: 'rpa-workflow', workflow: workflowFile() });
    const failed = nextMessage('failed', 20_000);
    let caught = false;
    testNode('caught').on('input', () => (caught = true));
    testNode('run').receive({ payload: {}, labels: ['nobody'] });
    const end = Date.now() + 10_000;
    while (!statuses.some((st) => /waiting for a robot/.test(st.text ?? '')) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    testNode('run').receive({ cancel: true });
    const msg = await failed;
    assert.strictEqual(msg.payload.state, 'cancelled');
    assert.strictEqual(msg.job.job_id, msg.payload.job_id);
    assert.strictEqual(msg.job.robot, null);
    assert.strictEqual(caught, false);
  });

  it("Node-RED stopping closes the orchestrator's connections; a redeploy opens none", async () => {
    await load({ type: 'rpa-workflow', workflow: workflowFile() });
    const ok = nextMessage('ok', 20_000);
    testNode('run').receive({ payload: {} });
    await ok;
    const open = await clients();
    assert.ok(open > baseline, `${open} connections with the orchestrator, ${baseline} before`);
    await helper.setFlows(flowOf(flow({ type: 'rpa-workflow', workflow: workflowFile(), name: 'again' })), 'full');
    const again = nextMessage('ok', 20_000);
    testNode('run').receive({ payload: {} });
    await again;
    assert.strictEqual(await clients(), open, 'a redeploy keeps the same connections');
    await helper.unload();
    const end = Date.now() + 5000;
    while ((await clients()) > baseline && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(await clients(), baseline, String(await admin.client('LIST')));
  });
});
