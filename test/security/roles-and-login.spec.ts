/**
 * With a login (an administrator from the environment, more users from RPA_VISION_USERS_FILE),
 * listening on every interface: each user can do what their permissions say and no more, the
 * dashboard and its socket need the same login, and failed logins slow down the client that
 * makes them, not the user everywhere.
 */
import assert from 'assert';
import fs from 'fs';
import { createRequire } from 'module';
import os from 'os';
import path from 'path';
import { NodeRedRuntime } from '../helpers/runtime';
import { defaultFlows } from '../../scripts/userdir';
import { workflowDoc } from '../automation/helpers/journal-executor';
import { basic, DashboardSocket, login, request, tokenOf } from './helpers';

const root = path.resolve(__dirname, '..', '..', '..');
const EXECUTOR = path.join(__dirname, '..', 'automation', 'helpers', 'journal-executor.js');
const bcrypt = createRequire(require.resolve('node-red/package.json'))('bcryptjs') as {
  hashSync(password: string, rounds: number): string;
};

const USERS = [
  { username: 'reader', password: 'read-pw', permissions: 'read' },
  { username: 'runner', password: 'run-pw', permissions: ['read', 'rpa.run'] },
  { username: 'approver', password: 'approve-pw', permissions: ['read', 'rpa.approve'] },
  { username: 'editor', password: 'write-pw', permissions: ['read', 'rpa.write'] },
];

