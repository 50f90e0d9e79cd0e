/**
 * File triggers on a real folder and a real store: a file copied in slowly fires once, when
 * complete; 100 files dropped at once give 100 runs and none twice, also across a restart in
 * the middle; files already processed are remembered across restarts; stopping, disabling or
 * deleting releases the folder's watch. chokidar reports files in wall-clock time, so these
 * tests wait in real time (the fixture's manual clock drives only schedules and retries). The
 * first test keeps the default 2 s a file must stay unchanged; the others, which are not about
 * that window, shorten it with the scheduler's setting (rpaVision.automation.fileStableSeconds).
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { AutomationFixture } from './helpers/fixture';

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The default time a file must stay unchanged before it fires. */
const DEFAULT_STABLE_MS = 2000;
/** The time the tests not about a copy in progress give it. */
const SHORT_STABLE_MS = 500;
/** For a copy in progress: its pauses between chunks must stay well under this, on a loaded machine too. */
const COPY_STABLE_MS = 1000;
const CHUNK_PAUSE_MS = 250;

/** Longer than the time a file must stay unchanged: a second report of a file would have come. */
const settled = (stableMs: number) => stableMs + 1000;
const SETTLED_MS = settled(SHORT_STABLE_MS);

/** The OS-level watches (inotify) this process holds on `dir`. */
function inotifyWatchesOn(dir: string): number {
  const ino = ` ino:${fs.statSync(dir).ino.toString(16)} `;
  let count = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    const link = (() => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return ''; // closed since the listing
      }
    })();
    if (link !== 'anon_inode:inotify') continue;
    count += fs
      .readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('inotify ') && l.includes(ino)).length;
  }
  return count;
}

