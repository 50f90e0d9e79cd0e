/**
 * The batch run's inputs and bookkeeping (lib/automation/batch.ts): a CSV as spreadsheets write
 * it, a folder's files, the parameter a file's path goes into, and runs one after the other with
 * their counts; the dashboard spec (test/monitoring/workflow-pages.spec.ts) runs one for real.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Batch, csvItems, fileParameter, folderItems, parseCsv, type RunOutcome } from '../../lib/automation/batch';

const workflow = {
  workflow_id: 'WF_invoice',
  parameters: ['client', 'amount', 'password'],
  secret: new Set(['password']),
};

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-batch-spec-'));
}

describe('batch runs (lib/automation/batch)', () => {
  it('reads CSV as spreadsheets write it: quotes, doubled quotes, line breaks in quotes, ";" in French, BOM, CRLF, blank lines', () => {
    assert.deepStrictEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",2\n'), [
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', '2'],
    ]);
    assert.deepStrictEqual(parseCsv('\uFEFFclient;amount\nDupont;12,50\n'), [
      ['client', 'amount'],
      ['Dupont', '12,50'],
    ]);
    assert.throws(() => parseCsv('a\n"open'), /quoted field is not closed/);
  });

  it('one item per row, columns as parameters; unknown columns, ragged rows and empty files are refused by name', () => {
    const dir = tempDir();
    const policy = { dataDir: dir };
    const file = path.join(dir, 'rows.csv');
    fs.writeFileSync(file, 'client,amount\nDupont,12\nMartin,30\n');
    assert.deepStrictEqual(csvItems(file, workflow, policy), [
      { source: 'row 1', params: { client: 'Dupont', amount: '12' } },
      { source: 'row 2', params: { client: 'Martin', amount: '30' } },
    ]);
    fs.writeFileSync(file, 'client,total\nDupont,12\n');
    assert.throws(
      () => csvItems(file, workflow, policy),
      /"total" is not \(its parameters: client, amount, password\)/,
    );
    fs.writeFileSync(file, 'client,amount\nDupont\n');
    assert.throws(() => csvItems(file, workflow, policy), /row 1 of rows.csv has 1 fields, the header 2/);
    fs.writeFileSync(file, 'client\n');
    assert.throws(() => csvItems(file, workflow, policy), /a header line but no row/);
    fs.writeFileSync(file, '');
    assert.throws(() => csvItems(file, workflow, policy), /is empty/);
    assert.throws(() => csvItems(path.join(dir, 'none.csv'), workflow, policy), /cannot be read \(ENOENT\)/);
  });

  it("a folder's files sorted by name, without hidden files or sub-folders, the path in the parameter", () => {
    const dir = tempDir();
    const policy = { dataDir: dir };
    for (const f of ['b.pdf', 'a.pdf', '.hidden']) fs.writeFileSync(path.join(dir, f), 'x');
    fs.mkdirSync(path.join(dir, 'done'));
    assert.deepStrictEqual(folderItems(dir, 'file', policy), [
      { source: path.join(dir, 'a.pdf'), params: { file: path.join(dir, 'a.pdf') } },
      { source: path.join(dir, 'b.pdf'), params: { file: path.join(dir, 'b.pdf') } },
    ]);
    assert.throws(() => folderItems(path.join(dir, 'done'), 'file', policy), /holds no file/);
    assert.throws(() => folderItems(path.join(dir, 'a.pdf'), 'file', policy), /is a file, not a folder/);
  });

  it('reads only inside the data directory and the allowed folders; a relative path is in the data directory', () => {
    const data = tempDir();
    const allowed = tempDir();
    const outside = tempDir();
    for (const d of [data, allowed, outside]) fs.writeFileSync(path.join(d, 'rows.csv'), 'client\nDupont\n');
    const policy = { dataDir: data, watchRoots: [allowed] };
    assert.strictEqual(csvItems('rows.csv', workflow, policy).length, 1);
    assert.strictEqual(csvItems(path.join(allowed, 'rows.csv'), workflow, policy).length, 1);
    assert.deepStrictEqual(
      folderItems('.', 'client', policy).map((i) => i.source),
      [path.join(data, 'rows.csv')],
    );
    for (const refused of [path.join(outside, 'rows.csv'), '../' + path.basename(outside) + '/rows.csv', '/etc/passwd'])
      assert.throws(() => csvItems(refused, workflow, policy), /must be inside the data directory/);
    fs.symlinkSync(outside, path.join(data, 'link'));
    assert.throws(() => folderItems('link', 'client', policy), /must be inside the data directory/);
  });

  it('the file path goes into the parameter named, else the only one, else file_path; several need a choice', () => {
    assert.strictEqual(fileParameter(workflow, 'client'), 'client');
    assert.throws(() => fileParameter(workflow, 'nope'), /must be a parameter of WF_invoice/);
    assert.throws(() => fileParameter(workflow, undefined), /say which parameter of WF_invoice receives/);
    assert.strictEqual(fileParameter({ ...workflow, parameters: ['invoice'] }, undefined), 'invoice');
    assert.strictEqual(fileParameter({ ...workflow, parameters: [] }, ''), 'file_path');
  });

  it('runs the items one after the other, counts done and failed, and a cancel stops the rest', async () => {
    let running = 0;
    const seen: string[] = [];
    const outcomes: RunOutcome[] = [
      { status: 'success' },
      { status: 'failed', error: 'the total differs', failed_at: 'e2' },
    ];
    const items = ['a', 'b', 'c'].map((c) => ({ source: c, params: { client: c } }));
    const batch = new Batch(workflow, items, async (params) => {
      assert.strictEqual(running++, 0, 'never two runs at once');
      seen.push(params.client);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      const o = outcomes.shift();
      if (!o) throw new Error('the executor crashed');
      return o;
    });
    assert.strictEqual(batch.view().state, 'running');
    await batch.finished;
    const v = batch.view();
    assert.deepStrictEqual(seen, ['a', 'b', 'c']);
    assert.deepStrictEqual([v.state, v.total, v.done, v.failed, v.succeeded], ['finished', 3, 3, 2, 1]);
    assert.deepStrictEqual(
      v.items.map((i) => [i.status, i.error ?? null, i.failed_at ?? null]),
      [
        ['success', null, null],
        ['failed', 'the total differs', 'e2'],
        ['error', 'the executor crashed', null],
      ],
    );

    const stopping: Batch = new Batch(workflow, items, async (_params, signal) => {
      await new Promise((r) => setTimeout(r, 1));
      stopping.cancel();
      return { status: signal.aborted ? 'cancelled' : 'success' };
    });
    await stopping.finished;
    const s = stopping.view();
    assert.deepStrictEqual([s.state, s.done, s.succeeded], ['cancelled', 3, 0]);
    assert.deepStrictEqual(
      s.items.map((i) => i.status),
      ['cancelled', 'cancelled', 'cancelled'],
    );
  });

  it('a secret column never shows as the source of a run', () => {
    const batch = new Batch(workflow, [{ source: 'hunter2', params: { password: 'hunter2' } }], async () => ({
      status: 'success',
    }));
    assert.strictEqual(batch.view().items[0].source, '••••');
  });
});
