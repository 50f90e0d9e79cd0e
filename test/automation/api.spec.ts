/**
 * The admin API of the automation layer on a real Node-RED runtime (npm start's script), with
 * the journal executor plugged in through RPA_VISION_EXECUTOR_MODULE. fast-check properties 1–5
 * of admin-monitoring-design.md, 100 runs each, plus the error contract (400/404/409 JSON,
 * never a stack trace, no path out of the data directory) and admin authentication.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import fc from 'fast-check';
import { NodeRedRuntime } from '../helpers/runtime';
import { readJournal, workflowDoc } from './helpers/journal-executor';
import type { JsonObject } from '../helpers/json';

const EXECUTOR = path.join(__dirname, 'helpers', 'journal-executor.js');
const RUNS = 100;

interface Api {
  (pathname: string, method?: string, body?: unknown): Promise<{ status: number; body: JsonObject }>;
}

function apiOf(rt: NodeRedRuntime, headers: Record<string, string> = {}): Api {
  return (pathname, method = 'GET', body) =>
    rt.json(pathname, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
}

const OK = ['wf_ok_1', 'wf_ok_2', 'wf_ok_3'];
const FAIL = ['wf_fail_1', 'wf_fail_2'];
const FLOW_WITH_TRIGGER_NODE = [
  { id: 'tab1', type: 'tab', label: 'automation' },
  {
    id: 'flowtrigger1',
    z: 'tab1',
    type: 'rpa-trigger',
    triggerType: 'manual',
    target: '',
    targetType: 'auto',
    priority: 0,
    wires: [[]],
  },
];
const NODE_TRIGGER = 'node-flowtrigger1';
const idArb = fc.stringMatching(/^[a-z][a-z0-9_]{2,12}$/);

describe('automation admin API (real Node-RED runtime)', function () {
  this.timeout(180_000);
  let rt: NodeRedRuntime;
  let api: Api;

  before(async () => {
    // One rpa-trigger node in the flows: its trigger must go when the node is removed while Node-RED is down.
    rt = await NodeRedRuntime.start({ flows: FLOW_WITH_TRIGGER_NODE, env: { RPA_VISION_EXECUTOR_MODULE: EXECUTOR } });
    api = apiOf(rt);
    for (const id of OK) assert.strictEqual((await api('/api/workflows', 'POST', workflowDoc(id))).status, 201);
    for (const id of FAIL)
      assert.strictEqual(
        (await api('/api/workflows', 'POST', workflowDoc(id, { outcome: 'failed', fail_at: `${id}_N1` }))).status,
        201,
      );
  });
  after(async () => {
    await rt?.stop();
    if (rt) fs.rmSync(rt.userDir, { recursive: true, force: true });
  });

  it('lists, shows and imports workflows (one node and no edges is valid), refusing invalid ones with the problems', async () => {
    const list = await api('/api/workflows');
    assert.strictEqual(list.status, 200);
    assert.deepStrictEqual(
      list.body.workflows.map((w: { workflow_id: string }) => w.workflow_id),
      [...FAIL, ...OK],
    );
    const one = await api('/api/workflows/wf_ok_1');
    assert.deepStrictEqual(one.body, workflowDoc('wf_ok_1'));
    assert.strictEqual((await api('/api/workflows', 'POST', workflowDoc('wf_ok_1'))).status, 409);
    const invalid = await api('/api/workflows', 'POST', {
      workflow_id: 'wf_bad',
      name: 'bad',
      nodes: [{ node_id: 'N1' }],
      edges: [{ edge_id: 'E1', from_node: 'N1', to_node: 'N9' }],
    });
    assert.strictEqual(invalid.status, 400);
    assert.strictEqual(invalid.body.error, 'InvalidWorkflow');
    assert.ok(
      invalid.body.problems.some((p: string) => p.includes('nodes[0].label')),
      invalid.body.message,
    );
    assert.strictEqual((await api('/api/workflows/wf_bad')).status, 404);
  });

  it('property 1: GET /api/chains returns every chain with its complete workflow sequence and status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
            workflows: fc.array(fc.constantFrom(...OK, ...FAIL), { minLength: 1, maxLength: 6 }),
          }),
          { maxLength: 4 },
        ),
        async (specs) => {
          const created: string[] = [];
          try {
            for (const spec of specs) {
              const r = await api('/api/chains', 'POST', spec);
              assert.strictEqual(r.status, 201, JSON.stringify(r.body));
              created.push(r.body.chain_id);
            }
            const { status, body } = await api('/api/chains');
            assert.strictEqual(status, 200);
            assert.strictEqual(body.count, body.chains.length);
            specs.forEach((spec, i) => {
              const listed = body.chains.find((c: { chain_id: string }) => c.chain_id === created[i]);
              assert.ok(listed, `chain ${created[i]} listed`);
              assert.strictEqual(listed.name, spec.name.trim());
              assert.deepStrictEqual(listed.workflows, spec.workflows);
              assert.strictEqual(listed.status, 'active');
              assert.strictEqual(typeof listed.success_rate, 'number');
            });
          } finally {
            for (const id of created) assert.strictEqual((await api(`/api/chains/${id}`, 'DELETE')).status, 200);
          }
        },
      ),
      { numRuns: RUNS },
    );
    assert.deepStrictEqual((await api('/api/chains')).body.chains, []);
  });

  it('property 2: a chain referencing a workflow that does not exist is refused, naming exactly the missing ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constantFrom(...OK, ...FAIL),
            idArb.map((s) => `missing_${s}`),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (workflows) => {
          const missing = [...new Set(workflows.filter((w) => w.startsWith('missing_')))];
          const r = await api('/api/chains', 'POST', { name: 'generated', workflows });
          if (missing.length) {
            assert.strictEqual(r.status, 400);
            assert.strictEqual(r.body.error, 'WorkflowNotFound');
            assert.deepStrictEqual(r.body.missing, missing);
          } else {
            assert.strictEqual(r.status, 201);
            assert.strictEqual((await api(`/api/chains/${r.body.chain_id}`, 'DELETE')).status, 200);
          }
        },
      ),
      { numRuns: RUNS },
    );
    assert.deepStrictEqual((await api('/api/chains')).body.chains, []);
  });

  it('property 3: a chain execution stops at the failing workflow and runs nothing after it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...OK, ...FAIL), { minLength: 1, maxLength: 6 }), async (workflows) => {
        const chain = (await api('/api/chains', 'POST', { name: 'exec', workflows })).body;
        try {
          const before = readJournal(rt.dataDir).length;
          const r = await api(`/api/chains/${chain.chain_id}/execute`, 'POST', { params: { run: before } });
          assert.strictEqual(r.status, 200, JSON.stringify(r.body));
          const firstFail = workflows.findIndex((w) => FAIL.includes(w));
          const expectedRan = firstFail === -1 ? workflows : workflows.slice(0, firstFail + 1);
          const ran = readJournal(rt.dataDir).slice(before);
          assert.deepStrictEqual(
            ran.map((l) => l.workflow_id),
            expectedRan,
          );
          assert.ok(ran.every((l) => l.params.run === before));
          assert.strictEqual(r.body.success, firstFail === -1);
          assert.strictEqual(r.body.failed_at, firstFail === -1 ? null : workflows[firstFail]);
          assert.strictEqual(r.body.failed_index, firstFail === -1 ? null : firstFail);
          const stored = (await api(`/api/chains/${chain.chain_id}`)).body;
          assert.deepStrictEqual(
            stored.execution_history.map((h: { success: boolean; failed_at: string | null }) => [
              h.success,
              h.failed_at,
            ]),
            [[r.body.success, r.body.failed_at]],
          );
          assert.strictEqual(stored.success_rate, r.body.success ? 100 : 0);
        } finally {
          await api(`/api/chains/${chain.chain_id}`, 'DELETE');
        }
      }),
      { numRuns: RUNS },
    );
  });

  describe('triggers (scheduler stopped so nothing fires behind the properties)', () => {
    let chainId: string;
    let watched: string;
    const kept: Array<{ id: string; enabled: boolean }> = [];

    before(async () => {
      assert.strictEqual((await api('/api/automation/stop', 'POST')).body.running, false);
      chainId = (await api('/api/chains', 'POST', { chain_id: 'chain_daily', name: 'Daily', workflows: OK })).body
        .chain_id;
      watched = path.join(rt.dataDir, 'inbox');
      fs.mkdirSync(watched, { recursive: true });
    });

    const triggerArb = fc.record({
      trigger_type: fc.constantFrom('schedule', 'file', 'manual'),
      target: fc.constantFrom(...OK, ...FAIL, 'chain_daily'),
      interval_seconds: fc.integer({ min: 1, max: 86_400 }),
      window: fc.option(
        fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 })).filter(([a, b]) => a !== b),
        { nil: undefined },
      ),
      timezone: fc.constantFrom(undefined, 'UTC', 'Europe/Paris', 'America/New_York'),
      pattern: fc.constantFrom('*.pdf', '*', 'invoice-??.{pdf,PDF}'),
      enabled: fc.boolean(),
      priority: fc.integer({ min: -100, max: 100 }),
    });
    const bodyOf = (t: typeof triggerArb extends fc.Arbitrary<infer T> ? T : never) => ({
      trigger_type: t.trigger_type,
      workflow_id: t.target,
      enabled: t.enabled,
      priority: t.priority,
      config:
        t.trigger_type === 'schedule'
          ? {
              interval_seconds: t.interval_seconds,
              ...(t.window
                ? {
                    start_time: `${String(t.window[0]).padStart(2, '0')}:00`,
                    end_time: `${String(t.window[1]).padStart(2, '0')}:30`,
                  }
                : {}),
              ...(t.timezone ? { timezone: t.timezone } : {}),
            }
          : t.trigger_type === 'file'
            ? { watch_directory: watched, file_pattern: t.pattern }
            : {},
    });

    it('property 4: GET /api/triggers returns every trigger with type, workflow_id and enabled status', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(triggerArb, { maxLength: 4 }), async (specs) => {
          const created: string[] = [];
          try {
            for (const spec of specs) {
              const r = await api('/api/triggers', 'POST', bodyOf(spec));
              assert.strictEqual(r.status, 201, JSON.stringify(r.body));
              created.push(r.body.trigger_id);
            }
            const { status, body } = await api('/api/triggers');
            assert.strictEqual(status, 200);
            specs.forEach((spec, i) => {
              const t = body.triggers.find((x: { trigger_id: string }) => x.trigger_id === created[i]);
              assert.ok(t, `trigger ${created[i]} listed`);
              assert.strictEqual(t.trigger_type, spec.trigger_type);
              assert.strictEqual(t.workflow_id, spec.target);
              assert.strictEqual(t.target_type, spec.target === chainId ? 'chain' : 'workflow');
              assert.strictEqual(t.enabled, spec.enabled);
              assert.strictEqual(t.last_fired, null);
            });
          } finally {
            for (const id of created) assert.strictEqual((await api(`/api/triggers/${id}`, 'DELETE')).status, 200);
          }
        }),
        { numRuns: RUNS },
      );
      assert.deepStrictEqual(
        (await api('/api/triggers')).body.triggers.map((t: { trigger_id: string }) => t.trigger_id),
        [NODE_TRIGGER],
      );
    });

    it('property 5: every enable/disable is persisted and returned by later queries', async () => {
      await fc.assert(
        fc.asyncProperty(
          triggerArb,
          fc.array(fc.constantFrom<boolean | 'flip'>(true, false, 'flip'), { minLength: 1, maxLength: 6 }),
          async (spec, toggles) => {
            const t = (await api('/api/triggers', 'POST', bodyOf(spec))).body;
            let expected: boolean = spec.enabled;
            for (const op of toggles) {
              const r = await api(
                `/api/triggers/${t.trigger_id}/toggle`,
                'POST',
                op === 'flip' ? undefined : { enabled: op },
              );
              expected = op === 'flip' ? !expected : op;
              assert.strictEqual(r.status, 200);
              assert.strictEqual(r.body.enabled, expected);
              assert.strictEqual((await api(`/api/triggers/${t.trigger_id}`)).body.enabled, expected);
            }
            const listed = (await api('/api/triggers')).body.triggers.find(
              (x: { trigger_id: string }) => x.trigger_id === t.trigger_id,
            );
            assert.strictEqual(listed.enabled, expected);
            kept.push({ id: t.trigger_id, enabled: expected });
            if (kept.length > 10) await api(`/api/triggers/${kept.shift()!.id}`, 'DELETE');
          },
        ),
        { numRuns: RUNS },
      );
      // The states survive a restart of Node-RED (and so does the deliberate stop of the scheduler).
      assert.strictEqual((await api(`/api/triggers/${NODE_TRIGGER}`)).body.node_id, 'flowtrigger1');
      await rt.stop();
      rt = await NodeRedRuntime.start({
        userDir: rt.userDir,
        flows: [],
        env: { RPA_VISION_EXECUTOR_MODULE: EXECUTOR },
      });
      api = apiOf(rt);
      const after = (await api('/api/triggers')).body.triggers;
      assert.strictEqual(
        after.find((x: { trigger_id: string }) => x.trigger_id === NODE_TRIGGER),
        undefined,
        'the trigger of the removed node is gone',
      );
      for (const k of kept)
        assert.strictEqual(after.find((x: { trigger_id: string }) => x.trigger_id === k.id)?.enabled, k.enabled, k.id);
      assert.strictEqual((await api('/api/automation/status')).body.running, false);
    });

    it('fires a manual trigger on request, running its chain through the queue once the scheduler runs', async () => {
      // The triggers the properties above left enabled would fire too once the scheduler runs.
      for (const other of (await api('/api/triggers')).body.triggers as Array<{ trigger_id: string; enabled: boolean }>)
        if (other.enabled) await api(`/api/triggers/${other.trigger_id}/toggle`, 'POST', { enabled: false });
      const t = (
        await api('/api/triggers', 'POST', { trigger_type: 'manual', workflow_id: chainId, params: { who: 'api' } })
      ).body;
      const fired = await api(`/api/triggers/${t.trigger_id}/fire`, 'POST', {});
      assert.strictEqual(fired.status, 202);
      assert.match(fired.body.job_id, /^job_/);
      assert.strictEqual(
        (await api('/api/automation/status')).body.queue_length,
        1,
        'held while the scheduler is stopped',
      );
      const before = readJournal(rt.dataDir).length;
      const started = await api('/api/automation/start', 'POST');
      assert.strictEqual(started.body.running, true);
      const deadline = Date.now() + 10_000;
      while (readJournal(rt.dataDir).length < before + OK.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      assert.deepStrictEqual(
        readJournal(rt.dataDir)
          .slice(before)
          .map((l) => [l.workflow_id, l.params.who]),
        OK.map((w) => [w, 'api']),
      );
      assert.notStrictEqual((await api(`/api/triggers/${t.trigger_id}`)).body.last_fired, null);
      assert.strictEqual((await api('/api/automation/stop', 'POST')).body.running, false);
    });

    it('disables a schedule trigger after 3 failed launches in a row, logging why in the central log, counting fires in /metrics', async () => {
      const t = (
        await api('/api/triggers', 'POST', {
          trigger_type: 'schedule',
          workflow_id: 'wf_fail_2',
          config: { interval_seconds: 1 },
        })
      ).body;
      assert.strictEqual((await api('/api/automation/start', 'POST')).body.running, true);
      try {
        let current = t;
        const deadline = Date.now() + 15_000;
        while (current.enabled && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
          current = (await api(`/api/triggers/${t.trigger_id}`)).body;
        }
        assert.strictEqual(current.enabled, false);
        assert.strictEqual(current.consecutive_failures, 3);
        assert.match(
          current.disabled_reason,
          /disabled after 3 consecutive failed launches \(limit 3\); last: failed at wf_fail_2_N1/,
        );
        const logs = (await api('/api/logs?component=automation&limit=1000')).body.entries as Array<{
          level: string;
          message: string;
        }>;
        assert.ok(
          logs.some((e) => e.message.includes(`trigger ${t.trigger_id} disabled after 3 consecutive failed launches`)),
          JSON.stringify(logs.slice(0, 5)),
        );
        const metrics = await (await rt.fetch('/metrics')).text();
        const fires =
          /trigger_fires_total\{[^}]*trigger_type="schedule"[^}]*workflow_id="wf_fail_2"[^}]*\} (\d+)/.exec(metrics) ??
          /trigger_fires_total\{[^}]*workflow_id="wf_fail_2"[^}]*trigger_type="schedule"[^}]*\} (\d+)/.exec(metrics);
        assert.ok(
          fires && Number(fires[1]) >= 3,
          metrics
            .split('\n')
            .filter((l) => l.startsWith('trigger_fires_total'))
            .join('\n'),
        );
      } finally {
        await api('/api/automation/stop', 'POST');
        await api(`/api/triggers/${t.trigger_id}`, 'DELETE');
      }
    });

    it('answers 404, 409 and 400 as JSON and never lets an id leave the data directory', async () => {
      const cases: Array<[string, string, unknown, number, string]> = [
        ['/api/chains/chain_nope', 'GET', undefined, 404, 'ChainNotFound'],
        ['/api/chains/chain_nope/execute', 'POST', {}, 404, 'ChainNotFound'],
        ['/api/triggers/trigger_nope', 'GET', undefined, 404, 'TriggerNotFound'],
        ['/api/triggers/trigger_nope/toggle', 'POST', {}, 404, 'TriggerNotFound'],
        ['/api/workflows/wf_nope', 'GET', undefined, 404, 'WorkflowNotFound'],
        ['/api/chains', 'POST', { chain_id: 'chain_daily', name: 'again', workflows: OK }, 409, 'Conflict'],
        ['/api/workflows/wf_ok_1', 'DELETE', undefined, 409, 'Conflict'],
        ['/api/chains/chain_daily', 'DELETE', undefined, 409, 'Conflict'],
        ['/api/chains', 'POST', { name: 'x', workflows: [] }, 400, 'InvalidRequest'],
        ['/api/chains', 'POST', [1, 2], 400, 'InvalidRequest'],
        ['/api/chains', 'POST', '{"name": "broken', 400, 'InvalidRequest'],
        [
          '/api/triggers',
          'POST',
          { trigger_type: 'file', workflow_id: 'wf_ok_1', config: { watch_directory: 'no-such-inbox' } },
          400,
          'InvalidTriggerConfig',
        ],
        [
          '/api/triggers',
          'POST',
          { trigger_type: 'file', workflow_id: 'wf_ok_1', config: { watch_directory: '/etc' } },
          400,
          'InvalidTriggerConfig',
        ],
        [
          '/api/triggers',
          'POST',
          { trigger_type: 'file', workflow_id: 'wf_ok_1', config: { watch_directory: '../..' } },
          400,
          'InvalidTriggerConfig',
        ],
        ['/api/triggers/x/toggle', 'POST', { enabled: 'yes' }, 400, 'InvalidRequest'],
        [
          '/api/triggers',
          'POST',
          { trigger_type: 'manual', workflow_id: 'wf_ok_1', enabeld: false },
          400,
          'InvalidTriggerConfig',
        ],
        ['/api/chains/chain_daily/execute', 'POST', { param: { run: 1 } }, 400, 'InvalidRequest'],
        ['/api/workflows/..%2F..%2Fsettings.js', 'GET', undefined, 400, 'InvalidRequest'],
        ['/api/workflows/.hidden', 'DELETE', undefined, 400, 'InvalidRequest'],
        ['/api/chains/..%2Fstore', 'GET', undefined, 400, 'InvalidRequest'],
        ['/api/workflows', 'POST', { ...workflowDoc('x'), workflow_id: '../../escape' }, 400, 'InvalidWorkflow'],
      ];
      for (const [p, method, body, status, error] of cases) {
        const res = await rt.fetch(p, {
          method,
          headers: { 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        });
        const text = await res.text();
        assert.strictEqual(res.status, status, `${method} ${p}: ${text}`);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/, `${method} ${p}`);
        const json = JSON.parse(text);
        assert.strictEqual(json.error, error, `${method} ${p}: ${text}`);
        assert.ok(typeof json.message === 'string' && json.message.length > 0);
        assert.doesNotMatch(text, /\n\s+at |node_modules|\.js:\d+/, `${method} ${p} leaks a stack trace`);
      }
      assert.ok(!fs.existsSync(path.join(rt.dataDir, '..', 'escape.json')));
    });
  });
});

describe('automation admin API with admin authentication', function () {
  this.timeout(60_000);
  it('refuses requests without a token and accepts them with one', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bcrypt = require('bcryptjs') as { hashSync(s: string, rounds: number): string };
    const rt = await NodeRedRuntime.start({
      flows: [],
      env: { NODE_RED_ADMIN_USER: 'admin', NODE_RED_ADMIN_PASSWORD_HASH: bcrypt.hashSync('s3cret-pass', 8) },
    });
    try {
      for (const [p, method] of [
        ['/api/chains', 'GET'],
        ['/api/triggers', 'POST'],
        ['/api/automation/stop', 'POST'],
        ['/api/workflows', 'GET'],
      ]) {
        assert.strictEqual((await rt.fetch(p, { method })).status, 401, `${method} ${p}`);
      }
      const token = await rt.json<{ access_token: string }>('/auth/token', {
        method: 'POST',
        body: JSON.stringify({
          client_id: 'node-red-admin',
          grant_type: 'password',
          scope: '*',
          username: 'admin',
          password: 's3cret-pass',
        }),
      });
      assert.strictEqual(token.status, 200);
      const res = await apiOf(rt, { Authorization: `Bearer ${token.body.access_token}` })('/api/automation/status');
      assert.strictEqual(res.status, 200);
      assert.strictEqual(res.body.running, true);
    } finally {
      await rt.stop();
      fs.rmSync(rt.userDir, { recursive: true, force: true });
    }
  });
});
