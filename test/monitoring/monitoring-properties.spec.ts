/**
 * Seed properties 6–15 (admin-monitoring-design.md), each checked with fast-check (100 runs)
 * through the HTTP endpoints of one real Node-RED runtime started the way `npm start` does.
 *
 * Executions are produced the way a flow produces them: an inject node (triggered through
 * Node-RED's own POST /inject/:id, with the properties a user would set in it) feeds an
 * rpa-log node in "workflow end" mode. Log entries are written with POST /api/logs.
 */
import assert from 'assert';
import fc from 'fast-check';
import { NodeRedRuntime } from '../helpers/runtime';
import type { JsonObject } from '../helpers/json';
import { parseMetrics, promtoolCheck, readZip, seriesValue, until, type Sample } from './helpers';

const RUNS = { numRuns: 100 };
const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
type Level = (typeof LEVELS)[number];

interface Entry {
  timestamp: string;
  level: Level;
  component: string;
  message: string;
  workflow_id?: string;
  node_id?: string;
  metadata: Record<string, unknown>;
}

const testFlows = [
  { id: 'mt_tab', type: 'tab', label: 'monitoring test' },
  {
    id: 'mt_end',
    type: 'inject',
    z: 'mt_tab',
    name: 'run finished',
    props: [{ p: 'payload' }],
    payload: '',
    payloadType: 'date',
    repeat: '',
    once: false,
    wires: [['mt_log_end']],
  },
  {
    id: 'mt_log_end',
    type: 'rpa-log',
    z: 'mt_tab',
    name: '',
    event: 'workflow_end',
    level: 'auto',
    component: 'flow',
    workflowId: '',
    message: '',
    wires: [[]],
  },
];