describe('automation: file triggers', function () {
  this.timeout(60_000);
  let f: AutomationFixture;
  let inbox: string;

  /** The fixture of the test, files firing once unchanged for `fileStableMs`. */
  async function open(fileStableMs: number | undefined): Promise<void> {
    f = await AutomationFixture.open(fileStableMs === undefined ? {} : { fileStableMs });
    inbox = path.join(f.dataDir, 'inbox');
    fs.mkdirSync(inbox);
  }

  afterEach(() => f.close());

  it('fires exactly once for a file copied in slowly, when it has stayed unchanged for the default 2 s, with its path as a parameter', async () => {
    await open(undefined);
    f.addWorkflow('wf_invoice');
    await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_invoice',
      config: { watch_directory: inbox, file_pattern: '*.pdf' },
    });
    await f.automation.scheduler.start();
    await f.automation.scheduler.whenWatching();
    const file = path.join(inbox, 'invoice-0042.pdf');
    // 2.4 s of copying, a chunk every 0.4 s.
    let lastWrite = 0;
    for (let chunk = 0; chunk < 6; chunk++) {
      fs.appendFileSync(file, Buffer.alloc(64 * 1024, chunk));
      lastWrite = Date.now();
      await pause(400);
      assert.strictEqual(f.journal().length, 0, `no run while the copy is in progress (chunk ${chunk})`);
    }
    fs.writeFileSync(path.join(inbox, 'notes.txt'), 'not a pdf');
    fs.writeFileSync(path.join(inbox, '.~lock.invoice.pdf'), 'hidden');
    await until('the run', () => f.journal().length > 0);
    const waited = Date.now() - lastWrite;
    assert.ok(waited >= DEFAULT_STABLE_MS - 100, `fired ${waited} ms after the last write`);
    await pause(settled(DEFAULT_STABLE_MS));
    const runs = f.journal();
    assert.strictEqual(runs.length, 1);
    assert.deepStrictEqual(runs[0].params, { file_path: file, file_name: 'invoice-0042.pdf' });
    assert.strictEqual(fs.statSync(file).size, 6 * 64 * 1024);
  });

  it('a copy under way when the scheduler starts fires once, when it is complete', async () => {
    await open(COPY_STABLE_MS);
    f.addWorkflow('wf_invoice');
    await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_invoice',
      config: { watch_directory: inbox, file_pattern: '*.pdf' },
    });
    const file = path.join(inbox, 'big-scan.pdf');
    for (let chunk = 0; chunk < 7; chunk++) {
      fs.appendFileSync(file, Buffer.alloc(64 * 1024, chunk));
      if (chunk === 1) {
        await f.automation.scheduler.start();
        await f.automation.scheduler.whenWatching();
      }
      await pause(CHUNK_PAUSE_MS);
      assert.strictEqual(f.journal().length, 0, `no run while the copy is in progress (chunk ${chunk})`);
    }
    await until('the run', () => f.journal().length > 0);
    await pause(settled(COPY_STABLE_MS));
    assert.deepStrictEqual(
      f.journal().map((l) => l.params.file_name),
      ['big-scan.pdf'],
    );
  });

  it('gives 100 runs for 100 files dropped at once, none twice, and remembers them', async () => {
    await open(SHORT_STABLE_MS);
    f.addWorkflow('wf_import');
    await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_import',
      config: { watch_directory: inbox, file_pattern: 'doc-*.csv' },
    });
    await f.automation.scheduler.start();
    await f.automation.scheduler.whenWatching();
    for (let i = 0; i < 100; i++)
      fs.writeFileSync(path.join(inbox, `doc-${String(i).padStart(3, '0')}.csv`), `row ${i}\n`);
    await until('100 runs', () => f.journal().length >= 100, 20_000);
    await pause(SETTLED_MS);
    const names = f.journal().map((l) => l.params.file_name as string);
    assert.strictEqual(names.length, 100);
    assert.strictEqual(new Set(names).size, 100);
    // A restart: the files are still there, but they were processed.
    await f.reopen();
    await f.automation.scheduler.startIfWanted();
    await f.automation.scheduler.whenWatching();
    await pause(SETTLED_MS);
    await f.automation.scheduler.whenIdle();
    assert.strictEqual(f.journal().length, 100);
    // A processed file removed and dropped again is a new file.
    fs.rmSync(path.join(inbox, 'doc-007.csv'));
    await pause(500);
    fs.writeFileSync(path.join(inbox, 'doc-007.csv'), 'again\n');
    await until('the new doc-007.csv run', () => f.journal().length > 100);
    await pause(SETTLED_MS);
    assert.deepStrictEqual(
      f
        .journal()
        .slice(100)
        .map((l) => l.params.file_name),
      ['doc-007.csv'],
    );
  });

  it('gives 100 runs, none twice, when Node-RED restarts in the middle of processing them', async () => {
    await open(SHORT_STABLE_MS);
    f.addWorkflow('wf_slow_import', { delay_ms: 15 });
    await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_slow_import',
      config: { watch_directory: inbox, file_pattern: '*.csv' },
    });
    await f.automation.scheduler.start();
    await f.automation.scheduler.whenWatching();
    for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(inbox, `batch-${i}.csv`), `row ${i}\n`);
    const handedOver = () =>
      f.journal().length +
      f.automation.scheduler.status().queue_length +
      (f.automation.scheduler.status().current_job ? 1 : 0);
    await until('all 100 queued', () => handedOver() >= 100, 20_000);
    await until('some runs', () => f.journal().length >= 25);
    await f.reopen();
    const before = f.journal().length;
    assert.ok(before < 100, `restarted in the middle (${before} done)`);
    assert.strictEqual(f.automation.scheduler.status().queue_length, 100 - before, 'the queue survived the restart');
    await f.automation.scheduler.startIfWanted();
    await f.automation.scheduler.whenWatching();
    await f.automation.scheduler.whenIdle();
    await pause(SETTLED_MS);
    await f.automation.scheduler.whenIdle();
    const names = f.journal().map((l) => l.params.file_name as string);
    assert.strictEqual(names.length, 100);
    assert.strictEqual(new Set(names).size, 100);
  });

  it('releases the folder when stopped, disabled or deleted, and picks up what arrived meanwhile once', async () => {
    await open(SHORT_STABLE_MS);
    f.addWorkflow('wf_scan');
    const t = await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_scan',
      config: { watch_directory: inbox, file_pattern: '*.txt' },
    });
    await f.automation.scheduler.start();
    await f.automation.scheduler.whenWatching();
    assert.strictEqual(inotifyWatchesOn(inbox), 1);
    await f.automation.scheduler.stop();
    assert.strictEqual(inotifyWatchesOn(inbox), 0, 'no watch left once stopped');
    fs.writeFileSync(path.join(inbox, 'a.txt'), 'while stopped');
    await pause(SETTLED_MS);
    assert.strictEqual(f.journal().length, 0, 'no run while stopped');
    await f.automation.scheduler.start();
    await until('a.txt picked up at start', () => f.journal().length > 0);
    await f.automation.toggleTrigger(t.trigger_id, false);
    assert.strictEqual(inotifyWatchesOn(inbox), 0, 'no watch left once disabled');
    fs.writeFileSync(path.join(inbox, 'b.txt'), 'while disabled');
    await pause(SETTLED_MS);
    await f.automation.toggleTrigger(t.trigger_id, true);
    await f.clock.advance(1000); // the next check opens the watch again
    await until('b.txt picked up once enabled', () => f.journal().length > 1);
    await f.automation.deleteTrigger(t.trigger_id);
    assert.strictEqual(inotifyWatchesOn(inbox), 0, 'no watch left once deleted');
    fs.writeFileSync(path.join(inbox, 'c.txt'), 'after the delete');
    await pause(SETTLED_MS);
    assert.deepStrictEqual(
      f.journal().map((l) => l.params.file_name),
      ['a.txt', 'b.txt'],
    );
  });

  for (const polling of [false, true]) {
    it(`a folder that goes away and comes back (a share dropping out): its files are not new, those that came meanwhile are${polling ? ' (use_polling)' : ''}`, async () => {
      await open(SHORT_STABLE_MS);
      f.addWorkflow('wf_share');
      await f.automation.createTrigger({
        trigger_type: 'file',
        workflow_id: 'wf_share',
        config: { watch_directory: inbox, file_pattern: '*.txt', use_polling: polling },
      });
      await f.automation.scheduler.start();
      await f.automation.scheduler.whenWatching();
      fs.writeFileSync(path.join(inbox, 'a.txt'), 'before');
      await until('a.txt', () => f.journal().length > 0);
      fs.renameSync(inbox, `${inbox}-away`);
      await pause(2500); // the poller too has seen it go
      fs.writeFileSync(path.join(`${inbox}-away`, 'b.txt'), 'while away');
      fs.renameSync(`${inbox}-away`, inbox);
      await until('b.txt', () => f.journal().length > 1);
      fs.writeFileSync(path.join(inbox, 'c.txt'), 'after');
      await until('c.txt', () => f.journal().length > 2);
      await pause(SETTLED_MS);
      // A restart lists the folder again: a.txt is still known as handed over.
      await f.reopen();
      await f.automation.scheduler.startIfWanted();
      await f.automation.scheduler.whenWatching();
      await pause(SETTLED_MS);
      assert.deepStrictEqual(
        f.journal().map((l) => l.params.file_name),
        ['a.txt', 'b.txt', 'c.txt'],
      );
    });
  }

  it('with use_polling, finds a slowly written file by polling (no OS watch) and fires once', async () => {
    await open(COPY_STABLE_MS);
    f.addWorkflow('wf_share');
    const t = await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_share',
      config: { watch_directory: inbox, file_pattern: '*.pdf', use_polling: true },
    });
    assert.deepStrictEqual(t.config, { watch_directory: inbox, file_pattern: '*.pdf', use_polling: true });
    await f.automation.scheduler.start();
    await f.automation.scheduler.whenWatching();
    assert.strictEqual(inotifyWatchesOn(inbox), 0, 'polled, not watched through the OS');
    const file = path.join(inbox, 'scan.pdf');
    for (let chunk = 0; chunk < 5; chunk++) {
      fs.appendFileSync(file, Buffer.alloc(32 * 1024, chunk));
      await pause(CHUNK_PAUSE_MS);
      assert.strictEqual(f.journal().length, 0, `no run while the copy is in progress (chunk ${chunk})`);
    }
    await until('the run', () => f.journal().length > 0);
    await pause(settled(COPY_STABLE_MS));
    assert.deepStrictEqual(
      f.journal().map((l) => l.params),
      [{ file_path: file, file_name: 'scan.pdf' }],
    );
  });
});
