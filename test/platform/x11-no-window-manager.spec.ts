/**
 * A bare X display (Xvfb, no window manager), as the README's quick start sets it up. There the
 * input focus is PointerRoot (window id 1), and libnut handed that id to Xlib, whose default
 * error handler ended the process ("BadWindow … X_GetProperty … 0x1") — Node-RED with it.
 * libnut binds the display when it loads, so each check runs in a process of its own.
 */
import assert from 'assert';
import { execFile, spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { promisify } from 'util';
import { VirtualDesktop } from '../helpers/desktop';
import { NodeRedRuntime } from '../helpers/runtime';
import { workflowDoc } from '../automation/helpers/journal-executor';

const execFileAsync = promisify(execFile);
const platform = path.resolve(__dirname, '..', '..', 'lib', 'platform');

describe('platform layer on an X display without a window manager', function () {
  this.timeout(180_000);
  let desktop: VirtualDesktop;

  before(async () => {
    desktop = await VirtualDesktop.start({ width: 800, height: 600, windowManager: false });
  });
  after(async () => {
    await desktop?.stop();
  });

  it('reports no active window and refuses ids that are not windows, without an X error', async () => {
    const script = `
      const p = require(${JSON.stringify(platform)});
      (async () => {
        const d = await p.openDesktop();
        const out = { active: await d.windows.active() };
        for (const id of ['1', '0', '999999', 'x'])
          out['focus ' + id] = await d.windows.focus(id).then(() => 'ok', (e) => e.message);
        out.move = await d.windows.move('1', { x: 1, y: 1 }).then(() => 'ok', (e) => e.message);
        out.grab = (await d.screen.grab()).width;
        console.log(JSON.stringify(out));
      })();`;
    const { stdout, stderr } = await execFileAsync(process.execPath, ['-e', script], {
      env: desktop.env,
      timeout: 60_000,
    }).catch((err: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`the process died (exit ${err.code}): ${err.stderr}`);
    });
    assert.doesNotMatch(stderr, /X Error/);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.strictEqual(out.active, null);
    for (const id of ['1', '0', '999999', 'x'])
      assert.match(String(out[`focus ${id}`]), /no window .* on the X display/);
    assert.match(String(out.move), /no window "1"/);
    assert.strictEqual(out.grab, 800);
  });

  it('answers a clear error, instead of ending the process, once the display is gone', async () => {
    const lost = await VirtualDesktop.start({ width: 640, height: 480, windowManager: false });
    const script = `
      const p = require(${JSON.stringify(platform)});
      (async () => {
        const d = await p.openDesktop();
        console.log('ready ' + (await d.screen.grab()).width);
        await new Promise((r) => process.stdin.once('data', r));
        const calls = {
          active: () => d.windows.active(),
          grab: () => d.screen.grab(),
          move: () => d.mouse.move({ x: 1, y: 1 }),
          tap: () => d.keyboard.tap(['ENTER']),
        };
        const out = {};
        for (const [name, call] of Object.entries(calls))
          out[name] = await call().then(() => 'ok', (e) => e.name + ': ' + e.message);
        console.log(JSON.stringify(out));
        process.exit(0);
      })();`;
    const child = spawn(process.execPath, ['-e', script], { env: lost.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const ended = new Promise((r) => child.once('exit', r));
    try {
      await lost.waitFor(() => stdout.includes('ready 640'), 30_000, 'the child to grab the screen');
      await lost.stop();
      child.stdin.write('go\n');
      await Promise.race([ended, new Promise((r) => setTimeout(r, 20_000))]);
    } finally {
      child.kill('SIGKILL');
    }
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    assert.ok(line, `the process died before answering: ${stdout}`);
    const out = JSON.parse(line) as Record<string, string>;
    for (const name of ['active', 'grab', 'move', 'tap'])
      assert.match(out[name], /^NoDisplayError: the X display :\d+ was lost/, `${name}: ${out[name]}`);
  });

  it('runs a chain through the real runner and Node-RED stays up', async () => {
    const rt = await NodeRedRuntime.start({ env: { DISPLAY: desktop.display } });
    try {
      const post = (route: string, body: unknown) =>
        rt.json<Record<string, unknown>>(route, { method: 'POST', body: JSON.stringify(body) });
      assert.strictEqual((await post('/api/workflows', workflowDoc('wf_bare'))).status, 201);
      assert.strictEqual(
        (await post('/api/chains', { name: 'bare', workflows: ['wf_bare'], chain_id: 'chain_bare' })).status,
        201,
      );
      const res = await post('/api/chains/chain_bare/execute', {});
      assert.strictEqual(res.status, 200, JSON.stringify(res.body));
      assert.strictEqual(typeof res.body.success, 'boolean');
      assert.strictEqual((await rt.json('/api/automation/status')).status, 200, 'Node-RED is still up');
      assert.doesNotMatch(rt.log, /X Error of failed request/);
    } finally {
      await rt.stop();
      fs.rmSync(rt.userDir, { recursive: true, force: true });
    }
  });
});