// Label values stay within the metrics' per-label caps: draw them from fixed pools of awkward names.
const awkward = fc.stringMatching(/^[A-Za-zÀÿ0-9 _."\\{}=,\n-]{1,14}$/).filter((s) => s.trim().length > 0);
const workflowPool = fc.sample(awkward, { numRuns: 40, seed: 8 });
const componentPool = [...new Set(fc.sample(awkward, { numRuns: 30, seed: 9 }).map((s) => s.trim().slice(0, 100)))];
const workflowId = fc.constantFrom(...workflowPool);
const component = fc.constantFrom(...componentPool);
const status = fc.constantFrom('success', 'failed', 'timeout', 'cancelled');
const duration = fc.double({ min: 0, max: 4000, noNaN: true, noDefaultInfinity: true });
const metadata = fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

describe('monitoring properties 6–15 through the HTTP API of a real Node-RED runtime', function () {
  this.timeout(120_000);
  let rt: NodeRedRuntime;

  before(async () => {
    // The seeded entries are dated January 2001: allow back-dated log entries for this runtime.
    rt = await NodeRedRuntime.start({
      flows: testFlows,
      env: { RPA_VISION_RESOURCE_INTERVAL_S: '0', RPA_VISION_LOG_MAX_AGE_DAYS: '100000' },
    });
  });
  after(async () => {
    await rt?.stop();
  });

  const metrics = async (): Promise<{ text: string; samples: Sample[] }> => {
    const res = await rt.fetch('/metrics');
    assert.strictEqual(res.status, 200);
    const text = await res.text();
    return { text, samples: parseMetrics(text) };
  };

  /** What a user does in the editor: click the inject button with these properties. */
  const finishRun = async (wf: string, st: string, seconds: number) => {
    const res = await rt.fetch('/inject/mt_end', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        __user_inject_props__: [
          { p: 'workflow_id', v: wf, vt: 'str' },
          { p: 'status', v: st, vt: 'str' },
          { p: 'duration', v: String(seconds), vt: 'num' },
        ],
      }),
    });
    assert.strictEqual(res.status, 200);
  };

  const postLogs = async (entries: unknown): Promise<{ status: number; body: JsonObject }> =>
    rt.json('/api/logs', { method: 'POST', body: JSON.stringify(entries) });

  it('property 6: /metrics is always valid Prometheus exposition (promtool check metrics passes), whatever the label values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(workflowId, status, duration, component), { minLength: 1, maxLength: 3 }),
        async (ops) => {
          for (const [wf, st, d, comp] of ops) {
            await finishRun(wf, st, d);
            await postLogs({ level: 'INFO', component: comp, message: `${wf} ${st}` });
          }
          const res = await rt.fetch('/metrics');
          // the exposition format's media type and version (a charset parameter is allowed)
          const type = (res.headers.get('content-type') ?? '').split(';').map((p) => p.trim());
          assert.strictEqual(type[0], 'text/plain');
          assert.ok(type.includes('version=0.0.4'), type.join('; '));
          const text = await res.text();
          const check = promtoolCheck(text);
          assert.strictEqual(check.status, 0, check.output);
          parseMetrics(text); // every sample line parses
        },
      ),
      { numRuns: 100 },
    );
  });

  it('property 7: each workflow execution increments workflow_executions_total by exactly 1 with its workflow_id and status', async () => {
    await fc.assert(
      fc.asyncProperty(workflowId, status, duration, async (wf, st, d) => {
        const before = (await metrics()).samples;
        await finishRun(wf, st, d);
        const after = await until(
          async () => (await metrics()).samples,
          (s) =>
            seriesValue(s, 'workflow_executions_total', { workflow_id: wf, status: st }) >
            seriesValue(before, 'workflow_executions_total', { workflow_id: wf, status: st }),
        );
        for (const other of ['success', 'failed', 'timeout', 'cancelled']) {
          const delta =
            seriesValue(after, 'workflow_executions_total', { workflow_id: wf, status: other }) -
            seriesValue(before, 'workflow_executions_total', { workflow_id: wf, status: other });
          assert.strictEqual(delta, other === st ? 1 : 0, `status ${other}`);
        }
      }),
      RUNS,
    );
  });

  it('property 8: each completed execution records its duration in workflow_duration_seconds', async () => {
    await fc.assert(
      fc.asyncProperty(workflowId, status, duration, async (wf, st, d) => {
        const before = (await metrics()).samples;
        const count = (s: Sample[]) => seriesValue(s, 'workflow_duration_seconds_count', { workflow_id: wf });
        await finishRun(wf, st, d);
        const after = await until(
          async () => (await metrics()).samples,
          (s) => count(s) > count(before),
        );
        assert.strictEqual(count(after) - count(before), 1);
        const sum = (s: Sample[]) => seriesValue(s, 'workflow_duration_seconds_sum', { workflow_id: wf });
        assert.ok(
          Math.abs(sum(after) - sum(before) - d) <= 1e-6 * Math.max(1, sum(after)),
          `sum grew by ${sum(after) - sum(before)}, expected ${d}`,
        );
        for (const b of after.filter(
          (s) => s.name === 'workflow_duration_seconds_bucket' && s.labels.workflow_id === wf,
        )) {
          const le = b.labels.le === '+Inf' ? Infinity : Number(b.labels.le);
          const grew =
            b.value - seriesValue(before, 'workflow_duration_seconds_bucket', { le: b.labels.le, workflow_id: wf });
          assert.strictEqual(grew, d <= le ? 1 : 0, `bucket le=${b.labels.le} for ${d} s`);
        }
      }),
      RUNS,
    );
  });

  it('property 9 and 10: every stored entry has timestamp, level, component and message, plus workflow_id, node_id and metadata when given', async () => {
    const level = fc.constantFrom('DEBUG', 'INFO', 'WARNING', 'ERROR', 'warn', 'info', 'error');
    await fc.assert(
      fc.asyncProperty(
        level,
        component,
        fc.string({ maxLength: 200 }),
        fc.option(workflowId, { nil: undefined }),
        fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
        metadata,
        async (lv, comp, message, wf, node, meta) => {
          const posted = await postLogs({
            level: lv,
            component: comp,
            message,
            workflow_id: wf,
            node_id: node,
            metadata: meta,
          });
          assert.strictEqual(posted.status, 201, JSON.stringify(posted.body));
          const listed = await rt.json<{ entries: Entry[] }>(`/api/logs?component=${encodeURIComponent(comp)}&limit=1`);
          const e = listed.body.entries[0];
          assert.deepStrictEqual(e, posted.body);
          assert.ok(Number.isFinite(Date.parse(e.timestamp)) && /Z$/.test(e.timestamp), e.timestamp);
          assert.strictEqual(e.level, lv.toUpperCase() === 'WARN' ? 'WARNING' : lv.toUpperCase());
          assert.strictEqual(e.component, comp);
          assert.strictEqual(e.message, message);
          assert.strictEqual(e.workflow_id, wf);
          assert.strictEqual(e.node_id, node);
          assert.deepStrictEqual(e.metadata, JSON.parse(JSON.stringify(meta)));
        },
      ),
      RUNS,
    );
  });

  it('keeps a metadata key named "__proto__" as data, as JSON sent it', async () => {
    const body =
      '{"message":"proto","component":"proto-keys","metadata":{"a":{"__proto__":null},"b":{"__proto__":{"x":1}}}}';
    const posted = await rt.json<JsonObject>('/api/logs', { method: 'POST', body });
    assert.strictEqual(posted.status, 201, JSON.stringify(posted.body));
    const listed = await rt.json<{ entries: Entry[] }>('/api/logs?component=proto-keys&limit=1');
    const sent = JSON.parse(body).metadata;
    assert.deepStrictEqual(listed.body.entries[0].metadata, sent);
    assert.strictEqual(JSON.stringify(listed.body.entries[0].metadata), JSON.stringify(sent));
  });

  // Entries with timestamps in January 2001, far from everything else the runtime logs.
  const WINDOW = { start: Date.parse('2001-01-01T00:00:00.000Z'), end: Date.parse('2001-02-01T00:00:00.000Z') };
  const seeded: Entry[] = [];
  const inWindow = fc.integer({ min: WINDOW.start, max: WINDOW.end });
  const seedEntry = fc.record({
    level: fc.constantFrom(...LEVELS),
    component: fc.constantFrom(...componentPool.slice(0, 6)),
    workflow_id: fc.option(fc.constantFrom(...workflowPool.slice(0, 6)), { nil: undefined }),
    message: fc.string({ maxLength: 40 }),
    at: inWindow,
  });

  it('property 11: every entry a filtered query returns matches the filter, and none that matches is left out', async () => {
    const entries = fc.sample(seedEntry, { numRuns: 400, seed: 11 });
    // boundary entries: exactly at the window's first and last millisecond
    entries.push({
      level: 'ERROR',
      component: componentPool[0],
      workflow_id: undefined,
      message: 'first',
      at: WINDOW.start,
    });
    entries.push({
      level: 'INFO',
      component: componentPool[0],
      workflow_id: undefined,
      message: 'last',
      at: WINDOW.end,
    });
    for (let i = 0; i < entries.length; i += 200) {
      const batch = entries
        .slice(i, i + 200)
        .map((e) => ({ ...e, timestamp: new Date(e.at).toISOString(), at: undefined }));
      const res = await postLogs(batch);
      assert.strictEqual(res.status, 201, JSON.stringify(res.body));
      seeded.push(...(res.body.entries as Entry[]));
    }
    const query = fc.record({
      level: fc.option(fc.constantFrom(...LEVELS), { nil: undefined }),
      component: fc.option(fc.constantFrom(...componentPool.slice(0, 6)), { nil: undefined }),
      workflow_id: fc.option(fc.constantFrom(...workflowPool.slice(0, 6)), { nil: undefined }),
      range: fc.option(
        fc.tuple(inWindow, inWindow).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
        { nil: undefined },
      ),
    });
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const [start, end] = q.range ?? [WINDOW.start, WINDOW.end];
        const params = new URLSearchParams({
          order: 'asc',
          limit: '10000',
          start: new Date(start).toISOString(),
          end: new Date(end).toISOString(),
        });
        if (q.level) params.set('level', q.level);
        if (q.component) params.set('component', q.component);
        if (q.workflow_id) params.set('workflow_id', q.workflow_id);
        const res = await rt.json<{ entries: Entry[] }>(`/api/logs?${params}`);
        assert.strictEqual(res.status, 200);
        for (const e of res.body.entries) {
          if (q.level) assert.strictEqual(e.level, q.level);
          if (q.component) assert.strictEqual(e.component, q.component);
          if (q.workflow_id) assert.strictEqual(e.workflow_id, q.workflow_id);
          const t = Date.parse(e.timestamp);
          assert.ok(t >= start && t <= end, `${e.timestamp} outside the range`);
        }
        const expected = seeded.filter((e) => {
          const t = Date.parse(e.timestamp);
          return (
            t >= start &&
            t <= end &&
            (!q.level || e.level === q.level) &&
            (!q.component || e.component === q.component) &&
            (!q.workflow_id || e.workflow_id === q.workflow_id)
          );
        });
        assert.deepStrictEqual(
          res.body.entries.map((e) => `${e.timestamp} ${e.message}`).sort(),
          expected.map((e) => `${e.timestamp} ${e.message}`).sort(),
        );
      }),
      RUNS,
    );
  });

  it('property 12: each entry written increments log_entries_total{level,component} by exactly 1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...LEVELS), component), { minLength: 1, maxLength: 5 }),
        async (batch) => {
          const before = (await metrics()).samples;
          const res = await postLogs(batch.map(([level, comp]) => ({ level, component: comp, message: 'counted' })));
          assert.strictEqual(res.status, 201);
          const after = (await metrics()).samples;
          const expected = new Map<string, number>();
          for (const [level, comp] of batch)
            expected.set(JSON.stringify([level, comp]), (expected.get(JSON.stringify([level, comp])) ?? 0) + 1);
          for (const [key, n] of expected) {
            const [level, comp] = JSON.parse(key) as [string, string];
            const delta =
              seriesValue(after, 'log_entries_total', { level, component: comp }) -
              seriesValue(before, 'log_entries_total', { level, component: comp });
            assert.strictEqual(delta, n, `${level} ${comp}`);
          }
        },
      ),
      RUNS,
    );
  });

  it('properties 13–15: every download is a valid ZIP with execution_logs.json, error_logs.json and metrics.json holding exactly the entries in the range', async () => {
    assert.ok(seeded.length > 400, 'property 11 seeds the entries');
    const range = fc.tuple(
      fc.integer({ min: WINDOW.start - 86_400_000, max: WINDOW.end + 86_400_000 }),
      fc.integer({ min: 0, max: 40 * 86_400_000 }),
    );
    await fc.assert(
      fc.asyncProperty(range, async ([start, span]) => {
        const end = start + span;
        const res = await rt.fetch(
          `/api/logs/download?start=${new Date(start).toISOString()}&end=${new Date(end).toISOString()}`,
        );
        assert.strictEqual(res.status, 200);
        assert.strictEqual(res.headers.get('content-type'), 'application/zip');
        assert.match(
          res.headers.get('content-disposition') ?? '',
          /attachment; filename="rpa-vision-logs-\d{8}T\d{6}Z\.zip"/,
        );
        const files = readZip(Buffer.from(await res.arrayBuffer()));
        assert.deepStrictEqual(files.map((f) => f.name).sort(), [
          'error_logs.json',
          'execution_logs.json',
          'metrics.json',
        ]);
        const json = (name: string) => JSON.parse(files.find((f) => f.name === name)!.data.toString('utf8'));
        const logs = json('execution_logs.json') as Entry[];
        const errors = json('error_logs.json') as Entry[];
        const m = json('metrics.json') as { range: { start: string; end: string }; log_entries: number };
        for (const e of [...logs, ...errors]) {
          const t = Date.parse(e.timestamp);
          assert.ok(
            t >= start && t <= end,
            `${e.timestamp} outside [${new Date(start).toISOString()}, ${new Date(end).toISOString()}]`,
          );
        }
        assert.ok(errors.every((e) => e.level === 'ERROR'));
        const expected = seeded.filter((e) => Date.parse(e.timestamp) >= start && Date.parse(e.timestamp) <= end);
        assert.strictEqual(logs.length, expected.length);
        assert.strictEqual(errors.length, expected.filter((e) => e.level === 'ERROR').length);
        assert.strictEqual(m.log_entries, logs.length);
        assert.strictEqual(m.range.start, new Date(start).toISOString());
      }),
      RUNS,
    );
  });

  it('a download whose start is after its end is refused with 400 InvalidDateRange', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 1, max: 1e11 }), async (end, gap) => {
        const res = await rt.json<{ error: string; message: string }>(
          `/api/logs/download?start=${new Date(end + gap).toISOString()}&end=${new Date(end).toISOString()}`,
        );
        assert.strictEqual(res.status, 400);
        assert.strictEqual(res.body.error, 'InvalidDateRange');
        assert.match(res.body.message, /is after end/);
      }),
      RUNS,
    );
    const bad = await rt.json<{ error: string }>('/api/logs/download?start=yesterday');
    assert.strictEqual(bad.status, 400);
    assert.strictEqual(bad.body.error, 'InvalidDate');
  });

  describe('the rest of the monitoring API', () => {
    it('rejects malformed log entries and queries with 400 and a reason', async () => {
      const noMessage = await postLogs({ level: 'INFO', component: 'x' });
      assert.strictEqual(noMessage.status, 400);
      assert.strictEqual(noMessage.body.error, 'InvalidLogEntry');
      const badLevel = await postLogs({ level: 'LOUD', component: 'x', message: 'm' });
      assert.strictEqual(badLevel.status, 400);
      assert.match(badLevel.body.message, /unknown log level "LOUD"/);
      const badTime = await postLogs({ component: 'x', message: 'm', timestamp: 'soon' });
      assert.strictEqual(badTime.status, 400);
      const badLimit = await rt.json<{ error: string }>('/api/logs?limit=0');
      assert.strictEqual(badLimit.status, 400);
      assert.strictEqual(badLimit.body.error, 'InvalidParameter');
    });

    it('lists finished executions, their statistics and an HTML report with charts', async () => {
      const executions = async () =>
        (
          await rt.json<{ executions: Array<{ workflow_id: string; status: string; duration: number }> }>(
            '/api/analytics/executions?workflow_id=wf_report_api',
          )
        ).body.executions;
      await finishRun('wf_report_api', 'success', 12);
      // The second run ends once the first is stored: two runs ending in the same millisecond have no order.
      await until(executions, (e) => e.length === 1);
      await finishRun('wf_report_api', 'failed', 30);
      const listed = await until(executions, (e) => e.length === 2);
      assert.deepStrictEqual(
        listed.map((e) => [e.status, e.duration]),
        [
          ['failed', 30],
          ['success', 12],
        ],
      );
      const stats = await rt.json<{
        success_rate: { success_rate: number };
        performance: { avg_duration: number; p95_duration: number };
      }>('/api/analytics/stats?workflow_id=wf_report_api&hours=1');
      assert.strictEqual(stats.body.success_rate.success_rate, 50);
      assert.strictEqual(stats.body.performance.avg_duration, 21);
      assert.strictEqual(stats.body.performance.p95_duration, 30);
      const res = await rt.fetch('/api/analytics/report?title=Rapport%20API&workflow_id=wf_report_api');
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const html = await res.text();
      assert.match(html, /<h1>Rapport API<\/h1>/);
      assert.match(html, /<td>wf_report_api<\/td><td>2<\/td><td>50\.0 %<\/td>/);
      assert.strictEqual((html.match(/<svg class="chart"/g) ?? []).length, 2);
      const live = await rt.json<{ executions: unknown[] }>('/api/analytics/live');
      assert.deepStrictEqual(live.body.executions, []);
      assert.strictEqual((await rt.json('/api/analytics/live/exec_unknown')).status, 404);
    });

    it('answers the health check with a score, its checks and recommendations', async () => {
      const res = await rt.json<{
        score: number;
        status: string;
        checks: Array<{ name: string; status: string }>;
        recommendations: string[];
      }>('/api/health');
      assert.strictEqual(res.status, 200);
      assert.ok(res.body.score >= 0 && res.body.score <= 100);
      const display = res.body.checks.find((c) => c.name === 'display')!;
      assert.strictEqual(display.status, 'fail', 'the runtime runs without DISPLAY here');
      assert.ok(res.body.recommendations.some((r) => /^display: .*Xvfb/.test(r)));
      assert.strictEqual(res.body.checks.find((c) => c.name === 'store')!.status, 'ok');
      assert.strictEqual(
        seriesValue((await metrics()).samples, 'health_score', {}),
        res.body.score,
        'the last score is also a gauge for alerting',
      );
    });

    it('counts the trigger fires the automation reports (trigger_fires_total)', async () => {
      const wf = await rt.json('/api/workflows', {
        method: 'POST',
        body: JSON.stringify({
          workflow_id: 'wf_counted',
          name: 'counted',
          nodes: [{ node_id: 'N1', label: 'l', screen_template: {} }],
          edges: [],
        }),
      });
      assert.strictEqual(wf.status, 201, JSON.stringify(wf.body));
      const trigger = await rt.json<{ trigger_id: string }>('/api/triggers', {
        method: 'POST',
        body: JSON.stringify({ trigger_type: 'manual', workflow_id: 'wf_counted', config: {} }),
      });
      assert.strictEqual(
        (await rt.json(`/api/triggers/${trigger.body.trigger_id}/fire`, { method: 'POST', body: '{}' })).status,
        202,
      );
      await until(
        async () => (await metrics()).samples,
        (s) => seriesValue(s, 'trigger_fires_total', { trigger_type: 'manual', workflow_id: 'wf_counted' }) === 1,
      );
      // chain_executions_total comes through the same subscription (nodes/shared/monitoring.ts); a chain run here
      // would wait for the automation's launch retries (5 s and more), so it is left to the automation's specs.
    });

    it('archives old records on request and keeps them readable in the archive folder', async () => {
      const res = await rt.json<{ log_entries: number; files: string[] }>('/api/analytics/archive', {
        method: 'POST',
        body: JSON.stringify({ older_than_days: 365 * 20 }),
      });
      assert.strictEqual(res.status, 200);
      assert.strictEqual(res.body.log_entries, seeded.length, 'the January 2001 entries are older than 20 years');
      assert.ok(res.body.files.every((f) => f.startsWith(rt.dataDir)));
      const after = await rt.json<{ count: number }>('/api/logs?start=2001-01-01T00:00:00Z&end=2001-02-02T00:00:00Z');
      assert.strictEqual(after.body.count, 0);
    });
  });
});
