/**
 * File triggers on a real folder and a real store: a file copied in slowly fires once, when
 * complete; 100 files dropped at once give 100 runs and none twice, also across a restart in
 * the middle; files already processed are remembered across restarts.
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

describe('automation: file triggers', function () {
  this.timeout(60_000);
  let f: AutomationFixture;
  let inbox: string;

  beforeEach(async () => {
    f = await AutomationFixture.open();
    inbox = path.join(f.dataDir, 'inbox');
    fs.mkdirSync(inbox);
  });
  afterEach(() => f.close());

  it('fires exactly once for a file copied in slowly, when it is complete, with its path as a parameter', async () => {
    f.addWorkflow('wf_invoice');
    await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_invoice',
      config: { watch_directory: inbox, file_pattern: '*.pdf' },
    });
    await f.automation.scheduler.start();
    await f.clock.advance(0); // the first check, at start
    const file = path.join(inbox, 'invoice-0042.pdf');
    for (let chunk = 0; chunk < 6; chunk++) {
      fs.appendFileSync(file, Buffer.alloc(64 * 1024, chunk));
      await f.seconds(1);
      assert.strictEqual(f.journal().length, 0, `no run while the copy is in progress (chunk ${chunk})`);
    }
    fs.writeFileSync(path.join(inbox, 'notes.txt'), 'not a pdf');
    fs.writeFileSync(path.join(inbox, '.~lock.invoice.pdf'), 'hidden');
    await f.seconds(2);
    await f.seconds(10);
    const runs = f.journal();
    assert.strictEqual(runs.length, 1);
    assert.deepStrictEqual(runs[0].params, { file_path: file, file_name: 'invoice-0042.pdf' });
    assert.strictEqual(fs.statSync(file).size, 6 * 64 * 1024);
  });

  it('gives 100 runs for 100 files dropped at once, none twice, and remembers them', async () => {
    f.addWorkflow('wf_import');
    await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_import',
      config: { watch_directory: inbox, file_pattern: 'doc-*.csv' },
    });
    await f.automation.scheduler.start();
    for (let i = 0; i < 100; i++)
      fs.writeFileSync(path.join(inbox, `doc-${String(i).padStart(3, '0')}.csv`), `row ${i}\n`);
    await f.seconds(5);
    const names = f.journal().map((l) => l.params.file_name as string);
    assert.strictEqual(names.length, 100);
    assert.strictEqual(new Set(names).size, 100);
    // A restart: the files are still there, but they were processed.
    await f.reopen();
    await f.automation.scheduler.startIfWanted();
    await f.seconds(5);
    assert.strictEqual(f.journal().length, 100);
    // A processed file removed and dropped again is a new file.
    fs.rmSync(path.join(inbox, 'doc-007.csv'));
    await f.seconds(2);
    fs.writeFileSync(path.join(inbox, 'doc-007.csv'), 'again\n');
    await f.seconds(3);
    assert.deepStrictEqual(
      f
        .journal()
        .slice(100)
        .map((l) => l.params.file_name),
      ['doc-007.csv'],
    );
  });

  it('gives 100 runs, none twice, when Node-RED restarts in the middle of processing them', async () => {
    f.addWorkflow('wf_slow_import', { delay_ms: 15 });
    await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_slow_import',
      config: { watch_directory: inbox, file_pattern: '*.csv' },
    });
    await f.automation.scheduler.start();
    for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(inbox, `batch-${i}.csv`), `row ${i}\n`);
    await f.clock.advance(1000);
    await f.clock.advance(1000); // all 100 seen twice, unchanged: queued
    await until('some runs', () => f.journal().length >= 25);
    await f.reopen();
    const before = f.journal().length;
    assert.ok(before < 100, `restarted in the middle (${before} done)`);
    assert.strictEqual(f.automation.scheduler.status().queue_length, 100 - before, 'the queue survived the restart');
    await f.automation.scheduler.startIfWanted();
    await f.automation.scheduler.whenIdle();
    await f.seconds(5);
    const names = f.journal().map((l) => l.params.file_name as string);
    assert.strictEqual(names.length, 100);
    assert.strictEqual(new Set(names).size, 100);
  });
});
