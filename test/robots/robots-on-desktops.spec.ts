/**
 * The product as orchestrator (Node-RED with RPA_VISION_BROKER), its own redis-server, and two
 * `rpa-vision robot` processes on two Xvfb displays, each with galculator. Jobs submitted
 * through the API add a number to the calculator of a robot whose labels match: the total each
 * calculator shows proves every addition was made exactly once. Then a robot is killed with -9
 * in the middle of a job: in_doubt, the other robot works on, a retry decided through the API
 * runs once.
 */
import assert from 'assert';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { RedisServer } from '../helpers/redis';
import { NodeRedRuntime } from '../helpers/runtime';
import { VirtualDesktop } from '../helpers/desktop';
import { calculatorValue, launchGalculator, type AppWindow } from '../execute/debian-apps';
import { invoiceWorkflow } from '../execute/helpers';
import type { Workflow } from '../../lib/contracts/workflow';
import type { JobView } from '../../lib/robots/orchestrator';
import type { RobotView } from '../../lib/robots/robot-registry';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');

/** Types "+N=" into galculator: each run adds N to what the calculator shows. */
function addWorkflow(): Workflow {
  const base = invoiceWorkflow();
  return {
    ...base,
    workflow_id: 'WF_calc_add',
    name: 'Add to the calculator',
    description: 'Adds a number to the total the calculator shows.',
    entry_nodes: ['N_calc'],
    end_nodes: ['N_calc'],
    parameters: [{ name: 'amount', default: '1' }],
    nodes: [
      {
        node_id: 'N_calc',
        label: 'Calculator',
        screen_template: { window: { title_contains_any_of: ['galculator'] } },
      },
    ],
    edges: [
      {
        edge_id: 'E_add',
        from_node: 'N_calc',
        to_node: 'N_calc',
        action: { type: 'type_text', text: '+{{amount}}=' },
        post_conditions: { expected_node: 'N_calc', min_similarity: 0.5, timeout_seconds: 8 },
      },
    ],
  } as Workflow;
}

interface Pc {
  name: string;
  labels: string;
  vd: VirtualDesktop;
  calc: AppWindow;
  robot?: ChildProcess;
  log: string;
}

