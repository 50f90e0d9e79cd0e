/** The embedded LevelDB store: named sub-stores, persistence, one database per process. */
import assert from 'assert';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { openStore, resolveDataDir, StoreError } from '../../lib/store/store';

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
      assert.match(out, /StoreError: the store .* is in use by another process/);
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
});
