/**
 * Bad input through the real runtime (journal executor): the validation gaps a probe found
 * (ids shared by a chain and a workflow, backtracking title patterns, non-finite numbers,
 * unbounded sizes, archive windows, back-dated log entries), then a fuzz of every route of the
 * package's HTTP API: random ids, queries and bodies must get JSON, a 4xx for what is bad,
 * never a 5xx, a stack trace or the install path, and nothing is written outside the data dir.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import fc from 'fast-check';
import { NodeRedRuntime } from '../helpers/runtime';
import { workflowDoc } from './helpers/journal-executor';

const EXECUTOR = path.join(__dirname, 'helpers', 'journal-executor.js');
const INSTALL_DIR = path.resolve(__dirname, '..', '..', '..');
/** Every id the fuzz makes up carries this mark, so a file it caused is easy to find anywhere. */
const MARK = 'zzfuzz';

interface Reply {
  status: number;
  type: string;
  text: string;
}

describe('bad input on the HTTP API (real runtime)', function () {
  this.timeout(180_000);
  let rt: NodeRedRuntime;

  async function send(method: string, route: string, body?: string): Promise<Reply> {
    const res = await rt.fetch(route, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }
  const post = (route: string, body: unknown) => send('POST', route, JSON.stringify(body));

  function assertJsonError(r: Reply, status: number, what: string): Record<string, unknown> {
    assert.strictEqual(r.status, status, `${what}: ${r.status} ${r.text}`);
    assert.match(r.type, /application\/json/, what);
    return JSON.parse(r.text) as Record<string, unknown>;
  }

  before(async () => {
    rt = await NodeRedRuntime.start({ env: { RPA_VISION_EXECUTOR_MODULE: EXECUTOR } });
    for (const id of ['wf_a', 'wf_b']) assert.strictEqual((await post('/api/workflows', workflowDoc(id))).status, 201);
    assert.strictEqual(
      (await post('/api/chains', { name: 'ab', workflows: ['wf_a', 'wf_b'], chain_id: 'chain_ab' })).status,
      201,
    );
    assert.strictEqual(
      (
        await post('/api/triggers', {
          trigger_type: 'manual',
          workflow_id: 'wf_a',
          trigger_id: 'trig_a',
          enabled: false,
        })
      ).status,
      201,
    );
  });
  after(async () => {
    await rt?.stop();
    if (rt) fs.rmSync(rt.userDir, { recursive: true, force: true });
  });

  it('never lets a chain and a workflow share an id (409 both ways)', async () => {
    const chain = assertJsonError(
      await post('/api/chains', { name: 'x', workflows: ['wf_a'], chain_id: 'wf_b' }),
      409,
      'chain taking a workflow id',
    );
    assert.match(String(chain.message), /wf_b is already a workflow id/);
    const wf = assertJsonError(
      await post('/api/workflows', workflowDoc('chain_ab')),
      409,
      'workflow taking a chain id',
    );
    assert.match(String(wf.message), /chain_ab is already a chain id/);
    const trigger = JSON.parse((await post('/api/triggers', { trigger_type: 'manual', workflow_id: 'wf_b' })).text);
    assert.strictEqual(trigger.target_type, 'workflow', 'wf_b still names the workflow');
  });

  it('refuses title patterns that can backtrack, and accepts plain ones', async () => {
    const withPattern = (id: string, title_pattern: unknown) => ({
      ...workflowDoc(id),
      nodes: [{ node_id: 'N1', label: 'start', screen_template: { window: { title_pattern } } }],
    });
    for (const bad of ['^(a|a)*$', '(', '(x+)+y', '(a)\\1', '(?=a)b', 12]) {
      const body = assertJsonError(await post('/api/workflows', withPattern('wf_pat', bad)), 400, `pattern ${bad}`);
      assert.strictEqual(body.error, 'InvalidWorkflow');
      assert.match(String(body.message), /nodes\[0\]\.screen_template\.window\.title_pattern: /);
    }
    assert.strictEqual((await post('/api/workflows', withPattern('wf_pat', 'Factures.*Clinique'))).status, 201);
  });

  it('refuses numbers JSON cannot hold and sizes past the bounds', async () => {
    const doc = JSON.stringify({ ...workflowDoc('wf_inf'), version: 7 }).replace('"version":7', '"version":1e400');
    const inf = assertJsonError(await send('POST', '/api/workflows', doc), 400, 'version 1e400');
    assert.match(String(inf.message), /version: must be a finite number/);
    const cases: Array<[string, unknown, string]> = [
      ['/api/chains/chain_ab/execute', { priority: 1e300 }, 'priority'],
      ['/api/chains/chain_ab/execute', { priority: -101 }, 'priority'],
      ['/api/chains/chain_ab/execute', { params: { blob: 'x'.repeat(70_000) } }, 'params'],
      ['/api/chains', { name: 'x', workflows: ['wf_a'], description: 'x'.repeat(2_001) }, 'description'],
      ['/api/chains', { name: 'x', workflows: Array(201).fill('wf_a') }, 'workflows'],
      [
        '/api/triggers',
        { trigger_type: 'manual', workflow_id: 'wf_a', params: { blob: 'x'.repeat(70_000) } },
        'params',
      ],
    ];
    for (const [route, body, field] of cases) {
      const reply = assertJsonError(await post(route, body), 400, `${route} ${field}`);
      assert.strictEqual(reply.field, field);
    }
  });

  it('archives only whole days from 1 on, and refuses back-dated or future log entries', async () => {
    for (const days of [0, -1, 1.5, 1e15, 1e308, '1e3', true, [1], null]) {
      const body = assertJsonError(
        await post('/api/analytics/archive', { older_than_days: days }),
        400,
        `older_than_days ${JSON.stringify(days)}`,
      );
      assert.strictEqual(body.field, 'older_than_days');
    }
    assert.strictEqual((await post('/api/analytics/archive', { older_than_days: 30 })).status, 200);

    for (const timestamp of ['2001-01-01T00:00:00.000Z', new Date(Date.now() + 86_400_000).toISOString()]) {
      const body = assertJsonError(await post('/api/logs', { message: 'dated', timestamp }), 400, timestamp);
      assert.strictEqual(body.error, 'InvalidLogEntry');
    }
    const wrongTypes: Array<Record<string, unknown>> = [
      { message: 'x', component: { a: 1 } },
      { message: 'x', workflow_id: { a: 1 } },
      { message: 'x', metadata: 'str' },
      { message: 'x', metadata: { blob: 'x'.repeat(20_000) } },
    ];
    for (const entry of wrongTypes)
      assert.strictEqual(
        assertJsonError(await post('/api/logs', entry), 400, JSON.stringify(entry).slice(0, 80)).error,
        'InvalidLogEntry',
      );
    const recent = new Date(Date.now() - 60_000).toISOString();
    const ok = await post('/api/logs', { message: 'recent', timestamp: recent });
    assert.strictEqual(ok.status, 201);
    assert.strictEqual(JSON.parse(ok.text).timestamp, recent);
  });

  it('fuzz: every route answers JSON, 4xx for bad input, never a 5xx, a stack trace or a path', async function () {
    const started = Date.now();
    let requests = 0;
    const known = ['wf_a', 'wf_b', 'chain_ab', 'trig_a', 'nope'];
    const id = fc.oneof(
      fc.constantFrom(...known),
      fc.string({ maxLength: 30 }).map((s) => `${MARK}${s}`),
      fc.stringMatching(/^[a-z0-9_.-]{1,12}$/).map((s) => `${MARK}${s}`),
      fc.constantFrom(
        `${MARK}/../../x`,
        `../${MARK}`,
        `%2e%2e%2f${MARK}`,
        `${MARK}\u0000`,
        `${MARK}${'a'.repeat(300)}`,
      ),
    );
    // [method, path with :id, accepts a body, 2xx answers that are not JSON by design]
    const routes: Array<[string, string, boolean, RegExp?]> = [
      ['GET', '/api/workflows', false],
      ['POST', '/api/workflows', true],
      ['GET', '/api/workflows/:id', false],
      ['DELETE', '/api/workflows/:id', false],
      ['GET', '/api/chains', false],
      ['POST', '/api/chains', true],
      ['GET', '/api/chains/:id', false],
      ['DELETE', '/api/chains/:id', false],
      ['POST', '/api/chains/:id/execute', true],
      ['GET', '/api/triggers', false],
      ['POST', '/api/triggers', true],
      ['GET', '/api/triggers/:id', false],
      ['DELETE', '/api/triggers/:id', false],
      ['POST', '/api/triggers/:id/toggle', true],
      ['POST', '/api/triggers/:id/fire', true],
      ['GET', '/api/automation/status', false],
      ['POST', '/api/automation/start', true],
      ['POST', '/api/automation/stop', true],
      ['GET', '/metrics', false, /text\/plain/],
      ['GET', '/api/logs', false],
      ['POST', '/api/logs', true],
      ['GET', '/api/logs/download', false, /application\/zip/],
      ['GET', '/api/health', false],
      ['GET', '/api/analytics/executions', false],
      ['GET', '/api/analytics/live', false],
      ['GET', '/api/analytics/live/:id', false],
      ['GET', '/api/analytics/stats', false],
      ['GET', '/api/analytics/report', false, /text\/html/],
      ['POST', '/api/analytics/archive', true],
      ['GET', '/rpa-vision/executions/questions', false],
      ['POST', '/rpa-vision/executions/:id/confirm', true],
    ];
    const fields = [
      'workflow_id',
      'chain_id',
      'trigger_id',
      'trigger_type',
      'name',
      'workflows',
      'description',
      'params',
      'priority',
      'enabled',
      'config',
      'message',
      'level',
      'component',
      'timestamp',
      'metadata',
      'older_than_days',
      'confirm',
      'nodes',
      'edges',
      'version',
      '__proto__',
      'constructor',
    ];
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      id,
      fc.constantFrom(1e308, -1, 0, 1.5, '', '{{constructor}}', '../../etc', '1e3', 'x'.repeat(5000)),
      fc.constantFrom({ interval_seconds: 0 }, { watch_directory: '/etc', file_pattern: '*a*a*a*a*b' }, ['wf_a']),
    );
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.constantFrom(workflowDoc(`${MARK}_wf`), { name: 'c', workflows: ['wf_a'] }).map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 60 }),
    );
    const queryKeys = [
      'limit',
      'start',
      'end',
      'level',
      'component',
      'workflow_id',
      'order',
      'hours',
      'format',
      'replace',
      'title',
    ];
    const query = fc.array(
      fc.tuple(
        fc.constantFrom(...queryKeys).chain((k) => fc.constantFrom(k, `${k}[]`, `${k}[a]`)),
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.integer().map(String),
          fc.constantFrom('1e9', 'NaN', '2030-01-01', 'json', 'true'),
        ),
      ),
      { maxLength: 4 },
    );
    const request = fc.record({
      route: fc.constantFrom(...routes),
      id,
      query,
      body,
    });

    await fc.assert(
      fc.asyncProperty(request, async ({ route: [method, pattern, hasBody, binary], id: rawId, query: q, body: b }) => {
        // The confirm route is parsed by Node-RED's own body parser (its errors are handled elsewhere).
        if (pattern.startsWith('/rpa-vision') && hasBody) b = JSON.stringify({ confirm: b.length % 2 === 0 });
        const qs = q
          .map(
            ([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`,
          )
          .join('&');
        const route = pattern.replace(':id', encodeURIComponent(rawId)) + (qs ? `?${qs}` : '');
        const reply = await send(method, route, hasBody ? b : undefined);
        requests++;
        const what = `${method} ${route} ${hasBody ? b.slice(0, 200) : ''} → ${reply.status} ${reply.text.slice(0, 300)}`;
        assert.ok(reply.status < 500, what);
        if (!(binary && reply.status < 300)) assert.match(reply.type, /application\/json/, what);
        assert.doesNotMatch(reply.text, /\n\s+at /, what);
        assert.ok(!reply.text.includes(INSTALL_DIR), `${what} (install path)`);
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS) || 6000,
        seed: Number(process.env.FUZZ_SEED) || 17,
        interruptAfterTimeLimit: 50_000,
      },
    );
    const outside = [INSTALL_DIR, os.tmpdir(), rt.userDir]
      .flatMap((dir) => findMarked(dir, rt.dataDir))
      .filter((f) => !f.startsWith(rt.dataDir));
    assert.deepStrictEqual(outside, [], 'files written outside the data directory');
    console.log(`      fuzz: ${requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, 0 failures`);
  });
});

/** Paths under `dir` (three levels, not under `skip` nor node_modules) whose name holds MARK. */
function findMarked(dir: string, skip: string, depth = 0): string[] {
  if (depth > 3 || dir === skip) return [];
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return names.flatMap((d) => {
    const full = path.join(dir, d.name);
    const own = d.name.includes(MARK) ? [full] : [];
    if (!d.isDirectory() || d.name === 'node_modules' || d.name === '.git') return own;
    return [...own, ...findMarked(full, skip, depth + 1)];
  });
}
