/**
 * lib/monitoring on a real LevelDB store: the analytics hooks never throw into an execution
 * (even with garbage or a broken store), progress/ETA and window statistics are right, the
 * HTML report has its title, range, workflows and charts, archiving moves old records out of
 * the store into readable files, labels stay bounded, and the health score adds up.
 */
import assert from 'assert';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import zlib from 'zlib';
import fc from 'fast-check';
import { openStore, type Store, type SubStore } from '../../lib/store/store';
import { isSealed, readDataFile, useDataKey } from '../../lib/contracts/sealed-files';
import {
  Analytics,
  CentralLogger,
  MonitoringMetrics,
  archiveOlderThan,
  parseJsonLines,
  buildReport,
  percentile,
  renderReportHtml,
  scoreChecks,
  type ExecutionRecord,
  type LogEntry,
  type ResourceSample,
} from '../../lib/monitoring';
import { parseMetrics, seriesValue } from './helpers';

describe('lib/monitoring', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  let clock: number;
  let metrics: MonitoringMetrics;
  let logger: CentralLogger;
  let analytics: Analytics;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-mon-lib-'));
    store = await openStore(dir);
    clock = Date.parse('2026-03-02T10:00:00.000Z');
    metrics = new MonitoringMetrics({ processMetrics: false });
    logger = new CentralLogger({
      store: Promise.resolve(store.sub<LogEntry>('logs')),
      logDir: path.join(dir, 'logs'),
      onEntry: (e) => metrics.recordLogEntry(e.level, e.component),
    });
    analytics = new Analytics({
      executions: Promise.resolve(store.sub<ExecutionRecord>('executions')),
      resources: Promise.resolve(store.sub<ResourceSample>('resources')),
      metrics,
      logger: logger.get('execution'),
      now: () => clock,
    });
  });
  afterEach(async () => {
    await analytics.close();
    await logger.close();
    await store.close();
  });

  it('the hooks never throw into an execution, whatever they are given, and report their own failures as log entries', async () => {
    const anything = fc.anything({ withNullPrototype: true, withBoxedValues: true });
    fc.assert(
      fc.property(
        fc.constantFrom(
          'on_execution_start',
          'on_step_start',
          'on_step_complete',
          'on_recovery_attempt',
          'on_execution_complete',
        ),
        anything,
        (hook, arg) => {
          (analytics as unknown as Record<string, (a: unknown) => unknown>)[hook](arg);
        },
      ),
      { numRuns: 300 },
    );
    // a store that fails every write does not reach the caller either
    const broken: SubStore<ExecutionRecord> = {
      ...store.sub<ExecutionRecord>('executions'),
      batch: () => Promise.reject(new Error('disk full')),
    };
    const fragile = new Analytics({
      executions: Promise.resolve(broken),
      resources: Promise.resolve(store.sub<ResourceSample>('resources')),
      metrics,
      logger: logger.get('execution'),
    });
    const id = fragile.on_execution_start({ workflow_id: 'wf' });
    fragile.on_execution_complete({ execution_id: id, workflow_id: 'wf', status: 'success' });
    await fragile.flush();
    const errors = await logger.query({ component: 'execution', level: 'ERROR' });
    assert.ok(
      errors.some((e) => /could not store 1 execution records: disk full/.test(e.message)),
      JSON.stringify(errors.map((e) => e.message)),
    );
  });

  it('live metrics give progress and an ETA from the average step time', async () => {
    const id = analytics.on_execution_start({ workflow_id: 'wf_a', total_steps: 5 });
    assert.strictEqual(analytics.get_live_metrics(id)!.progress_percent, 0);
    assert.strictEqual(analytics.get_live_metrics(id)!.eta_seconds, null);
    for (let i = 1; i <= 2; i++) {
      clock += 4000;
      analytics.on_step_start({ execution_id: id, node_id: `n${i}`, step_number: i });
      analytics.on_step_complete({
        execution_id: id,
        workflow_id: 'wf_a',
        node_id: `n${i}`,
        duration: 4,
        success: true,
      });
    }
    const live = analytics.get_live_metrics(id)!;
    assert.strictEqual(live.progress_percent, 40);
    assert.strictEqual(live.current_step, 2);
    assert.strictEqual(live.elapsed_seconds, 8);
    assert.strictEqual(live.eta_seconds, 12); // 3 steps left at 4 s each
    assert.strictEqual(live.estimated_completion, new Date(clock + 12_000).toISOString());
    assert.strictEqual(seriesValue(parseMetrics(await metrics.expose()), 'active_workflows', {}), 1);
  });

  it('workflow statistics over a window: success rate, average, p95, failures by step, recoveries', async () => {
    const durations = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
    for (const [i, d] of durations.entries()) {
      const id = analytics.on_execution_start({ workflow_id: 'wf_s', total_steps: 2 });
      if (i % 5 === 4)
        analytics.on_recovery_attempt({
          execution_id: id,
          workflow_id: 'wf_s',
          node_id: 'n2',
          strategy: 'anchor_text',
          success: i === 4,
          duration: 0.5,
        });
      clock += d * 1000;
      analytics.on_execution_complete({
        execution_id: id,
        workflow_id: 'wf_s',
        status: i < 8 ? 'success' : 'failed',
        failed_at: i < 8 ? null : 'n2',
      });
    }
    // one run outside the window
    const old = analytics.on_execution_start({ workflow_id: 'wf_s' });
    analytics.on_execution_complete({
      execution_id: old,
      workflow_id: 'wf_s',
      status: 'failed',
      completed_at: clock - 48 * 3600_000,
      duration: 1,
    });
    const stats = await analytics.get_workflow_stats('wf_s', 24);
    assert.deepStrictEqual(stats.success_rate, { total: 10, succeeded: 8, failed: 2, success_rate: 80 });
    assert.strictEqual(stats.performance.avg_duration, 14.5);
    assert.strictEqual(stats.performance.p95_duration, 100);
    assert.deepStrictEqual(stats.failures_by_step, { n2: 2 });
    assert.deepStrictEqual(stats.recoveries, { anchor_text: { attempts: 2, succeeded: 1 } });
    assert.strictEqual(percentile([3, 1, 2], 50), 2);
    const text = await metrics.expose();
    assert.ok(
      Math.abs(seriesValue(parseMetrics(text), 'error_rate', {}) - 300 / 11) < 1e-9,
      'error rate: 3 failed of the last 11',
    );
    assert.strictEqual(
      seriesValue(parseMetrics(text), 'recovery_attempts_total', { strategy: 'anchor_text', status: 'success' }),
      1,
    );
  });

  it('the HTML report has the title, the time range, each workflow and two SVG charts', async () => {
    for (const wf of ['wf_login', 'wf_<script>']) {
      const id = analytics.on_execution_start({ workflow_id: wf });
      clock += 2000;
      analytics.on_execution_complete({ execution_id: id, workflow_id: wf, status: 'success' });
    }
    const start = new Date(clock - 7 * 86_400_000);
    const end = new Date(clock + 1000);
    const data = buildReport({ title: 'Rapport hebdomadaire', start, end }, await analytics.executions());
    const html = renderReportHtml(data);
    assert.match(html, /<title>Rapport hebdomadaire<\/title>/);
    assert.ok(html.includes(start.toISOString()) && html.includes(end.toISOString()));
    assert.ok(html.includes('<td>wf_login</td>'));
    assert.ok(html.includes('wf_&lt;script&gt;') && !html.includes('<td>wf_<script>'), 'names are escaped');
    assert.strictEqual((html.match(/<svg class="chart"/g) ?? []).length, 2);
    assert.strictEqual(
      data.buckets.reduce((a, b) => a + b.success, 0),
      2,
    );
  });

  it('archiving moves records older than the cut-off into gzipped JSON lines and out of the store', async () => {
    const cut = new Date(clock - 30 * 86_400_000);
    logger.write({ level: 'INFO', component: 'x', message: 'old', timestamp: cut.getTime() - 2 * 86_400_000 });
    logger.write({ level: 'INFO', component: 'x', message: 'new', timestamp: cut.getTime() + 1 });
    const id = analytics.on_execution_start({ workflow_id: 'wf_old' });
    analytics.on_execution_complete({
      execution_id: id,
      workflow_id: 'wf_old',
      status: 'success',
      completed_at: cut.getTime() - 1000,
      duration: 1,
    });
    const logDir = path.join(dir, 'logs');
    const oldFile = `rpa-vision-${new Date(cut.getTime() - 2 * 86_400_000).toISOString().slice(0, 10)}.jsonl`;
    const newFile = `rpa-vision-${cut.toISOString().slice(0, 10)}.jsonl`;
    await logger.flush();
    assert.ok(fs.existsSync(path.join(logDir, oldFile)) && fs.existsSync(path.join(logDir, newFile)));
    const result = await archiveOlderThan({ logger, analytics, logDir }, path.join(dir, 'archive'), cut);
    assert.strictEqual(result.log_entries, 1);
    assert.strictEqual(
      result.log_files,
      1,
      'the daily file of a day before the cut-off is archived; the current day stays',
    );
    assert.ok(!fs.existsSync(path.join(logDir, oldFile)) && fs.existsSync(path.join(logDir, newFile)));
    assert.match(
      zlib.gunzipSync(fs.readFileSync(path.join(dir, 'archive', `${oldFile}.gz`))).toString(),
      /"message":"old"/,
    );
    assert.strictEqual(result.executions, 1);
    assert.deepStrictEqual(
      (await logger.query({ component: 'x' })).map((e) => e.message),
      ['new'],
    );
    assert.strictEqual((await analytics.executions({ workflow_id: 'wf_old' })).length, 0);
    const logsFile = result.files.find((f) => path.basename(f).startsWith('logs-'))!;
    const archived = zlib
      .gunzipSync(fs.readFileSync(logsFile))
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepStrictEqual(
      archived.map((e) => e.message),
      ['old'],
    );
  });

  it('with a data key, seals the daily log lines and the archive files, and reads them back', async () => {
    useDataKey(crypto.randomBytes(32));
    try {
      const cut = new Date(clock - 30 * 86_400_000);
      const old = cut.getTime() - 2 * 86_400_000;
      logger.write({ level: 'INFO', component: 'x', message: 'Facture-4711', timestamp: old });
      await logger.flush();
      const logDir = path.join(dir, 'logs');
      const daily = path.join(logDir, `rpa-vision-${new Date(old).toISOString().slice(0, 10)}.jsonl`);
      const text = fs.readFileSync(daily, 'utf8');
      assert.ok(!text.includes('Facture-4711'), 'the log line is sealed');
      assert.deepStrictEqual(
        parseJsonLines<{ message: string }>(text).entries.map((e) => e.message),
        ['Facture-4711'],
      );
      const result = await archiveOlderThan({ logger, analytics, logDir }, path.join(dir, 'archive'), cut);
      assert.strictEqual(result.files.length, 2);
      for (const file of result.files) {
        const bytes = fs.readFileSync(file);
        assert.ok(isSealed(bytes), `${path.basename(file)} is sealed`);
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
        const lines = zlib.gunzipSync(readDataFile(file)).toString('utf8');
        assert.deepStrictEqual(
          parseJsonLines<{ message: string }>(lines).entries.map((e) => e.message),
          ['Facture-4711'],
        );
      }
    } finally {
      useDataKey(null);
    }
  });

  it('resource monitoring samples CPU and memory at its interval into the store', async () => {
    analytics.start_resource_monitoring(1);
    assert.ok(analytics.resourceMonitoring);
    await new Promise((r) => setTimeout(r, 2300));
    analytics.stop_resource_monitoring();
    const samples = await analytics.resourceSamples();
    assert.ok(samples.length >= 2, `${samples.length} samples in 2.3 s at 1 s`);
    for (const s of samples) {
      assert.ok(s.cpu_percent >= 0 && s.cpu_percent <= 100, `cpu ${s.cpu_percent}`);
      assert.ok(s.memory_percent > 0 && s.memory_percent <= 100, `memory ${s.memory_percent}`);
      assert.ok(s.rss_bytes > 10e6);
    }
  });

  it('free-form labels are capped, so a runaway flow cannot create unbounded series', async () => {
    const m = new MonitoringMetrics({ processMetrics: false, maxLabelValues: 3 });
    for (let i = 0; i < 10; i++) m.recordWorkflowExecution(`wf_${i}`, 'success', 1);
    const samples = parseMetrics(await m.expose()).filter((s) => s.name === 'workflow_executions_total');
    assert.deepStrictEqual(samples.map((s) => s.labels.workflow_id).sort(), ['_other', 'wf_0', 'wf_1', 'wf_2']);
    assert.strictEqual(
      seriesValue(samples, 'workflow_executions_total', { workflow_id: '_other', status: 'success' }),
      7,
    );
  });

  it('the health score weighs the checks and lists a recommendation per problem', () => {
    const ok = (name: string) => ({ name, status: 'ok' as const, detail: '' });
    const all = ['cpu', 'memory', 'disk', 'store', 'display', 'models', 'directories'];
    assert.strictEqual(scoreChecks(all.map(ok)).score, 100);
    assert.strictEqual(scoreChecks(all.map(ok)).status, 'healthy');
    const noDisplay = scoreChecks(
      all.map((n) =>
        n === 'display' ? { name: n, status: 'fail' as const, detail: 'no display', advice: 'start Xvfb' } : ok(n),
      ),
    );
    assert.strictEqual(noDisplay.score, 85);
    assert.strictEqual(noDisplay.status, 'degraded');
    assert.deepStrictEqual(noDisplay.recommendations, ['display: start Xvfb']);
    assert.strictEqual(scoreChecks(all.map((n) => ({ name: n, status: 'warn' as const, detail: '' }))).score, 50);
  });
});
