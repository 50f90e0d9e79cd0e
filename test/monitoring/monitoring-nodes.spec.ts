/**
 * rpa-log, rpa-health and rpa-monitor in a real Node-RED (node-red-node-test-helper): a Catch
 * node wired into rpa-log turns flow errors into ERROR entries; workflow start / step / end
 * give progress and ETA while running and an execution record and counters at the end; the
 * health node scores the machine; the monitor node summarises it all; a redeploy keeps the
 * same metrics (no duplicate registration, counters continue).
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import helper from 'node-red-node-test-helper';
import logNode from '../../nodes/rpa-log/rpa-log';
import healthNode from '../../nodes/rpa-health/rpa-health';
import monitorNode from '../../nodes/rpa-monitor/rpa-monitor';
import { getMonitoring, type Monitoring } from '../../lib/monitoring';
import { openStore } from '../../lib/store/store';
import { automationEvents } from '../../lib/automation/events';
import { parseMetrics, seriesValue } from './helpers';
import { testNode, nextMessage, flowOf } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
/* eslint-disable @typescript-eslint/no-require-imports */
const catchNode = require('@node-red/nodes/core/common/25-catch.js');
const functionNode = require('@node-red/nodes/core/function/10-function.js');
/* eslint-enable @typescript-eslint/no-require-imports */

const NEXT_MESSAGE_TIMEOUT_MS = 8000;

