/** The embedded LevelDB store: named sub-stores, persistence, one database per process. */
import assert from 'assert';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import crypto from 'crypto';
import { openStore, resealStore, resolveDataDir, StoreError } from '../../lib/store/store';
import { refuseDataWrites, useDataKey } from '../../lib/contracts/sealed-files';

describe('embedded store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-store-'));
  });

  it('keeps sub-stores apart and lists entries in key order within a range', async () => {
    const store = await openStore(dir);
    try {
      const chains = store.sub<{ name: string }>('chains');
      const triggers = store.sub<{ name: string }>('triggers');
      await chains.put('b', { name: 'chain b' });
      await chains.put('a', { name: 'chain a' });
      await triggers.put('a', { name: 'trigger a' });
      assert.deepStrictEqual(await chains.get('a'), { name: 'chain a' });
      assert.deepStrictEqual(await triggers.get('a'), { name: 'trigger a' });
      assert.strictEqual(await chains.get('missing'), undefined);
      assert.deepStrictEqual(
        (await chains.entries()).map(([k]) => k),
        ['a', 'b'],
      );
      assert.deepStrictEqual(await chains.values({ gte: 'b' }), [{ name: 'chain b' }]);
      await chains.batch([
        { type: 'del', key: 'a' },
        { type: 'put', key: 'c', value: { name: 'chain c' } },
      ]);
      assert.deepStrictEqual(
        (await chains.entries({ reverse: true })).map(([k]) => k),
        ['c', 'b'],
      );
    } finally {
      await store.close();
    }
  });

  it('persists across close and reopen', async () => {
    let store = await openStore(dir);
    await store.sub('logs').put('k', { v: 1 });
    await store.close();
    store = await openStore(dir);
    assert.deepStrictEqual(await store.sub('logs').get('k'), { v: 1 });
    await store.close();
  });

  it('opens one database per process and closes it when the last user releases it', async () => {
    const a = await openStore(dir);
    const b = await openStore(dir);
    await a.sub('x').put('k', 1);
    await a.close();
    assert.strictEqual(await b.sub('x').get('k'), 1, 'still open for the other user');
    await b.close();
    await assert.rejects(() => b.sub('x').get('k'));
  });

  it('says the store is in use when another process holds it', async () => {
    const store = await openStore(dir);
    try {
      const script = `require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'lib', 'store', 'store.js'))}).openStore(${JSON.stringify(dir)}).then(()=>console.log('opened'),e=>console.log(e.name+': '+e.message))`;
      const out = await new Promise<string>((resolve) =>
        execFile(process.execPath, ['-e', script], (_e, stdout) => resolve(stdout)),
      );
      assert.match(
        out,
        new RegExp(`StoreLocked: the store ${dir}/store is in use by process ${process.pid} \\(.*since .*\\): stop it`),
      );
    } finally {
      await store.close();
    }
  });

  it('rejects an unwritable data directory and a bad sub-store name with clear errors', async () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    await assert.rejects(
      () => openStore(path.join(file, 'sub')),
      (e: Error) => e instanceof StoreError && /not writable/.test(e.message),
    );
    const store = await openStore(dir);
    try {
      assert.throws(() => store.sub('../etc'), /invalid sub-store name/);
    } finally {
      await store.close();
    }
  });

  it('takes the data directory from RPA_VISION_DATA_DIR when none is given', () => {
    const saved = process.env.RPA_VISION_DATA_DIR;
    process.env.RPA_VISION_DATA_DIR = dir;
    try {
      assert.strictEqual(resolveDataDir(), dir);
      assert.strictEqual(resolveDataDir('/elsewhere'), '/elsewhere');
    } finally {
      if (saved === undefined) delete process.env.RPA_VISION_DATA_DIR;
      else process.env.RPA_VISION_DATA_DIR = saved;
    }
  });

  describe('with a data key in use', () => {
    const SECRET = 'S3cret-P@ss-in-a-job';
    afterEach(() => useDataKey(null));

    /** Every byte LevelDB keeps on disk, as text: a value in clear would read here. */
    function rawBytes(): string {
      const storeDir = path.join(dir, 'store');
      return fs
        .readdirSync(storeDir)
        .map((f) => fs.readFileSync(path.join(storeDir, f)).toString('latin1'))
        .join('');
    }

    it('seals every value on disk and reads it back', async () => {
      useDataKey(crypto.randomBytes(32));
      const store = await openStore(dir);
      await store.sub('automation-jobs').put('job_1', { params: { password: SECRET } });
      await store.sub('logs').batch([{ type: 'put', key: 'k', value: { message: SECRET } }]);
      await store.close();
      assert.strictEqual(rawBytes().indexOf(SECRET), -1, 'no value in clear in the LevelDB files');
      const again = await openStore(dir);
      try {
        assert.deepStrictEqual(await again.sub('automation-jobs').get('job_1'), { params: { password: SECRET } });
        assert.deepStrictEqual(await again.sub('logs').values(), [{ message: SECRET }]);
      } finally {
        await again.close();
      }
    });

    it('reads a store written in clear, then seals it on the first open with a key', async () => {
      let store = await openStore(dir);
      await store.sub('executions').put('e1', { parameters: { note: SECRET } });
      await store.close();
      assert.notStrictEqual(rawBytes().indexOf(SECRET), -1, 'written in clear without a key');
      useDataKey(crypto.randomBytes(32));
      store = await openStore(dir);
      try {
        assert.deepStrictEqual(await store.sub('executions').get('e1'), { parameters: { note: SECRET } });
      } finally {
        await store.close();
      }
      assert.strictEqual(rawBytes().indexOf(SECRET), -1, 'sealed and compacted away');
    });

    it('re-seals the store with a new key on rotation', async () => {
      const oldKey = crypto.randomBytes(32);
      const newKey = crypto.randomBytes(32);
      useDataKey(oldKey);
      const store = await openStore(dir);
      await store.sub('triggers').put('t1', { params: { iban: SECRET } });
      await store.close();
      assert.deepStrictEqual(await resealStore(dir, oldKey, newKey), { resealed: 1, unreadable: [] });
      useDataKey(newKey);
      const again = await openStore(dir);
      try {
        assert.deepStrictEqual(await again.sub('triggers').get('t1'), { params: { iban: SECRET } });
        useDataKey(oldKey);
        await assert.rejects(() => again.sub('triggers').get('t1'), /cannot be decrypted/);
      } finally {
        await again.close();
      }
    });

    it('refuses to write, saying what to fix, when the configured key could not be loaded', async () => {
      const store = await openStore(dir);
      try {
        await store.sub('logs').put('before', { ok: true });
        refuseDataWrites(new Error('/data/.data-key is not a data key'));
        await assert.rejects(
          () => store.sub('logs').put('k', { message: SECRET }),
          /not written, the data key could not be loaded \(\/data\/\.data-key is not a data key\); restore the key file from your copy, or set RPA_VISION_DATA_KEY/,
        );
        assert.deepStrictEqual(await store.sub('logs').get('before'), { ok: true }, 'clear values still read');
        assert.strictEqual(await store.sub('logs').get('k'), undefined);
      } finally {
        await store.close();
      }
      assert.strictEqual(rawBytes().indexOf(SECRET), -1);
    });
  });
});
