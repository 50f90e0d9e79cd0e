/**
 * Faults around the store and the data key, through the real runtime (`npm start`'s script):
 * a second instance on the same data directory says which process holds the store and answers
 * 503 JSON until it is free; the CLI names that process too; an access token in the URL is
 * refused; a data key that cannot be loaded stops every write instead of writing in clear.
 */
import assert from 'assert';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { NodeRedRuntime } from '../helpers/runtime';
import { workflowDoc } from '../automation/helpers/journal-executor';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');

async function until(check: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return check();
}

describe('store and data key faults (real runtime)', function () {
  this.timeout(120_000);

  describe('a second instance on the same data directory', () => {
    let first: NodeRedRuntime;
    let second: NodeRedRuntime | undefined;
    let holderPid: number;
    before(async () => {
      first = await NodeRedRuntime.start({ env: { RPA_VISION_RESOURCE_INTERVAL_S: '0' } });
      // The store says who holds it once it is open, which may come a moment after the flows start.
      const holder = path.join(first.dataDir, 'store', 'HOLDER.json');
      assert.ok(await until(() => fs.existsSync(holder)), `${holder} was never written`);
      holderPid = (JSON.parse(fs.readFileSync(holder, 'utf8')) as { pid: number }).pid;
    });
    after(async () => {
      await second?.stop();
      await first?.stop();
      if (first) fs.rmSync(first.userDir, { recursive: true, force: true });
    });

    it('says at start which process holds the store, and its API answers 503 JSON without paths', async () => {
      second = await NodeRedRuntime.start({ userDir: first.userDir, env: { RPA_VISION_RESOURCE_INTERVAL_S: '0' } });
      const said = `the store ${path.join(first.dataDir, 'store')} is in use by process ${holderPid} (node-red/red.js, since `;
      assert.ok(await until(() => second!.log.includes(said)), second.log);
      assert.match(second.log, /give this one another data directory \(RPA_VISION_DATA_DIR/);

      const res = await second.json<{ error: string; message: string }>('/api/chains');
      assert.strictEqual(res.status, 503, JSON.stringify(res.body));
      assert.strictEqual(res.body.error, 'StoreLocked');
      assert.strictEqual(
        res.body.message,
        `the store is in use by process ${holderPid} with the same data directory; retry once it has stopped`,
      );
      assert.ok(!JSON.stringify(res.body).includes(first.userDir), 'no internal path');
      assert.strictEqual((await first.json('/api/chains')).status, 200, 'the first instance is unaffected');
    });

    it('the CLI names the process holding the store', () => {
      const run = spawnSync(process.execPath, [CLI, 'doctor', '--json', '--data-dir', first.dataDir], {
        encoding: 'utf8',
        env: { ...process.env, DISPLAY: '' },
      });
      const store = (JSON.parse(run.stdout) as { checks: Array<{ name: string; detail: string }> }).checks.find(
        (c) => c.name === 'store',
      );
      assert.ok(store, run.stdout);
      assert.match(store.detail, new RegExp(`in use by process ${holderPid} \\(node-red/red.js, since `));
      assert.ok(store.detail.includes(first.dataDir));
    });

    it('serves the second instance once the first has stopped', async () => {
      await first.stop();
      const res = await second!.json('/api/chains');
      assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    });

    it('refuses an access token in the query string, saying to use the Authorization header', async () => {
      const res = await second!.json<{ error: string; message: string }>('/api/chains?access_token=abc');
      assert.strictEqual(res.status, 400);
      assert.strictEqual(res.body.error, 'TokenInQuery');
      assert.match(res.body.message, /send it in the Authorization header/);
      for (const p of ['/flows?access_token=abc', '/?x=1&access_token=abc'])
        assert.strictEqual((await second!.fetch(p)).status, 400, p);
    });
  });

  describe('a data key file that cannot be loaded', () => {
    let rt: NodeRedRuntime;
    before(async () => {
      const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-badkey-'));
      const dataDir = path.join(userDir, 'rpa-vision-data');
      fs.mkdirSync(dataDir, { mode: 0o700 });
      fs.writeFileSync(path.join(dataDir, '.data-key'), 'damaged\n', { mode: 0o600 });
      rt = await NodeRedRuntime.start({
        userDir,
        env: { RPA_VISION_DATA_KEY: '', RPA_VISION_RESOURCE_INTERVAL_S: '0' },
      });
    });
    after(async () => {
      await rt?.stop();
      if (rt) fs.rmSync(rt.userDir, { recursive: true, force: true });
    });

    it('writes nothing in clear: every write fails with a sentence saying what to fix', async () => {
      assert.match(
        rt.log,
        /the data key cannot be loaded, so nothing will be written to the data directory: .*\.data-key is not a data key/,
      );
      const created = await rt.json<{ error: string; message: string }>('/api/workflows', {
        method: 'POST',
        body: JSON.stringify(workflowDoc('wf_plain')),
      });
      assert.strictEqual(created.status, 503, JSON.stringify(created.body));
      assert.strictEqual(created.body.error, 'DataKeyUnavailable');
      assert.match(created.body.message, /restore the key file from your copy, or set RPA_VISION_DATA_KEY/);
      assert.ok(!fs.existsSync(path.join(rt.dataDir, 'workflows', 'wf_plain.json')));

      const chain = await rt.json('/api/chains', {
        method: 'POST',
        body: JSON.stringify({ name: 'Clinique-Chain-5521', workflows: ['wf_plain'] }),
      });
      assert.ok(chain.status >= 400, `${chain.status}`);
      const logged = await rt.json('/api/logs', {
        method: 'POST',
        body: JSON.stringify({ message: 'Log-Clear-6610' }),
      });
      assert.strictEqual(logged.status, 503, JSON.stringify(logged.body));
      const clear = fs
        .readdirSync(rt.dataDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .filter((e) =>
          /Clinique-Chain-5521|Log-Clear-6610/.test(fs.readFileSync(path.join(e.parentPath, e.name), 'latin1')),
        );
      assert.deepStrictEqual(clear, []);
    });
  });
});
