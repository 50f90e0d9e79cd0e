/**
 * The desktop lease (issue 15): one holder per display at a time, in this process and across
 * processes (a CLI `run` while Node-RED runs), re-entrant along one call chain, refused with a
 * sentence naming the holder when the caller will not wait, and taken over from a process
 * that died holding it.
 */
import assert from 'assert';
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { DesktopBusyError, desktopHolder, leaseFile, withDesktopLease } from '../../lib/platform';

const display = `:lease-test-${process.pid}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A child process that takes the lease of `display`, says so, and holds it for `holdMs`. */
function holdInChild(holdMs: number) {
  const lease = path.resolve(__dirname, '../../lib/platform/desktop-lease.js');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(lease)}).withDesktopLease({ holder: 'the CLI run', display: ${JSON.stringify(display)} }, async () => { console.log('held'); await new Promise((r) => setTimeout(r, ${holdMs})); })`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const held = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, held, exited };
}

describe('platform: one run per desktop (the desktop lease)', function () {
  this.timeout(30_000);
  afterEach(() => fs.rmSync(leaseFile(display), { force: true }));

  it('runs two holders of one display one after the other, and releases the lease', async () => {
    const spans: Array<[string, number, number]> = [];
    const work = (name: string) =>
      withDesktopLease({ holder: name, display }, async () => {
        const start = Date.now();
        await sleep(150);
        spans.push([name, start, Date.now()]);
      });
    await Promise.all([work('flow run'), work('scheduled job')]);
    spans.sort((a, b) => a[1] - b[1]);
    assert.ok(spans[0][2] <= spans[1][1], JSON.stringify(spans));
    assert.strictEqual(desktopHolder(display), null);
    assert.ok(!fs.existsSync(leaseFile(display)));
  });

  it('lets a run nested in the holder (a sub-workflow, a chain step) through without waiting', async () => {
    const inner = await withDesktopLease({ holder: 'chain', display, waitMs: 0 }, () =>
      withDesktopLease({ holder: 'workflow of the chain', display, waitMs: 0 }, async () => 'ran'),
    );
    assert.strictEqual(inner, 'ran');
  });

  it('refuses a caller that will not wait with a sentence naming who holds the desktop', async () => {
    let release!: () => void;
    const holding = withDesktopLease(
      { holder: 'workflow WF_a', display },
      () => new Promise<void>((r) => (release = r)),
    );
    await sleep(20);
    await assert.rejects(
      withDesktopLease({ holder: 'workflow WF_b', display, waitMs: 0 }, async () => assert.fail('ran')),
      (err: unknown) =>
        err instanceof DesktopBusyError && /desktop .* is busy with workflow WF_a; one run at a time/.test(err.message),
    );
    release();
    await holding;
  });

  it('waits for another process holding the display, then takes it', async () => {
    const { held, exited } = holdInChild(800);
    await held;
    assert.match(desktopHolder(display) ?? '', /the CLI run \(process \d+\)/);
    const waitedFor: string[] = [];
    const t0 = Date.now();
    await withDesktopLease({ holder: 'flow run', display, onWait: (who) => waitedFor.push(who) }, async () => {
      assert.ok(Date.now() - t0 >= 500, `took the desktop after ${Date.now() - t0} ms`);
    });
    assert.match(waitedFor[0], /the CLI run/);
    await exited;
  });

  it('takes over the lock of a process that died holding it', async () => {
    const { child, held, exited } = holdInChild(60_000);
    await held;
    child.kill('SIGKILL');
    await exited;
    assert.ok(fs.existsSync(leaseFile(display)), 'a crash leaves the lock file behind');
    const t0 = Date.now();
    await withDesktopLease({ holder: 'flow run', display, waitMs: 2000 }, async () => undefined);
    assert.ok(Date.now() - t0 < 1000);
  });
});
