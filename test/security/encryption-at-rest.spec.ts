/**
 * Encryption at rest through the real runtime (`npm start`'s settings): the first start creates
 * an owner-only data key, a workflow stored through the API is sealed on disk and read back by
 * the API, and `rpa-vision` with the same data directory reads it too.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { spawnSync } from 'child_process';
import { NodeRedRuntime } from '../helpers/runtime';
import { workflowDoc } from '../automation/helpers/journal-executor';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');

describe('encryption at rest in the runtime', function () {
  this.timeout(120_000);
  let rt: NodeRedRuntime;
  before(async () => {
    // No key from the environment: the runtime makes its own.
    rt = await NodeRedRuntime.start({ env: { RPA_VISION_DATA_KEY: '' } });
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
});
