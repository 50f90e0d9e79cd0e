/**
 * Encryption at rest through the real runtime (`npm start`'s settings): the first start creates
 * an owner-only data key, a workflow stored through the API is sealed on disk and read back by
 * the API, and `rpa-vision` with the same data directory reads it too; what lives in the store
 * and the log files (triggers and their params, queued jobs, log entries) is sealed as well.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { spawnSync } from 'child_process';
import { NodeRedRuntime } from '../helpers/runtime';
import { journalFile, readJournal, workflowDoc } from '../automation/helpers/journal-executor';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
const EXECUTOR = path.join(__dirname, '..', 'automation', 'helpers', 'journal-executor.js');

/** The files under `dir` whose bytes contain `text` (LevelDB's own files included). */
function filesHolding(dir: string, text: string, except: string[]): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !except.includes(f) && fs.readFileSync(f).includes(text));
}

describe('encryption at rest in the runtime', function () {
  this.timeout(120_000);
  let rt: NodeRedRuntime;
  before(async () => {
    // No key from the environment: the runtime makes its own.
    rt = await NodeRedRuntime.start({
      env: { RPA_VISION_DATA_KEY: '', RPA_VISION_EXECUTOR_MODULE: EXECUTOR, RPA_VISION_RESOURCE_INTERVAL_S: '0' },
    });
  });
  after(async () => {
    await rt?.stop();
    if (rt) fs.rmSync(rt.userDir, { recursive: true, force: true });
  });

  it('creates the key on first start and seals the workflows it stores', async () => {
    const keyFile = path.join(rt.dataDir, '.data-key');
    assert.strictEqual(fs.statSync(keyFile).mode & 0o777, 0o600);
    assert.strictEqual(fs.statSync(rt.dataDir).mode & 0o077, 0, 'the data directory is owner-only');

    const created = await rt.json('/api/workflows', { method: 'POST', body: JSON.stringify(workflowDoc('wf_sealed')) });
    assert.strictEqual(created.status, 201, JSON.stringify(created.body));
    const file = path.join(rt.dataDir, 'workflows', 'wf_sealed.json');
    const bytes = fs.readFileSync(file);
    assert.strictEqual(bytes.subarray(0, 8).toString('ascii'), 'RPAVSEAL');
    assert.strictEqual(bytes.indexOf('wf_sealed'), -1, 'nothing of the workflow reads in clear');
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);

    const read = await rt.json<{ workflow_id: string }>('/api/workflows/wf_sealed');
    assert.strictEqual(read.status, 200);
    assert.strictEqual(read.body.workflow_id, 'wf_sealed');

    const env = { ...process.env, RPA_VISION_DATA_DIR: rt.dataDir, RPA_VISION_DATA_KEY: '' };
    const flow = spawnSync(process.execPath, [CLI, 'flow', file], { env, encoding: 'utf8' });
    assert.strictEqual(flow.status, 0, flow.stderr);
  });

  it('seals triggers, their params, queued jobs and log entries in the store and the log files', async () => {
    const marks = { trigger: 'Clinique-Trigger-7731', fire: 'Montant-Fire-4412', log: 'Facture-Log-9920' };
    assert.strictEqual(
      (await rt.json('/api/workflows', { method: 'POST', body: JSON.stringify(workflowDoc('wf_store')) })).status,
      201,
    );
    const trigger = await rt.json<{ trigger_id: string }>('/api/triggers', {
      method: 'POST',
      body: JSON.stringify({ trigger_type: 'manual', workflow_id: 'wf_store', params: { client: marks.trigger } }),
    });
    assert.strictEqual(trigger.status, 201, JSON.stringify(trigger.body));
    const fired = await rt.json(`/api/triggers/${trigger.body.trigger_id}/fire`, {
      method: 'POST',
      body: JSON.stringify({ params: { montant: marks.fire } }),
    });
    assert.strictEqual(fired.status, 202, JSON.stringify(fired.body));
    const logged = await rt.json('/api/logs', {
      method: 'POST',
      body: JSON.stringify({ message: marks.log, metadata: { ref: marks.log } }),
    });
    assert.strictEqual(logged.status, 201);
    const deadline = Date.now() + 20_000;
    while (!readJournal(rt.dataDir).some((l) => l.params.montant === marks.fire) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    assert.ok(
      readJournal(rt.dataDir).some((l) => l.params.client === marks.trigger && l.params.montant === marks.fire),
      'the run got the params in clear',
    );

    // The product reads them back…
    const logs = await rt.json<{ entries: Array<{ message: string }> }>('/api/logs?limit=50&newest_first=true');
    assert.ok(logs.body.entries.some((e) => e.message === marks.log));
    const stored = await rt.json<{ params: Record<string, string> }>(`/api/triggers/${trigger.body.trigger_id}`);
    assert.strictEqual(stored.body.params.client, marks.trigger);
    // …while no file of the data directory holds them in clear (the test executor's journal aside).
    const logFiles = fs.readdirSync(path.join(rt.dataDir, 'logs'));
    assert.ok(logFiles.length > 0, 'the daily log file is written');
    for (const mark of Object.values(marks))
      assert.deepStrictEqual(filesHolding(rt.dataDir, mark, [journalFile(rt.dataDir)]), [], mark);
  });
});
