/**
 * A full disk through the real runtime: the data directory is a 2 MB tmpfs, filled up with a
 * file while Node-RED runs. Writes that did not reach the disk are not acknowledged (507 JSON,
 * no internal path), no temporary file stays behind, and once space is back the JSON-lines
 * log holds every acknowledged entry, each on its own line.
 */
import assert from 'assert';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { NodeRedRuntime } from '../helpers/runtime';
import { workflowDoc } from '../automation/helpers/journal-executor';
import { parseJsonLines } from '../../lib/monitoring';
import { loadDataKey, useDataKey } from '../../lib/contracts/sealed-files';

const EXECUTOR = path.join(__dirname, '..', 'automation', 'helpers', 'journal-executor.js');

interface LogLine {
  component: string;
  message: string;
}

function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  // Write until ENOSPC: the tmpfs then has no byte left.
  const fd = fs.openSync(filler, 'w');
  const block = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (err) {
    assert.strictEqual((err as NodeJS.ErrnoException).code, 'ENOSPC');
  }
  try {
    for (;;) fs.writeSync(fd, block, 0, 1);
  } catch {
    /* the last bytes are gone too */
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

describe('a full disk (2 MB tmpfs data directory, real runtime)', function () {
  this.timeout(120_000);
  let rt: NodeRedRuntime;
  let userDir: string;
  let dataDir: string;
  let filler: string;

  before(async function () {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-diskfull-'));
    dataDir = path.join(userDir, 'rpa-vision-data');
    fs.mkdirSync(dataDir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dataDir], { stdio: 'pipe' });
    } catch (err) {
      throw new Error(`this test mounts a tmpfs and must run as root: ${(err as Error).message}`, { cause: err });
    }
    rt = await NodeRedRuntime.start({
      userDir,
      // entries dated three days back give the archive something to move
      env: { RPA_VISION_EXECUTOR_MODULE: EXECUTOR, RPA_VISION_LOG_MAX_AGE_DAYS: '7' },
    });
    assert.strictEqual(rt.dataDir, dataDir);
    // The runtime seals its log lines with the key it created: this process reads them with it.
    useDataKey(loadDataKey(dataDir));
    assert.strictEqual(
      (await rt.json('/api/workflows', { method: 'POST', body: JSON.stringify(workflowDoc('wf_before')) })).status,
      201,
    );
    const chain = { name: 'before', workflows: ['wf_before'], chain_id: 'chain_before' };
    assert.strictEqual((await rt.json('/api/chains', { method: 'POST', body: JSON.stringify(chain) })).status, 201);
  });

  after(async () => {
    useDataKey(null);
    await rt?.stop();
    try {
      execFileSync('umount', [dataDir], { stdio: 'pipe' });
    } catch {
      /* never mounted */
    }
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  const logs = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ component: 'diskfull', message: `${tag} ${i} ${'x'.repeat(1000)}` }));

  it('answers 507 JSON without paths for log writes and creates, and leaves no temporary file', async () => {
    const before = await rt.json<{ count: number }>('/api/logs', {
      method: 'POST',
      body: JSON.stringify(logs(20, 'before')),
    });
    assert.strictEqual(before.status, 201, JSON.stringify(before.body));
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const old = await rt.json('/api/logs', {
      method: 'POST',
      body: JSON.stringify({ component: 'diskfull-old', message: 'old', timestamp: threeDaysAgo }),
    });
    assert.strictEqual(old.status, 201, JSON.stringify(old.body));
    filler = fill(dataDir);

    let refused = 0;
    for (let i = 0; i < 10; i++) {
      const res = await rt.json<{ error: string; message: string }>('/api/logs', {
        method: 'POST',
        body: JSON.stringify(logs(50, `full${i}`)),
      });
      assert.notStrictEqual(res.status, 201, `batch ${i} was acknowledged on a full disk`);
      assert.strictEqual(res.status, 507, JSON.stringify(res.body));
      assert.strictEqual(res.body.error, 'InsufficientStorage');
      assert.ok(!res.body.message.includes(userDir), res.body.message);
      refused++;
    }
    assert.strictEqual(refused, 10);

    const creates: Array<[string, unknown]> = [
      ['/api/workflows', workflowDoc('wf_full')],
      ['/api/chains', { name: 'full', workflows: ['wf_before'], chain_id: 'chain_full' }],
      ['/api/triggers', { trigger_type: 'manual', workflow_id: 'wf_before', trigger_id: 'trig_full' }],
    ];
    for (const [route, body] of creates) {
      const res = await rt.fetch(route, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      assert.strictEqual(res.status, 507, `${route}: ${res.status} ${text}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.strictEqual(JSON.parse(text).error, 'InsufficientStorage');
      assert.ok(!text.includes(userDir) && !text.includes('/tmp/'), `${route} leaks a path: ${text}`);
    }
    const leftovers = fs.readdirSync(path.join(dataDir, 'workflows')).filter((f) => f.endsWith('.tmp'));
    assert.deepStrictEqual(leftovers, []);

    const run = await rt.fetch('/api/chains/chain_before/execute', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    const runText = await run.text();
    assert.ok(run.status === 507 || run.status === 200, `${run.status} ${runText}`);
    assert.ok(!runText.includes(userDir), `the chain run leaks a path: ${runText}`);
    if (run.status === 200) assert.strictEqual(JSON.parse(runText).success, false);

    const archive = await rt.json<{ error: string; message: string }>('/api/analytics/archive', {
      method: 'POST',
      body: JSON.stringify({ older_than_days: 1 }),
    });
    assert.strictEqual(archive.status, 507, JSON.stringify(archive.body));
    assert.ok(!archive.body.message.includes(userDir), archive.body.message);
    const archived = path.join(dataDir, 'archive');
    assert.deepStrictEqual(fs.existsSync(archived) ? fs.readdirSync(archived) : [], [], 'no partial archive file');
    const kept = await rt.json<{ count: number }>('/api/logs?component=diskfull-old');
    assert.strictEqual(kept.body.count, 1, 'the entry to archive is still in the logs');
    assert.strictEqual((await rt.json('/api/workflows/wf_full')).status, 404);
    assert.strictEqual((await rt.json('/api/automation/status')).status, 200, 'the runtime is still up');
  });

  it('keeps every acknowledged entry, each on its own line, once space is back', async () => {
    fs.rmSync(filler);
    const after = await rt.json<{ count: number }>('/api/logs', {
      method: 'POST',
      body: JSON.stringify(logs(20, 'after')),
    });
    assert.strictEqual(after.status, 201, JSON.stringify(after.body));
    assert.strictEqual(
      (await rt.json('/api/workflows', { method: 'POST', body: JSON.stringify(workflowDoc('wf_full')) })).status,
      201,
    );

    const stored = await rt.json<{ entries: LogLine[] }>('/api/logs?component=diskfull&limit=10000');
    const storedTags = new Set(stored.body.entries.map((e) => e.message.split(' ').slice(0, 2).join(' ')));
    for (const tag of ['before', 'after'])
      for (let i = 0; i < 20; i++) assert.ok(storedTags.has(`${tag} ${i}`), `${tag} ${i} missing from the store`);

    const logDir = path.join(dataDir, 'logs');
    const text = fs
      .readdirSync(logDir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => fs.readFileSync(path.join(logDir, f), 'utf8'))
      .join('');
    const { entries } = parseJsonLines<LogLine>(text);
    const inFile = new Set(
      entries.filter((e) => e.component === 'diskfull').map((e) => e.message.split(' ').slice(0, 2).join(' ')),
    );
    for (const tag of ['before', 'after'])
      for (let i = 0; i < 20; i++) assert.ok(inFile.has(`${tag} ${i}`), `${tag} ${i} missing from the JSON-lines file`);
  });

  it('writes after a torn last line on a line of its own, so a reader loses only the torn line', async () => {
    const logDir = path.join(dataDir, 'logs');
    const file = path.join(logDir, `rpa-vision-${new Date().toISOString().slice(0, 10)}.jsonl`);
    fs.appendFileSync(file, '{"timestamp":"2026-01-01T00:00:00.000Z","component":"diskfull","messag');
    const res = await rt.json('/api/logs', {
      method: 'POST',
      body: JSON.stringify({ component: 'torn', message: 'the neighbour' }),
    });
    assert.strictEqual(res.status, 201);
    const { entries, skipped } = parseJsonLines<LogLine>(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(skipped, 1, 'only the torn line is unreadable');
    assert.ok(entries.some((e) => e.component === 'torn' && e.message === 'the neighbour'));
  });
});
