/**
 * Encryption at rest: sealed data files round-trip, refuse a wrong key or an altered byte with a
 * clear error, and files written before a key existed still read as they are.
 */
import assert from 'assert';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';
import { readJsonFile, writeJsonFileAtomic } from '../../lib/contracts/files';
import { parseJsonLines } from '../../lib/monitoring/jsonl';
import { openStore } from '../../lib/store/store';
import {
  DATA_KEY_ENV,
  SealedFileError,
  isSealed,
  loadDataKey,
  open,
  parseDataKey,
  readDataFile,
  seal,
  sealLine,
  useDataKey,
  writeDataFile,
} from '../../lib/contracts/sealed-files';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('sealed data files', () => {
  const key = crypto.randomBytes(32);
  const plain = Buffer.concat([PNG_SIGNATURE, Buffer.from('pixels of a screenshot')]);
  let dir: string;
  let savedEnv: string | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-sealed-'));
    savedEnv = process.env[DATA_KEY_ENV];
    delete process.env[DATA_KEY_ENV];
  });
  afterEach(() => {
    useDataKey(null);
    if (savedEnv === undefined) delete process.env[DATA_KEY_ENV];
    else process.env[DATA_KEY_ENV] = savedEnv;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips through seal and open, hiding the content behind its own header', () => {
    const sealed = seal(plain, key);
    assert.ok(isSealed(sealed));
    assert.strictEqual(sealed.subarray(0, 8).toString('ascii'), 'RPAVSEAL');
    assert.strictEqual(sealed.indexOf('pixels'), -1);
    assert.ok(!sealed.subarray(0, 8).equals(PNG_SIGNATURE));
    assert.deepStrictEqual(open(sealed, key), plain);
    assert.notDeepStrictEqual(seal(plain, key), sealed, 'a fresh IV for every seal');
  });

  it('passes a plain (unsealed) file through unchanged, with or without a key', () => {
    assert.deepStrictEqual(open(plain, key), plain);
    assert.deepStrictEqual(open(plain, null), plain);
  });

  it('refuses an altered file with a clear error', () => {
    const sealed = seal(plain, key);
    sealed[sealed.length - 1] ^= 1;
    assert.throws(
      () => open(sealed, key, 'shot.png'),
      (err: Error) => {
        assert.ok(err instanceof SealedFileError);
        assert.match(
          err.message,
          /shot\.png cannot be decrypted: .*not the one it was sealed with, or the file was altered/,
        );
        return true;
      },
    );
  });

  it('refuses a wrong key, and no key, with a clear error', () => {
    const sealed = seal(plain, key);
    assert.throws(() => open(sealed, crypto.randomBytes(32), 'session.json'), /session\.json cannot be decrypted/);
    assert.throws(
      () => open(sealed, null, 'session.json'),
      /session\.json is encrypted and no data key is configured: set RPA_VISION_DATA_KEY/,
    );
  });

  it('reads a key as base64 or hex and names the source of a bad one', () => {
    assert.deepStrictEqual(parseDataKey(key.toString('base64'), 'x'), key);
    assert.deepStrictEqual(parseDataKey(key.toString('hex') + '\n', 'x'), key);
    assert.throws(
      () => parseDataKey('secret', DATA_KEY_ENV),
      /RPA_VISION_DATA_KEY is not a data key: it must be 32 bytes/,
    );
    assert.throws(() => parseDataKey(crypto.randomBytes(16).toString('base64'), 'x'), SealedFileError);
  });

  it('creates the key file owner-only on first start and finds it afterwards', () => {
    const dataDir = path.join(dir, 'data');
    assert.strictEqual(loadDataKey(dataDir), null, 'without create, no key');
    const created = loadDataKey(dataDir, { create: true })!;
    assert.strictEqual(created.length, 32);
    assert.strictEqual(fs.statSync(path.join(dataDir, '.data-key')).mode & 0o777, 0o600);
    assert.strictEqual(fs.statSync(dataDir).mode & 0o777, 0o700);
    assert.deepStrictEqual(loadDataKey(dataDir), created);
    process.env[DATA_KEY_ENV] = key.toString('hex');
    assert.deepStrictEqual(loadDataKey(dataDir), key, 'the environment wins over the key file');
  });

  it('seals what the data-file writers write while a key is in use, owner-only, and reads old plain files', async () => {
    const oldJson = path.join(dir, 'old.json');
    fs.writeFileSync(oldJson, '{"a":1}');
    useDataKey(key);
    const shot = path.join(dir, 'shot.png');
    await writeDataFile(shot, plain);
    const json = path.join(dir, 'sub', 'session.json');
    writeJsonFileAtomic(json, { a: 2 });
    assert.ok(isSealed(fs.readFileSync(shot)));
    assert.ok(isSealed(fs.readFileSync(json)));
    assert.strictEqual(fs.statSync(shot).mode & 0o777, 0o600);
    assert.strictEqual(fs.statSync(json).mode & 0o777, 0o600);
    assert.strictEqual(fs.statSync(path.dirname(json)).mode & 0o777, 0o700);
    assert.deepStrictEqual(readDataFile(shot), plain);
    assert.deepStrictEqual(
      readJsonFile(json, (v) => v),
      { a: 2 },
    );
    assert.deepStrictEqual(
      readJsonFile(oldJson, (v) => v),
      { a: 1 },
    );
    useDataKey(null);
    assert.throws(() => readJsonFile(json, (v) => v), /is encrypted and no data key is configured/);
  });

  it('rotates the key with "rpa-vision data-key rotate": sealed files, log lines and store entries re-sealed, plain ones untouched', async () => {
    const dataDir = path.join(dir, 'data');
    const oldKey = loadDataKey(dataDir, { create: true })!;
    const shot = path.join(dataDir, 'sessions', 's1', 'shots', 'shot_0001.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    fs.writeFileSync(shot, seal(plain, oldKey));
    const log = path.join(dataDir, 'logs', 'plain.jsonl');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, '{"a":1}\n');
    useDataKey(oldKey);
    const sealedLog = path.join(dataDir, 'logs', 'rpa-vision-2026-01-01.jsonl');
    fs.writeFileSync(sealedLog, `{"plain":true}\n${sealLine('{"sealed":true}')}\n`);
    const store = await openStore(dataDir);
    await store.sub('automation-jobs').put('job_1', { params: { password: 'pw' } });
    await store.close();
    useDataKey(null);
    const env: NodeJS.ProcessEnv = { ...process.env, RPA_VISION_DATA_DIR: dataDir };
    delete env[DATA_KEY_ENV];
    const run = spawnSync(process.execPath, [CLI, 'data-key', 'rotate'], { env, encoding: 'utf8' });
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /2 files and 1 store entries re-sealed/);
    const newKey = loadDataKey(dataDir)!;
    useDataKey(newKey);
    assert.deepStrictEqual(parseJsonLines(fs.readFileSync(sealedLog, 'utf8')), {
      entries: [{ plain: true }, { sealed: true }],
      skipped: 0,
    });
    const reopened = await openStore(dataDir);
    try {
      assert.deepStrictEqual(await reopened.sub('automation-jobs').get('job_1'), { params: { password: 'pw' } });
    } finally {
      await reopened.close();
    }
    assert.notDeepStrictEqual(newKey, oldKey);
    assert.deepStrictEqual(open(fs.readFileSync(shot), newKey), plain);
    assert.throws(() => open(fs.readFileSync(shot), oldKey), /cannot be decrypted/);
    assert.strictEqual(fs.readFileSync(log, 'utf8'), '{"a":1}\n');
    assert.deepStrictEqual(parseDataKey(fs.readFileSync(path.join(dataDir, '.data-key.old'), 'utf8'), 'old'), oldKey);
    assert.strictEqual(fs.statSync(path.join(dataDir, '.data-key')).mode & 0o777, 0o600);
  });
});
