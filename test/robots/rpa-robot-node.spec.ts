/**
 * The rpa-robot node: a Node-RED instance as a robot. It comes online with its labels (as
 * /api/robots lists it), sends one message per job it finished, goes offline when the flow
 * stops, and without a broker waits, its status saying what to set.
 */
import assert from 'assert';
import helper from 'node-red-node-test-helper';
import robotNode from '../../nodes/rpa-robot/rpa-robot';
import { RedisServer } from '../helpers/redis';
import { coreNode, flowOf, nextMessage, testNode } from '../helpers/node-red';
import { JobOrchestrator } from '../../lib/robots/orchestrator';
import { brokerConnection } from '../../lib/robots/broker-connection';
import type { Workflow } from '../../lib/contracts/workflow';

helper.init(require.resolve('node-red'));
const statusNode = coreNode('common/25-status.js');

describe('rpa-robot node', function () {
  this.timeout(30_000);
  const redis = new RedisServer();
  let orchestrator: JobOrchestrator;
  const statuses: Array<{ fill?: string; text?: string }> = [];

  async function load(robot: object): Promise<void> {
    statuses.length = 0;
    await helper.load(
      [robotNode, statusNode],
      flowOf([
        { id: 'f1', type: 'tab' },
        { id: 'robot', z: 'f1', type: 'rpa-robot', wires: [['out']], ...robot },
        { id: 'out', z: 'f1', type: 'helper' },
        { id: 'watcher', z: 'f1', type: 'status', scope: null, wires: [['statuses']] },
        { id: 'statuses', z: 'f1', type: 'helper' },
      ]),
    );
    testNode('statuses').on('input', (m) => statuses.push(m.status));
  }

  const until = async (what: string, probe: () => Promise<boolean> | boolean) => {
    const end = Date.now() + 15_000;
    while (!(await probe())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(statuses)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  before(async () => {
    await redis.start();
    orchestrator = new JobOrchestrator({
      connection: brokerConnection(redis.url),
      resolveTarget: async (_k, id) => ({
        workflows: [{ workflow_id: id, name: id, nodes: [], edges: [] } as unknown as Workflow],
      }),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      watchIntervalMs: 200,
    }).start();
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });
  after(async () => {
    await orchestrator.shutdown();
    await redis.stop();
  });

  it('comes online with its labels, reports each finished job, and goes offline when the flow stops', async () => {
    await load({ robotName: 'PC-NODE', broker: redis.url, labels: 'Calc, facturation', concurrency: 1 });
    await until('the robot online', async () =>
      (await orchestrator.robots()).some((r) => r.name === 'PC-NODE' && r.state === 'idle'),
    );
    const listed = (await orchestrator.robots()).find((r) => r.name === 'PC-NODE')!;
    assert.deepStrictEqual(listed.labels, ['calc', 'facturation']);
    assert.ok(
      statuses.some((s) => s.fill === 'grey'),
      JSON.stringify(statuses),
    );

    // No display in this process: the real runner cannot open a desktop, and the job fails saying so.
    const finished = nextMessage('out', 20_000);
    const { job_id } = await orchestrator.submit({ workflow_id: 'WF_node', labels: ['calc'] });
    const msg = await finished;
    assert.strictEqual(msg.payload.job_id, job_id);
    assert.strictEqual(msg.payload.state, 'failed');
    assert.strictEqual((await orchestrator.get(job_id)).state, 'failed');

    await helper.unload();
    const after = (await orchestrator.robots()).find((r) => r.name === 'PC-NODE')!;
    assert.strictEqual(after.state, 'offline');
  });

  it('without a broker it waits, saying in a yellow status what to set, and nothing in the log', async () => {
    const saved = process.env.RPA_VISION_BROKER;
    delete process.env.RPA_VISION_BROKER;
    // The status the robot sets as it starts, as the editor gets it (before any status node runs).
    const events = (helper as unknown as { _events: NodeJS.EventEmitter })._events;
    const seen: Array<{ fill?: string; text?: string }> = [];
    const onStatus = (e: { id: string; status: { fill?: string; text?: string } }) =>
      void (e.id === 'robot' && seen.push(e.status));
    events.on('node-status', onStatus);
    try {
      await load({ robotName: 'PC-NONE', broker: '', labels: '', concurrency: 1 });
      await until('a status', () => seen.length > 0);
      // The helper loads no message catalogue: the translated sentence is its key here.
      assert.strictEqual(seen[0].fill, 'yellow');
      assert.match(String(seen[0].text), /no broker|rpa-robot\.errors\.no-broker/);
      const logged = (helper.log().args as Array<[{ type?: string; level?: number }]>)
        .map(([e]) => e)
        .filter((e) => e.type === 'rpa-robot' && (e.level ?? 99) <= 30);
      assert.deepStrictEqual(logged, [], 'no warning or error for a robot not set up yet');
    } finally {
      events.off('node-status', onStatus);
      if (saved !== undefined) process.env.RPA_VISION_BROKER = saved;
    }
  });
});
