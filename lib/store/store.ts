/**
 * The embedded store: one LevelDB database per data directory and process, with named
 * sub-stores ("chains", "triggers", "logs", …) holding JSON values. Opened once, shared by
 * everyone in the process through reference counting, closed when the last user releases it.
 */
import fs from 'fs';
import path from 'path';
import { Level } from 'level';
import { resolveDataDir } from './data-dir';

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly location: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** A named sub-store of JSON values keyed by strings. */
export interface SubStore<V = unknown> {
  readonly name: string;
  get(key: string): Promise<V | undefined>;
  put(key: string, value: V): Promise<void>;
  del(key: string): Promise<void>;
  /** Writes and deletes atomically. */
  batch(ops: Array<{ type: 'put'; key: string; value: V } | { type: 'del'; key: string }>): Promise<void>;
  /** Entries in key order, optionally within [gte, lte] and up to `limit`. */
  entries(options?: { gte?: string; lte?: string; limit?: number; reverse?: boolean }): Promise<Array<[string, V]>>;
  values(options?: { gte?: string; lte?: string; limit?: number; reverse?: boolean }): Promise<V[]>;
  clear(): Promise<void>;
}

export interface Store {
  readonly location: string;
  sub<V = unknown>(name: string): SubStore<V>;
  /** Releases this handle; the database closes when the last handle is released. */
  close(): Promise<void>;
}

type Db = Level<string, unknown>;
interface Shared {
  db: Db;
  users: number;
  opening: Promise<void>;
}
const openDatabases = new Map<string, Shared>();

const SUBSTORE_NAME = /^[a-z][a-z0-9_-]{0,40}$/;

export { resolveDataDir } from './data-dir';

function wrapSub<V>(db: Db, name: string): SubStore<V> {
  if (!SUBSTORE_NAME.test(name))
    throw new StoreError(`invalid sub-store name "${name}" (lowercase letters, digits, - and _)`, name);
  const sub = db.sublevel<string, V>(name, { valueEncoding: 'json' });
  const range = (o: { gte?: string; lte?: string; limit?: number; reverse?: boolean } = {}) => {
    const r: Record<string, unknown> = { limit: o.limit ?? -1, reverse: !!o.reverse };
    if (o.gte !== undefined) r.gte = o.gte;
    if (o.lte !== undefined) r.lte = o.lte;
    return r;
  };
  return {
    name,
    async get(key) {
      try {
        return (await sub.get(key)) as V | undefined;
      } catch (err) {
        if ((err as { code?: string }).code === 'LEVEL_NOT_FOUND') return undefined;
        throw err;
      }
    },
    put: (key, value) => sub.put(key, value),
    del: (key) => sub.del(key),
    batch: (ops) =>
      sub.batch(
        ops.map((op) =>
          op.type === 'put'
            ? { type: 'put' as const, key: op.key, value: op.value }
            : { type: 'del' as const, key: op.key },
        ),
      ),
    entries: async (o) => (await sub.iterator(range(o)).all()) as Array<[string, V]>,
    values: async (o) => (await sub.values(range(o)).all()) as V[],
    clear: () => sub.clear(),
  };
}

/**
 * Opens (or joins) the store of `dataDir`. The database lives in `<dataDir>/store`.
 * Fails with a StoreError that says why: not writable, or locked by another process.
 */
export async function openStore(dataDir?: string): Promise<Store> {
  const location = path.join(resolveDataDir(dataDir), 'store');
  let shared = openDatabases.get(location);
  if (!shared) {
    try {
      fs.mkdirSync(location, { recursive: true });
      fs.accessSync(location, fs.constants.W_OK);
    } catch (err) {
      throw new StoreError(`the data directory ${location} is not writable: ${(err as Error).message}`, location, err);
    }
    const db: Db = new Level<string, unknown>(location, { valueEncoding: 'json' });
    const entry: Shared = { db, users: 0, opening: db.open() };
    openDatabases.set(location, entry);
    shared = entry;
    try {
      await entry.opening;
    } catch (err) {
      openDatabases.delete(location);
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      const locked = /lock/i.test(cause);
      throw new StoreError(
        locked
          ? `the store ${location} is in use by another process (is Node-RED or another rpa-vision command running with the same data directory?)`
          : `cannot open the store ${location}: ${cause}`,
        location,
        err,
      );
    }
  } else {
    await shared.opening;
  }
  shared.users++;
  const db = shared.db;
  let released = false;
  return {
    location,
    sub: <V>(name: string) => wrapSub<V>(db, name),
    async close() {
      if (released) return;
      released = true;
      const s = openDatabases.get(location);
      if (!s || --s.users > 0) return;
      openDatabases.delete(location);
      await db.close();
    },
  };
}

function databaseOf(store: Store): Db {
  const shared = openDatabases.get(store.location);
  if (!shared) throw new StoreError(`the store ${store.location} is closed`, store.location);
  return shared.db;
}

/**
 * A consistent copy of the whole store (every sub-store, as of one instant: one iterator reads
 * one snapshot) into a new database at `targetDir`, while the store stays in use.
 */
export async function backupStore(store: Store, targetDir: string): Promise<{ entries: number }> {
  const db = databaseOf(store);
  if (fs.existsSync(targetDir) && fs.readdirSync(targetDir).length)
    throw new StoreError(`the backup folder ${targetDir} is not empty`, targetDir);
  const copy = new Level<Buffer, Buffer>(targetDir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await copy.open();
  let entries = 0;
  try {
    let batch = copy.batch();
    for await (const [key, value] of db.iterator<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' })) {
      batch.put(key, value);
      if (++entries % 1000 === 0) {
        await batch.write();
        batch = copy.batch();
      }
    }
    await batch.write();
  } finally {
    await copy.close();
  }
  return { entries };
}

/** Compacts the whole store (LevelDB rewrites its files without deleted and overwritten values). */
export async function compactStore(store: Store): Promise<void> {
  const db = databaseOf(store) as unknown as {
    compactRange(start: Buffer, end: Buffer, options: { keyEncoding: string }): Promise<void>;
  };
  await db.compactRange(Buffer.alloc(0), Buffer.alloc(64, 0xff), { keyEncoding: 'buffer' });
}