describe('monitoring nodes (rpa-log, rpa-health, rpa-monitor)', function () {
  this.timeout(30_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-mon-nodes-'));
  let mon: Monitoring;

  before(() => {
    helper.settings({ rpaVision: { dataDir } } as object);
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });

  // the same process-wide monitoring the nodes get (keyed by the data directory)
  let store: ReturnType<typeof openStore> | undefined;
  const monitoring = () => (mon ??= getMonitoring(dataDir, () => (store ??= openStore(dataDir))));
  const load = (nodes: object[]) =>
    helper.load(
      [logNode, healthNode, monitorNode, catchNode, functionNode],
      flowOf([{ id: 'f1', type: 'tab' }, ...nodes]),
    );

  it('a Catch node wired into rpa-log records every flow error as an ERROR entry with its source', async () => {
    await load([
      {
        id: 'n_boom',
        z: 'f1',
        type: 'function',
        func: "throw new Error('invoice total mismatch')",
        outputs: 1,
        wires: [[]],
      },
      { id: 'n_catch', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['n_log']] },
      {
        id: 'n_log',
        z: 'f1',
        type: 'rpa-log',
        event: 'log',
        level: 'auto',
        component: 'billing',
        workflowId: 'wf_invoices',
        wires: [['n_out']],
      },
      { id: 'n_out', z: 'f1', type: 'helper' },
    ]);
    const got = nextMessage('n_out', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('n_boom').receive({ payload: 1 });
    const msg = await got;
    assert.strictEqual(msg.log.level, 'ERROR');
    assert.strictEqual(msg.log.component, 'billing');
    assert.strictEqual(msg.log.workflow_id, 'wf_invoices');
    assert.match(msg.log.message, /invoice total mismatch/);
    assert.strictEqual(msg.log.metadata.source_node, 'n_boom');
    const stored = await monitoring().logger.query({ component: 'billing', level: 'ERROR' });
    assert.ok(stored.some((e) => /invoice total mismatch/.test(e.message)));
    // and in today's JSON-lines file
    const file = path.join(dataDir, 'logs', `rpa-vision-${msg.log.timestamp.slice(0, 10)}.jsonl`);
    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.some((e) => e.component === 'billing' && /invoice total mismatch/.test(e.message)));
  });

  it('workflow start, steps and end: progress and ETA while running, then an execution record and counters', async () => {
    await load([
      {
        id: 'n_start',
        z: 'f1',
        type: 'rpa-log',
        event: 'workflow_start',
        workflowId: 'wf_invoices',
        wires: [['n_started']],
      },
      { id: 'n_started', z: 'f1', type: 'helper' },
      { id: 'n_step', z: 'f1', type: 'rpa-log', event: 'step', wires: [['n_stepped']] },
      { id: 'n_stepped', z: 'f1', type: 'helper' },
      { id: 'n_end', z: 'f1', type: 'rpa-log', event: 'workflow_end', wires: [['n_ended']] },
      { id: 'n_ended', z: 'f1', type: 'helper' },
    ]);
    const m = monitoring();
    const count = async (status: string) =>
      seriesValue(parseMetrics(await m.metrics.expose()), 'workflow_executions_total', {
        workflow_id: 'wf_invoices',
        status,
      });
    const failedBefore = await count('failed');
    let got = nextMessage('n_started', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('n_start').receive({ total_steps: 4 });
    const started = await got;
    assert.match(started.execution_id, /^exec_/);
    assert.strictEqual(started.workflow_id, 'wf_invoices');
    for (const [i, node_id] of ['liste', 'detail'].entries()) {
      got = nextMessage('n_stepped', NEXT_MESSAGE_TIMEOUT_MS);
      testNode('n_step').receive({
        execution_id: started.execution_id,
        workflow_id: 'wf_invoices',
        step: { node_id, action_type: 'click', duration: 0.2, success: i === 0 },
      });
      await got;
    }
    const live = m.analytics.get_live_metrics(started.execution_id)!;
    assert.strictEqual(live.progress_percent, 50);
    assert.strictEqual(live.current_step, 2);
    assert.ok(live.eta_seconds !== null && live.eta_seconds >= 0);
    assert.ok(m.analytics.live_executions().some((l) => l.execution_id === started.execution_id));
    got = nextMessage('n_ended', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('n_end').receive({
      execution_id: started.execution_id,
      workflow_id: 'wf_invoices',
      status: 'failed',
      failed_at: 'detail',
    });
    await got;
    assert.strictEqual(m.analytics.get_live_metrics(started.execution_id), undefined);
    const [record] = await m.analytics.executions({ workflow_id: 'wf_invoices', newestFirst: true, limit: 1 });
    assert.strictEqual(record.execution_id, started.execution_id);
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failed_at, 'detail');
    assert.deepStrictEqual(
      record.steps.map((s) => [s.node_id, s.success]),
      [
        ['liste', true],
        ['detail', false],
      ],
    );
    assert.strictEqual(await count('failed'), failedBefore + 1);
    const stats = await m.analytics.get_workflow_stats('wf_invoices', 1);
    assert.strictEqual(stats.failures_by_step.detail, 1);
  });

  it('a step without its execution fails through done(err), so Catch nodes see it', async () => {
    await load([
      { id: 'n_step', z: 'f1', type: 'rpa-log', event: 'step', wires: [[]] },
      { id: 'n_catch', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['n_caught']] },
      { id: 'n_caught', z: 'f1', type: 'helper' },
    ]);
    const got = nextMessage('n_caught', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('n_step').receive({ step: { node_id: 'x' } });
    const msg = await got;
    assert.match(msg.error.message, /needs msg\.execution_id/);
  });

  it('rpa-health outputs a score 0–100 with every check and a recommendation per problem', async () => {
    await load([
      { id: 'n_health', z: 'f1', type: 'rpa-health', wires: [['n_out']] },
      { id: 'n_out', z: 'f1', type: 'helper' },
    ]);
    const got = nextMessage('n_out', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('n_health').receive({});
    const { payload } = await got;
    assert.ok(payload.score >= 0 && payload.score <= 100);
    const names = payload.checks.map((c: { name: string }) => c.name);
    for (const name of ['cpu', 'memory', 'disk', 'store', 'display', 'models', 'directories'])
      assert.ok(names.includes(name), `${name} in ${names}`);
    const problems = payload.checks.filter((c: { status: string }) => c.status !== 'ok');
    assert.strictEqual(payload.recommendations.length, problems.length);
  });

  it('rpa-monitor summarises runs, success rates and errors; a redeploy keeps the same metrics', async () => {
    const flow = [
      { id: 'n_end', z: 'f1', type: 'rpa-log', event: 'workflow_end', workflowId: 'wf_report', wires: [['n_monitor']] },
      { id: 'n_monitor', z: 'f1', type: 'rpa-monitor', windowHours: 1, limit: 5, wires: [['n_out']] },
      { id: 'n_out', z: 'f1', type: 'helper' },
    ];
    await load(flow);
    const metricsBefore = monitoring().metrics;
    let got = nextMessage('n_out', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('n_end').receive({ status: 'success', duration: 3 });
    let { payload } = await got;
    const wf = payload.workflows.find((w: { workflow_id: string }) => w.workflow_id === 'wf_report');
    assert.strictEqual(wf.success_rate.total, 1);
    assert.strictEqual(wf.success_rate.success_rate, 100);
    assert.strictEqual(wf.performance.avg_duration, 3);
    assert.strictEqual(payload.recent_executions[0].workflow_id, 'wf_report');
    assert.ok(payload.timeline.some((b: { success: number }) => b.success >= 1));
    assert.ok(Array.isArray(payload.recent_errors));
    // redeploy: the nodes are re-created, the monitoring is not
    await helper.unload();
    await load(flow);
    assert.strictEqual(monitoring().metrics, metricsBefore);
    got = nextMessage('n_out', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('n_end').receive({ status: 'success', duration: 5 });
    ({ payload } = await got);
    assert.strictEqual(
      payload.workflows.find((w: { workflow_id: string }) => w.workflow_id === 'wf_report').success_rate.total,
      2,
    );
    assert.strictEqual(
      seriesValue(parseMetrics(await metricsBefore.expose()), 'workflow_executions_total', {
        workflow_id: 'wf_report',
        status: 'success',
      }),
      2,
    );
  });

  it('counts the chain runs and trigger fires the automation emits, and logs automatic trigger disabling', async () => {
    await load([
      { id: 'n_log', z: 'f1', type: 'rpa-log', event: 'log', level: 'INFO', component: 'flow', wires: [['n_out']] },
      { id: 'n_out', z: 'f1', type: 'helper' },
    ]);
    const got = nextMessage('n_out', NEXT_MESSAGE_TIMEOUT_MS);
    testNode('n_log').receive({ payload: 'subscribe' }); // the first use subscribes
    await got;
    const m = monitoring();
    automationEvents.emit('onChainExecuted', {
      chain_id: 'chain_close',
      success: true,
      duration_s: 12,
      failed_at: null,
    });
    automationEvents.emit('onChainExecuted', {
      chain_id: 'chain_close',
      success: false,
      duration_s: 3,
      failed_at: 'wf_b',
    });
    automationEvents.emit('onTriggerFired', {
      trigger_id: 't1',
      trigger_type: 'schedule',
      workflow_id: 'wf_a',
      target_type: 'workflow',
      fired_at: new Date().toISOString(),
      params: {},
    });
    automationEvents.emit('onAutoDisabled', {
      trigger_id: 't1',
      consecutive_failures: 3,
      reason: '3 launches failed in a row',
    });
    const samples = parseMetrics(await m.metrics.expose());
    assert.strictEqual(
      seriesValue(samples, 'chain_executions_total', { chain_id: 'chain_close', status: 'success' }),
      1,
    );
    assert.strictEqual(
      seriesValue(samples, 'chain_executions_total', { chain_id: 'chain_close', status: 'failed' }),
      1,
    );
    assert.strictEqual(
      seriesValue(samples, 'trigger_fires_total', { trigger_type: 'schedule', workflow_id: 'wf_a' }),
      1,
    );
    const [warning] = await m.logger.query({ component: 'automation', level: 'WARNING', newestFirst: true, limit: 1 });
    assert.match(warning.message, /Trigger t1 was disabled automatically: 3 launches failed in a row/);
  });
});
