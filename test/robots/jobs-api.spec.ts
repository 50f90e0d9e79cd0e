/**
 * The robots' HTTP API on the real product (Node-RED with RPA_VISION_BROKER and its own
 * redis-server): JSON errors naming the field, idempotency, cancel and the decisions' rules,
 * the metrics, a chain executed through the admin API running on a robot (its stored anchor
 * image carried in the job), and without a broker a 503 that says how to configure one.
 */
import assert from 'assert';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { RedisServer } from '../helpers/redis';
import { NodeRedRuntime } from '../helpers/runtime';
import { invoiceWorkflow } from '../execute/helpers';

const SCRIPT = path.join(__dirname, 'scripted-robot.js');
const ANCHOR = Buffer.from('a stored anchor image');

describe('robots API (/api/jobs, /api/robots) on the product with a broker', function () {
  this.timeout(90_000);
  const redis = new RedisServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-robots-api-'));
  let product: NodeRedRuntime;
  let robot: ChildProcess;
  const post = (p: string, body: unknown) =>
    product.json<Record<string, unknown>>(p, { method: 'POST', body: JSON.stringify(body) });

  before(async () => {
    await redis.start();
    product = await NodeRedRuntime.start({ env: { RPA_VISION_BROKER: redis.url } });
    const wf = { ...invoiceWorkflow(), workflow_id: 'WF_api' };
    // An anchor image named by a file beside the stored workflow: the robots have no such file.
    wf.edges[0].action.target!.anchor_image = 'ouvrir.png';
    assert.strictEqual((await post('/api/workflows?approve=true', wf)).status, 201);
    fs.writeFileSync(path.join(product.dataDir, 'workflows', 'ouvrir.png'), ANCHOR);
    robot = spawn(process.execPath, [SCRIPT, redis.url, 'PC-API', 'desk', dir, '3000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      robot.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
    );
  });

  after(async () => {
    robot?.kill('SIGKILL');
    await product?.stop();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers bad requests with JSON naming the field, unknown ids with 404', async () => {
    const cases: Array<[unknown, number, string, RegExp]> = [
      [{}, 400, 'InvalidRequest', /workflow_id|chain_id|body/],
      [{ workflow_id: 'WF_api', labels: ['bad label'] }, 400, 'InvalidRequest', /labels/],
      [{ workflow_id: 'WF_api', colour: 'red' }, 400, 'InvalidRequest', /colour/],
      [{ workflow_id: 'WF_api', priority: 1000 }, 400, 'InvalidRequest', /priority/],
      [{ workflow_id: 'WF_nope' }, 404, 'WorkflowNotFound', /WF_nope/],
    ];
    for (const [body, status, error, message] of cases) {
      const r = await post('/api/jobs', body);
      assert.strictEqual(r.status, status, JSON.stringify(r.body));
      assert.strictEqual(r.body.error, error);
      assert.match(String(r.body.message), message);
    }
    const missing = await product.json<Record<string, unknown>>('/api/jobs/job-abc-0123abcd');
    assert.strictEqual(missing.status, 404);
    assert.strictEqual((await product.json('/api/jobs?state=bogus')).status, 400);
  });

  it('idempotency, cancel and the rules of a decision', async () => {
    const first = await post('/api/jobs', { workflow_id: 'WF_api', labels: ['nobody'], idempotency_key: 'F-1004' });
    const again = await post('/api/jobs', { workflow_id: 'WF_api', labels: ['nobody'], idempotency_key: 'F-1004' });
    assert.strictEqual(first.status, 201);
    assert.strictEqual(again.status, 200);
    assert.strictEqual(again.body.job_id, first.body.job_id);
    const id = String(first.body.job_id);
    const waiting = await product.json<Array<{ job_id: string }>>('/api/jobs?state=waiting');
    assert.deepStrictEqual(
      waiting.body.map((j) => j.job_id),
      [id],
    );
    assert.strictEqual((await post(`/api/jobs/${id}/retry`, {})).status, 409);
    assert.strictEqual((await post(`/api/jobs/${id}/close`, { outcome: 'failed' })).status, 409);
    assert.strictEqual((await post(`/api/jobs/${id}/close`, { outcome: 'maybe' })).status, 400);
    const cancelled = await post(`/api/jobs/${id}/cancel`, {});
    assert.strictEqual(cancelled.status, 200);
    assert.strictEqual(cancelled.body.state, 'cancelled');
    assert.strictEqual((await post(`/api/jobs/${id}/cancel`, {})).status, 409);
  });

  it('a chain executed through the admin API runs on the robot with its anchor image, and /metrics counts robots and jobs', async () => {
    const chain = await post('/api/chains', { chain_id: 'CH_api', name: 'API chain', workflows: ['WF_api'] });
    assert.strictEqual(chain.status, 201, JSON.stringify(chain.body));
    const run = await post('/api/chains/CH_api/execute', {});
    assert.strictEqual(run.status, 200, JSON.stringify(run.body));
    assert.strictEqual(run.body.success, true, JSON.stringify(run.body));
    const jobs =
      await product.json<Array<{ job_id: string; robot: string; state: string }>>('/api/jobs?state=succeeded');
    assert.strictEqual(jobs.body.length, 1);
    assert.strictEqual(jobs.body[0].robot, 'PC-API');
    assert.strictEqual(
      fs.readFileSync(path.join(dir, `${jobs.body[0].job_id}.actions`), 'utf8').split('\n').length - 1,
      2,
    );
    // The anchor image went with the job, as the file's bytes.
    const carried = JSON.parse(fs.readFileSync(path.join(dir, `${jobs.body[0].job_id}.job.json`), 'utf8')) as {
      anchors: string[];
    };
    assert.deepStrictEqual(carried.anchors, [crypto.createHash('sha256').update(ANCHOR).digest('hex')]);
    const robots = await product.json<Array<{ name: string; state: string; labels: string[] }>>('/api/robots');
    assert.deepStrictEqual(
      robots.body.map((r) => [r.name, r.state, r.labels]),
      [['PC-API', 'idle', ['desk']]],
    );
    // The gauges read the orchestrator's watch of the robots, once a second.
    let metrics = '';
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      metrics = await (await product.fetch('/metrics')).text();
      if (/^robots_online 1$/m.test(metrics)) break;
    }
    assert.match(metrics, /^robots_online 1$/m);
    assert.match(metrics, /^jobs_in_doubt 0$/m);
    assert.match(metrics, /^job_wait_seconds_count [1-9]\d*$/m);
  });

  it('a workflow travels with the sub-workflows it calls, which the robot does not run on their own', async () => {
    const sub = { ...invoiceWorkflow(), workflow_id: 'WF_api_sub' };
    const parent = {
      ...invoiceWorkflow(),
      workflow_id: 'WF_api_parent',
      sub_workflows: [{ sub_workflow_id: 'WF_api_sub', entry_edge: invoiceWorkflow().edges[0].edge_id }],
    };
    assert.strictEqual((await post('/api/workflows?approve=true', sub)).status, 201);
    assert.strictEqual((await post('/api/workflows?approve=true', parent)).status, 201);
    const submitted = await post('/api/jobs', { workflow_id: 'WF_api_parent', labels: ['desk'] });
    assert.strictEqual(submitted.status, 201, JSON.stringify(submitted.body));
    const id = String(submitted.body.job_id);
    let state = '';
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      state = String((await product.json<{ state: string }>(`/api/jobs/${id}`)).body.state);
      if (state !== 'waiting' && state !== 'active') break;
    }
    assert.strictEqual(state, 'succeeded');
    const carried = JSON.parse(fs.readFileSync(path.join(dir, `${id}.job.json`), 'utf8')) as {
      payload: { workflows: Array<{ workflow_id: string }>; sub_workflows: Array<{ workflow_id: string }> };
    };
    assert.deepStrictEqual(
      carried.payload.workflows.map((w) => w.workflow_id),
      ['WF_api_parent'],
    );
    assert.deepStrictEqual(
      carried.payload.sub_workflows.map((w) => w.workflow_id),
      ['WF_api_sub'],
    );
    const unknown = await post('/api/workflows?approve=true', {
      ...invoiceWorkflow(),
      workflow_id: 'WF_api_orphan',
      sub_workflows: [{ sub_workflow_id: 'WF_nowhere' }],
    });
    assert.strictEqual(unknown.status, 201);
    const refused = await post('/api/jobs', { workflow_id: 'WF_api_orphan', labels: ['desk'] });
    assert.notStrictEqual(refused.status, 201, 'a sub-workflow that is nowhere stops the job before a robot takes it');
    assert.match(String(refused.body.message), /WF_nowhere/);
  });

  it('without a broker the robots API answers 503 saying how to configure one', async () => {
    const plain = await NodeRedRuntime.start();
    try {
      const r = await plain.json<Record<string, unknown>>('/api/robots');
      assert.strictEqual(r.status, 503);
      assert.strictEqual(r.body.error, 'BrokerNotConfigured');
      assert.match(String(r.body.message), /RPA_VISION_BROKER=redis:\/\//);
    } finally {
      await plain.stop();
    }
  });
});
