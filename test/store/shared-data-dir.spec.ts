/**
 * One data directory for the CLI and Node-RED: by default every `rpa-vision` command uses the
 * data directory of `npm start`'s Node-RED, and while that Node-RED holds the store (LevelDB
 * lets one process in), `doctor` says so and a CLI run's records go through the store's inbox
 * into Node-RED's store, where the dashboard's API shows them.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { spawnSync } from 'child_process';
import { NodeRedRuntime } from '../helpers/runtime';
import { VirtualDesktop } from '../helpers/desktop';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'bin', 'rpa-vision.js');
const WORKFLOW = path.join(ROOT, 'test', 'fixtures', 'contracts', 'seed-workflow.json');

/** The environment of a person who set nothing about data directories. */
function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const k of ['RPA_VISION_DATA_DIR', 'NODE_RED_USER_DIR']) if (!(k in extra)) delete env[k];
  return env;
}

/** What the CLI's store module and the product's Node-RED settings resolve, in a fresh process. */
function resolved(env: NodeJS.ProcessEnv): { cli: string; nodeRed: string } {
  const script = `
    const { resolveDataDir } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lib', 'store', 'data-dir.js'))});
    const settings = require(${JSON.stringify(path.join(ROOT, 'dist', 'settings.js'))});
    process.stdout.write(JSON.stringify({ cli: resolveDataDir(), nodeRed: settings.rpaVision.dataDir }));`;
  const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { cli: string; nodeRed: string };
}

describe('one data directory for the CLI and Node-RED', function () {
  this.timeout(120_000);

  it('defaults to the data directory of npm start, follows NODE_RED_USER_DIR and RPA_VISION_DATA_DIR alike', () => {
    const byDefault = resolved(plainEnv());
    assert.deepStrictEqual(byDefault, {
      cli: path.join(ROOT, '.userdir', 'rpa-vision-data'),
      nodeRed: path.join(ROOT, '.userdir', 'rpa-vision-data'),
    });
    const userDir = fs.mkdtempSync('/tmp/rpa-shared-ud-');
    assert.deepStrictEqual(resolved(plainEnv({ NODE_RED_USER_DIR: userDir })), {
      cli: path.join(userDir, 'rpa-vision-data'),
      nodeRed: path.join(userDir, 'rpa-vision-data'),
    });
    assert.deepStrictEqual(resolved(plainEnv({ NODE_RED_USER_DIR: userDir, RPA_VISION_DATA_DIR: '/tmp/rpa-x' })), {
      cli: '/tmp/rpa-x',
      nodeRed: '/tmp/rpa-x',
    });
  });

  describe('while Node-RED holds the store', () => {
    let runtime: NodeRedRuntime;
    let vd: VirtualDesktop;
    /** The CLI as a person runs it beside that Node-RED: only its user dir is set. */
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], {
        env: plainEnv({ NODE_RED_USER_DIR: runtime.userDir, DISPLAY: vd.display }),
        encoding: 'utf8',
      });

    before(async () => {
      [runtime, vd] = await Promise.all([
        NodeRedRuntime.start({ flows: [] }),
        VirtualDesktop.start({ width: 800, height: 600, windowManager: false }),
      ]);
      // The API opens Node-RED's store (and holds it from then on).
      const first = await runtime.json<{ count: number }>('/api/analytics/executions');
      assert.strictEqual(first.status, 200);
      assert.strictEqual(first.body.count, 0);
    });

    after(async () => {
      await runtime?.stop();
      await vd?.stop();
    });

    it("doctor checks Node-RED's store and says a running Node-RED holds it", () => {
      const r = cli(['doctor', '--json']);
      const store = (
        JSON.parse(r.stdout) as { checks: Array<{ name: string; status: string; detail: string }> }
      ).checks.find((c) => c.name === 'store')!;
      assert.strictEqual(store.status, 'ok', store.detail);
      assert.ok(store.detail.includes(runtime.dataDir), store.detail);
      assert.match(
        store.detail,
        /in use by process \d+ .*a running Node-RED or another rpa-vision command; CLI runs send their records through .*store-inbox/,
      );
    });

    it("a CLI run's record reaches Node-RED's store (the dashboard's API) through the inbox", async () => {
      const r = cli(['run', WORKFLOW, '--timeout', '2', '--mode', 'auto', '--no-learn']);
      assert.strictEqual(r.status, 1, 'nothing on the screen: the run times out');
      assert.match(r.stderr, /in use by another process.*this run's records go to .*store-inbox.*within seconds/);
      const deadline = Date.now() + 15_000;
      let executions: Array<{ workflow_id: string; status: string }> = [];
      while (Date.now() < deadline) {
        executions = (await runtime.json<{ executions: typeof executions }>('/api/analytics/executions')).body
          .executions;
        if (executions.length) break;
        await new Promise((res) => setTimeout(res, 500));
      }
      assert.deepStrictEqual(
        executions.map((e) => [e.workflow_id, e.status]),
        [['WF_validation_facture', 'timeout']],
      );
      assert.deepStrictEqual(
        fs.readdirSync(path.join(runtime.dataDir, 'store-inbox')),
        [],
        'the inbox is emptied into the store',
      );
    });
  });
});