describe('robots on two desktops: jobs through the API run once each, on the right PC (Xvfb, galculator, Redis)', function () {
  this.timeout(240_000);
  const redis = new RedisServer();
  let product: NodeRedRuntime;
  const pcs: Pc[] = [];

  function startRobot(pc: Pc): Promise<void> {
    pc.robot = spawn(
      process.execPath,
      [CLI, 'robot', '--broker', redis.url, '--name', pc.name, '--labels', pc.labels, '--lease', '10'],
      { env: pc.vd.env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    pc.robot.stderr!.on('data', (d: Buffer) => (pc.log += d.toString()));
    return until(`robot ${pc.name} online`, async () => /online/.test(pc.log), 90_000).then(() => undefined);
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${pcs.map((p) => p.log).join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const job = async (id: string) => (await product.json<JobView>(`/api/jobs/${id}`)).body;
  const finished = (id: string) =>
    until(`job ${id} to finish`, async () => {
      const j = await job(id);
      return ['succeeded', 'failed', 'in_doubt', 'cancelled'].includes(j.state) ? j : undefined;
    });
  const submit = async (amount: number, labels: string[]) => {
    const r = await product.json<{ job_id: string }>('/api/jobs', {
      method: 'POST',
      body: JSON.stringify({ workflow_id: 'WF_calc_add', params: { amount: String(amount) }, labels }),
    });
    assert.strictEqual(r.status, 201, JSON.stringify(r.body));
    return r.body.job_id;
  };

  before(async () => {
    await redis.start();
    const [runtime, ...desktops] = await Promise.all([
      NodeRedRuntime.start({ env: { RPA_VISION_BROKER: redis.url } }),
      VirtualDesktop.start({ width: 1024, height: 768 }),
      VirtualDesktop.start({ width: 1024, height: 768 }),
    ]);
    product = runtime;
    const imported = await product.json('/api/workflows?approve=true', {
      method: 'POST',
      body: JSON.stringify(addWorkflow()),
    });
    assert.strictEqual(imported.status, 201, JSON.stringify(imported.body));
    for (const [i, vd] of desktops.entries())
      pcs.push({ name: `PC-${'AB'[i]}`, labels: `calc,${'ab'[i]}`, vd, calc: await launchGalculator(vd), log: '' });
    await Promise.all(pcs.map(startRobot));
  });

  after(async () => {
    for (const pc of pcs) {
      pc.robot?.kill('SIGKILL');
      pc.calc.close();
      await pc.vd.stop();
    }
    await product?.stop();
    await redis.stop();
  });

  it('6 jobs: each adds once, on a robot whose labels match; the calculators show the totals', async () => {
    const robots = (await product.json<RobotView[]>('/api/robots')).body;
    assert.deepStrictEqual(
      robots.map((r) => [r.name, r.state]),
      [
        ['PC-A', 'idle'],
        ['PC-B', 'idle'],
      ],
    );
    const plan: Array<[number, string]> = [
      [1, 'a'],
      [2, 'b'],
      [4, 'a'],
      [8, 'b'],
      [16, 'a'],
      [32, 'b'],
    ];
    const ids = await Promise.all(plan.map(([n, pc]) => submit(n, ['calc', pc])));
    for (const [i, id] of ids.entries()) {
      const j = await finished(id);
      assert.strictEqual(j.state, 'succeeded', `${id}: ${j.error}\n${pcs.map((p) => p.log).join('\n')}`);
      assert.strictEqual(j.attempts, 1, `${id} ran ${j.attempts} times\n${pcs.map((p) => p.log).join('\n')}`);
      assert.strictEqual(j.robot, `PC-${plan[i][1].toUpperCase()}`);
    }
    // Powers of two: any addition made twice or missed gives another total.
    assert.strictEqual(await calculatorValue(pcs[0].vd, pcs[0].calc), '21');
    assert.strictEqual(await calculatorValue(pcs[1].vd, pcs[1].calc), '42');
    const waiting = (await product.json<JobView[]>('/api/jobs?state=waiting')).body;
    assert.deepStrictEqual(waiting, []);
    const metrics = await (await product.fetch('/metrics')).text();
    assert.match(metrics, /^robots_online 2$/m);
    assert.match(metrics, /^job_wait_seconds_count \d+$/m);
  });

  it('kill -9 of a robot mid-job: in_doubt, not re-run; the other robot works on; a retry through the API runs once', async () => {
    const [a, b] = pcs;
    const doubtful = await submit(64, ['calc', 'a']);
    await until('the first desktop action', async () => (await job(doubtful)).acted);
    a.robot!.kill('SIGKILL');
    const other = await submit(128, ['calc', 'b']);
    const j = await finished(doubtful);
    assert.strictEqual(j.state, 'in_doubt', JSON.stringify(j));
    assert.strictEqual(j.current_step, 'WF_calc_add/E_add');
    assert.strictEqual((await finished(other)).state, 'succeeded');
    assert.strictEqual(await calculatorValue(b.vd, b.calc), '170');

    // The robot comes back: the job stays in doubt until a person decides.
    a.log = '';
    await startRobot(a);
    const seen = await calculatorValue(a.vd, a.calc);
    assert.ok(['21', '85'].includes(seen), `the calculator shows ${seen}`);
    assert.strictEqual((await job(doubtful)).state, 'in_doubt');
    const retry = await product.json<JobView>(`/api/jobs/${doubtful}/retry`, { method: 'POST', body: '{}' });
    assert.strictEqual(retry.status, 200, JSON.stringify(retry.body));
    const done = await finished(doubtful);
    assert.strictEqual(done.state, 'succeeded', done.error ?? '');
    assert.strictEqual(done.attempts, 2);
    assert.strictEqual(await calculatorValue(a.vd, a.calc), String(Number(seen) + 64));
  });
});
