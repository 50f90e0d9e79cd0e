/**
 * Out of the box (`npm start`, no login configured) the product answers this machine only:
 * it listens on 127.0.0.1, refuses to listen elsewhere without a login, sends no wildcard CORS
 * header, refuses state-changing requests from other sites and requests addressed to another
 * host name (DNS rebinding), and answers every error with JSON, never a stack trace.
 */
import assert from 'assert';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { NodeRedRuntime } from '../helpers/runtime';
import { defaultFlows } from '../../scripts/userdir';
import { readJournal, workflowDoc } from '../automation/helpers/journal-executor';
import WebSocket from 'ws';
import { request } from './helpers';

/** The HTTP status of a WebSocket handshake with the editor's comms (101 when it opens). */
function commsHandshake(rt: NodeRedRuntime, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${rt.port}/comms`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', reject);
  });
}

const root = path.resolve(__dirname, '..', '..', '..');
const EXECUTOR = path.join(__dirname, '..', 'automation', 'helpers', 'journal-executor.js');

/** The local addresses a TCP port is listening on, from the kernel's tables. */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ] as const) {
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(1) : [];
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue; // 0A = LISTEN
      const [addr, portHex] = local.split(':');
      if (parseInt(portHex, 16) !== port) continue;
      found.push(
        v6
          ? addr === '0'.repeat(32)
            ? '::'
            : addr
          : (addr.match(/../g) ?? [])
              .reverse()
              .map((b) => parseInt(b, 16))
              .join('.'),
      );
    }
  }
  return found;
}

function startScript(env: NodeJS.ProcessEnv) {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-refuse-'));
  try {
    return spawnSync(process.execPath, [path.join(root, 'dist', 'scripts', 'start.js')], {
      cwd: root,
      env: { ...process.env, DISPLAY: '', PORT: '0', NODE_RED_USER_DIR: userDir, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  } finally {
    fs.rmSync(userDir, { recursive: true, force: true });
  }
}

const NO_STACK = /\n\s+at |node_modules|\/work\/|\.js:\d+/;

describe('closed by default (npm start without a login)', function () {
  this.timeout(120_000);
  let rt: NodeRedRuntime;

  before(async () => {
    rt = await NodeRedRuntime.start({
      flows: defaultFlows(root),
      env: {
        RPA_VISION_EXECUTOR_MODULE: EXECUTOR,
        RPA_VISION_RESOURCE_INTERVAL_S: '0',
        NODE_RED_ADMIN_USER: '',
        NODE_RED_ADMIN_PASSWORD_HASH: '',
        RPA_VISION_HOST: '',
        RPA_VISION_ALLOWED_HOSTS: 'rpa.example.org, proxy.example.org',
      },
    });
  });
  after(async () => {
    await rt?.stop();
    if (rt) fs.rmSync(rt.userDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only', async () => {
    assert.deepStrictEqual(listeningAddresses(rt.port), ['127.0.0.1']);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      const reached = await fetch(`http://${external.address}:${rt.port}/`).then(
        () => true,
        () => false,
      );
      assert.strictEqual(reached, false, `reachable on ${external.address}`);
    }
  });

  it('refuses to start on 0.0.0.0 without a login, saying what to set', () => {
    const run = startScript({ RPA_VISION_HOST: '0.0.0.0', NODE_RED_ADMIN_USER: '', NODE_RED_ADMIN_PASSWORD_HASH: '' });
    assert.strictEqual(run.status, 1, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /refusing to listen on 0\.0\.0\.0 without a login: set NODE_RED_ADMIN_USER and NODE_RED_ADMIN_PASSWORD_HASH/,
    );
    assert.doesNotMatch(run.stdout + run.stderr, NO_STACK);
    assert.strictEqual(run.stderr.trim().split('\n').length, 1, run.stderr);
  });

  it('refuses to start with a users file it cannot use, saying which user is wrong', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-users-'));
    const file = path.join(dir, 'users.json');
    fs.writeFileSync(file, JSON.stringify([{ username: 'ops', password: 'plain-text', permissions: 'read' }]));
    const run = startScript({ RPA_VISION_USERS_FILE: file });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.strictEqual(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /user 1 \(ops\): password must be a bcrypt hash/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('sends no Access-Control-Allow-Origin: * on the API, the editor API, the metrics or the dashboard', async () => {
    for (const p of [
      '/api/automation/status',
      '/api/workflows',
      '/flows',
      '/settings',
      '/metrics',
      '/dashboard/automation',
    ]) {
      for (const headers of [{}, { Origin: 'http://evil.example' }] as Array<Record<string, string>>) {
        const res = await request(rt, p, { headers });
        assert.notStrictEqual(res.headers['access-control-allow-origin'], '*', `GET ${p} ${JSON.stringify(headers)}`);
      }
    }
    // the browser's preflight before a cross-site JSON POST
    for (const p of ['/api/triggers/x/fire', '/flows', '/rpa-vision/executions/x/confirm']) {
      const res = await request(rt, p, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://evil.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      assert.strictEqual(res.status, 403, `OPTIONS ${p}`);
      assert.strictEqual(res.headers['access-control-allow-origin'], undefined, `OPTIONS ${p}`);
    }
  });

  it('refuses a cross-site POST to fire a trigger, and nothing runs', async () => {
    const wf = await rt.json('/api/workflows', { method: 'POST', body: JSON.stringify(workflowDoc('wf_cross')) });
    assert.strictEqual(wf.status, 201, JSON.stringify(wf.body));
    const created = await rt.json<{ trigger_id: string }>('/api/triggers', {
      method: 'POST',
      body: JSON.stringify({ trigger_type: 'manual', workflow_id: 'wf_cross', config: {} }),
    });
    assert.strictEqual(created.status, 201);
    const fire = `/api/triggers/${created.body.trigger_id}/fire`;
    // what a web page can send without a preflight, and what a browser marks as cross-site
    for (const headers of [
      { Origin: 'http://evil.example', 'Content-Type': 'text/plain' },
      { Origin: 'null', 'Content-Type': 'application/x-www-form-urlencoded' },
      { Origin: `http://localhost:${rt.port + 1}`, 'Content-Type': 'text/plain' },
      { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'text/plain' },
    ] as Array<Record<string, string>>) {
      const res = await request(rt, fire, { method: 'POST', headers, body: 'x' });
      assert.strictEqual(res.status, 403, `${JSON.stringify(headers)}: ${res.text}`);
      assert.strictEqual(JSON.parse(res.text).error, 'CrossSiteRequest');
    }
    for (const [method, p] of [
      ['POST', '/api/automation/stop'],
      ['DELETE', `/api/workflows/wf_cross`],
      ['POST', '/flows'],
    ]) {
      const res = await request(rt, p, { method, headers: { Origin: 'http://evil.example' }, body: '' });
      assert.strictEqual(res.status, 403, `${method} ${p}`);
    }
    // nor can a page of another site listen to the editor's comms
    assert.strictEqual(await commsHandshake(rt, { Origin: 'http://evil.example' }), 403);
    assert.strictEqual(await commsHandshake(rt, { Origin: rt.url }), 101);
    await new Promise((r) => setTimeout(r, 2500));
    assert.deepStrictEqual(readJournal(rt.dataDir), [], 'nothing ran');
    const status = await rt.json<{ running: boolean; queue_length: number }>('/api/automation/status');
    assert.deepStrictEqual([status.body.running, status.body.queue_length], [true, 0]);
    assert.strictEqual((await rt.json('/api/workflows/wf_cross')).status, 200);

    // the same request from the product's own pages (same origin) goes through
    const own = await request(rt, fire, {
      method: 'POST',
      headers: { Origin: rt.url, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.strictEqual(own.status, 202, own.text);
    const deadline = Date.now() + 15_000;
    while (!readJournal(rt.dataDir).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.deepStrictEqual(
      readJournal(rt.dataDir).map((l) => l.workflow_id),
      ['wf_cross'],
    );
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    for (const [method, p] of [
      ['GET', '/api/logs'],
      ['GET', '/flows'],
      ['GET', '/dashboard/automation'],
      ['POST', '/api/automation/stop'],
    ]) {
      const res = await request(rt, p, { method, headers: { Host: `attacker.example:${rt.port}` } });
      assert.strictEqual(res.status, 403, `${method} ${p}`);
      assert.strictEqual(JSON.parse(res.text).error, 'ForbiddenHost');
    }
    // the sockets too: the dashboard's (Engine.IO polling) and the editor's (WebSocket)
    const socket = await request(rt, '/dashboard/socket.io/?EIO=4&transport=polling', {
      headers: { Host: `attacker.example:${rt.port}` },
    });
    assert.strictEqual(socket.status, 403);
    assert.strictEqual(JSON.parse(socket.text).error, 'ForbiddenHost');
    assert.strictEqual(await commsHandshake(rt, { Host: `attacker.example:${rt.port}` }), 403);
    for (const host of [`localhost:${rt.port}`, `127.0.0.1:${rt.port}`, `[::1]:${rt.port}`, 'rpa.example.org']) {
      const res = await request(rt, '/api/automation/status', { headers: { Host: host } });
      assert.strictEqual(res.status, 200, host);
    }
  });

  it('answers malformed and oversized bodies with JSON 400/413, without stack or install path', async () => {
    for (const p of ['/flows', '/auth/token', '/rpa-vision/executions/x/confirm', '/api/chains']) {
      const res = await request(rt, p, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{bad',
      });
      assert.strictEqual(res.status, 400, `${p}: ${res.text}`);
      assert.match(String(res.headers['content-type']), /application\/json/, p);
      assert.doesNotMatch(res.text, NO_STACK, p);
      assert.match(JSON.parse(res.text).message, /not valid JSON/, p);
    }
    const big = await request(rt, '/rpa-vision/executions/x/confirm', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ confirm: 'x'.repeat(6 * 1024 * 1024) }),
    });
    assert.strictEqual(big.status, 413);
    assert.match(String(big.headers['content-type']), /application\/json/);
    assert.doesNotMatch(big.text, NO_STACK);
  });

  it('answers an unknown route or method under /api and /rpa-vision with a JSON 404', async () => {
    for (const [method, p] of [
      ['GET', '/api/nope'],
      ['PUT', '/api/workflows/wf_a'],
      ['PATCH', '/api/chains/chain_ab'],
      ['GET', '/rpa-vision/nope'],
    ]) {
      const res = await request(rt, p, { method, headers: { 'Content-Type': 'application/json' }, body: '{}' });
      assert.strictEqual(res.status, 404, `${method} ${p}`);
      assert.strictEqual(JSON.parse(res.text).error, 'NotFound', `${method} ${p}`);
    }
    // the editor and the dashboard are still served
    assert.strictEqual((await request(rt, '/')).status, 200);
    assert.strictEqual((await request(rt, '/dashboard/automation')).status, 200);
  });
});
