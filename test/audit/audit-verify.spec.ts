/**
 * The audit trail's chain as `rpa-vision audit verify` checks it: an intact log passes, and any
 * edit, deletion, insertion or reordering of a line fails naming the first broken entry. A line
 * torn by a crash is reported, and the writer carries on after it on a line of its own.
 */
import assert from 'assert';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { AuditLog, auditFile, entryHash, verifyAuditLog, type AuditEntry } from '../../lib/audit/audit-log';

const cli = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');

function verify(dataDir: string, json = false): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, 'audit', 'verify', '--data-dir', dataDir, ...(json ? ['--json'] : [])],
      { timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A data directory whose audit log holds `n` entries written by the real writer. */
function logWith(n: number): { dir: string; file: string; lines: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-audit-'));
  const log = AuditLog.forDataDir(dir);
  for (let i = 1; i <= n; i++)
    log.append({
      actor: i % 2 ? 'alice' : 'scheduler',
      action: i % 2 ? 'workflow.import' : 'workflow.run.start',
      object: `workflow:wf_${i}`,
      after: { workflow_id: `wf_${i}`, n: i },
    });
  const file = auditFile(dir);
  return { dir, file, lines: fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

function rewrite(file: string, lines: string[]): void {
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

describe('audit trail: hash chain and `rpa-vision audit verify`', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  function fresh(n: number) {
    const log = logWith(n);
    dirs.push(log.dir);
    return log;
  }

  it('chains each entry to the one before, from the genesis hash, with digests and no object contents', () => {
    const { lines } = fresh(3);
    const entries = lines.map((l) => JSON.parse(l) as AuditEntry);
    assert.deepStrictEqual(
      entries.map((e) => e.seq),
      [1, 2, 3],
    );
    assert.strictEqual(entries[0].prev_hash, '0'.repeat(64));
    assert.strictEqual(entries[1].prev_hash, entries[0].hash);
    assert.strictEqual(entries[2].prev_hash, entries[1].hash);
    for (const e of entries) {
      assert.strictEqual(entryHash(e), e.hash);
      assert.match(e.after_digest!, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(e).includes('"n":'), 'the object itself is not in the log');
    }
  });

  it('says "N entries, intact" and exits 0 on an intact log (and on none at all)', async () => {
    const { dir } = fresh(5);
    const r = await verify(dir);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /5 entries, intact/);
    const json = await verify(dir, true);
    assert.deepStrictEqual(JSON.parse(json.stdout), { file: auditFile(dir), entries: 5, intact: true });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-audit-'));
    dirs.push(empty);
    assert.match((await verify(empty)).stdout, /0 entries, intact/);
  });

  it('exits 1 naming the edited entry when a field is changed', async () => {
    const { dir, file, lines } = fresh(5);
    const e = JSON.parse(lines[2]) as AuditEntry;
    lines[2] = JSON.stringify({ ...e, actor: 'mallory' });
    rewrite(file, lines);
    const r = await verify(dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /BROKEN at line 3 \(entry seq 3\): its hash does not match its content/);
    const json = JSON.parse((await verify(dir, true)).stdout);
    assert.deepStrictEqual(json.broken, {
      line: 3,
      seq: 3,
      problem: 'its hash does not match its content (the entry was edited)',
    });
    assert.strictEqual(json.entries, 2);
  });

  it('exits 1 when an edited entry is re-hashed: the next entry no longer chains to it', async () => {
    const { dir, file, lines } = fresh(4);
    const e = JSON.parse(lines[1]) as AuditEntry;
    const forged = { ...e, actor: 'mallory' };
    forged.hash = entryHash(forged);
    lines[1] = JSON.stringify(forged);
    rewrite(file, lines);
    const r = await verify(dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /line 3 \(entry seq 3\): prev_hash does not match/);
  });

  it('exits 1 naming the first entry after a deleted line', async () => {
    const { dir, file, lines } = fresh(5);
    lines.splice(1, 1);
    rewrite(file, lines);
    const r = await verify(dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /line 2 \(entry seq 3\): seq is 3, expected 2/);
  });

  it('exits 1 naming the second entry when the first line is deleted', async () => {
    const { dir, file, lines } = fresh(3);
    rewrite(file, lines.slice(1));
    const r = await verify(dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /line 1 \(entry seq 2\): seq is 2, expected 1/);
  });

  it('exits 1 when two lines are swapped', async () => {
    const { dir, file, lines } = fresh(5);
    [lines[2], lines[3]] = [lines[3], lines[2]];
    rewrite(file, lines);
    const r = await verify(dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /line 3 \(entry seq 4\): seq is 4, expected 3/);
  });

  it('exits 1 when a forged line is inserted, even one hashed and chained to the entry before it', async () => {
    const { dir, file, lines } = fresh(4);
    const before = JSON.parse(lines[1]) as AuditEntry;
    const forged: Omit<AuditEntry, 'hash'> & { hash?: string } = {
      seq: 3,
      time: new Date().toISOString(),
      actor: 'alice',
      action: 'workflow.promote',
      object: 'workflow:wf_evil',
      prev_hash: before.hash,
    };
    forged.hash = entryHash(forged);
    lines.splice(2, 0, JSON.stringify(forged));
    rewrite(file, lines);
    const r = await verify(dir);
    assert.strictEqual(r.code, 1);
    // The forgery itself chains; the genuine entry after it no longer does.
    assert.match(r.stdout, /line 4 \(entry seq 3\): seq is 3, expected 4/);
  });

  it('reports a line torn by a crash, and the writer starts the next entry on a line of its own', () => {
    const { dir, file } = fresh(3);
    fs.appendFileSync(file, '{"seq":4,"time":"2026-');
    const torn = verifyAuditLog(file);
    assert.strictEqual(torn.intact, false);
    assert.deepStrictEqual(torn.broken, { line: 4, seq: 4, problem: 'not valid JSON (a torn or edited line)' });
    assert.strictEqual(torn.entries, 3, 'the entries before the torn line are intact');
    const next = AuditLog.forDataDir(dir).append({ actor: 'cli', action: 'test.after_crash', object: 'x' });
    assert.strictEqual(next.seq, 4);
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    assert.strictEqual(lines.length, 5);
    assert.strictEqual((JSON.parse(lines[4]) as AuditEntry).action, 'test.after_crash');
  });

  it('keeps one chain when a second writer (the CLI, a restarted runtime) appended in between', () => {
    const { dir, file } = fresh(2);
    const a = AuditLog.forDataDir(dir);
    const b = AuditLog.forDataDir(dir);
    for (let i = 0; i < 3; i++) {
      a.append({ actor: 'alice', action: 'a', object: `x:${i}` });
      b.append({ actor: 'cli', action: 'b', object: `y:${i}` });
    }
    const result = verifyAuditLog(file);
    assert.deepStrictEqual([result.intact, result.entries], [true, 8]);
  });

  it('reads the newest entries from the end of a large log, and re-checks the chain only as far as it changed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-audit-'));
    dirs.push(dir);
    const log = AuditLog.forDataDir(dir);
    for (let i = 1; i <= 400; i++)
      log.append({ actor: 'alice', action: 'workflow.import', object: `workflow:wf_${i}`, detail: 'x'.repeat(300) });
    assert.ok(fs.statSync(log.file).size > 128 * 1024);
    assert.deepStrictEqual(
      log.recent(3).map((e) => e.seq),
      [400, 399, 398],
    );
    assert.strictEqual(log.recent(1000).length, 400);
    assert.deepStrictEqual([log.check().intact, log.check().entries], [true, 400]);
    log.append({ actor: 'bob', action: 'chain.create', object: 'chain:c1' });
    assert.deepStrictEqual([log.check().intact, log.check().entries], [true, 401], 'the appended line is checked');
    // An edit of the same length changes the modification time: the whole chain is read again.
    const text = fs.readFileSync(log.file, 'utf8');
    const i = text.indexOf('"actor":"alice"', text.length / 2);
    fs.writeFileSync(log.file, text.slice(0, i) + '"actor":"malic"' + text.slice(i + 15));
    fs.utimesSync(log.file, new Date(), new Date(Date.now() + 5000));
    const edited = log.check();
    assert.strictEqual(edited.intact, false);
    assert.match(edited.broken!.problem, /hash does not match its content/);
  });

  it('refuses an unknown action with the usage', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [cli, 'audit', 'check'], (err, _out, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      ),
    );
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /the only action is "verify"/);
  });
});