describe('roles and login (users file, listening on 0.0.0.0)', function () {
  this.timeout(120_000);
  let rt: NodeRedRuntime;
  let usersDir: string;
  const tokens: Record<string, string> = {};
  let triggerId: string;

  before(async () => {
    usersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-users-'));
    const file = path.join(usersDir, 'users.json');
    fs.writeFileSync(file, JSON.stringify(USERS.map((u) => ({ ...u, password: bcrypt.hashSync(u.password, 4) }))));
    rt = await NodeRedRuntime.start({
      flows: defaultFlows(root),
      env: {
        RPA_VISION_HOST: '0.0.0.0',
        RPA_VISION_USERS_FILE: file,
        NODE_RED_ADMIN_USER: 'admin',
        NODE_RED_ADMIN_PASSWORD_HASH: bcrypt.hashSync('admin-pw', 4),
        RPA_VISION_EXECUTOR_MODULE: EXECUTOR,
        RPA_VISION_RESOURCE_INTERVAL_S: '0',
      },
    });
    tokens.admin = await tokenOf(rt, 'admin', 'admin-pw');
    for (const u of USERS) tokens[u.username] = await tokenOf(rt, u.username, u.password);
    const as = { Authorization: `Bearer ${tokens.admin}` };
    assert.strictEqual(
      (await rt.json('/api/workflows', { method: 'POST', headers: as, body: JSON.stringify(workflowDoc('wf_roles')) }))
        .status,
      201,
    );
    const t = await rt.json<{ trigger_id: string }>('/api/triggers', {
      method: 'POST',
      headers: as,
      body: JSON.stringify({ trigger_type: 'manual', workflow_id: 'wf_roles', config: {} }),
    });
    triggerId = t.body.trigger_id;
  });
  after(async () => {
    await rt?.stop();
    if (rt) fs.rmSync(rt.userDir, { recursive: true, force: true });
    fs.rmSync(usersDir, { recursive: true, force: true });
  });

  async function statusAs(user: string | undefined, method: string, p: string, body?: unknown): Promise<number> {
    const res = await rt.fetch(p, {
      method,
      headers: {
        'Content-Type': 'application/json',
        ...(user ? { Authorization: `Bearer ${tokens[user]}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('gives each user the routes of their permissions: read, rpa.run, rpa.approve, rpa.write', async () => {
    const reads = ['/api/workflows', '/api/chains', '/api/triggers', '/api/automation/status', '/metrics', '/api/logs'];
    for (const user of ['reader', 'runner', 'approver', 'editor', 'admin'])
      for (const p of [...reads, '/rpa-vision/executions/questions'])
        assert.strictEqual(await statusAs(user, 'GET', p), 200, `${user} GET ${p}`);
    for (const p of reads) assert.strictEqual(await statusAs(undefined, 'GET', p), 401, `anonymous GET ${p}`);

    // [method, path, body, the one permission it needs]
    const writes: Array<[string, string, unknown, string]> = [
      ['POST', `/api/triggers/${triggerId}/fire`, {}, 'runner'],
      ['POST', '/api/chains/nope/execute', {}, 'runner'],
      ['POST', '/api/automation/stop', {}, 'runner'],
      ['POST', '/api/automation/start', {}, 'runner'],
      ['POST', '/rpa-vision/executions/nope/confirm', { confirm: true }, 'approver'],
      ['POST', '/api/workflows', workflowDoc('wf_new'), 'editor'],
      ['DELETE', '/api/workflows/wf_new', undefined, 'editor'],
      ['POST', `/api/triggers/${triggerId}/toggle`, { enabled: true }, 'editor'],
      ['POST', '/api/chains', { name: 'c', workflows: ['wf_roles'] }, 'editor'],
      ['DELETE', '/api/chains/nope', undefined, 'editor'],
      ['POST', '/api/logs', { message: 'x' }, 'editor'],
      ['POST', '/api/analytics/archive', { older_than_days: 3650 }, 'editor'],
    ];
    for (const [method, p, body, allowed] of writes) {
      for (const user of ['reader', 'runner', 'approver', 'editor']) {
        const status = await statusAs(user, method, p, body);
        if (user === allowed) assert.ok(status !== 401 && status !== 403, `${user} ${method} ${p}: ${status}`);
        else assert.strictEqual(status, 401, `${user} ${method} ${p}`);
      }
      const admin = await statusAs('admin', method, p, body);
      assert.ok(admin !== 401 && admin !== 403, `admin ${method} ${p}: ${admin}`);
    }
    // a reader cannot deploy flows either (Node-RED's own flows.write)
    assert.strictEqual(await statusAs('reader', 'POST', '/flows', []), 401);
  });

  it('asks for the same login on the dashboard pages', async () => {
    assert.strictEqual((await request(rt, '/dashboard/automation')).status, 401);
    const challenge = await request(rt, '/dashboard/_setup');
    assert.strictEqual(challenge.status, 401);
    assert.match(String(challenge.headers['www-authenticate']), /^Basic realm="RPA Vision"/);
    assert.strictEqual((await request(rt, '/dashboard/automation', { headers: basic('reader', 'nope') })).status, 401);
    assert.strictEqual(
      (await request(rt, '/dashboard/automation', { headers: basic('reader', 'read-pw') })).status,
      200,
    );
  });

  async function scheduler(): Promise<boolean> {
    const res = await rt.json<{ running: boolean }>('/api/automation/status', {
      headers: { Authorization: `Bearer ${tokens.admin}` },
    });
    return res.body.running;
  }

  it('gives an anonymous dashboard socket nothing and lets it start or stop nothing', async () => {
    assert.strictEqual(await scheduler(), true);
    const anonymous = await DashboardSocket.open(rt);
    const refused = await anonymous.waitFor((p) => p.startsWith('44') || p.startsWith('40'));
    assert.match(refused ?? '', /^44\{"message":"log in to the dashboard first"\}/);
    await anonymous.emit('widget-action', 'rpa_w_stop', { payload: 'stop' });
    assert.strictEqual(await anonymous.waitFor((p) => p.includes('ui-config'), 2000), undefined);
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(await scheduler(), true, 'the anonymous stop did nothing');
    // nor can it start a stopped scheduler (which would run every due or missed trigger)
    assert.strictEqual(await statusAs('admin', 'POST', '/api/automation/stop', {}), 200);
    const again = await DashboardSocket.open(rt);
    await again.emit('widget-action', 'rpa_w_start', { payload: 'start' });
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(await scheduler(), false, 'the anonymous start did nothing');
    assert.strictEqual(await statusAs('admin', 'POST', '/api/automation/start', {}), 200);
  });

  it('shows the dashboard to a reader, who cannot stop the scheduler; a runner can', async () => {
    const reader = await DashboardSocket.open(rt, basic('reader', 'read-pw'));
    const config = await reader.waitFor((p) => p.startsWith('42["ui-config"'));
    assert.ok(config?.includes('rpa_w_stop'), 'the reader receives the widgets');
    await reader.emit('widget-action', 'rpa_w_stop', { payload: 'stop' });
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(await scheduler(), true, "the reader's click was dropped");

    const runner = await DashboardSocket.open(rt, basic('runner', 'run-pw'));
    assert.ok(await runner.waitFor((p) => p.startsWith('42["ui-config"')));
    await runner.emit('widget-action', 'rpa_w_stop', { payload: 'stop' });
    const deadline = Date.now() + 10_000;
    while ((await scheduler()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.strictEqual(await scheduler(), false, "the runner's click stopped the scheduler");
    await runner.emit('widget-action', 'rpa_w_start', { payload: 'start' });
    while (!(await scheduler()) && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 200));
    assert.strictEqual(await scheduler(), true);
  });

  it('answers a login body it cannot parse with JSON, without stack or install path', async () => {
    for (const [type, body] of [
      ['application/json', '{bad'],
      ['application/json', 'x'.repeat(100_000)],
    ]) {
      const res = await request(rt, '/auth/token', { method: 'POST', headers: { 'Content-Type': type }, body });
      assert.ok([400, 413].includes(res.status), `${res.status} ${res.text.slice(0, 200)}`);
      assert.match(String(res.headers['content-type']), /application\/json/);
      assert.doesNotMatch(res.text, /\n\s+at |node_modules|\.js:\d+/);
    }
  });

  it('slows down the client that fails to log in, not the user on another client', async () => {
    const attacker = '127.0.0.2';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(rt, 'admin', `guess-${i}`, attacker)).status);
    assert.deepStrictEqual(statuses.slice(0, 5), [403, 403, 403, 403, 403]);
    assert.ok(
      statuses.slice(5).every((s) => s === 429),
      `then refused: ${statuses}`,
    );
    const refused = await login(rt, 'admin', 'admin-pw', attacker);
    assert.strictEqual(refused.status, 429, 'even the right password waits on the failing client');
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.strictEqual(
      (await request(rt, '/dashboard/automation', { headers: basic('admin', 'admin-pw'), localAddress: attacker }))
        .status,
      429,
    );

    // the real user, from another address, logs in at once, to the editor and the dashboard
    const user = await login(rt, 'admin', 'admin-pw', '127.0.0.1');
    assert.strictEqual(user.status, 200, user.text);
    assert.ok((JSON.parse(user.text) as { access_token?: string }).access_token);
    assert.strictEqual(
      (await request(rt, '/dashboard/automation', { headers: basic('admin', 'admin-pw'), localAddress: '127.0.0.1' }))
        .status,
      200,
    );
    // and Node-RED's own limiter, which would lock "admin" for everyone, never saw the failures
    for (let i = 0; i < 3; i++) assert.strictEqual((await login(rt, 'admin', 'admin-pw', '127.0.0.3')).status, 200);
  });
});
