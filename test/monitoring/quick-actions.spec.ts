/**
 * The quick actions through the real Node-RED's HTTP API, as the dashboard calls them: the
 * health check with recommendations, the store maintenance (a backup that is itself a data
 * directory the store opens, then compaction) and the smoke test on a real display.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { NodeRedRuntime } from '../helpers/runtime';
import { VirtualDesktop } from '../helpers/desktop';
import { openStore } from '../../lib/store/store';

interface Json {
  [k: string]: unknown;
}

describe('quick actions (/rpa-vision/quick-actions)', function () {
  this.timeout(120_000);
  let runtime: NodeRedRuntime;
  let vd: VirtualDesktop;
  const post = (pathname: string, body: unknown) =>
    runtime.json<Json>(pathname, { method: 'POST', body: JSON.stringify(body) });

  before(async () => {
    vd = await VirtualDesktop.start({ width: 800, height: 600, windowManager: false });
    runtime = await NodeRedRuntime.start({ flows: [], env: { DISPLAY: vd.display } });
  });

  after(async () => {
    await runtime?.stop();
    await vd?.stop();
  });

  it('health: a score, the checks and recommendations', async () => {
    const r = await runtime.json<{ score: number; checks: Array<{ name: string }>; recommendations: string[] }>(
      '/rpa-vision/quick-actions/health',
    );
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.score >= 0 && r.body.score <= 100);
    assert.ok(r.body.checks.some((c) => c.name === 'display'));
    assert.ok(Array.isArray(r.body.recommendations));
  });

  it('maintenance: backs the store and data folder up into the chosen folder, then compacts', async () => {
    const logged = await post('/api/logs', { message: 'before the backup', component: 'quick-actions-spec' });
    assert.strictEqual(logged.status, 201, JSON.stringify(logged.body));
    const chosen = fs.mkdtempSync('/tmp/rpa-backups-');
    const r = await post('/rpa-vision/quick-actions/maintenance', { backup_dir: chosen });
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    const backup = String(r.body.backup_dir);
    assert.strictEqual(path.dirname(backup), chosen);
    assert.ok(Number(r.body.store_entries) >= 1);
    assert.ok(fs.existsSync(path.join(backup, '.data-key')), 'the data key is in the backup');
    // The backup is a data directory: the store opens there and holds what was logged.
    const store = await openStore(backup);
    try {
      const logs = await store.sub<{ message: string }>('logs').values();
      assert.ok(
        logs.some((e) => e.message === 'before the backup'),
        JSON.stringify(logs.map((e) => e.message)),
      );
    } finally {
      await store.close();
    }

    const relative = await post('/rpa-vision/quick-actions/maintenance', { backup_dir: 'backups' });
    assert.strictEqual(relative.status, 400);
    assert.match(String(relative.body.message), /absolute path/);
    const inside = await post('/rpa-vision/quick-actions/maintenance', {
      backup_dir: path.join(runtime.dataDir, 'b'),
    });
    assert.strictEqual(inside.status, 400);
    assert.match(String(inside.body.message), /inside the data directory/);
  });

  it('smoke test: display, vision and store proved in under a minute', async () => {
    const r = await post('/rpa-vision/quick-actions/smoke-test', {});
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    const checks = r.body.checks as Array<{ name: string; ok: boolean; detail: string }>;
    assert.deepStrictEqual(
      checks.map((c) => [c.name, c.ok]),
      [
        ['display', true],
        ['vision', true],
        ['store', true],
      ],
      JSON.stringify(checks),
    );
    assert.match(checks[0].detail, /captured 800×600/);
    assert.strictEqual(r.body.ok, true);
    assert.ok(Number(r.body.elapsed_ms) < 60_000, `${String(r.body.elapsed_ms)} ms`);
  });
});
