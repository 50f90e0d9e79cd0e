/**
 * The product as a user starts it: the real Node-RED runtime, this package linked into a fresh
 * user dir by `npm start`'s own script, the default flows deployed — and no display at all.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import WebSocket from 'ws';
import { NodeRedRuntime } from '../helpers/runtime';
import { defaultFlows } from '../../scripts/userdir';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  'node-red': { nodes: Record<string, string>; plugins?: Record<string, string> };
};

interface NodeSet {
  id: string;
  module: string;
  types: string[];
  enabled: boolean;
  err?: string;
}

describe('Node-RED runtime smoke test (npm start without a display)', function () {
  this.timeout(120_000);
  let runtime: NodeRedRuntime;

  before(async () => {
    runtime = await NodeRedRuntime.start({ env: { DISPLAY: '' } });
  });
  after(async () => {
    await runtime?.stop();
  });

  it('registers every node type listed in package.json, loaded and without errors', async () => {
    const { status, body } = await runtime.json<NodeSet[]>('/nodes');
    assert.strictEqual(status, 200);
    const ours = body.filter((s) => s.module === pkg.name);
    const types = ours.flatMap((s) => s.types).sort();
    assert.deepStrictEqual(types, Object.keys(pkg['node-red'].nodes).sort());
    for (const set of ours) {
      assert.ok(set.enabled, `${set.id} is enabled`);
      assert.strictEqual(set.err, undefined, `${set.id} loaded without error`);
    }
  });

  it('puts every node of ours in the "RPA Vision" palette category (config nodes in config) with help text', async () => {
    const res = await runtime.fetch('/nodes', { headers: { Accept: 'text/html' } });
    const html = await res.text();
    for (const type of Object.keys(pkg['node-red'].nodes)) {
      const start = html.indexOf(`registerType('${type}'`);
      assert.ok(start >= 0, `${type} has an editor definition`);
      assert.match(
        html.slice(start, start + 400),
        /category:\s*'(RPA Vision|config)'/,
        `${type} is in the RPA Vision category, or a config node`,
      );
      assert.ok(html.includes(`data-help-name="${type}"`), `${type} has help text`);
    }
  });

  it('loads the API plugin', async () => {
    const { body } = await runtime.json<Array<{ module: string; plugins: Array<{ id: string }> }>>('/plugins');
    const ours = body.filter((p) => p.module === pkg.name).flatMap((p) => p.plugins.map((x) => x.id));
    assert.deepStrictEqual(ours.sort(), Object.keys(pkg['node-red'].plugins ?? {}).sort());
  });

  it('deploys the default flows from flows/ without errors', async () => {
    const { body } = await runtime.json<{ flows: Array<{ id: string; type: string }> }>('/flows', {
      headers: { 'Node-RED-API-Version': 'v2' },
    });
    const deployed = new Set(body.flows.map((n) => n.id));
    const expected = (defaultFlows(root) as Array<{ id: string }>).map((n) => n.id);
    assert.ok(expected.length > 0);
    for (const id of expected) assert.ok(deployed.has(id), `default flow node ${id} is deployed`);
    assert.match(runtime.log, /Started flows/);
    assert.doesNotMatch(runtime.log, /\[error\]/, 'no error in the runtime log');
    assert.doesNotMatch(runtime.log, /Waiting for missing types/);
  });

  it('shows "no display (set DISPLAY)" on the capture node in the editor instead of crashing', async () => {
    // The editor learns node statuses over its comms websocket; statuses are retained messages.
    const ws = new WebSocket(runtime.url.replace('http', 'ws') + '/comms');
    const statuses = new Map<string, { text?: string; fill?: string }>();
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ subscribe: 'status/#' })));
      ws.on('message', (data) => {
        for (const m of JSON.parse(String(data)) as Array<{ topic: string; data: { text?: string; fill?: string } }>) {
          statuses.set(m.topic, m.data);
        }
        if (statuses.has('status/rpa_capture_snapshot')) resolve();
      });
      ws.on('error', reject);
      setTimeout(() => reject(new Error(`no status received; got ${JSON.stringify([...statuses])}`)), 10_000);
    });
    ws.close();
    assert.deepStrictEqual(statuses.get('status/rpa_capture_snapshot'), {
      fill: 'red',
      shape: 'ring',
      text: 'no display (set DISPLAY)',
    });
  });

  it('serves the editor on the port given by PORT', async () => {
    const res = await runtime.fetch('/');
    assert.strictEqual(res.status, 200);
    assert.match(await res.text(), /RPA Vision for Node-RED/);
  });
});
