/**
 * The quick actions through the real Node-RED's HTTP API, as the dashboard calls them: the
 * health check with recommendations, the store maintenance (a backup that is itself a data
 * directory the store opens, then compaction) and the smoke test on a real display; then the
 * dashboard's Quick actions page in Chromium, in English and in French.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { NodeRedRuntime } from '../helpers/runtime';
import { VirtualDesktop } from '../helpers/desktop';
import { openStore } from '../../lib/store/store';
import { loadDataKey, useDataKey } from '../../lib/contracts/sealed-files';
import { defaultFlows } from '../../scripts/userdir';
import { launchChromium } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');

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
    // The default flows: the dashboard's pages, the quick actions' one (flows/quick-actions.json) included.
    runtime = await NodeRedRuntime.start({
      flows: defaultFlows(ROOT),
      env: { DISPLAY: vd.display, RPA_VISION_RESOURCE_INTERVAL_S: '0' },
    });
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
    // The backup is a data directory: with its own data key the store opens there and holds
    // what was logged (sealed with that key: unreadable without it).
    useDataKey(loadDataKey(backup));
    const store = await openStore(backup);
    try {
      const logs = await store.sub<{ message: string }>('logs').values();
      assert.ok(
        logs.some((e) => e.message === 'before the backup'),
        JSON.stringify(logs.map((e) => e.message)),
      );
    } finally {
      await store.close();
      useDataKey(null);
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

  it("the dashboard page runs them, in the browser's language", async () => {
    assert.doesNotMatch(runtime.log, /\[error\]/, runtime.log);
    const browser = await launchChromium();
    try {
      const en = await browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
      await en.goto(`${runtime.url}/dashboard/quick-actions`);
      await en.getByRole('button', { name: 'Smoke test' }).click();
      await en.waitForFunction(() => /Smoke test: passed \([\d.]+ s\)/.test(document.body.innerText), undefined, {
        timeout: 60_000,
      });
      assert.match(await en.innerText('body'), /vision: read \d+ text line/);
      await en.getByRole('button', { name: 'Health check' }).click();
      await en.waitForFunction(() => /Health score: \d+ \/ 100/.test(document.body.innerText));
      const fr = await browser.newPage({ locale: 'fr-FR' });
      await fr.goto(`${runtime.url}/dashboard/quick-actions`);
      await fr.getByRole('button', { name: 'Vérification santé' }).waitFor();
      await fr.getByRole('button', { name: 'Sauvegarder et compacter' }).click();
      await fr.waitForFunction(() => document.body.innerText.includes("Indiquez le chemin absolu d'un dossier"));
      assert.doesNotMatch(await fr.innerText('body'), /Smoke test|Health check/);
    } finally {
      await browser.close();
    }
  });
});
